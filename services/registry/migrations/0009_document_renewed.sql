-- Whether a lapsed compliance document is renewed on a date: its kind is one a provider
-- holds one at a time (p_kinds, a JSON array: domain::AlwaysMandatoryKinds) and another
-- document of that kind is in date then (decision 0081). Eligibility and the expiry sweep
-- both ask it. PL/pgSQL, so that the planner does not inline it: asked only of lapsed
-- mandatory documents (few), it leaves the plan of ListEligibleProviders as it was; the
-- same test written inline made PostgreSQL re-plan that statement on every call at a
-- third of its throughput (docs/benchmark.md, 2026-12-03).
CREATE FUNCTION registry.document_renewed(p_provider uuid, p_kind text, p_on date,
                                          p_kinds jsonb)
  RETURNS boolean LANGUAGE plpgsql STABLE AS
$$
BEGIN
  RETURN p_kinds ? p_kind AND EXISTS (
    SELECT 1 FROM registry.compliance_documents n
    WHERE n.provider_id = p_provider AND n.kind = p_kind AND n.issue_date <= p_on
      AND (n.expiry_date IS NULL OR n.expiry_date >= p_on));
END
$$;
REVOKE ALL ON FUNCTION registry.document_renewed(uuid, text, date, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION registry.document_renewed(uuid, text, date, jsonb) TO registry_app;
