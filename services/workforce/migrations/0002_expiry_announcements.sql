-- The expiry watch's announcements: one row per worker item, due date and stage (60, 30
-- or 0 days = lapsed), so each ComplianceLapsing event is published once however many
-- replicas sweep. Written and read only by the service itself.
CREATE TABLE workforce.expiry_announcements (
  provider_id uuid NOT NULL,
  staff_id uuid NOT NULL,
  kind text NOT NULL,
  code text NOT NULL DEFAULT '',
  due_date date NOT NULL,
  within_days integer NOT NULL CHECK (within_days IN (0, 30, 60)),
  announced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (staff_id, kind, code, due_date, within_days)
);
ALTER TABLE workforce.expiry_announcements ENABLE ROW LEVEL SECURITY;
ALTER TABLE workforce.expiry_announcements FORCE ROW LEVEL SECURITY;
CREATE POLICY service_only ON workforce.expiry_announcements
  USING (workforce.is_service()) WITH CHECK (workforce.is_service());
GRANT SELECT, INSERT ON workforce.expiry_announcements TO workforce_app;
