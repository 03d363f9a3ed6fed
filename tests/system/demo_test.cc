// The path `make run` takes, on the real binaries: the demo loader fills a registry
// through the public API (twice: it must be idempotent), then pdpsctl mints a
// development token by organisation name and reads what the README's walk-through shows;
// then the whole platform, and the README's workforce tour on it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/dates.h"
#include "common/testing/pg_harness.h"
#include "tests/system/service_process.h"

namespace pdps {
namespace {

using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Demo, LoadsTwiceAndTheWalkThroughWorks) {
  auto db = testing::TestDatabase::Create("demo", {"registry"});
  systemtest::DevKeys keys("pdps-demo-keys");
  systemtest::ServiceProcess registry("registry", db->Conninfo("registry_app"),
                                      systemtest::RegistryAloneEnv(keys));
  const std::string bin = systemtest::BinaryDir();
  const std::string demo = systemtest::DemoCommand(keys, "--registry=" + registry.address());
  std::string out;
  ASSERT_EQ(systemtest::RunCommand(demo, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("admissions             39"));
  EXPECT_THAT(out, HasSubstr("suspensions            1"));
  ASSERT_EQ(systemtest::RunCommand(demo, &out), 0) << "second load: " << out;
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM registry.organisations")[0], "39");
  // One provider works for two councils' frameworks (DOMAIN.md §1).
  EXPECT_EQ(db->Query("SELECT count(DISTINCT a.framework_id)::text AS v FROM registry.admissions a"
                      " JOIN registry.organisations o ON o.id = a.provider_id"
                      " WHERE o.display_name = 'Deptford Outreach CIC'")[0],
            "2");
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM registry.admissions WHERE state = "
                      "'SUSPENDED'")[0],
            "1");

  const std::string ctl = absl::StrCat("PDPS_DEV_KEY=", keys.private_key_file(), " ", bin,
                                       "/tools/pdpsctl/pdpsctl --addr=", registry.address());
  std::string token;
  ASSERT_EQ(systemtest::RunCommand(ctl + " token --org-name='London Borough of Lewisham'"
                                         " --roles=commissioner",
                                   &token),
            0)
      << token;
  while (!token.empty() && token.back() == '\n') token.pop_back();
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + token +
                                       " admissions list --state=SUSPENDED --json",
                                   &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"state\": \"SUSPENDED\""));
  EXPECT_THAT(out, HasSubstr("Submit a CQC improvement plan"));
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + token + " frameworks list", &out), 0);
  EXPECT_THAT(out, HasSubstr("Personalised care and support for children"));
  // An error is printed with its code name and field violations, exit status 1.
  EXPECT_EQ(systemtest::RunCommand(ctl + " --token=" + token +
                                       " eligible --lot=nope --area=Lewisham 2>&1",
                                   &out),
            1);
  EXPECT_THAT(out, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(out, HasSubstr("lot_id"));
  EXPECT_EQ(systemtest::RunCommand(ctl + " health", &out), 0);
  EXPECT_THAT(out, HasSubstr("SERVING"));
}

