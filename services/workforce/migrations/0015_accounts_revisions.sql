-- Recorded accounts may be revised by the organisation that recorded them (decision 71):
-- audited accounts replace draft ones, a typing error is put right. The figures replaced
-- stay on the row, oldest first, as an ActionPlan keeps its items: a FinancialAccounts
-- message holding only its revisions. version gives the accounts an etag.
ALTER TABLE workforce.financial_accounts
  ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN revisions jsonb NOT NULL DEFAULT '{}';

-- Only the recorder revises, and only the figures with their stamp: who the accounts
-- are about, under which framework and for which year never change.
CREATE POLICY revise_own ON workforce.financial_accounts FOR UPDATE
  USING (create_organisation = workforce.current_org())
  WITH CHECK (create_organisation = workforce.current_org());
GRANT UPDATE (current_assets_pence, current_liabilities_pence, operating_profit_pence,
  capital_employed_pence, net_assets_pence, version, revisions, update_time, update_user)
  ON workforce.financial_accounts TO workforce_app;
