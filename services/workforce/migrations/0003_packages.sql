-- Packages and their named workers (DOMAIN.md §5: commissioners see, for a package they
-- commission, the workers assigned to it). Packages are copied from the referrals
-- service's feed (ReferralAwarded, consumer "workforce<-referrals"); providers name
-- their workers on them. The package-worker suspension rule trips once per assignment
-- and set of reasons (rule_trips).
ALTER TABLE workforce.suspension_rules
  ADD COLUMN suspend_on_ineligible_package_worker boolean NOT NULL DEFAULT false;

CREATE TABLE workforce.packages (
  id uuid PRIMARY KEY,  -- the awarded referral
  provider_id uuid NOT NULL,
  framework_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  partnership_id uuid NOT NULL,
  extra_competencies text[] NOT NULL DEFAULT '{}',
  start_date date NOT NULL,
  end_date date,
  award_time timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX packages_framework ON workforce.packages (framework_id);

CREATE TABLE workforce.package_assignments (
  id uuid PRIMARY KEY,
  package_id uuid NOT NULL REFERENCES workforce.packages (id),
  provider_id uuid NOT NULL,
  staff_id uuid NOT NULL REFERENCES workforce.staff (id),
  from_date date NOT NULL,
  to_date date CHECK (to_date IS NULL OR to_date >= from_date),
  end_reason text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL
);
-- One running assignment of a worker on a package.
CREATE UNIQUE INDEX package_assignments_running ON workforce.package_assignments
  (package_id, staff_id) WHERE to_date IS NULL;
CREATE INDEX package_assignments_package ON workforce.package_assignments
  (package_id, from_date, id);
CREATE INDEX package_assignments_provider ON workforce.package_assignments (provider_id);

CREATE TABLE workforce.rule_trips (
  framework_id uuid NOT NULL,
  rule text NOT NULL,
  source_id uuid NOT NULL,
  signature text NOT NULL,
  tripped_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (framework_id, rule, source_id, signature)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['packages', 'package_assignments', 'rule_trips'] LOOP
    EXECUTE format('ALTER TABLE workforce.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE workforce.%I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

-- Packages are written by the service (from the feed); the awarded provider reads its
-- own. Commissioners are answered by the service after the registry says they
-- commission the framework.
CREATE POLICY own_provider ON workforce.packages FOR SELECT
  USING (workforce.is_service() OR provider_id = workforce.current_org());
CREATE POLICY write_service ON workforce.packages FOR INSERT
  WITH CHECK (workforce.is_service());
CREATE POLICY own_provider ON workforce.package_assignments
  USING (workforce.is_service() OR provider_id = workforce.current_org())
  WITH CHECK (workforce.is_service() OR provider_id = workforce.current_org());
CREATE POLICY service_only ON workforce.rule_trips
  USING (workforce.is_service()) WITH CHECK (workforce.is_service());

GRANT SELECT, INSERT ON workforce.packages, workforce.package_assignments,
  workforce.rule_trips TO workforce_app;
GRANT UPDATE ON workforce.package_assignments TO workforce_app;