// The README's workforce tour, as a new user types it, on the three services loaded by
// the demo: a provider's own staff and returns, a commissioner's counts, the visit rated
// INADEQUATE and the suspension the registry applied from workforce's feed, and Derby's
// accounts breaching viability and the suspension they trip.
TEST(Demo, TheWorkforceTourOnTheWholePlatform) {
  auto db = testing::TestDatabase::Create("demotour", {"registry", "referrals", "workforce"});
  systemtest::DevKeys keys("pdps-demo-tour");
  // The compliance sweep every second, as `make run` sweeps every minute: Derby's
  // trained staff target (90 %) is measured on the loaded teams.
  systemtest::Platform platform(*db, keys, {{"workforce", {{"PDPS_EXPIRY_SWEEP_INTERVAL", "1s"}}}});
  std::string out;
  ASSERT_EQ(systemtest::RunCommand(systemtest::DemoCommand(keys, platform.DemoFlags()), &out), 0)
      << out;
  // Peterborough Complex Care on one lot, Allestree Activity Centre on its two.
  EXPECT_THAT(out, HasSubstr("automatic suspensions  3"));
  EXPECT_THAT(out, HasSubstr("staff members          86"));

  const std::string ctl = absl::StrCat(
      "PDPS_DEV_KEY=", keys.private_key_file(), " ", systemtest::BinaryDir(),
      "/tools/pdpsctl/pdpsctl --addr=", platform.registry->address(),
      " --referrals-addr=", platform.referrals->address(),
      " --workforce-addr=", platform.workforce->address());
  auto as = [&](const std::string& org, const std::string& role) {
    std::string token;
    EXPECT_EQ(
        systemtest::RunCommand(ctl + " token --org-name=\"" + org + "\" --roles=" + role, &token),
        0)
        << token;
    while (!token.empty() && token.back() == '\n') token.pop_back();
    return ctl + " --token=" + token + " ";
  };
  auto run = [&](const std::string& command) {
    std::string result;
    EXPECT_EQ(systemtest::RunCommand(command + " 2>&1", &result), 0) << command << "\n" << result;
    return result;
  };

  const std::string bermondsey = as("Bermondsey Home Care", "provider_admin");
  EXPECT_THAT(run(bermondsey + "staff list --json"), HasSubstr("\"display_name\""));
  EXPECT_THAT(run(bermondsey + "complaints list --json"),
              AllOf(HasSubstr("answer_due_time"), HasSubstr("\"answer_working_days\": 15")));
  // Across every framework no one commissioner's turnover target applies; for a Southwark
  // lot, Southwark's 5 % (decision 63).
  std::string across = run(bermondsey + "returns --quarter=2026-Q3 --json");
  EXPECT_THAT(across, HasSubstr("headcount_end"));
  EXPECT_THAT(across, HasSubstr("\"turnover_target_percent\": 0"));
  EXPECT_THAT(run(bermondsey + "returns --quarter=2026-Q3 --json --lot=" +
                  db->Query("SELECT l.id::text AS v FROM registry.lots l JOIN "
                            "registry.frameworks f ON f.id = l.framework_id WHERE "
                            "f.display_name = 'Care at home for children and young people' "
                            "ORDER BY l.code LIMIT 1")[0]),
              HasSubstr("\"turnover_target_percent\": 5"));
  // Southwark's targets as its seed states them (decision 60), read by its provider.
  EXPECT_THAT(run(bermondsey + "rules get --json --framework=" +
                  db->Query("SELECT id::text AS v FROM registry.frameworks WHERE display_name "
                            "= 'Care at home for children and young people'")[0]),
              AllOf(HasSubstr("\"complaint_answer_working_days\": 15"),
                    HasSubstr("\"turnover_target_percent\": 5")));

  // The brokerage return of the quarter in progress on Southwark's framework: its 4-hour
  // target (95 % from April 2026, then 96, 97, 99) and none for 24 hours (decision 66);
  // another partnership's commissioner sees none of it.
  const std::string southwark_framework = db->Query(
      "SELECT id::text AS v FROM registry.frameworks WHERE display_name "
      "= 'Care at home for children and young people'")[0];
  const std::string quarter =
      dates::FormatQuarter(dates::QuarterOf(dates::TodayInLondon(absl::Now())));
  std::string brokerage = run(bermondsey + "brokerage-returns --json --quarter=" + quarter +
                              " --framework=" + southwark_framework);
  EXPECT_THAT(brokerage, AllOf(HasSubstr("\"offers_made\""), HasSubstr("\"hours\": 4"),
                               HasSubstr("\"target_percent\": 9")));
  std::string hidden;
  EXPECT_EQ(systemtest::RunCommand(as("Derby City Council", "commissioner") +
                                       "brokerage-returns --quarter=" + quarter +
                                       " --framework=" + southwark_framework + " --provider=" +
                                       db->Query("SELECT id::text AS v FROM "
                                                 "registry.organisations WHERE display_name "
                                                 "= 'Bermondsey Home Care'")[0] +
                                       " 2>&1",
                                   &hidden),
            1);
  EXPECT_THAT(hidden, HasSubstr("NOT_FOUND"));

  // Peterborough Complex Care: rated INADEQUATE, so suspended on its lot with the rule.
  const std::string pcc = db->Query(
      "SELECT id::text AS v FROM registry.organisations "
      "WHERE display_name = 'Peterborough Complex Care'")[0];
  const auto suspended = db->Query(
      "SELECT lot_id::text AS v FROM registry.admissions "
      "WHERE provider_id = $1 AND state = 'SUSPENDED'",
      {pcc});
  ASSERT_EQ(suspended.size(), 1u);
  const std::string commissioner = as("Peterborough City Council", "commissioner");
  EXPECT_THAT(run(commissioner + "visits list"), HasSubstr("INADEQUATE"));
  std::string admissions = run(commissioner + "admissions list --state=SUSPENDED --json");
  EXPECT_THAT(admissions, HasSubstr(pcc));
  EXPECT_THAT(admissions, HasSubstr("INADEQUATE"));
  std::string counts =
      run(commissioner + "compliance --provider=" + pcc + " --lot=" + suspended[0] + " --json");
  EXPECT_THAT(counts, HasSubstr("staff_in_post"));
  EXPECT_THAT(counts, Not(HasSubstr("display_name")));  // counts, never people
  EXPECT_THAT(run(commissioner + "returns --quarter=2026-Q3 --provider=" + pcc +
                  " --lot=" + suspended[0] + " --json"),
              HasSubstr("turnover_percent"));
  // A commissioner of another partnership sees none of it.
  std::string denied;
  EXPECT_EQ(systemtest::RunCommand(as("Derby City Council", "commissioner") +
                                       "compliance --provider=" + pcc + " --lot=" +
                                       suspended[0] + " 2>&1",
                                   &denied),
            1);
  EXPECT_THAT(denied, HasSubstr("NOT_FOUND"));

  // Lewisham's open competitive round (seed 000 6.1): Ladywell's proposal names the
  // package's extras but not the whole of Lot B's base set; the officer's offers list
  // shows what it leaves out, and each offer the hours its provider declared
  // (decision 64).
  const auto proposals_open = db->Query(
      "SELECT id::text AS v FROM referrals.referrals WHERE needs_summary LIKE"
      " 'Boy with autism and anaphylaxis%'");
  ASSERT_EQ(proposals_open.size(), 1u);
  const std::string lewisham = as("London Borough of Lewisham", "brokerage_officer");
  EXPECT_THAT(run(lewisham + "offers list --referral=" + proposals_open[0]),
              ContainsRegex("DECLARED_HOURS +SHORT_OF_HOURS .*UNMATCHED"));
  const auto proposal = db->Query(
      "SELECT id::text AS v FROM referrals.offers WHERE proposal IS NOT NULL AND referral_id = $1",
      {proposals_open[0]});
  ASSERT_EQ(proposal.size(), 1u);
  std::string shown = run(lewisham + "offers get " + proposal[0]);
  EXPECT_THAT(shown, ContainsRegex("unmatched_competencies: +[a-z_]+"));
  EXPECT_THAT(shown, Not(ContainsRegex("unmatched_competencies: .*makaton_asd_communication")));

  // Derby (seed 004 Appendix A): Allestree's accounts breach every viability test, so its
  // rule suspended both of Allestree's lots. Its teams, 9 of 10 trained, meet the 90 %
  // target however often the sweep measures them.
  const std::string derby = as("Derby City Council", "commissioner");
  EXPECT_THAT(run(derby + "rules get --framework=" +
                  db->Query("SELECT id::text AS v FROM registry.frameworks WHERE display_name "
                            "= 'Day Opportunities Dynamic Purchasing System'")[0] +
                  " --json"),
              HasSubstr("\"min_trained_staff_percent\": 90"));
  std::string derby_accounts = run(derby + "accounts list --json");
  EXPECT_THAT(derby_accounts, HasSubstr("breaches"));
  // Pride Park's draft accounts were revised to the audited ones: the draft is kept.
  EXPECT_THAT(derby_accounts, HasSubstr("audited accounts replace the draft"));
  std::string derby_suspended = run(derby + "admissions list --state=SUSPENDED --json");
  EXPECT_THAT(derby_suspended, HasSubstr("FINANCIAL_VIABILITY"));
  // As the README reads them, in text: the provider by name, the rule as the state's
  // reason and the history, and the money in pounds.
  EXPECT_THAT(run(derby + "admissions list --state=SUSPENDED"),
              HasSubstr("Allestree Activity Centre"));
  std::string admission = run(
      derby + "admissions get " +
      db->Query("SELECT a.id::text AS v FROM registry.admissions a JOIN registry.organisations "
                "o ON o.id = a.provider_id WHERE a.state = 'SUSPENDED' AND o.display_name = "
                "'Allestree Activity Centre' ORDER BY a.id LIMIT 1")[0]);
  EXPECT_THAT(admission, ContainsRegex("state_reason: +automatic suspension rule "
                                       "FINANCIAL_VIABILITY"));
  EXPECT_THAT(admission, ContainsRegex("ACTIVE → SUSPENDED +system"));
  EXPECT_THAT(run(derby + "accounts list"), HasSubstr("-£15,000.00"));
  absl::SleepFor(absl::Milliseconds(2500));  // two sweeps or more
  auto suspended_in_derby = [&](const std::string& provider) {
    return db->Query(
        "SELECT o.display_name || ' ' || count(*)::text AS v FROM registry.admissions a "
        "JOIN registry.organisations o ON o.id = a.provider_id WHERE a.state = 'SUSPENDED' "
        "AND o.display_name = $1 GROUP BY o.display_name",
        {provider});
  };
  EXPECT_EQ(suspended_in_derby("Allestree Activity Centre"),
            std::vector<std::string>{"Allestree Activity Centre 2"});
  EXPECT_TRUE(suspended_in_derby("Derwent Day Opportunities").empty());
  EXPECT_TRUE(suspended_in_derby("Pride Park Enablement").empty());

  // Riverside stops naming one of the demo's workers on its package, as the README
  // shows: the package and assignment ids from `packages workers`, the etag read for it.
  const auto running = db->Query(
      "SELECT a.package_id::text || ' ' || a.id::text AS v "
      "FROM workforce.package_assignments a JOIN registry.organisations o "
      "ON o.id = a.provider_id WHERE o.display_name = 'Riverside Children''s Nursing' "
      "AND a.to_date IS NULL ORDER BY a.id");
  ASSERT_FALSE(running.empty());
  const std::vector<std::string> ids = absl::StrSplit(running[0], ' ');
  const std::string riverside = as("Riverside Children's Nursing", "provider_admin");
  EXPECT_THAT(run(riverside + "packages workers " + ids[0] + " --json"), HasSubstr(ids[1]));
  EXPECT_THAT(run(riverside + "packages unassign " + ids[0] + " --assignment=" + ids[1] +
                  " --reason='moved to another package' --json"),
              HasSubstr("moved to another package"));
  EXPECT_EQ(db->Query("SELECT end_reason AS v FROM workforce.package_assignments "
                      "WHERE id = $1",
                      {ids[1]}),
            std::vector<std::string>{"moved to another package"});
  std::string again;
  EXPECT_EQ(systemtest::RunCommand(riverside + "packages unassign " + ids[0] +
                                       " --assignment=" + ids[1] + " --reason=twice 2>&1",
                                   &again),
            2);  // it had not begun, so it is gone from the package's list
  EXPECT_THAT(again, HasSubstr("lists no assignment " + ids[1]));
}

}  // namespace
}  // namespace pdps
