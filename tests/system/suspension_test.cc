// Automatic suspension end to end on the real binaries: a rule trips in workforce (a
// monitoring visit rated INADEQUATE), the registry reads it from workforce's feed and
// suspends the provider's admission with the rule as reason, and referrals reads that
// from the registry's feed: the provider's live offer is withdrawn and it is offered
// nothing new. Lifting the suspension stays a commissioner's decision.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/calendar/calendar.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/testing/pg_harness.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/system/service_process.h"

namespace pdps {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace wv1 = ::pdps::workforce::v1;
using systemtest::WaitFor;

TEST(AutomaticSuspension, RuleTripsInWorkforceRegistrySuspendsReferralsStopsOffering) {
  auto db = testing::TestDatabase::Create("suspension", {"registry", "referrals", "workforce"});
  systemtest::DevKeys keys("pdps-suspension-keys");
  systemtest::Platform platform(*db, keys);
  auto& registry = *platform.registry;
  auto& workforce = *platform.workforce;
  auto& referrals = *platform.referrals;

  // The demo's commissioners, providers and referrals, loaded through the APIs.
  std::string out;
  ASSERT_EQ(systemtest::RunCommand(
                systemtest::DemoCommand(keys, absl::StrCat("--registry=", registry.address(),
                                                           " --referrals=", referrals.address())),
                &out),
            0)
      << out;

  // A rotational referral whose first refusal is live: suspend that provider.
  auto live = db->Query(
      "SELECT o.id || ' ' || o.provider_id || ' ' || o.lot_id || ' ' || r.framework_id || ' ' ||"
      " r.create_organisation || ' ' || r.id AS v FROM referrals.offers o JOIN"
      " referrals.referrals r ON r.id = o.referral_id WHERE o.state = 'OPEN' AND"
      " o.kind = 'EXCLUSIVE' ORDER BY o.offer_time, o.id LIMIT 1");
  // Who the registry would offer a new referral on that lot, in that area, to.
  auto eligible_on_lot = [&](const std::string& lot_id, const std::string& area,
                             const std::string& as) {
    auto stub = pdps::registry::v1::RegistryService::NewStub(
        grpc::CreateChannel(registry.address(), grpc::InsecureChannelCredentials()));
    pdps::registry::v1::ListEligibleProvidersRequest req;
    req.set_lot_id(lot_id);
    req.set_area(area);
    req.set_page_size(100);
    pdps::registry::v1::ListEligibleProvidersResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + as);
    auto st = stub->ListEligibleProviders(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> ids;
    for (const auto& p : resp.providers()) ids.push_back(p.provider_id());
    return ids;
  };
  ASSERT_EQ(live.size(), 1u);
  std::vector<std::string> f = absl::StrSplit(live[0], ' ');
  const std::string offer = f[0], provider = f[1], lot = f[2], framework = f[3], council = f[4],
                    referral = f[5];
  ASSERT_EQ(db->Query("SELECT state AS v FROM registry.admissions WHERE provider_id = $1"
                      " AND lot_id = $2",
                      {provider, lot})[0],
            "ACTIVE");

  auto channel = grpc::CreateChannel(workforce.address(), grpc::InsecureChannelCredentials());
  auto stub = wv1::WorkforceService::NewStub(channel);
  std::string token = keys.Mint(council, auth::Role::kCommissioner);
  // A commissioner of another partnership: the registry says it does not commission
  // this framework, so it can neither claim its rules nor record findings that trip them.
  auto other = db->Query(
      "SELECT o.id::text AS v FROM registry.organisations o WHERE o.kind = "
      "'COUNCIL' AND o.id <> $1 AND NOT EXISTS (SELECT 1 FROM "
      "registry.partnership_members m JOIN registry.frameworks f ON "
      "f.partnership_id = m.partnership_id WHERE f.id = $2"
      " AND m.organisation_id = o.id) LIMIT 1",
      {council, framework});
  ASSERT_EQ(other.size(), 1u);
  const std::string outsider = keys.Mint(other[0], auth::Role::kCommissioner);
  {
    wv1::SetSuspensionRulesRequest req;
    req.mutable_rules()->set_framework_id(framework);
    req.mutable_rules()->set_suspend_on_inadequate_visit(true);
    wv1::SuspensionRules rules;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + outsider);
    auto st = stub->SetSuspensionRules(&ctx, req, &rules);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  }
  {
    wv1::SetSuspensionRulesRequest req;
    req.mutable_rules()->set_framework_id(framework);
    req.mutable_rules()->set_suspend_on_inadequate_visit(true);
    wv1::SuspensionRules rules;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    auto st = stub->SetSuspensionRules(&ctx, req, &rules);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  auto visit = [&](const std::string& as, wv1::MonitoringVisit* made) {
    wv1::CreateMonitoringVisitRequest req;
    auto* v = req.mutable_visit();
    v->set_provider_id(provider);
    v->set_framework_id(framework);
    v->set_lot_id(lot);
    v->mutable_visit_date()->set_value(dates::FormatDay(dates::TodayInLondon(absl::Now())));
    v->set_findings("Medication records incomplete; two missed visits unreported.");
    v->set_rating(wv1::INADEQUATE);
    req.set_request_id(NewUuid());
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + as);
    return stub->CreateMonitoringVisit(&ctx, req, made);
  };
  {
    wv1::MonitoringVisit made;
    auto st = visit(outsider, &made);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  }
  // Nor can its own commissioners record findings about a provider it never admitted.
  auto stranger = db->Query("SELECT o.id::text AS v FROM registry.organisations o WHERE o.kind = "
                            "'PROVIDER' AND NOT EXISTS (SELECT 1 FROM registry.admissions a WHERE "
                            "a.provider_id = o.id AND a.framework_id = '" + framework +
                            "') LIMIT 1");
  ASSERT_EQ(stranger.size(), 1u);
  {
    wv1::CreateMonitoringVisitRequest req;
    auto* v = req.mutable_visit();
    v->set_provider_id(stranger[0]);
    v->set_framework_id(framework);
    v->mutable_visit_date()->set_value(dates::FormatDay(dates::TodayInLondon(absl::Now())));
    v->set_findings("Visited in error.");
    v->set_rating(wv1::INADEQUATE);
    wv1::MonitoringVisit made;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    auto st = stub->CreateMonitoringVisit(&ctx, req, &made);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  }
  const std::string area =
      db->Query("SELECT area AS v FROM referrals.referrals WHERE id = $1", {referral})[0];
  EXPECT_THAT(eligible_on_lot(lot, area, token), ::testing::Contains(provider));
  {
    wv1::MonitoringVisit made;
    auto st = visit(token, &made);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  // workforce → registry: the admission is suspended with the rule as reason.
  EXPECT_EQ(WaitFor(*db,
                    "SELECT state AS v FROM registry.admissions WHERE provider_id = $1"
                    " AND lot_id = $2",
                    {provider, lot}, "SUSPENDED"),
            "SUSPENDED");
  auto why = db->Query(
      "SELECT t.reason AS v FROM registry.admission_transitions t JOIN registry.admissions a ON "
      "a.id = t.admission_id WHERE a.provider_id = $1 AND a.lot_id = $2"
      " ORDER BY t.id DESC LIMIT 1",
      {provider, lot});
  ASSERT_EQ(why.size(), 1u);
  EXPECT_THAT(why[0], HasSubstr("INADEQUATE_VISIT"));
  // The suspension opens its action plan (seed 001 13.6): agree it in 10 working days.
  const absl::CivilDay today = dates::TodayInLondon(absl::Now());
  const calendar::WorkingTime working_time(calendar::HolidayCalendar::EnglandAndWales());
  EXPECT_EQ(db->Query("SELECT i.due_date::text || ' ' || i.description AS v FROM "
                      "registry.action_plan_items i JOIN registry.admissions a ON a.id = "
                      "i.admission_id WHERE a.provider_id = $1 AND a.lot_id = $2",
                      {provider, lot}),
            std::vector<std::string>{absl::StrCat(
                dates::FormatDay(working_time.AddWorkingDaysToDay(today, 10)),
                " Agree an action plan with timescales with the contract manager and the "
                "brokerage team (automatic suspension: monitoring visit on ",
                dates::FormatDay(today), " rated INADEQUATE)")});
  // registry → referrals: the live offer is withdrawn and the rota moves on.
  EXPECT_EQ(
      WaitFor(*db, "SELECT state AS v FROM referrals.offers WHERE id = $1", {offer}, "WITHDRAWN"),
      "WITHDRAWN");
  EXPECT_EQ(WaitFor(*db,
                    "SELECT count(*)::text AS v FROM referrals.offers WHERE referral_id = $1"
                    " AND state = 'OPEN'",
                    {referral}, "1"),
            "1");
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM referrals.offers WHERE provider_id = $1"
                      " AND lot_id = $2 AND state = 'OPEN'",
                      {provider, lot})[0],
            "0");
  // And a new referral on the lot is offered to everyone eligible but that provider.
  EXPECT_THAT(eligible_on_lot(lot, area, token), Not(::testing::Contains(provider)));
  // The rule fired once: one suspension, however often the feeds are read.
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM registry.admission_transitions t JOIN "
                      "registry.admissions a ON a.id = t.admission_id WHERE a.provider_id = $1"
                      " AND t.to_state = 'SUSPENDED' AND t.reason LIKE 'automatic%'",
                      {provider})[0],
            "1");
}

}  // namespace
}  // namespace pdps
