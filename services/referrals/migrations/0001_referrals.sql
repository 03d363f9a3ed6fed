-- Referrals and brokerage schema (DOMAIN.md §3). Applied by referrals_owner; the runtime
-- role referrals_app owns nothing and gets only the grants below. Row-level security is
-- enabled and forced on every table; policies read the acting organisation from the
-- transaction-local settings (common/db.h).
--
-- Who sees what:
--   officers  = organisations of the partnership owning the framework (partnership_members,
--               a copy kept from the registry) see every referral row of it;
--   providers = see referrals they were offered (pen portrait, shaped in the service),
--               their own offers, and the person's details only once awarded to them;
--   services  = the scheduler and the feed consumer act across tenants.

CREATE FUNCTION referrals.current_org() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('pdps.organisation_id', true), '')::uuid $$;
CREATE FUNCTION referrals.is_service() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT COALESCE(current_setting('pdps.service', true), '') = 'on' $$;

-- Members of commissioning partnerships, copied from the registry whenever a referral
-- is raised (the registry publishes partnerships to every signed-in user).
CREATE TABLE referrals.partnership_members (
  partnership_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  synced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partnership_id, organisation_id)
);
CREATE INDEX partnership_members_org ON referrals.partnership_members (organisation_id);

CREATE TABLE referrals.referrals (
  id uuid PRIMARY KEY,
  partnership_id uuid NOT NULL,
  framework_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  state text NOT NULL CHECK (state IN ('DRAFT', 'OPEN', 'EVALUATING', 'AWARDED', 'UNCOVERED',
                                       'WITHDRAWN')),
  urgency text NOT NULL CHECK (urgency IN ('ROUTINE', 'EMERGENCY')),
  area text NOT NULL,
  planned_weekly_hours numeric(6, 2) NOT NULL CHECK (planned_weekly_hours > 0),
  session_pattern text NOT NULL,
  outcomes text[] NOT NULL,
  needs_summary text NOT NULL,
  communication_needs text NOT NULL DEFAULT '',
  special_requirements text NOT NULL DEFAULT '',
  start_date date NOT NULL,
  end_date date CHECK (end_date IS NULL OR end_date >= start_date),
  preferences jsonb NOT NULL DEFAULT '{}',
  age_years integer NOT NULL,
  extra_competencies text[] NOT NULL DEFAULT '{}',
  lot_competencies text[] NOT NULL DEFAULT '{}',
  funding jsonb NOT NULL DEFAULT '[]',
  direct_payment boolean NOT NULL DEFAULT false,
  care_plan_extract text NOT NULL DEFAULT '',
  -- The current round: method, settings snapshot, stage deadlines and the scheduler's
  -- next look (NULL when nothing is due).
  method text NOT NULL DEFAULT '',
  round integer NOT NULL DEFAULT 0,
  call_off jsonb NOT NULL DEFAULT '{}',
  office_hours text NOT NULL DEFAULT '',
  stage_deadline timestamptz,
  held_until timestamptz,
  next_due_at timestamptz,
  maximum_hourly_rate_pence bigint,
  quality_questions text[] NOT NULL DEFAULT '{}',
  price_weight_percent integer NOT NULL DEFAULT 0,
  quality_weight_percent integer NOT NULL DEFAULT 0,
  -- The award.
  award_provider_id uuid,
  award_method text,
  award_offer_id uuid,
  award_rationale text,
  award_rate_pence bigint,
  award_time timestamptz,
  award_user text,
  state_reason text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  create_user text NOT NULL DEFAULT '',
  create_organisation text NOT NULL DEFAULT '',
  update_time timestamptz NOT NULL DEFAULT now(),
  update_user text NOT NULL DEFAULT '',
  CHECK (state <> 'AWARDED' OR award_provider_id IS NOT NULL)
);
CREATE INDEX referrals_partnership ON referrals.referrals (partnership_id, create_time DESC, id);
CREATE INDEX referrals_due ON referrals.referrals (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX referrals_lot ON referrals.referrals (lot_id, state);
CREATE INDEX referrals_awarded ON referrals.referrals (award_provider_id)
  WHERE award_provider_id IS NOT NULL;

CREATE TABLE referrals.referral_transitions (
  id bigserial PRIMARY KEY,
  referral_id uuid NOT NULL REFERENCES referrals.referrals (id),
  partnership_id uuid NOT NULL,
  from_state text NOT NULL DEFAULT '',
  to_state text NOT NULL,
  reason text NOT NULL DEFAULT '',
  actor_user text NOT NULL DEFAULT '',
  actor_organisation text NOT NULL DEFAULT '',
  at timestamptz NOT NULL
);
CREATE INDEX referral_transitions_referral ON referrals.referral_transitions (referral_id, id);

-- Identifying details, apart from the referral (data minimisation).
CREATE TABLE referrals.people (
  referral_id uuid PRIMARY KEY REFERENCES referrals.referrals (id),
  partnership_id uuid NOT NULL,
  details jsonb NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Every read and write of identifying details. Append-only: the runtime role may only
-- insert and select, and a trigger refuses changes from anyone, the owner included.
CREATE TABLE referrals.person_access_log (
  id bigserial PRIMARY KEY,
  referral_id uuid NOT NULL REFERENCES referrals.referrals (id),
  partnership_id uuid NOT NULL,
  user_id text NOT NULL,
  organisation_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('READ', 'CREATE', 'UPDATE')),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
  at timestamptz NOT NULL
);
CREATE INDEX person_access_log_referral ON referrals.person_access_log (referral_id, id DESC);
CREATE FUNCTION referrals.refuse_change() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'referrals.person_access_log is append-only'; END $$;
CREATE TRIGGER person_access_log_append_only
  BEFORE UPDATE OR DELETE ON referrals.person_access_log
  FOR EACH ROW EXECUTE FUNCTION referrals.refuse_change();
CREATE TRIGGER person_access_log_no_truncate
  BEFORE TRUNCATE ON referrals.person_access_log
  FOR EACH STATEMENT EXECUTE FUNCTION referrals.refuse_change();

-- The providers eligible when a round opened, in rota order; removed_reason is set when
-- an admission is suspended or terminated during the round.
CREATE TABLE referrals.candidates (
  referral_id uuid NOT NULL REFERENCES referrals.referrals (id),
  round integer NOT NULL,
  provider_id uuid NOT NULL,
  admission_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  partnership_id uuid NOT NULL,
  position integer NOT NULL,
  removed_reason text,
  PRIMARY KEY (referral_id, round, provider_id)
);
CREATE INDEX candidates_provider ON referrals.candidates (provider_id, lot_id);

CREATE TABLE referrals.offers (
  id uuid PRIMARY KEY,
  referral_id uuid NOT NULL REFERENCES referrals.referrals (id),
  partnership_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  provider_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('EXCLUSIVE', 'BROADCAST', 'PROPOSAL_INVITATION',
                                     'BID_INVITATION')),
  state text NOT NULL CHECK (state IN ('OPEN', 'ACCEPTED', 'DECLINED', 'TIMED_OUT', 'SUBMITTED',
                                       'WITHDRAWN', 'NOT_SELECTED', 'SELECTED')),
  round integer NOT NULL,
  rota_position integer NOT NULL DEFAULT 0,
  offer_time timestamptz NOT NULL,
  deadline timestamptz NOT NULL,
  answer_time timestamptz,
  response_working_seconds bigint NOT NULL DEFAULT 0,
  response_elapsed_seconds bigint NOT NULL DEFAULT 0,
  decline_reason text NOT NULL DEFAULT '',
  decline_rationale text NOT NULL DEFAULT '',
  state_reason text NOT NULL DEFAULT '',
  proposal jsonb,
  bid_rate_pence bigint,
  bid_answers jsonb,
  bid_marks integer[],
  answer_user text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  UNIQUE (referral_id, round, provider_id)
);
CREATE INDEX offers_inbox ON referrals.offers (provider_id, deadline, id);
CREATE INDEX offers_referral ON referrals.offers (referral_id, offer_time, id);
CREATE INDEX offers_live ON referrals.offers (provider_id, lot_id)
  WHERE state IN ('OPEN', 'SUBMITTED');

