-- A finished referral (AWARDED, UNCOVERED, WITHDRAWN) kept the stage_deadline and
-- held_until of the round it left, often in the future: an audit saw an UNCOVERED
-- referral show a deadline nothing waited for. The service now clears both when a
-- referral leaves OPEN (EVALUATING keeps the deadline that closed the round and no hold;
-- domain::ShowsStageDeadline). This clears what the earlier versions left behind. The
-- version is left alone, as for the scheduler's bookkeeping: nothing an officer decided
-- changed, and their etags stay valid.
UPDATE referrals.referrals SET stage_deadline = NULL, held_until = NULL
 WHERE state IN ('AWARDED', 'UNCOVERED', 'WITHDRAWN')
   AND (stage_deadline IS NOT NULL OR held_until IS NOT NULL);
UPDATE referrals.referrals SET held_until = NULL
 WHERE state = 'EVALUATING' AND held_until IS NOT NULL;
