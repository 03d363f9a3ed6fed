-- Provider registry schema (DOMAIN.md §2). Applied by registry_owner; the runtime role
-- registry_app owns nothing and gets only the grants below. Every table has row-level
-- security enabled and forced; policies read the acting organisation from the
-- transaction-local setting pdps.organisation_id (common/db.h).

-- Who is acting, from the transaction's settings.
CREATE FUNCTION registry.current_org() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('pdps.organisation_id', true), '')::uuid $$;
CREATE FUNCTION registry.is_service() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT COALESCE(current_setting('pdps.service', true), '') = 'on' $$;

-- Organisations and partnerships: a public directory (names and kinds only).
CREATE TABLE registry.organisations (
  id uuid PRIMARY KEY,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('COUNCIL', 'NHS_COMMISSIONER', 'PROVIDER', 'PLATFORM')),
  external_reference text NOT NULL DEFAULT '',
  office_postcode text NOT NULL DEFAULT '',
  office_district text NOT NULL DEFAULT '',
  coverage_areas text[] NOT NULL DEFAULT '{}',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  create_user text NOT NULL DEFAULT '',
  create_organisation text NOT NULL DEFAULT '',
  update_time timestamptz NOT NULL DEFAULT now(),
  update_user text NOT NULL DEFAULT ''
);
CREATE INDEX organisations_name ON registry.organisations (display_name, id);
CREATE INDEX organisations_coverage ON registry.organisations USING gin (coverage_areas);

CREATE TABLE registry.partnerships (
  id uuid PRIMARY KEY,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  create_user text NOT NULL DEFAULT '',
  create_organisation text NOT NULL DEFAULT '',
  update_time timestamptz NOT NULL DEFAULT now(),
  update_user text NOT NULL DEFAULT ''
);
CREATE TABLE registry.partnership_members (
  partnership_id uuid NOT NULL REFERENCES registry.partnerships (id),
  organisation_id uuid NOT NULL REFERENCES registry.organisations (id),
  PRIMARY KEY (partnership_id, organisation_id)
);
CREATE INDEX partnership_members_org ON registry.partnership_members (organisation_id);

-- Is the acting organisation a member of partnership p?
CREATE FUNCTION registry.acts_for_partnership(p uuid) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM registry.partnership_members m
                  WHERE m.partnership_id = p AND m.organisation_id = registry.current_org()) $$;

-- Frameworks and lots are published: anyone signed in reads them; only members of the
-- owning partnership write them.
CREATE TABLE registry.frameworks (
  id uuid PRIMARY KEY,
  partnership_id uuid NOT NULL REFERENCES registry.partnerships (id),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  kind text NOT NULL,
  call_off jsonb NOT NULL,
  office_hours text NOT NULL,
  billing_period text NOT NULL,
  employers_liability_minimum_pence bigint NOT NULL,
  public_liability_minimum_pence bigint NOT NULL,
  capacity_return_due_day integer NOT NULL CHECK (capacity_return_due_day BETWEEN 1 AND 28),
  specification_reference text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  create_user text NOT NULL DEFAULT '',
  create_organisation text NOT NULL DEFAULT '',
  update_time timestamptz NOT NULL DEFAULT now(),
  update_user text NOT NULL DEFAULT ''
);
CREATE INDEX frameworks_partnership ON registry.frameworks (partnership_id, display_name);
CREATE INDEX frameworks_name ON registry.frameworks (display_name, id);

CREATE TABLE registry.application_windows (
  framework_id uuid NOT NULL REFERENCES registry.frameworks (id),
  partnership_id uuid NOT NULL,
  open_date date NOT NULL,
  close_date date NOT NULL CHECK (close_date >= open_date),
  PRIMARY KEY (framework_id, open_date)
);

CREATE TABLE registry.lots (
  id uuid PRIMARY KEY,
  framework_id uuid NOT NULL REFERENCES registry.frameworks (id),
  partnership_id uuid NOT NULL,
  code text NOT NULL,
  display_name text NOT NULL,
  service_type text NOT NULL,
  min_age integer NOT NULL,
  max_age integer NOT NULL CHECK (max_age >= min_age),
  competencies text[] NOT NULL DEFAULT '{}',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  create_user text NOT NULL DEFAULT '',
  create_organisation text NOT NULL DEFAULT '',
  update_time timestamptz NOT NULL DEFAULT now(),
  update_user text NOT NULL DEFAULT '',
  UNIQUE (framework_id, code)
);

