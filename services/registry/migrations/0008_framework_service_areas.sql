-- Framework.service_areas (registry.proto, decision 78): the districts a framework
-- commissions care in, so that a referral naming another is refused when it is raised
-- rather than found UNCOVERED when it is opened. Frameworks written before it list none
-- (any district, as before). Safe to run again.
ALTER TABLE registry.frameworks
  ADD COLUMN IF NOT EXISTS service_areas text[] NOT NULL DEFAULT '{}';
