-- A create's request_id is kept with a fingerprint of the request's body, so that the
-- same request_id sent with a different body is refused instead of answered with the
-- resource the first body made (common/idempotency.h). Earlier claims have none.
ALTER TABLE registry.request_ids ADD COLUMN fingerprint text;
