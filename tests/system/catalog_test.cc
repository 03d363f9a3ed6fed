// Catalog check: every table of every service schema has row-level security enabled
// and forced; each runtime role owns nothing, has no dangerous attributes, and cannot
// reach another schema; the tables the shared code reads in every schema are alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/testing/pg_harness.h"

namespace pdps {
namespace {

// Every service with migrations; add each new service here.
const std::vector<std::string> kServices = {"registry", "referrals", "workforce"};

// A table's columns after every migration, one "name type NOT NULL DEFAULT expr" a
// column, by name. The schema's own name is taken out of defaults (an outbox id's
// sequence is "<schema>.outbox_id_seq").
std::vector<std::string> Columns(const testing::TestDatabase& db, const std::string& schema,
                                 const std::string& table) {
  return db.Query(
      "SELECT concat_ws(' ', a.attname, format_type(a.atttypid, a.atttypmod), "
      "CASE WHEN a.attnotnull THEN 'NOT NULL' END, 'DEFAULT ' || "
      "replace(pg_get_expr(d.adbin, d.adrelid), quote_ident(n.nspname) || '.', '<schema>.')) AS v "
      "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped "
      "ORDER BY a.attname",
      {schema, table});
}

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

// common/events.cc and common/idempotency.cc read these tables in whichever schema the
// service's role is in; each service's 0001 migration made its own copy, so a later
// migration of one schema alone would break the shared code for that service only.
TEST(Catalog, SharedTablesAreAlikeInEverySchema) {
  auto db = testing::TestDatabase::Create("catalog3", kServices);
  for (const std::string table : {"outbox", "feed_cursors", "request_ids"}) {
    const std::vector<std::string> first = Columns(*db, kServices[0], table);
    ASSERT_FALSE(first.empty()) << kServices[0] << "." << table << " is missing";
    for (size_t i = 1; i < kServices.size(); ++i) {
      EXPECT_EQ(Columns(*db, kServices[i], table), first)
          << kServices[i] << "." << table << " differs from " << kServices[0] << "." << table;
    }
  }
  // What the shared code writes and reads, as it stands after every migration.
  EXPECT_THAT(Columns(*db, "registry", "feed_cursors"),
              ::testing::ElementsAre("consumer text NOT NULL", "position bigint NOT NULL",
                                     "updated_at timestamp with time zone NOT NULL DEFAULT now()"));
  EXPECT_THAT(Columns(*db, "registry", "outbox"),
              ::testing::Contains(
                  "id bigint NOT NULL DEFAULT nextval('<schema>.outbox_id_seq'::regclass)"));
  EXPECT_THAT(Columns(*db, "registry", "request_ids"), ::testing::Contains("fingerprint text"));
}

}  // namespace
}  // namespace pdps
