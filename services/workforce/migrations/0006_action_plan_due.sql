-- How long the first item of an automatic suspension's action plan (agree the plan, seed
-- 001 13.6) runs, in working days; 0 means the default of 10.
ALTER TABLE workforce.suspension_rules
  ADD COLUMN action_plan_due_working_days integer NOT NULL DEFAULT 0
    CHECK (action_plan_due_working_days BETWEEN 0 AND 60);