CREATE TABLE registry.lot_prices (
  lot_id uuid NOT NULL REFERENCES registry.lots (id),
  partnership_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('FRAMEWORK_PRICE', 'MAXIMUM_PRICE')),
  hourly_rate_pence bigint NOT NULL CHECK (hourly_rate_pence > 0),
  effective_from date NOT NULL,
  PRIMARY KEY (lot_id, kind, effective_from)
);

-- Admissions: visible to the provider and to the owning partnership's members.
CREATE TABLE registry.admissions (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL REFERENCES registry.organisations (id),
  framework_id uuid NOT NULL REFERENCES registry.frameworks (id),
  lot_id uuid NOT NULL REFERENCES registry.lots (id),
  partnership_id uuid NOT NULL,
  state text NOT NULL CHECK (state IN ('APPLIED', 'ACTIVE', 'REJECTED', 'SUSPENDED', 'TERMINATED')),
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  create_user text NOT NULL DEFAULT '',
  create_organisation text NOT NULL DEFAULT '',
  update_time timestamptz NOT NULL DEFAULT now(),
  update_user text NOT NULL DEFAULT ''
);
-- At most one live admission per provider and lot.
CREATE UNIQUE INDEX admissions_live ON registry.admissions (provider_id, lot_id)
  WHERE state IN ('APPLIED', 'ACTIVE', 'SUSPENDED');
CREATE INDEX admissions_lot_state ON registry.admissions (lot_id, state, provider_id);
CREATE INDEX admissions_framework ON registry.admissions (framework_id, id);
CREATE INDEX admissions_provider ON registry.admissions (provider_id, id);

CREATE TABLE registry.admission_transitions (
  id bigserial PRIMARY KEY,
  admission_id uuid NOT NULL REFERENCES registry.admissions (id),
  provider_id uuid NOT NULL,
  partnership_id uuid NOT NULL,
  from_state text NOT NULL,
  to_state text NOT NULL,
  reason text NOT NULL,
  actor_user text NOT NULL,
  actor_organisation text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX admission_transitions_admission ON registry.admission_transitions (admission_id, id);

CREATE TABLE registry.action_plan_items (
  id uuid PRIMARY KEY,
  admission_id uuid NOT NULL REFERENCES registry.admissions (id),
  provider_id uuid NOT NULL,
  partnership_id uuid NOT NULL,
  suspension_transition_id bigint NOT NULL REFERENCES registry.admission_transitions (id),
  description text NOT NULL,
  due_date date NOT NULL,
  completed_date date
);
CREATE INDEX action_plan_items_admission ON registry.action_plan_items (admission_id, due_date);

-- Does the acting organisation commission provider p (any admission, any state)?
CREATE FUNCTION registry.commissions_provider(p uuid) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM registry.admissions a
                  JOIN registry.partnership_members m ON m.partnership_id = a.partnership_id
                  WHERE a.provider_id = p AND m.organisation_id = registry.current_org()) $$;

CREATE TABLE registry.compliance_documents (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL REFERENCES registry.organisations (id),
  kind text NOT NULL,
  title text NOT NULL,
  evidence_reference text NOT NULL,
  issue_date date NOT NULL,
  expiry_date date CHECK (expiry_date IS NULL OR expiry_date >= issue_date),
  mandatory boolean NOT NULL,
  cqc_rating text NOT NULL DEFAULT '',
  cover_pence bigint NOT NULL DEFAULT 0,
  current_assets_pence bigint,
  current_liabilities_pence bigint,
  net_assets_pence bigint,
  operating_profit_pence bigint,
  capital_employed_pence bigint,
  -- Set when the expiry sweeper published ComplianceDocumentExpired for this expiry date.
  expiry_notified_for date,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  create_user text NOT NULL DEFAULT '',
  create_organisation text NOT NULL DEFAULT '',
  update_time timestamptz NOT NULL DEFAULT now(),
  update_user text NOT NULL DEFAULT ''
);
CREATE INDEX compliance_documents_provider ON registry.compliance_documents (provider_id, id);
CREATE INDEX compliance_documents_expiry ON registry.compliance_documents (expiry_date, id);
CREATE INDEX compliance_documents_mandatory_expiry ON registry.compliance_documents
  (provider_id, expiry_date) WHERE mandatory;

