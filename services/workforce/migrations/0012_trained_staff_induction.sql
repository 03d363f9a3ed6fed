-- A new starter's induction, left out of the trained staff share (decision 62): weeks
-- from the start day, kept with the framework's suspension rules and stored as it
-- applies. Rules set before this get the default, 12 weeks (the Care Certificate's).
ALTER TABLE workforce.suspension_rules
  ADD COLUMN trained_staff_induction_weeks integer NOT NULL DEFAULT 12
    CHECK (trained_staff_induction_weeks BETWEEN 1 AND 52);
