-- A training record entered in error (wrong worker, wrong date, no real certificate) is
-- voided, never deleted: it stays listed with who voided it, when and why, and no rule
-- counts it.
ALTER TABLE workforce.training_records
  ADD COLUMN void_time timestamptz,
  ADD COLUMN void_user text,
  ADD COLUMN void_reason text NOT NULL DEFAULT '';
-- Only the void stamp may change: the record itself stays as it was entered.
GRANT UPDATE (void_time, void_user, void_reason, update_time, update_user)
  ON workforce.training_records TO workforce_app;
