-- The scheduler's record of a referral whose step keeps failing (docs/decisions/0044):
-- how many times in a row, the last error and when. The referral is retried after a
-- bounded backoff instead of blocking every other deadline; a successful step or a new
-- round clears the record. Not part of the etag: officers' reads are not invalidated.
ALTER TABLE referrals.referrals
  ADD COLUMN step_failures integer NOT NULL DEFAULT 0,
  ADD COLUMN step_error text NOT NULL DEFAULT '',
  ADD COLUMN step_failed_at timestamptz;
