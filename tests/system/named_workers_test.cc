// Named workers end to end on the real binaries: a package awarded in referrals reaches
// workforce through the referrals feed; its provider names a worker through the
// compliance gate; the package's commissioner sees who works on it (name, role, in
// date) and a commissioner of another partnership sees nothing; when the worker's DBS
// lapses, the package-worker rule trips in workforce and the registry suspends the
// provider on that lot (expired mandatory compliance, through the real feeds).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/proto_util.h"
#include "common/testing/pg_harness.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/system/service_process.h"

namespace pdps {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace wv1 = ::pdps::workforce::v1;
using WStub = wv1::WorkforceService::Stub;

using systemtest::Call;

std::string Day(absl::Duration from_now) {
  return dates::FormatDay(dates::TodayInLondon(absl::Now() + from_now));
}

TEST(NamedWorkers, ArriveFromReferralsAreSeenByTheirCommissionersAndLapsesSuspend) {
  auto db = testing::TestDatabase::Create("namedworkers", {"registry", "referrals", "workforce"});
  systemtest::DevKeys keys("named-workers");
  const int workforce_metrics = systemtest::FreePort();
  const int registry_metrics = systemtest::FreePort();
  const int referrals_metrics = systemtest::FreePort();
  systemtest::Platform platform(
      *db, keys,
      {{"workforce",
        {{"PDPS_EXPIRY_SWEEP_INTERVAL", "1s"},
         {"PDPS_METRICS_ADDR", absl::StrCat("127.0.0.1:", workforce_metrics)}}},
       {"registry", {{"PDPS_METRICS_ADDR", absl::StrCat("127.0.0.1:", registry_metrics)}}},
       {"referrals", {{"PDPS_METRICS_ADDR", absl::StrCat("127.0.0.1:", referrals_metrics)}}}});
  auto& workforce = *platform.workforce;

  // Before anything has happened, every unlabelled counter of docs/operations.md is
  // already scraped at 0, so that rate() alerts see a series from the start.
  const std::pair<int, std::vector<const char*>> zero_counters[] = {
      {registry_metrics, {"pdps_registry_documents_expired_total"}},
      {referrals_metrics, {"pdps_referrals_steps_total", "pdps_referrals_step_failures_total"}},
      {workforce_metrics,
       {"pdps_workforce_expiries_announced_total", "pdps_workforce_package_worker_trips_total",
        "pdps_workforce_trained_staff_trips_total"}},
  };
  for (const auto& [port, names] : zero_counters) {
    const std::string page = systemtest::HttpGet(port, "/metrics");
    for (const char* name : names) {
      EXPECT_THAT(page, ::testing::ContainsRegex(absl::StrCat("\n", name, "(\\{[^}]*\\})? 0\n")))
          << name << " on port " << port << ":\n"
          << page;
    }
  }

  std::string out;
  ASSERT_EQ(systemtest::RunCommand(systemtest::DemoCommand(keys, platform.DemoFlags()), &out), 0)
      << out;

  // referrals → workforce: every awarded referral becomes a package.
  const std::string awarded =
      db->Query("SELECT count(*)::text AS v FROM referrals.referrals WHERE state = 'AWARDED'")[0];
  ASSERT_NE(awarded, "0");
  EXPECT_EQ(systemtest::WaitFor(*db, "SELECT count(*)::text AS v FROM workforce.packages", awarded),
            awarded);

  // The consumer counts what it applied (an SRE's view of the same feed).
  const std::string applied =
      absl::StrCat("pdps_feed_events_applied_total{consumer=\"workforce<-referrals\"} ", awarded);
  std::string scraped;
  for (int i = 0; i < 50 && scraped.find(applied) == std::string::npos; ++i) {
    if (i > 0) absl::SleepFor(absl::Milliseconds(100));  // counted once the page is applied
    scraped = systemtest::HttpGet(workforce_metrics, "/metrics");
  }
  EXPECT_THAT(scraped, HasSubstr(applied));

  // The demo named workers who pass the gate on the packages of its providers.
  EXPECT_THAT(out, HasSubstr("named workers"));
  EXPECT_NE(db->Query("SELECT count(*)::text AS v FROM workforce.package_assignments")[0], "0");

  // A package on a lot with a training matrix, whose provider is still active there, on a
  // framework without a trained-staff target (Derby's 90 %): the lapse below would also
  // take that team under its target, and the test would race two rules for one suspension.
  auto row = db->Query(
      "SELECT p.id || ' ' || p.provider_id || ' ' || p.lot_id || ' ' || p.framework_id || ' ' ||"
      " r.create_organisation AS v FROM workforce.packages p"
      " JOIN referrals.referrals r ON r.id = p.id"
      " JOIN registry.admissions a ON a.provider_id = p.provider_id AND a.lot_id = p.lot_id"
      " WHERE a.state = 'ACTIVE'"
      " AND EXISTS (SELECT 1 FROM workforce.training_matrices m WHERE m.lot_id = p.lot_id)"
      " AND NOT EXISTS (SELECT 1 FROM workforce.suspension_rules sr WHERE"
      " sr.framework_id = p.framework_id AND sr.min_trained_staff_percent > 0)"
      " ORDER BY p.id LIMIT 1");
  ASSERT_EQ(row.size(), 1u) << "no awarded package on a lot with a matrix in the demo: "
                            << absl::StrJoin(db->Query(
                                   "SELECT p.id || ' ' || p.start_date || ' ' || coalesce((SELECT"
                                   " state FROM registry.admissions a WHERE a.provider_id ="
                                   " p.provider_id AND a.lot_id = p.lot_id), '-') || ' ' ||"
                                   " (SELECT count(*) FROM workforce.training_matrices m WHERE"
                                   " m.lot_id = p.lot_id) AS v FROM workforce.packages p"), "; ");
  std::vector<std::string> f = absl::StrSplit(row[0], ' ');
  const std::string package = f[0], provider = f[1], lot = f[2], framework = f[3], council = f[4];
  auto other = db->Query(
      "SELECT o.id::text AS v FROM registry.organisations o WHERE o.kind = 'COUNCIL' AND NOT"
      " EXISTS (SELECT 1 FROM registry.partnership_members m JOIN registry.frameworks f ON"
      " f.partnership_id = m.partnership_id WHERE f.id = '" + framework +
      "' AND m.organisation_id = o.id) LIMIT 1");
  ASSERT_EQ(other.size(), 1u);

  // The demo's packages start in the coming weeks, and the binaries keep the wall clock:
  // let time pass for this one by starting it today.
  db->Query("UPDATE workforce.packages SET start_date = $1 WHERE id = $2 RETURNING id::text AS v",
            {Day(absl::ZeroDuration()), package});

  auto stub = wv1::WorkforceService::NewStub(workforce.channel());
  const std::string provider_token = keys.Mint(provider, auth::Role::kProviderAdmin);
  const std::string council_token = keys.Mint(council, auth::Role::kCommissioner);
  const std::string outsider_token = keys.Mint(other[0], auth::Role::kCommissioner);

  wv1::GetPackageRequest get;
  get.set_id(package);
  wv1::Package pkg;
  ASSERT_TRUE(Call(*stub, provider_token, &WStub::GetPackage, get, &pkg).ok());

  // A worker with every check in date and every competency of the lot's matrix (and the
  // package's extras) done today.
  wv1::StaffMember s;
  s.set_display_name("Nell Named-Worker");
  s.set_role("Support worker");
  s.mutable_start_date()->set_value(Day(-absl::Hours(24 * 400)));
  s.set_contract_type(wv1::PERMANENT);
  s.mutable_dbs()->mutable_certificate_date()->set_value(Day(-absl::Hours(24 * 30)));
  s.mutable_dbs()->set_certificate_reference("009988776655");
  s.mutable_dbs()->mutable_barred_list_check_date()->set_value(Day(-absl::Hours(24 * 30)));
  s.mutable_right_to_work()->set_kind(wv1::RightToWork::UNLIMITED);
  s.mutable_right_to_work()->mutable_checked_on()->set_value(Day(-absl::Hours(24 * 400)));
  s.mutable_last_supervision_date()->set_value(Day(-absl::Hours(24 * 7)));
  s.mutable_last_appraisal_date()->set_value(Day(-absl::Hours(24 * 7)));
  s.add_languages("Gujarati");
  wv1::ListTrainingMatricesRequest lm;
  lm.set_lot_id(lot);
  lm.set_page_size(100);
  wv1::ListTrainingMatricesResponse matrices;
  ASSERT_TRUE(Call(*stub, provider_token, &WStub::ListTrainingMatrices, lm, &matrices).ok());
  ASSERT_GT(matrices.training_matrices_size(), 0);
  const auto& matrix = matrices.training_matrices(matrices.training_matrices_size() - 1);
  if (!matrix.required_registration_body().empty()) {
    s.mutable_registration()->set_body(matrix.required_registration_body());
    s.mutable_registration()->set_number("12A3456B");
    s.mutable_registration()->mutable_expiry_date()->set_value(Day(absl::Hours(24 * 300)));
  }
  wv1::CreateStaffMemberRequest cs;
  *cs.mutable_staff_member() = s;
  wv1::StaffMember staff;
  ASSERT_TRUE(Call(*stub, provider_token, &WStub::CreateStaffMember, cs, &staff).ok());
  std::vector<std::string> codes(pkg.extra_competencies().begin(), pkg.extra_competencies().end());
  for (const auto& c : matrix.competencies()) codes.push_back(c.code());
  for (const auto& code : codes) {
    wv1::CreateTrainingRecordRequest tr;
    tr.mutable_training_record()->set_staff_id(staff.id());
    tr.mutable_training_record()->set_competency_code(code);
    tr.mutable_training_record()->mutable_completed_on()->set_value(Day(absl::ZeroDuration()));
    wv1::TrainingRecord rec;
    ASSERT_TRUE(Call(*stub, provider_token, &WStub::CreateTrainingRecord, tr, &rec).ok()) << code;
  }

  wv1::CreatePackageAssignmentRequest assign;
  assign.mutable_assignment()->set_package_id(package);
  assign.mutable_assignment()->set_staff_id(staff.id());
  wv1::PackageAssignment assignment;
  auto st = Call(*stub, provider_token, &WStub::CreatePackageAssignment, assign, &assignment);
  ASSERT_TRUE(st.ok()) << st.error_message();

  // The package's commissioner sees the worker; another partnership's sees nothing.
  wv1::ListPackageWorkersRequest lw;
  lw.set_package_id(package);
  wv1::ListPackageWorkersResponse workers;
  // (the demo named its own workers on the package too)
  auto mine = [&]() -> const wv1::NamedWorker* {
    for (const auto& w : workers.workers()) {
      if (w.assignment_id() == assignment.id()) return &w;
    }
    return nullptr;
  };
  st = Call(*stub, council_token, &WStub::ListPackageWorkers, lw, &workers);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_NE(mine(), nullptr);
  EXPECT_EQ(mine()->display_name(), "Nell Named-Worker");
  EXPECT_EQ(mine()->role(), "Support worker");
  EXPECT_TRUE(mine()->eligible());
  EXPECT_THAT(protoutil::ToJson(workers), Not(HasSubstr("Gujarati")));
  EXPECT_THAT(protoutil::ToJson(workers), Not(HasSubstr("009988776655")));
  st = Call(*stub, outsider_token, &WStub::ListPackageWorkers, lw, &workers);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  wv1::GetWorkforceComplianceRequest gc;
  gc.set_provider_id(provider);
  gc.set_lot_id(lot);
  wv1::WorkforceCompliance compliance;
  st = Call(*stub, council_token, &WStub::GetWorkforceCompliance, gc, &compliance);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_GE(compliance.staff_in_post(), 1);
  st = Call(*stub, outsider_token, &WStub::GetWorkforceCompliance, gc, &compliance);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();

  // The framework's keeper turns the package-worker rule on.
  wv1::GetSuspensionRulesRequest gr;
  gr.set_framework_id(framework);
  wv1::SetSuspensionRulesRequest sr;
  std::string keeper = council_token;
  // Rules never set read back as the defaults, with no owner yet.
  if (Call(*stub, council_token, &WStub::GetSuspensionRules, gr, sr.mutable_rules()).ok() &&
      !sr.rules().owner_organisation_id().empty()) {
    keeper = keys.Mint(sr.rules().owner_organisation_id(), auth::Role::kCommissioner);
  }
  sr.mutable_rules()->set_framework_id(framework);
  sr.mutable_rules()->set_suspend_on_ineligible_package_worker(true);
  wv1::SuspensionRules rules;
  st = Call(*stub, keeper, &WStub::SetSuspensionRules, sr, &rules);
  ASSERT_TRUE(st.ok()) << st.error_message();
  // Nothing has lapsed: the sweep trips nothing.
  absl::SleepFor(absl::Milliseconds(1500));
  const std::string admission_state =
      "SELECT state AS v FROM registry.admissions WHERE provider_id = $1 AND lot_id = $2";
  EXPECT_EQ(db->Query(admission_state, {provider, lot})[0], "ACTIVE");

  // The worker's DBS is found to be older than the framework allows.
  wv1::GetStaffMemberRequest gs;
  gs.set_id(staff.id());
  wv1::UpdateStaffMemberRequest us;
  ASSERT_TRUE(Call(*stub, provider_token, &WStub::GetStaffMember, gs, us.mutable_staff_member()).ok());
  us.mutable_staff_member()->mutable_dbs()->mutable_certificate_date()->set_value(
      Day(-absl::Hours(24 * 365 * 6)));
  ASSERT_TRUE(Call(*stub, provider_token, &WStub::UpdateStaffMember, us, &staff).ok());

  // workforce → registry: the provider is suspended on that lot, the rule as reason.
  EXPECT_EQ(systemtest::WaitFor(*db, admission_state, {provider, lot}, "SUSPENDED"), "SUSPENDED");
  auto why = db->Query(
      "SELECT t.reason AS v FROM registry.admission_transitions t JOIN registry.admissions a ON "
      "a.id = t.admission_id WHERE a.provider_id = $1 AND a.lot_id = $2"
      " ORDER BY t.id DESC LIMIT 1",
      {provider, lot});
  ASSERT_EQ(why.size(), 1u);
  EXPECT_THAT(why[0], HasSubstr("INELIGIBLE_PACKAGE_WORKER"));
  EXPECT_THAT(why[0], HasSubstr("DBS_EXPIRED"));
  EXPECT_THAT(why[0], Not(HasSubstr("Nell")));
  // The commissioner sees why: the named worker is no longer eligible.
  st = Call(*stub, council_token, &WStub::ListPackageWorkers, lw, &workers);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_NE(mine(), nullptr);
  EXPECT_FALSE(mine()->eligible());
  // The same facts trip once, however many sweeps run.
  absl::SleepFor(absl::Milliseconds(2500));
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM workforce.rule_trips WHERE source_id = $1",
                      {assignment.id()})[0],
            "1");
}

}  // namespace
}  // namespace pdps