CREATE TABLE registry.capacity_returns (
  id uuid PRIMARY KEY,
  provider_id uuid NOT NULL REFERENCES registry.organisations (id),
  framework_id uuid NOT NULL REFERENCES registry.frameworks (id),
  partnership_id uuid NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  care_workers_employed integer NOT NULL CHECK (care_workers_employed >= 0),
  current_packages integer NOT NULL CHECK (current_packages >= 0),
  current_total_weekly_hours integer NOT NULL CHECK (current_total_weekly_hours >= 0),
  estimated_weekly_hours_available integer NOT NULL CHECK (estimated_weekly_hours_available >= 0),
  late boolean NOT NULL,
  submit_time timestamptz NOT NULL,
  create_user text NOT NULL DEFAULT '',
  UNIQUE (provider_id, framework_id, month)
);
CREATE INDEX capacity_returns_framework_month ON registry.capacity_returns (framework_id, month);
CREATE INDEX capacity_returns_provider_latest ON registry.capacity_returns
  (provider_id, framework_id, month DESC);

-- Safe retries of creates (common/idempotency.h).
CREATE TABLE registry.request_ids (
  organisation_id text NOT NULL,
  request_id text NOT NULL,
  method text NOT NULL,
  resource_id text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, request_id)
);

-- Transactional outbox and consumer cursors (common/events.h).
CREATE TABLE registry.outbox (
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
CREATE INDEX outbox_unpublished ON registry.outbox (id) WHERE position IS NULL;

CREATE TABLE registry.feed_cursors (
  consumer text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Row-level security: enabled and forced on every table.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['organisations', 'partnerships', 'partnership_members', 'frameworks',
      'application_windows', 'lots', 'lot_prices', 'admissions', 'admission_transitions',
      'action_plan_items', 'compliance_documents', 'capacity_returns', 'request_ids', 'outbox',
      'feed_cursors'] LOOP
    EXECUTE format('ALTER TABLE registry.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE registry.%I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

-- Directory tables: readable by all; organisations update only themselves (profile).
CREATE POLICY read_all ON registry.organisations FOR SELECT USING (true);
CREATE POLICY create_any ON registry.organisations FOR INSERT WITH CHECK (registry.current_org() IS NOT NULL);
CREATE POLICY update_own ON registry.organisations FOR UPDATE
  USING (id = registry.current_org()) WITH CHECK (id = registry.current_org());
CREATE POLICY read_all ON registry.partnerships FOR SELECT USING (true);
CREATE POLICY create_any ON registry.partnerships FOR INSERT WITH CHECK (registry.current_org() IS NOT NULL);
CREATE POLICY read_all ON registry.partnership_members FOR SELECT USING (true);
CREATE POLICY create_any ON registry.partnership_members FOR INSERT WITH CHECK (registry.current_org() IS NOT NULL);

-- Published framework data: read by all, written by the owning partnership.
CREATE POLICY read_all ON registry.frameworks FOR SELECT USING (true);
CREATE POLICY write_owner ON registry.frameworks FOR INSERT
  WITH CHECK (registry.acts_for_partnership(partnership_id));
CREATE POLICY update_owner ON registry.frameworks FOR UPDATE
  USING (registry.acts_for_partnership(partnership_id))
  WITH CHECK (registry.acts_for_partnership(partnership_id));
CREATE POLICY read_all ON registry.application_windows FOR SELECT USING (true);
CREATE POLICY write_owner ON registry.application_windows FOR INSERT
  WITH CHECK (registry.acts_for_partnership(partnership_id));
CREATE POLICY delete_owner ON registry.application_windows FOR DELETE
  USING (registry.acts_for_partnership(partnership_id));
CREATE POLICY read_all ON registry.lots FOR SELECT USING (true);
CREATE POLICY write_owner ON registry.lots FOR INSERT
  WITH CHECK (registry.acts_for_partnership(partnership_id));
CREATE POLICY update_owner ON registry.lots FOR UPDATE
  USING (registry.acts_for_partnership(partnership_id))
  WITH CHECK (registry.acts_for_partnership(partnership_id));
CREATE POLICY read_all ON registry.lot_prices FOR SELECT USING (true);
CREATE POLICY write_owner ON registry.lot_prices FOR INSERT
  WITH CHECK (registry.acts_for_partnership(partnership_id));
CREATE POLICY delete_owner ON registry.lot_prices FOR DELETE
  USING (registry.acts_for_partnership(partnership_id));

-- Admission data: the provider, the owning partnership, and service identities.
CREATE POLICY read_party ON registry.admissions FOR SELECT
  USING (provider_id = registry.current_org() OR registry.acts_for_partnership(partnership_id)
         OR registry.is_service());
CREATE POLICY apply_self ON registry.admissions FOR INSERT
  WITH CHECK (provider_id = registry.current_org());
CREATE POLICY decide_owner ON registry.admissions FOR UPDATE
  USING (registry.acts_for_partnership(partnership_id) OR registry.is_service())
  WITH CHECK (registry.acts_for_partnership(partnership_id) OR registry.is_service());
CREATE POLICY read_party ON registry.admission_transitions FOR SELECT
  USING (provider_id = registry.current_org() OR registry.acts_for_partnership(partnership_id)
         OR registry.is_service());
CREATE POLICY write_party ON registry.admission_transitions FOR INSERT
  WITH CHECK (provider_id = registry.current_org() OR registry.acts_for_partnership(partnership_id)
              OR registry.is_service());
CREATE POLICY read_party ON registry.action_plan_items FOR SELECT
  USING (provider_id = registry.current_org() OR registry.acts_for_partnership(partnership_id)
         OR registry.is_service());
CREATE POLICY write_owner ON registry.action_plan_items FOR INSERT
  WITH CHECK (registry.acts_for_partnership(partnership_id) OR registry.is_service());
CREATE POLICY update_owner ON registry.action_plan_items FOR UPDATE
  USING (registry.acts_for_partnership(partnership_id))
  WITH CHECK (registry.acts_for_partnership(partnership_id));

-- A provider's compliance evidence: the provider, its commissioners, service identities.
CREATE POLICY read_party ON registry.compliance_documents FOR SELECT
  USING (provider_id = registry.current_org() OR registry.is_service()
         OR registry.commissions_provider(provider_id));
CREATE POLICY write_self ON registry.compliance_documents FOR INSERT
  WITH CHECK (provider_id = registry.current_org());
CREATE POLICY update_self ON registry.compliance_documents FOR UPDATE
  USING (provider_id = registry.current_org() OR registry.is_service())
  WITH CHECK (provider_id = registry.current_org() OR registry.is_service());

CREATE POLICY read_party ON registry.capacity_returns FOR SELECT
  USING (provider_id = registry.current_org() OR registry.acts_for_partnership(partnership_id)
         OR registry.is_service());
CREATE POLICY write_self ON registry.capacity_returns FOR INSERT
  WITH CHECK (provider_id = registry.current_org());

CREATE POLICY own ON registry.request_ids
  USING (organisation_id = COALESCE(registry.current_org()::text, ''))
  WITH CHECK (organisation_id = COALESCE(registry.current_org()::text, ''));

-- The outbox: written with any change; read and stamped only by service identities.
CREATE POLICY append ON registry.outbox FOR INSERT
  WITH CHECK (registry.current_org() IS NOT NULL OR registry.is_service());
CREATE POLICY read_service ON registry.outbox FOR SELECT USING (registry.is_service());
CREATE POLICY stamp_service ON registry.outbox FOR UPDATE
  USING (registry.is_service()) WITH CHECK (registry.is_service());
CREATE POLICY consumer ON registry.feed_cursors USING (registry.is_service())
  WITH CHECK (registry.is_service());

-- The runtime role: usage of the schema and the least each table needs; owns nothing.
GRANT USAGE ON SCHEMA registry TO registry_app;
GRANT SELECT, INSERT ON registry.organisations, registry.partnerships,
  registry.partnership_members, registry.frameworks, registry.lots, registry.admissions,
  registry.admission_transitions, registry.action_plan_items, registry.compliance_documents,
  registry.capacity_returns, registry.request_ids, registry.outbox, registry.feed_cursors,
  registry.application_windows, registry.lot_prices TO registry_app;
GRANT UPDATE ON registry.organisations, registry.frameworks, registry.lots, registry.admissions,
  registry.action_plan_items, registry.compliance_documents, registry.outbox,
  registry.feed_cursors TO registry_app;
GRANT DELETE ON registry.application_windows, registry.lot_prices TO registry_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA registry TO registry_app;
REVOKE ALL ON FUNCTION registry.current_org(), registry.is_service(),
  registry.acts_for_partnership(uuid), registry.commissions_provider(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION registry.current_org(), registry.is_service(),
  registry.acts_for_partnership(uuid), registry.commissions_provider(uuid) TO registry_app;
