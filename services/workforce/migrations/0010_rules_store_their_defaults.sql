-- SetSuspensionRules stores the value that applies: an action plan's first item sent as
-- 0 (unset) is stored, and read back, as the default of 10 working days, as
-- complaint_window_months already was (0 stored as 12). Rows that held 0 meant 10.
UPDATE workforce.suspension_rules SET action_plan_due_working_days = 10
  WHERE action_plan_due_working_days = 0;
ALTER TABLE workforce.suspension_rules
  DROP CONSTRAINT suspension_rules_action_plan_due_working_days_check,
  ALTER COLUMN action_plan_due_working_days SET DEFAULT 10,
  ADD CONSTRAINT suspension_rules_action_plan_due_working_days_check
    CHECK (action_plan_due_working_days BETWEEN 1 AND 60);
