-- A framework's complaint answer period and quarterly turnover target (decision 60), kept
-- with its suspension rules and stored as they apply: rules set before this keep the
-- values every framework had, 15 working days (seed 002 92) and 5 % (seed 002 KPI 4.1).
ALTER TABLE workforce.suspension_rules
  ADD COLUMN complaint_answer_working_days integer NOT NULL DEFAULT 15
    CHECK (complaint_answer_working_days BETWEEN 1 AND 60),
  ADD COLUMN turnover_target_percent integer NOT NULL DEFAULT 5
    CHECK (turnover_target_percent BETWEEN 1 AND 100);
-- The period a complaint's answer_due_time was counted with, fixed when it is recorded.
-- Complaints recorded before this were all given 15.
ALTER TABLE workforce.complaints
  ADD COLUMN answer_working_days integer NOT NULL DEFAULT 15
    CHECK (answer_working_days BETWEEN 1 AND 60);