-- First refusal rotates per lot: the provider who had it last.
CREATE TABLE referrals.rotas (
  lot_id uuid PRIMARY KEY,
  partnership_id uuid NOT NULL,
  last_provider_id uuid NOT NULL,
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE referrals.request_ids (
  organisation_id text NOT NULL,
  request_id text NOT NULL,
  method text NOT NULL,
  resource_id text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, request_id)
);

-- Transactional outbox and consumer cursors (common/events.h).
CREATE TABLE referrals.outbox (
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
CREATE INDEX outbox_unpublished ON referrals.outbox (id) WHERE position IS NULL;

CREATE TABLE referrals.feed_cursors (
  consumer text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['partnership_members', 'referrals', 'referral_transitions', 'people',
      'person_access_log', 'candidates', 'offers', 'rotas', 'request_ids', 'outbox',
      'feed_cursors'] LOOP
    EXECUTE format('ALTER TABLE referrals.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE referrals.%I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

-- Partnership membership: a public directory; written only by the service itself.
CREATE POLICY read_all ON referrals.partnership_members FOR SELECT USING (true);
CREATE POLICY write_service ON referrals.partnership_members
  USING (referrals.is_service()) WITH CHECK (referrals.is_service());

-- Referrals: officers of the partnership; providers offered it or awarded it (SELECT).
CREATE POLICY read_party ON referrals.referrals FOR SELECT
  USING (referrals.is_service()
         OR EXISTS (SELECT 1 FROM referrals.partnership_members m
                    WHERE m.partnership_id = referrals.partnership_id
                      AND m.organisation_id = referrals.current_org())
         OR award_provider_id = referrals.current_org()
         OR EXISTS (SELECT 1 FROM referrals.offers o
                    WHERE o.referral_id = referrals.id
                      AND o.provider_id = referrals.current_org()));
CREATE POLICY create_officer ON referrals.referrals FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM referrals.partnership_members m
                      WHERE m.partnership_id = referrals.partnership_id
                        AND m.organisation_id = referrals.current_org()));
CREATE POLICY update_officer ON referrals.referrals FOR UPDATE
  USING (referrals.is_service()
         OR EXISTS (SELECT 1 FROM referrals.partnership_members m
                    WHERE m.partnership_id = referrals.partnership_id
                      AND m.organisation_id = referrals.current_org()))
  WITH CHECK (referrals.is_service()
              OR EXISTS (SELECT 1 FROM referrals.partnership_members m
                         WHERE m.partnership_id = referrals.partnership_id
                           AND m.organisation_id = referrals.current_org()));

-- Officers' tables: transitions, candidates, rotas (officers and services only).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['referral_transitions', 'candidates', 'rotas'] LOOP
    EXECUTE format($f$CREATE POLICY officers ON referrals.%I
      USING (referrals.is_service()
             OR EXISTS (SELECT 1 FROM referrals.partnership_members m
                        WHERE m.partnership_id = %I.partnership_id
                          AND m.organisation_id = referrals.current_org()))
      WITH CHECK (referrals.is_service()
             OR EXISTS (SELECT 1 FROM referrals.partnership_members m
                        WHERE m.partnership_id = %I.partnership_id
                          AND m.organisation_id = referrals.current_org()))$f$, t, t, t);
  END LOOP;
END $$;

-- Identifying details: officers; the awarded provider may read once AWARDED.
CREATE POLICY officers ON referrals.people
  USING (EXISTS (SELECT 1 FROM referrals.partnership_members m
                 WHERE m.partnership_id = people.partnership_id
                   AND m.organisation_id = referrals.current_org()))
  WITH CHECK (EXISTS (SELECT 1 FROM referrals.partnership_members m
                      WHERE m.partnership_id = people.partnership_id
                        AND m.organisation_id = referrals.current_org()));
CREATE POLICY awarded_provider ON referrals.people FOR SELECT
  USING (EXISTS (SELECT 1 FROM referrals.referrals r
                 WHERE r.id = people.referral_id AND r.state = 'AWARDED'
                   AND r.award_provider_id = referrals.current_org()));

-- The access log: each reader appends rows in its own name; officers read them.
CREATE POLICY append_own ON referrals.person_access_log FOR INSERT
  WITH CHECK (organisation_id = referrals.current_org()
              AND (EXISTS (SELECT 1 FROM referrals.partnership_members m
                           WHERE m.partnership_id = person_access_log.partnership_id
                             AND m.organisation_id = referrals.current_org())
                   OR EXISTS (SELECT 1 FROM referrals.referrals r
                              WHERE r.id = person_access_log.referral_id
                                AND r.state = 'AWARDED'
                                AND r.award_provider_id = referrals.current_org())));
CREATE POLICY read_officers ON referrals.person_access_log FOR SELECT
  USING (EXISTS (SELECT 1 FROM referrals.partnership_members m
                 WHERE m.partnership_id = person_access_log.partnership_id
                   AND m.organisation_id = referrals.current_org()));

-- Offers: the provider offered, the officers, services.
CREATE POLICY party ON referrals.offers
  USING (referrals.is_service() OR provider_id = referrals.current_org()
         OR EXISTS (SELECT 1 FROM referrals.partnership_members m
                    WHERE m.partnership_id = offers.partnership_id
                      AND m.organisation_id = referrals.current_org()))
  WITH CHECK (referrals.is_service() OR provider_id = referrals.current_org()
              OR EXISTS (SELECT 1 FROM referrals.partnership_members m
                         WHERE m.partnership_id = offers.partnership_id
                           AND m.organisation_id = referrals.current_org()));

CREATE POLICY own ON referrals.request_ids
  USING (organisation_id = COALESCE(referrals.current_org()::text, ''))
  WITH CHECK (organisation_id = COALESCE(referrals.current_org()::text, ''));

CREATE POLICY append ON referrals.outbox FOR INSERT
  WITH CHECK (referrals.current_org() IS NOT NULL OR referrals.is_service());
CREATE POLICY read_service ON referrals.outbox FOR SELECT USING (referrals.is_service());
CREATE POLICY stamp_service ON referrals.outbox FOR UPDATE
  USING (referrals.is_service()) WITH CHECK (referrals.is_service());
CREATE POLICY consumer ON referrals.feed_cursors USING (referrals.is_service())
  WITH CHECK (referrals.is_service());

GRANT USAGE ON SCHEMA referrals TO referrals_app;
GRANT SELECT, INSERT ON referrals.partnership_members, referrals.referrals,
  referrals.referral_transitions, referrals.people, referrals.person_access_log,
  referrals.candidates, referrals.offers, referrals.rotas, referrals.request_ids,
  referrals.outbox, referrals.feed_cursors TO referrals_app;
GRANT UPDATE ON referrals.partnership_members, referrals.referrals, referrals.people, referrals.candidates, referrals.offers,
  referrals.rotas, referrals.outbox, referrals.feed_cursors TO referrals_app;
GRANT DELETE ON referrals.partnership_members TO referrals_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA referrals TO referrals_app;
REVOKE ALL ON FUNCTION referrals.current_org(), referrals.is_service() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION referrals.current_org(), referrals.is_service() TO referrals_app;
