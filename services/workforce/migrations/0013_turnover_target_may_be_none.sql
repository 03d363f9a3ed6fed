-- A framework may have no quarterly turnover target (decision 63): 0 is stored and read
-- back as none, and its returns give no within/over-target verdict. Rows already stored
-- keep their value (5 where none was sent before: the old default, which cannot be told
-- from a 5 that was sent); their commissioners set 0 to have none.
ALTER TABLE workforce.suspension_rules
  DROP CONSTRAINT suspension_rules_turnover_target_percent_check,
  ADD CONSTRAINT suspension_rules_turnover_target_percent_check
    CHECK (turnover_target_percent BETWEEN 0 AND 100),
  ALTER COLUMN turnover_target_percent SET DEFAULT 0;
