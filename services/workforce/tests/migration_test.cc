// Migrations that convert rows already stored: apply the migrations before the one under
// test, store a row of the old shape as the service then could, apply the rest, and read
// the row back through the store as the service does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/calendar/calendar.h"
#include "common/ids.h"
#include "common/migrate.h"
#include "common/testing/pg_harness.h"
#include "services/workforce/store/store.h"

namespace pdps::workforce {
namespace {

using ::pdps::testing::TestDatabase;

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = TestDatabase::Create("wfmig", {});
    auto su = std::move(db::Connection::Open(db_->Conninfo("postgres"))).value();
    ASSERT_TRUE(db::BootstrapRoles(*su, "workforce", db_->name()).ok());
    auto files = db::LoadMigrations(TestDatabase::MigrationsDir("workforce"));
    ASSERT_TRUE(files.ok()) << files.status();
    files_ = *std::move(files);
  }

  // Applies migrations 1..`last` (all when 0) as the schema's owner.
  void MigrateTo(int last) {
    std::vector<db::MigrationFile> some;
    for (const auto& f : files_) {
      if (last == 0 || f.version <= last) some.push_back(f);
    }
    auto owner = std::move(db::Connection::Open(db_->Conninfo("workforce_owner"))).value();
    auto r = db::Migrate(*owner, "workforce", some);
    ASSERT_TRUE(r.ok()) << r.status();
  }

  // A framework's rules row of the shape before migration 0011. Before 0010 an action
  // plan's working days sent as 0 (unset) were stored as 0, meaning 10.
  void InsertRules(const std::string& framework, int plan_days) {
    db_->Run(
        absl::StrCat("INSERT INTO workforce.suspension_rules (framework_id, owner_organisation,"
                     " suspend_on_inadequate_visit, upheld_safeguarding_complaints,"
                     " complaint_window_months, suspend_on_financial_breach,"
                     " suspend_on_ineligible_package_worker, min_trained_staff_percent,"
                     " action_plan_due_working_days, create_time, create_user, create_organisation,"
                     " update_time, update_user) VALUES ('",
                     framework, "', '", kOwner, "', true, 2, 12, false, false, 0, ", plan_days,
                     ", now(), 'u', '", kOwner, "', now(), 'u')"));
  }

  server::Call As(const std::string& organisation, auth::Role role) {
    server::Call c;
    c.principal.organisation_id = organisation;
    c.principal.user_id = "migration-test";
    c.principal.roles = {role};
    c.now = absl::Now();
    c.deadline = c.now + absl::Seconds(30);
    return c;
  }

  v1::SuspensionRules ReadRules(const std::string& framework) {
    auto pool = db_->AppPool("workforce", 1);
    Store store(pool.get(), calendar::HolidayCalendar::EnglandAndWales());
    auto r = store.GetRules(As(kOwner, auth::Role::kCommissioner), framework);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : v1::SuspensionRules();
  }

  static constexpr const char* kOwner = "1dd38d26-0000-4000-8000-00000000c001";
  std::unique_ptr<TestDatabase> db_;
  std::vector<db::MigrationFile> files_;
};

// Decision 0057: a stored 0 meant the default of 10 working days; read back it is 10.
TEST_F(MigrationTest, Migration0010ReadsAStoredZeroPlanPeriodBackAsTen) {
  MigrateTo(9);
  const std::string framework = NewUuid();
  InsertRules(framework, 0);
  MigrateTo(0);
  v1::SuspensionRules r = ReadRules(framework);
  EXPECT_EQ(r.action_plan_due_working_days(), 10);
  // The rest of the row is as it was.
  EXPECT_TRUE(r.suspend_on_inadequate_visit());
  EXPECT_EQ(r.upheld_safeguarding_complaints(), 2);
  EXPECT_EQ(r.complaint_window_months(), 12);
  EXPECT_EQ(r.min_trained_staff_percent(), 0);
  // And a 0 can no longer be stored.
  EXPECT_EQ(db_->Query("SELECT count(*)::text AS v FROM workforce.suspension_rules"
                       " WHERE action_plan_due_working_days = 0")[0],
            "0");
}

