// Catalog check: every table of every service schema has row-level security enabled
// and forced; each runtime role owns nothing, has no dangerous attributes, and cannot
// reach another schema.
#include <gtest/gtest.h>

#include "common/testing/pg_harness.h"

namespace pdps {
namespace {

// Every service with migrations; add each new service here.
const std::vector<std::string> kServices = {"registry", "referrals", "workforce"};

TEST(Catalog, EveryTableHasRowLevelSecurityEnabledAndForced) {
  auto db = testing::TestDatabase::Create("catalog", kServices);
  for (const auto& svc : kServices) {
    auto tables = db->Query(
        "SELECT c.relname AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')",
        {svc});
    ASSERT_FALSE(tables.empty()) << svc;
    auto unprotected = db->Query(
        "SELECT c.relname AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') "
        "AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
        {svc});
    EXPECT_TRUE(unprotected.empty()) << svc << ": " << (unprotected.empty() ? "" : unprotected[0]);
    auto no_policy = db->Query(
        "SELECT c.relname AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT EXISTS "
        "(SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)",
        {svc});
    EXPECT_TRUE(no_policy.empty()) << svc << " table without a policy: "
                                   << (no_policy.empty() ? "" : no_policy[0]);
  }
}

TEST(Catalog, RuntimeRolesOwnNothingAndReachOnlyTheirSchema) {
  auto db = testing::TestDatabase::Create("catalog2", kServices);
  // A schema of some other service, made as the superuser with a table in it.
  db->Run("CREATE SCHEMA peer; CREATE TABLE peer.secrets (x int)");
  for (const auto& svc : kServices) {
    const std::string app = svc + "_app";
    EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM pg_class c JOIN pg_roles r ON r.oid = "
                        "c.relowner WHERE r.rolname = $1",
                        {app})[0],
              "0");
    EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM pg_namespace n JOIN pg_roles r ON r.oid = "
                        "n.nspowner WHERE r.rolname = $1",
                        {app})[0],
              "0");
    EXPECT_EQ(db->Query("SELECT (rolsuper OR rolbypassrls OR rolcreatedb OR rolcreaterole)::text "
                        "AS v FROM pg_roles WHERE rolname = $1",
                        {app})[0],
              "false");
    auto reachable = db->Query(
        "SELECT nspname AS v FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' AND nspname NOT IN "
        "('information_schema', 'public', $1) AND has_schema_privilege($2, oid, 'USAGE')",
        {svc, app});
    EXPECT_TRUE(reachable.empty()) << app << " can use schema " << reachable[0];
    EXPECT_EQ(db->Query("SELECT has_schema_privilege($1, 'public', 'CREATE')::text AS v", {app})[0],
              "false");
    EXPECT_EQ(db->Query("SELECT has_schema_privilege($1, $2, 'CREATE')::text AS v", {app, svc})[0],
              "false");
  }
}

}  // namespace
}  // namespace pdps
