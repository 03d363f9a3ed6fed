-- A provider may stop naming a worker before the worker's first day on the package: the
-- assignment then ends the day before it began (to_date = from_date - 1) and never ran.
ALTER TABLE workforce.package_assignments
  DROP CONSTRAINT IF EXISTS package_assignments_check,
  ADD CONSTRAINT package_assignments_dates CHECK (to_date IS NULL OR to_date >= from_date - 1);
