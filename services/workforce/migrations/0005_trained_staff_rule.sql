-- Derby's mandatory training target (seed 004 Appendix A 2 iii) as a suspension rule:
-- the least share of a provider's in-post staff with the lot's base training in date.
ALTER TABLE workforce.suspension_rules
  ADD COLUMN min_trained_staff_percent integer NOT NULL DEFAULT 0
    CHECK (min_trained_staff_percent BETWEEN 0 AND 100);
