-- Workforce and compliance schema (DOMAIN.md §5, §7). Applied by workforce_owner; the
-- runtime role workforce_app owns nothing and gets only the grants below. Row-level
-- security is enabled and forced on every table; policies read the acting organisation
-- from the transaction-local settings (common/db.h).
--
-- Who sees what:
--   providers      = their own staff, training records and complaints, and the visits,
--                    action plans and accounts about them;
--   commissioners  = the matrices, visits, action plans, accounts and suspension rules
--                    they made (matrices and rules are readable by everyone); never a
--                    staff row: workforce aggregates are computed by the service;
--   services       = everything (the compliance gate for care planning, aggregates).

CREATE SCHEMA IF NOT EXISTS workforce;

CREATE FUNCTION workforce.current_org() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('pdps.organisation_id', true), '')::uuid $$;
CREATE FUNCTION workforce.is_service() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT COALESCE(current_setting('pdps.service', true), '') = 'on' $$;

-- A provider's worker. The columns the queries filter and sort on are kept apart; the
-- rest of the record (checks, registration, languages, supervision dates) is the API
-- message as JSON, read whole by the rules (decision 0031).
CREATE TABLE workforce.staff (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  start_date date NOT NULL,
  leave_date date CHECK (leave_date IS NULL OR leave_date >= start_date),
  contract_type text NOT NULL CHECK (contract_type IN ('PERMANENT', 'FIXED_TERM', 'ZERO_HOURS',
                                                       'BANK')),
  record jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL,
  -- Seed 002 para 15: zero hours only at the worker's documented request.
  CHECK (contract_type <> 'ZERO_HOURS'
         OR (COALESCE((record->>'zero_hours_requested_by_worker')::boolean, false)
             AND COALESCE(record->>'zero_hours_request_evidence', '') <> ''))
);
CREATE INDEX staff_provider ON workforce.staff (provider_id, display_name, id);

-- Versions of a lot's training matrix; a version applies from effective_from.
CREATE TABLE workforce.training_matrices (
  id uuid PRIMARY KEY,
  framework_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  effective_from date NOT NULL,
  matrix jsonb NOT NULL,
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL,
  UNIQUE (lot_id, version),
  UNIQUE (lot_id, effective_from)
);
CREATE INDEX training_matrices_framework ON workforce.training_matrices (framework_id);

CREATE TABLE workforce.training_records (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL,
  staff_id uuid NOT NULL REFERENCES workforce.staff (id),
  competency_code text NOT NULL CHECK (competency_code ~ '^[a-z][a-z0-9_]{0,63}$'),
  completed_on date NOT NULL,
  training_provider text NOT NULL DEFAULT '',
  evidence_reference text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL
);
CREATE INDEX training_records_staff ON workforce.training_records (staff_id, completed_on DESC, id);
CREATE INDEX training_records_provider ON workforce.training_records (provider_id);

CREATE TABLE workforce.complaints (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL,
  framework_id uuid NOT NULL,
  lot_id uuid,
  received_time timestamptz NOT NULL,
  answer_due_time timestamptz NOT NULL,
  acknowledged_time timestamptz,
  answered_time timestamptz,
  state text NOT NULL CHECK (state IN ('RECEIVED', 'ACKNOWLEDGED', 'ANSWERED')),
  outcome text NOT NULL DEFAULT '' CHECK (outcome IN ('', 'UPHELD', 'PARTLY_UPHELD',
                                                      'NOT_UPHELD')),
  learning text NOT NULL DEFAULT '',
  safeguarding boolean NOT NULL,
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL,
  CHECK ((state = 'ANSWERED') = (answered_time IS NOT NULL AND outcome <> ''))
);
CREATE INDEX complaints_provider ON workforce.complaints (provider_id, received_time DESC, id);
CREATE INDEX complaints_open ON workforce.complaints (provider_id, answer_due_time)
  WHERE state <> 'ANSWERED';
CREATE INDEX complaints_safeguarding ON workforce.complaints (provider_id, framework_id, answered_time)
  WHERE safeguarding AND outcome IN ('UPHELD', 'PARTLY_UPHELD');

CREATE TABLE workforce.monitoring_visits (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL,
  framework_id uuid NOT NULL,
  lot_id uuid,
  visit_date date NOT NULL,
  findings text NOT NULL,
  rating text NOT NULL CHECK (rating IN ('OUTSTANDING', 'GOOD', 'REQUIRES_IMPROVEMENT',
                                         'INADEQUATE')),
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL
);
CREATE INDEX monitoring_visits_provider ON workforce.monitoring_visits (provider_id, visit_date DESC, id);

CREATE TABLE workforce.action_plans (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL,
  framework_id uuid NOT NULL,
  visit_id uuid REFERENCES workforce.monitoring_visits (id),
  title text NOT NULL,
  items jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL
);
CREATE INDEX action_plans_provider ON workforce.action_plans (provider_id, create_time DESC, id);

CREATE TABLE workforce.financial_accounts (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL,
  framework_id uuid NOT NULL,
  year_end date NOT NULL,
  current_assets_pence bigint NOT NULL CHECK (current_assets_pence >= 0),
  current_liabilities_pence bigint NOT NULL CHECK (current_liabilities_pence >= 0),
  operating_profit_pence bigint NOT NULL,
  capital_employed_pence bigint NOT NULL,
  net_assets_pence bigint NOT NULL,
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL
);
CREATE INDEX financial_accounts_provider ON workforce.financial_accounts (provider_id, year_end DESC, id);

