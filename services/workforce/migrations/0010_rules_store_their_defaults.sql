-- pdps-migration: replaces d508c2360a8f064faa73b4bacc6ef3f0fe49c8ee8c915987e27722c64b88b228
-- SetSuspensionRules stores the value that applies: an action plan's first item sent as
-- 0 (unset) is stored, and read back, as the default of 10 working days, as
-- complaint_window_months already was (0 stored as 12). Rows that held 0 meant 10.
-- Row-level security is forced on the table and its update policy admits only the row's
-- owner organisation, so the owner's UPDATE saw no row: the first text of this file
-- changed nothing and then failed on its CHECK wherever a 0 was stored. The owner lifts
-- the forcing for the UPDATE alone (decision 60). Where that first text applied there
-- was no 0 to convert: the runner accepts its checksum (the line above).
ALTER TABLE workforce.suspension_rules NO FORCE ROW LEVEL SECURITY;
UPDATE workforce.suspension_rules SET action_plan_due_working_days = 10
  WHERE action_plan_due_working_days = 0;
ALTER TABLE workforce.suspension_rules FORCE ROW LEVEL SECURITY;
ALTER TABLE workforce.suspension_rules
  DROP CONSTRAINT suspension_rules_action_plan_due_working_days_check,
  ALTER COLUMN action_plan_due_working_days SET DEFAULT 10,
  ADD CONSTRAINT suspension_rules_action_plan_due_working_days_check
    CHECK (action_plan_due_working_days BETWEEN 1 AND 60);
