-- When each action plan item was added (SuspendAdmission, an automatic suspension or
-- AddActionPlanItems): CompleteActionPlanItem refuses a completed_date before that day
-- (decision 0056). Items written before this column have none; they were added with
-- their suspension or later, so the suspension's time stands for it (the store reads
-- COALESCE(add_time, the suspension transition's at)).
ALTER TABLE registry.action_plan_items ADD COLUMN add_time timestamptz;
