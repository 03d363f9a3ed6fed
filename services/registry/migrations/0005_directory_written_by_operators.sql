-- The directory (organisations, partnerships and their members) is written only by
-- platform operators (CreateOrganisation, CreatePartnership); until now any acting
-- organisation could insert rows, a gap only the RPC layer closed (decision 0052). The
-- caller's roles now reach the transaction as pdps.roles (common/db.h Actor).
CREATE FUNCTION registry.acts_as(role text) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT position(',' || role || ',' IN
                   ',' || COALESCE(current_setting('pdps.roles', true), '') || ',') > 0 $$;

DROP POLICY create_any ON registry.organisations;
CREATE POLICY create_by_operators ON registry.organisations FOR INSERT
  WITH CHECK (registry.acts_as('platform_operator'));
DROP POLICY create_any ON registry.partnerships;
CREATE POLICY create_by_operators ON registry.partnerships FOR INSERT
  WITH CHECK (registry.acts_as('platform_operator'));
DROP POLICY create_any ON registry.partnership_members;
CREATE POLICY create_by_operators ON registry.partnership_members FOR INSERT
  WITH CHECK (registry.acts_as('platform_operator'));