-- A framework's automatic suspension rules; the first organisation to set them owns them.
CREATE TABLE workforce.suspension_rules (
  framework_id uuid PRIMARY KEY,
  owner_organisation uuid NOT NULL,
  suspend_on_inadequate_visit boolean NOT NULL,
  upheld_safeguarding_complaints integer NOT NULL CHECK (upheld_safeguarding_complaints BETWEEN 0 AND 100),
  complaint_window_months integer NOT NULL CHECK (complaint_window_months BETWEEN 1 AND 60),
  suspend_on_financial_breach boolean NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  create_user text NOT NULL,
  create_organisation uuid NOT NULL,
  update_time timestamptz NOT NULL,
  update_user text NOT NULL
);

CREATE TABLE workforce.request_ids (
  organisation_id text NOT NULL,
  request_id text NOT NULL,
  method text NOT NULL,
  resource_id text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, request_id)
);

-- Transactional outbox and consumer cursors (common/events.h).
CREATE TABLE workforce.outbox (
  id bigserial PRIMARY KEY,
  position bigint UNIQUE,
  event_id uuid NOT NULL UNIQUE,
  event_type text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  organisation_id uuid,
  payload bytea NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_unpublished ON workforce.outbox (id) WHERE position IS NULL;

CREATE TABLE workforce.feed_cursors (
  consumer text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff', 'training_matrices', 'training_records', 'complaints',
      'monitoring_visits', 'action_plans', 'financial_accounts', 'suspension_rules',
      'request_ids', 'outbox', 'feed_cursors'] LOOP
    EXECUTE format('ALTER TABLE workforce.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE workforce.%I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

-- The provider's own records; services across tenants.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff', 'training_records', 'complaints'] LOOP
    EXECUTE format($f$CREATE POLICY own_provider ON workforce.%I
      USING (workforce.is_service() OR provider_id = workforce.current_org())
      WITH CHECK (workforce.is_service() OR provider_id = workforce.current_org())$f$, t);
  END LOOP;
END $$;

-- Matrices and rules are public within the platform; written in the writer's own name.
CREATE POLICY read_all ON workforce.training_matrices FOR SELECT USING (true);
CREATE POLICY create_own ON workforce.training_matrices FOR INSERT
  WITH CHECK (create_organisation = workforce.current_org());
CREATE POLICY read_all ON workforce.suspension_rules FOR SELECT USING (true);
CREATE POLICY create_own ON workforce.suspension_rules FOR INSERT
  WITH CHECK (owner_organisation = workforce.current_org());
CREATE POLICY update_own ON workforce.suspension_rules FOR UPDATE
  USING (owner_organisation = workforce.current_org())
  WITH CHECK (owner_organisation = workforce.current_org());

-- Commissioners' records about a provider: the organisation that made them and the
-- provider they are about.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['monitoring_visits', 'action_plans', 'financial_accounts'] LOOP
    EXECUTE format($f$CREATE POLICY parties ON workforce.%I FOR SELECT
      USING (workforce.is_service() OR create_organisation = workforce.current_org()
             OR provider_id = workforce.current_org())$f$, t);
    EXECUTE format($f$CREATE POLICY create_own ON workforce.%I FOR INSERT
      WITH CHECK (create_organisation = workforce.current_org())$f$, t);
  END LOOP;
END $$;
CREATE POLICY update_parties ON workforce.action_plans FOR UPDATE
  USING (create_organisation = workforce.current_org() OR provider_id = workforce.current_org())
  WITH CHECK (create_organisation = workforce.current_org()
              OR provider_id = workforce.current_org());

CREATE POLICY own ON workforce.request_ids
  USING (organisation_id = COALESCE(workforce.current_org()::text, ''))
  WITH CHECK (organisation_id = COALESCE(workforce.current_org()::text, ''));

CREATE POLICY append ON workforce.outbox FOR INSERT
  WITH CHECK (workforce.current_org() IS NOT NULL OR workforce.is_service());
CREATE POLICY read_service ON workforce.outbox FOR SELECT USING (workforce.is_service());
CREATE POLICY stamp_service ON workforce.outbox FOR UPDATE
  USING (workforce.is_service()) WITH CHECK (workforce.is_service());
CREATE POLICY consumer ON workforce.feed_cursors USING (workforce.is_service())
  WITH CHECK (workforce.is_service());

GRANT USAGE ON SCHEMA workforce TO workforce_app;
GRANT SELECT, INSERT ON workforce.staff, workforce.training_matrices, workforce.training_records,
  workforce.complaints, workforce.monitoring_visits, workforce.action_plans,
  workforce.financial_accounts, workforce.suspension_rules, workforce.request_ids,
  workforce.outbox, workforce.feed_cursors TO workforce_app;
GRANT UPDATE ON workforce.staff, workforce.complaints, workforce.action_plans,
  workforce.suspension_rules, workforce.outbox, workforce.feed_cursors TO workforce_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA workforce TO workforce_app;
REVOKE ALL ON FUNCTION workforce.current_org(), workforce.is_service() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION workforce.current_org(), workforce.is_service() TO workforce_app;