// Decision 0060: rules and complaints from before the per-framework targets read back
// the values every framework had, 15 working days and 5 %.
TEST_F(MigrationTest, Migration0011GivesEarlierRulesAndComplaintsTheOldTargets) {
  MigrateTo(10);
  const std::string framework = NewUuid();
  InsertRules(framework, 7);
  const std::string provider = NewUuid(), complaint = NewUuid();
  db_->Run(absl::StrCat(
      "INSERT INTO workforce.complaints (id, provider_id, framework_id, received_time,"
      " answer_due_time, state, safeguarding, summary, create_time, create_user,"
      " create_organisation, update_time, update_user) VALUES ('",
      complaint, "', '", provider, "', '", framework,
      "', '2026-11-27 10:00+00', '2026-12-18 17:00+00', 'RECEIVED', false, 'Late visits',"
      " now(), 'u', '",
      provider, "', now(), 'u')"));
  MigrateTo(0);
  v1::SuspensionRules r = ReadRules(framework);
  EXPECT_EQ(r.complaint_answer_working_days(), 15);
  EXPECT_EQ(r.turnover_target_percent(), 5);
  EXPECT_EQ(r.action_plan_due_working_days(), 7);

  auto pool = db_->AppPool("workforce", 1);
  Store store(pool.get(), calendar::HolidayCalendar::EnglandAndWales());
  auto c = store.GetComplaint(As(provider, auth::Role::kProviderCoordinator), complaint);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->answer_working_days(), 15);
  EXPECT_EQ(c->answer_due_time().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2026, 12, 18, 17, 0, 0), absl::UTCTimeZone())));
}

// Decision 0062: rules from before the induction setting read back the default, 12 weeks.
TEST_F(MigrationTest, Migration0012GivesEarlierRulesTheDefaultInduction) {
  MigrateTo(11);
  const std::string framework = NewUuid();
  InsertRules(framework, 7);
  MigrateTo(0);
  EXPECT_EQ(ReadRules(framework).trained_staff_induction_weeks(), 12);
}

// Decision 0070: the same year's accounts recorded twice before the natural key keep the
// latest recorded set; the older one moves, unchanged, out of the table and every list.
TEST_F(MigrationTest, Migration0014KeepsTheLatestAccountsOfAYearAndSetsAsideTheRest) {
  MigrateTo(13);
  const std::string provider = NewUuid(), framework = NewUuid();
  const std::string older = NewUuid(), newer = NewUuid(), other_year = NewUuid();
  auto insert = [&](const std::string& id, const char* year_end, const char* at, int64_t assets) {
    db_->Run(absl::StrCat(
        "INSERT INTO workforce.financial_accounts (id, provider_id, framework_id, year_end,"
        " current_assets_pence, current_liabilities_pence, operating_profit_pence,"
        " capital_employed_pence, net_assets_pence, create_time, create_user,"
        " create_organisation, update_time, update_user) VALUES ('",
        id, "', '", provider, "', '", framework, "', '", year_end, "', ", assets,
        ", 100, 10, 100, 10, '", at, "', 'u', '", kOwner, "', '", at, "', 'u')"));
  };
  insert(older, "2026-03-31", "2026-11-01 10:00+00", 200);
  insert(newer, "2026-03-31", "2026-11-02 10:00+00", 300);
  insert(other_year, "2025-03-31", "2026-11-01 09:00+00", 400);
  MigrateTo(0);
  auto ids = [&](const char* table) {
    auto rows =
        db_->Query(absl::StrCat("SELECT string_agg(id::text || ':' || "
                                "current_assets_pence::text, ',' ORDER BY year_end)"
                                " AS v FROM workforce.",
                                table));
    return rows.empty() ? std::string() : rows[0];
  };
  EXPECT_EQ(ids("financial_accounts"), absl::StrCat(other_year, ":400,", newer, ":300"));
  EXPECT_EQ(ids("financial_accounts_superseded"), absl::StrCat(older, ":200"));
  EXPECT_EQ(db_->Query(absl::StrCat("SELECT superseded_by::text AS v FROM "
                                    "workforce.financial_accounts_superseded"))[0],
            newer);
  // The key now holds.
  EXPECT_EQ(db_->Query("SELECT count(*)::text AS v FROM pg_indexes"
                       " WHERE indexname = 'financial_accounts_one_a_year'")[0],
            "1");
  // And the rows kept read back through the store as the provider's.
  auto pool = db_->AppPool("workforce", 1);
  Store store(pool.get(), calendar::HolidayCalendar::EnglandAndWales());
  auto listed = store.ListAccounts(As(provider, auth::Role::kProviderAdmin), provider, 10, "");
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(listed->items[0].id(), newer);
}

}  // namespace
}  // namespace pdps::workforce
