-- One set of annual accounts per provider, framework and year end (decision 70): the
-- natural key RecordFinancialAccounts answers ALREADY_EXISTS on. Before it the same year
-- could be recorded twice, and which record the framework's rules had read was not said.
-- Where that happened, the most recently recorded set (create_time, then id) stays; each
-- older one moves, unchanged, to financial_accounts_superseded, kept for the operators
-- and out of every list (the service has no grant on it, and its one policy admits no
-- row: only a superuser reads it). Nothing is lost. Their
-- suspension triggers, if any, were applied when each was recorded and stand.
CREATE TABLE workforce.financial_accounts_superseded
  (LIKE workforce.financial_accounts INCLUDING ALL);
ALTER TABLE workforce.financial_accounts_superseded
  ADD COLUMN superseded_by uuid NOT NULL,
  ADD COLUMN superseded_time timestamptz NOT NULL DEFAULT now();

-- Row-level security is forced on the accounts and no policy lets the owner see or delete
-- them: the owner lifts the forcing for the move alone, as migration 0010 did.
ALTER TABLE workforce.financial_accounts NO FORCE ROW LEVEL SECURITY;
WITH ranked AS (
  SELECT id, first_value(id) OVER (PARTITION BY provider_id, framework_id, year_end
                                   ORDER BY create_time DESC, id DESC) AS kept
  FROM workforce.financial_accounts
), moved AS (
  DELETE FROM workforce.financial_accounts a USING ranked r
  WHERE a.id = r.id AND r.id <> r.kept
  RETURNING a.*, r.kept
)
INSERT INTO workforce.financial_accounts_superseded
SELECT * FROM moved;
ALTER TABLE workforce.financial_accounts FORCE ROW LEVEL SECURITY;

ALTER TABLE workforce.financial_accounts_superseded ENABLE ROW LEVEL SECURITY;
ALTER TABLE workforce.financial_accounts_superseded FORCE ROW LEVEL SECURITY;
-- Said, not left to the absence of a policy: no tenant, service or owner reads or writes
-- the rows set aside; an operator reads them as the database superuser.
CREATE POLICY nobody ON workforce.financial_accounts_superseded USING (false) WITH CHECK (false);

CREATE UNIQUE INDEX financial_accounts_one_a_year
  ON workforce.financial_accounts (provider_id, framework_id, year_end);
