// The registry over real gRPC against a real PostgreSQL, with real signed tokens.
#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/events.h"
#include "common/ids.h"
#include "common/metrics.h"
#include "common/server.h"
#include "common/status.h"
#include "common/testing/tokens.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pdps/registry/v1/registry_events.pb.h"
#include "services/registry/tests/fixture.h"

namespace pdps::registry::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using Stub = v1::RegistryService::Stub;

class RegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new RegistryServer("registry_svc");
    world_ = new World(server_);
    // Partnership A (council + NHS commissioner) and B (a council elsewhere).
    council_a_ = world_->CreateOrg("London Borough of Lewisham", v1::Organisation::COUNCIL);
    nhs_a_ = world_->CreateOrg("NHS Lewisham CCG", v1::Organisation::NHS_COMMISSIONER);
    council_b_ = world_->CreateOrg("Derby City Council", v1::Organisation::COUNCIL);
    partnership_a_ = world_->CreatePartnership("Lewisham", {council_a_, nhs_a_});
    partnership_b_ = world_->CreatePartnership("Derby", {council_b_});
    comm_a_ = MakeCaller(council_a_, {Role::kCommissioner});
    nhs_comm_a_ = MakeCaller(nhs_a_, {Role::kCommissioner});
    comm_b_ = MakeCaller(council_b_, {Role::kCommissioner});
    framework_a_ = world_->CreateFramework(comm_a_, partnership_a_, "Lewisham complex needs");
    framework_b_ = world_->CreateFramework(comm_b_, partnership_b_, "Derby day opportunities");
    lot_a_ = world_->CreateLot(comm_a_, framework_a_.id(), "A");
    lot_a2_ = world_->CreateLot(comm_a_, framework_a_.id(), "B");
    lot_b_ = world_->CreateLot(comm_b_, framework_b_.id(), "T1");
    service_ = MakeCaller(NewUuid(), {Role::kService});
  }
  static void TearDownTestSuite() {
    delete world_;
    delete server_;
  }

  static RegistryServer* server_;
  static World* world_;
  static std::string council_a_, nhs_a_, council_b_, partnership_a_, partnership_b_;
  static Caller comm_a_, nhs_comm_a_, comm_b_, service_;
  static v1::Framework framework_a_, framework_b_;
  static v1::Lot lot_a_, lot_a2_, lot_b_;
};
RegistryServer* RegistryTest::server_ = nullptr;
World* RegistryTest::world_ = nullptr;
std::string RegistryTest::council_a_, RegistryTest::nhs_a_, RegistryTest::council_b_,
    RegistryTest::partnership_a_, RegistryTest::partnership_b_;
Caller RegistryTest::comm_a_, RegistryTest::nhs_comm_a_, RegistryTest::comm_b_,
    RegistryTest::service_;
v1::Framework RegistryTest::framework_a_, RegistryTest::framework_b_;
v1::Lot RegistryTest::lot_a_, RegistryTest::lot_a2_, RegistryTest::lot_b_;

std::vector<pdps::common::v1::Event> ReadFeed(RegistryServer& s, const Caller& who,
                                              int64_t after) {
  pdps::common::v1::ListEventsRequest req;
  req.set_after_position(after);
  req.set_page_size(1000);
  pdps::common::v1::ListEventsResponse resp;
  grpc::ClientContext ctx;
  who.Prepare(&ctx);
  auto st = s.feed().ListEvents(&ctx, req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return {resp.events().begin(), resp.events().end()};
}

TEST_F(RegistryTest, AdmissionLifecycleEndToEnd) {
  auto feed_before = ReadFeed(*server_, service_, 0);
  int64_t cursor = feed_before.empty() ? 0 : feed_before.back().position();

  std::string org = world_->CreateOrg("Sunrise Care Ltd", v1::Organisation::PROVIDER);
  Caller admin = MakeCaller(org, {Role::kProviderAdmin});
  v1::ApplyForAdmissionRequest apply;
  apply.set_framework_id(framework_a_.id());
  apply.add_lot_ids(lot_a_.id());
  apply.add_lot_ids(lot_a2_.id());
  v1::ApplyForAdmissionResponse applied;
  // Uninsured, it may not apply (seed 004 3.26: £5m employer's, £10m public liability).
  auto uninsured = Call(*server_, admin, &Stub::ApplyForAdmission, apply, &applied);
  EXPECT_EQ(uninsured.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(PreconditionViolations(uninsured),
              ElementsAre("INSURANCE_COVER_SHORT framework/" + framework_a_.id()));
  EXPECT_THAT(uninsured.error_message(),
              ::testing::HasSubstr("employer's liability cover in date is none; the framework "
                                   "requires at least £5,000,000.00"));
  world_->FileInsurance(admin);
  ASSERT_TRUE(Call(*server_, admin, &Stub::ApplyForAdmission, apply, &applied).ok());
  ASSERT_EQ(applied.admissions_size(), 2);
  const v1::Admission& a = applied.admissions(0);
  EXPECT_EQ(a.state(), v1::Admission::APPLIED);

  // Applying again to a lot with a live application is refused.
  v1::ApplyForAdmissionResponse again;
  apply.clear_lot_ids();
  apply.add_lot_ids(lot_a_.id());
  auto held = Call(*server_, admin, &Stub::ApplyForAdmission, apply, &again);
  EXPECT_EQ(held.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(PreconditionViolations(held), ElementsAre("ADMISSION_HELD lot/" + lot_a_.id()));

  // A provider cannot admit itself; the other partnership cannot either.
  v1::AdmitProviderRequest admit;
  admit.set_id(a.id());
  admit.set_etag(a.etag());
  v1::Admission out;
  EXPECT_EQ(Call(*server_, admin, &Stub::AdmitProvider, admit, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::AdmitProvider, admit, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The NHS member of the partnership can.
  ASSERT_TRUE(Call(*server_, nhs_comm_a_, &Stub::AdmitProvider, admit, &out).ok());
  EXPECT_EQ(out.state(), v1::Admission::ACTIVE);

  // Suspend with an action plan; a stale etag is ABORTED.
  v1::SuspendAdmissionRequest suspend;
  suspend.set_id(a.id());
  suspend.set_etag(out.etag());
  suspend.set_reason("CQC rating Inadequate");
  // A suspension carries a plan, due no earlier than today: otherwise nothing changes.
  v1::Admission refused;
  auto no_plan = Call(*server_, comm_a_, &Stub::SuspendAdmission, suspend, &refused);
  EXPECT_EQ(no_plan.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(no_plan), ::testing::ElementsAre("action_plan"));
  auto* past = suspend.add_action_plan();
  past->set_description("Reply to the contract manager");
  past->mutable_due_date()->set_value("2026-01-05");
  auto late = Call(*server_, comm_a_, &Stub::SuspendAdmission, suspend, &refused);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(late), ::testing::ElementsAre("action_plan[0].due_date"));
  // A reason is held to the 2000 characters of every other verb's, with the plan's faults.
  suspend.set_reason(std::string(2001, 'x'));
  auto long_reason = Call(*server_, comm_a_, &Stub::SuspendAdmission, suspend, &refused);
  EXPECT_THAT(ViolationFields(long_reason),
              ::testing::ElementsAre("reason", "action_plan[0].due_date"));
  suspend.set_reason("CQC rating Inadequate");
  suspend.clear_action_plan();
  suspend.set_etag(a.etag());  // stale
  auto* item = suspend.add_action_plan();
  item->set_description("Submit CQC improvement plan");
  item->mutable_due_date()->set_value("2026-12-15");
  EXPECT_EQ(Call(*server_, comm_a_, &Stub::SuspendAdmission, suspend, &out).error_code(),
            grpc::StatusCode::ABORTED);
  suspend.set_etag(out.etag());
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::SuspendAdmission, suspend, &out).ok());
  EXPECT_EQ(out.state(), v1::Admission::SUSPENDED);
  ASSERT_EQ(out.action_plan_size(), 1);
  EXPECT_EQ(out.action_plan(0).due_date().value(), "2026-12-15");

  // Suspending twice is the wrong state.
  suspend.set_etag(out.etag());
  v1::Admission unchanged;
  auto twice = Call(*server_, comm_a_, &Stub::SuspendAdmission, suspend, &unchanged);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(PreconditionViolations(twice), ElementsAre("ADMISSION_STATE admission/" + out.id()));

  // The plan agreed later is added to the suspension: items need a description and a due
  // date, a provider cannot add them, and a stale etag is ABORTED, each changing nothing.
  v1::AddActionPlanItemsRequest add;
  add.set_id(a.id());
  add.set_etag(out.etag());
  EXPECT_THAT(ViolationFields(Call(*server_, comm_a_, &Stub::AddActionPlanItems, add, &unchanged)),
              ElementsAre("action_plan"));
  auto* agreed = add.add_action_plan();
  agreed->set_description("Audit every medication record");
  add.add_action_plan()->mutable_due_date()->set_value("2026-12-20");
  EXPECT_THAT(ViolationFields(Call(*server_, comm_a_, &Stub::AddActionPlanItems, add, &unchanged)),
              ElementsAre("action_plan[0].due_date", "action_plan[1].description"));
  add.mutable_action_plan()->RemoveLast();
  agreed->mutable_due_date()->set_value("2026-12-10");
  EXPECT_EQ(Call(*server_, admin, &Stub::AddActionPlanItems, add, &unchanged).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::AddActionPlanItems, add, &unchanged).error_code(),
            grpc::StatusCode::NOT_FOUND);
  add.set_etag(a.etag());
  EXPECT_EQ(Call(*server_, comm_a_, &Stub::AddActionPlanItems, add, &unchanged).error_code(),
            grpc::StatusCode::ABORTED);
  add.set_etag(out.etag());
  ASSERT_TRUE(Call(*server_, nhs_comm_a_, &Stub::AddActionPlanItems, add, &out).ok());
  ASSERT_EQ(out.action_plan_size(), 2);  // due-date order
  EXPECT_EQ(out.action_plan(0).description(), "Audit every medication record");
  EXPECT_EQ(out.action_plan(1).description(), "Submit CQC improvement plan");

  v1::CompleteActionPlanItemRequest done;
  done.set_id(a.id());
  done.set_etag(out.etag());
  done.set_item_id(out.action_plan(1).id());
  done.mutable_completed_date()->set_value("2026-11-24");
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::CompleteActionPlanItem, done, &out).ok());
  EXPECT_EQ(out.action_plan(1).completed_date().value(), "2026-11-24");

  v1::ReinstateAdmissionRequest reinstate;
  reinstate.set_id(a.id());
  reinstate.set_etag(out.etag());
  EXPECT_THAT(ViolationFields(
                  Call(*server_, comm_a_, &Stub::ReinstateAdmission, reinstate, &unchanged)),
              ElementsAre("reason"));
  reinstate.set_reason("Improvement plan accepted");
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::ReinstateAdmission, reinstate, &out).ok());
  // Only a suspension takes action plan items.
  add.set_etag(out.etag());
  EXPECT_EQ(Call(*server_, comm_a_, &Stub::AddActionPlanItems, add, &unchanged).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::TerminateAdmissionRequest terminate;
  terminate.set_id(a.id());
  terminate.set_etag(out.etag());
  terminate.set_reason("Provider left the market");
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::TerminateAdmission, terminate, &out).ok());
  EXPECT_EQ(out.state(), v1::Admission::TERMINATED);

  // History: who, when, why, in order.
  std::vector<std::string> states;
  for (const auto& h : out.history()) states.push_back(h.to_state());
  EXPECT_THAT(states, ElementsAre("APPLIED", "ACTIVE", "SUSPENDED", "ACTIVE", "TERMINATED"));
  EXPECT_EQ(out.history(2).reason(), "CQC rating Inadequate");
  EXPECT_EQ(out.history(2).actor_organisation(), council_a_);
  EXPECT_EQ(out.history(1).actor_organisation(), nhs_a_);

  // Every transition is an event on the feed, in order.
  std::vector<std::string> types;
  for (const auto& e : ReadFeed(*server_, service_, cursor)) {
    if (e.aggregate_id() != a.id()) continue;
    types.push_back(e.event_type());
    if (e.event_type() == "pdps.registry.v1.AdmissionSuspended") {
      v1::AdmissionChanged changed;
      ASSERT_TRUE(e.payload().UnpackTo(&changed));
      EXPECT_EQ(changed.transition().reason(), "CQC rating Inadequate");
      EXPECT_EQ(e.organisation_id(), org);
    }
  }
  EXPECT_THAT(types, ElementsAre("pdps.registry.v1.AdmissionApplied",
                                 "pdps.registry.v1.AdmissionActivated",
                                 "pdps.registry.v1.AdmissionSuspended",
                                 "pdps.registry.v1.AdmissionReinstated",
                                 "pdps.registry.v1.AdmissionTerminated"));
  // The feed is for services only.
  pdps::common::v1::ListEventsRequest req;
  pdps::common::v1::ListEventsResponse resp;
  grpc::ClientContext ctx;
  comm_a_.Prepare(&ctx);
  EXPECT_EQ(server_->feed().ListEvents(&ctx, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// A consumer's mistakes are errors, not an empty feed it would wait on forever: a type
// the feed never publishes, and a cursor beyond its head (e.g. after a restore).
TEST_F(RegistryTest, ListEventsRefusesUnknownTypesAndACursorBeyondItsHead) {
  auto list = [&](const pdps::common::v1::ListEventsRequest& req,
                  pdps::common::v1::ListEventsResponse* resp) {
    grpc::ClientContext ctx;
    service_.Prepare(&ctx);
    return server_->feed().ListEvents(&ctx, req, resp);
  };
  pdps::common::v1::ListEventsRequest req;
  req.add_event_types("pdps.registry.v1.AdmissionSuspended");
  req.add_event_types("AdmissionChanged");
  req.add_event_types("pdps.referrals.v1.ReferralOpened");
  pdps::common::v1::ListEventsResponse resp;
  auto st = list(req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("event_types[1]", "event_types[2]"));
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("pdps.registry.v1.AdmissionTerminated"));

  const int64_t last = ReadFeed(*server_, service_, 0).back().position();
  pdps::common::v1::ListEventsRequest at_head;
  at_head.set_after_position(last);
  EXPECT_TRUE(list(at_head, &resp).ok()) << "a cursor at the head is caught up";
  EXPECT_GE(resp.last_position(), last);
  pdps::common::v1::ListEventsRequest beyond;
  beyond.set_after_position(last + 1000);
  st = list(beyond, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr(absl::StrCat("last position ", last)));
}

// Annual accounts show seed 004 Appendix A's ratios, unrounded, and each breached test
// in words, on the document as filed and as read back.
TEST_F(RegistryTest, AnnualAccountsShowTheirRatiosAndBreaches) {
  auto p = world_->AdmittedProvider("Thin Margins Ltd", comm_a_, framework_a_, lot_a_, {"X"});
  v1::CreateComplianceDocumentRequest doc;
  auto* d = doc.mutable_document();
  d->set_kind(v1::ComplianceDocument::ANNUAL_ACCOUNTS);
  d->set_title("Accounts to 31 March 2026");
  d->set_evidence_reference("AA-2026");
  d->mutable_issue_date()->set_value("2026-06-30");
  d->mutable_expiry_date()->set_value("2027-06-30");
  auto* a = d->mutable_accounts();
  a->mutable_current_assets()->set_pence(10000001);  // liquidity a hair above 1
  a->mutable_current_liabilities()->set_pence(10000000);
  a->mutable_operating_profit()->set_pence(300000);  // ROCE 3 %
  a->mutable_capital_employed()->set_pence(10000000);
  a->mutable_net_assets()->set_pence(-100);
  v1::ComplianceDocument made;
  auto st = Call(*server_, p.admin, &Stub::CreateComplianceDocument, doc, &made);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::GetComplianceDocumentRequest get;
  get.set_id(made.id());
  v1::ComplianceDocument read;
  ASSERT_TRUE(Call(*server_, p.admin, &Stub::GetComplianceDocument, get, &read).ok());
  for (const auto* shown : {&made, &read}) {
    EXPECT_DOUBLE_EQ(shown->accounts().liquidity_ratio(), 1.0000001);
    EXPECT_DOUBLE_EQ(shown->accounts().return_on_capital_employed_percent(), 3.0);
    EXPECT_THAT(
        shown->accounts().viability_breaches(),
        ElementsAre("return on capital employed is not above 5%", "net assets are not positive"));
  }
}

TEST_F(RegistryTest, EligibleProvidersAreActiveCoveringWithCapacityAndCompliant) {
  auto in = world_->AdmittedProvider("Eligible One", comm_a_, framework_a_, lot_a_,
                                     {"Lewisham", "Greenwich"});
  auto other_area = world_->AdmittedProvider("Elsewhere Care", comm_a_, framework_a_, lot_a_,
                                             {"Bromley"});
  auto no_capacity = world_->AdmittedProvider("Full Up Care", comm_a_, framework_a_, lot_a_,
                                              {"Lewisham"}, /*hours_available=*/0);
  auto suspended = world_->AdmittedProvider("Paused Care", comm_a_, framework_a_, lot_a_,
                                            {"lewisham"});
  auto expired = world_->AdmittedProvider("Lapsed Care", comm_a_, framework_a_, lot_a_,
                                          {"LEWISHAM"});
  auto other_lot = world_->AdmittedProvider("Other Lot Care", comm_a_, framework_a_, lot_a2_,
                                            {"Lewisham"});
  // Suspend one.
  v1::GetAdmissionRequest get;
  get.set_id(suspended.admission_id);
  v1::Admission adm;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::GetAdmission, get, &adm).ok());
  v1::SuspendAdmissionRequest s;
  s.set_id(adm.id());
  s.set_etag(adm.etag());
  s.set_reason("safeguarding concerns");
  auto* meet = s.add_action_plan();
  meet->set_description("Meet the safeguarding lead");
  meet->mutable_due_date()->set_value("2027-06-30");
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::SuspendAdmission, s, &adm).ok());
  // One has an expired mandatory document.
  v1::CreateComplianceDocumentRequest doc;
  auto* d = doc.mutable_document();
  d->set_kind(v1::ComplianceDocument::CQC_REGISTRATION);
  d->set_title("CQC registration");
  d->set_evidence_reference("1-000000001");
  d->mutable_issue_date()->set_value("2025-01-01");
  d->mutable_expiry_date()->set_value("2026-11-23");
  v1::ComplianceDocument made;
  ASSERT_TRUE(Call(*server_, expired.admin, &Stub::CreateComplianceDocument, doc, &made).ok());
  EXPECT_EQ(made.status(), v1::ComplianceDocument::EXPIRED);
  EXPECT_TRUE(made.mandatory());
  // A lapsed registration kept as history beside its in-date renewal does not count
  // against the provider: one is held at a time (decision 0081). A policy is not renewed
  // by another policy (they are different policies): it is renewed by updating it.
  auto renewed =
      world_->AdmittedProvider("Renewed Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  auto other_policy =
      world_->AdmittedProvider("Other Policy Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  auto file = [&](const Caller& who, v1::ComplianceDocument::Kind kind, const char* issued,
                  const char* expires, bool mandatory) {
    v1::CreateComplianceDocumentRequest req;
    auto* d = req.mutable_document();
    d->set_kind(kind);
    d->set_title("Kept on file");
    d->set_evidence_reference("DMS-1");
    d->mutable_issue_date()->set_value(issued);
    d->mutable_expiry_date()->set_value(expires);
    d->set_mandatory(mandatory);
    v1::ComplianceDocument out;
    auto st = Call(*server_, who, &Stub::CreateComplianceDocument, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
  };
  file(renewed.admin, v1::ComplianceDocument::CQC_REGISTRATION, "2025-01-01", "2026-11-23", false);
  file(renewed.admin, v1::ComplianceDocument::CQC_REGISTRATION, "2026-11-20", "2027-11-20", false);
  file(other_policy.admin, v1::ComplianceDocument::POLICY, "2025-01-01", "2026-11-23", true);
  file(other_policy.admin, v1::ComplianceDocument::POLICY, "2026-11-20", "2027-11-20", true);

  v1::ListEligibleProvidersRequest req;
  req.set_lot_id(lot_a_.id());
  req.set_area("lewisham");
  v1::ListEligibleProvidersResponse resp;
  ASSERT_TRUE(Call(*server_, service_, &Stub::ListEligibleProviders, req, &resp).ok());
  std::set<std::string> ids;
  for (const auto& p : resp.providers()) ids.insert(p.provider_id());
  EXPECT_EQ(ids.count(in.org), 1u);
  EXPECT_EQ(ids.count(other_area.org), 0u);
  EXPECT_EQ(ids.count(no_capacity.org), 0u);
  EXPECT_EQ(ids.count(suspended.org), 0u);
  EXPECT_EQ(ids.count(expired.org), 0u);
  EXPECT_EQ(ids.count(other_lot.org), 0u);
  EXPECT_EQ(ids.count(renewed.org), 1u);
  EXPECT_EQ(ids.count(other_policy.org), 0u);
  for (const auto& p : resp.providers()) {
    if (p.provider_id() == in.org) {
      EXPECT_EQ(p.estimated_weekly_hours_available(), 20);
      EXPECT_EQ(p.capacity_month(), "2026-11");
    }
  }
  // The framework requires CQC registration (seeds 000 10.1, 002 94): a provider that
  // never filed one drops out until it does, for the officers as for services.
  v1::GetFrameworkRequest gf;
  gf.set_id(framework_a_.id());
  v1::UpdateFrameworkRequest uf;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::GetFramework, gf, uf.mutable_framework()).ok());
  uf.mutable_framework()->add_required_documents(v1::ComplianceDocument::CQC_REGISTRATION);
  v1::Framework requiring;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::UpdateFramework, uf, &requiring).ok());
  ASSERT_EQ(requiring.required_documents_size(), 1);
  EXPECT_EQ(requiring.required_documents(0), v1::ComplianceDocument::CQC_REGISTRATION);
  auto eligible_ids = [&](const Caller& who) {
    std::set<std::string> out;
    v1::ListEligibleProvidersResponse r;
    EXPECT_TRUE(Call(*server_, who, &Stub::ListEligibleProviders, req, &r).ok());
    for (const auto& p : r.providers()) out.insert(p.provider_id());
    return out;
  };
  EXPECT_EQ(eligible_ids(service_).count(in.org), 0u);
  EXPECT_EQ(eligible_ids(comm_a_).count(in.org), 0u);
  doc.mutable_document()->mutable_expiry_date()->set_value("2027-11-23");
  doc.mutable_document()->set_evidence_reference("1-000000002");
  ASSERT_TRUE(Call(*server_, in.admin, &Stub::CreateComplianceDocument, doc, &made).ok());
  EXPECT_EQ(eligible_ids(service_).count(in.org), 1u);
  EXPECT_EQ(eligible_ids(comm_a_).count(in.org), 1u);
  uf.mutable_framework()->clear_required_documents();
  uf.mutable_framework()->set_etag(requiring.etag());
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::UpdateFramework, uf, &requiring).ok());

  // A commissioner of another partnership may read the published lot, not its eligible
  // providers; an unknown lot is not found.
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::ListEligibleProviders, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListEligibleProvidersRequest unknown = req;
  unknown.set_lot_id(NewUuid());
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::ListEligibleProviders, unknown, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Bad input names the fields.
  v1::ListEligibleProvidersRequest bad;
  bad.set_lot_id("nope");
  bad.mutable_date()->set_value("31/12/2026");
  EXPECT_THAT(ViolationFields(Call(*server_, service_, &Stub::ListEligibleProviders, bad, &resp)),
              UnorderedElementsAre("lot_id", "area", "date"));
}

TEST_F(RegistryTest, PagingVisitsEveryItemOnce) {
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.insert(world_->CreateOrg("Paging Provider " + std::to_string(i),
                                     v1::Organisation::PROVIDER));
  }
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListOrganisationsRequest req;
    req.set_kind(v1::Organisation::PROVIDER);
    req.set_page_size(3);
    req.set_page_token(token);
    v1::ListOrganisationsResponse resp;
    ASSERT_TRUE(Call(*server_, comm_a_, &Stub::ListOrganisations, req, &resp).ok());
    for (const auto& o : resp.organisations()) {
      EXPECT_TRUE(seen.insert(o.id()).second) << "seen twice: " << o.id();
      EXPECT_EQ(o.kind(), v1::Organisation::PROVIDER);
    }
    EXPECT_LE(resp.organisations_size(), 3);
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 100);
  for (const auto& id : created) EXPECT_EQ(seen.count(id), 1u);
  EXPECT_GE(pages, 3);
  // A token is refused with other filters.
  v1::ListOrganisationsRequest first;
  first.set_page_size(1);
  v1::ListOrganisationsResponse r1;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::ListOrganisations, first, &r1).ok());
  first.set_page_token(r1.next_page_token());
  first.set_kind(v1::Organisation::COUNCIL);
  EXPECT_EQ(Call(*server_, comm_a_, &Stub::ListOrganisations, first, &r1).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Audit stamps come from the call's clock, as in the other services (decision 75).
TEST_F(RegistryTest, AuditTimesAreTheCallsClock) {
  const absl::Time at = absl::FromUnixSeconds(1'700'000'000);  // 2023-11-14, not today
  const absl::Time before = server_->clock().Now();
  server_->clock().Set(at);
  v1::CreateOrganisationRequest req;
  req.mutable_organisation()->set_display_name("Stamped Care");
  req.mutable_organisation()->set_kind(v1::Organisation::PROVIDER);
  v1::Organisation made;
  ASSERT_TRUE(Call(*server_, world_->platform, &Stub::CreateOrganisation, req, &made).ok());
  EXPECT_EQ(made.audit().create_time().seconds(), 1'700'000'000);
  EXPECT_EQ(made.audit().update_time().seconds(), 1'700'000'000);
  server_->clock().Set(before);
}

TEST_F(RegistryTest, RetriedCreateWithSameRequestIdCreatesOnce) {
  v1::CreateOrganisationRequest req;
  req.mutable_organisation()->set_display_name("Retry Care");
  req.mutable_organisation()->set_kind(v1::Organisation::PROVIDER);
  req.set_request_id(NewUuid());
  v1::Organisation first, second;
  ASSERT_TRUE(Call(*server_, world_->platform, &Stub::CreateOrganisation, req, &first).ok());
  ASSERT_TRUE(Call(*server_, world_->platform, &Stub::CreateOrganisation, req, &second).ok());
  EXPECT_EQ(first.id(), second.id());
  EXPECT_EQ(server_->db().Query("SELECT count(*)::text AS v FROM registry.organisations WHERE "
                                "display_name = 'Retry Care'")[0],
            "1");
  // The same request id for another call is refused.
  v1::CreatePartnershipRequest other;
  other.mutable_partnership()->set_display_name("X");
  other.mutable_partnership()->add_member_organisation_ids(council_a_);
  other.set_request_id(req.request_id());
  v1::Partnership p;
  EXPECT_THAT(
      ViolationFields(Call(*server_, world_->platform, &Stub::CreatePartnership, other, &p)),
      ElementsAre("request_id"));
}

TEST_F(RegistryTest, StaleEtagIsAbortedAndChangesNothing) {
  v1::GetLotRequest get;
  get.set_id(lot_b_.id());
  v1::Lot lot;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::GetLot, get, &lot).ok());
  v1::UpdateLotRequest upd;
  *upd.mutable_lot() = lot;
  upd.mutable_lot()->set_display_name("Tier 1 (specialist intensive)");
  v1::Lot updated;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::UpdateLot, upd, &updated).ok());
  EXPECT_NE(updated.etag(), lot.etag());
  upd.mutable_lot()->set_display_name("Lost update");
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::UpdateLot, upd, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::GetLot, get, &lot).ok());
  EXPECT_EQ(lot.display_name(), "Tier 1 (specialist intensive)");
  // Another partnership's commissioner cannot change it at all.
  *upd.mutable_lot() = lot;
  EXPECT_EQ(Call(*server_, comm_a_, &Stub::UpdateLot, upd, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(RegistryTest, BadInputIsRefusedWithFieldViolationsAndWritesNothing) {
  std::string before =
      server_->db().Query("SELECT count(*)::text AS v FROM registry.frameworks")[0];
  v1::CreateFrameworkRequest req;
  req.mutable_framework()->set_partnership_id(partnership_a_);
  req.mutable_framework()->mutable_call_off()->set_method(
      v1::CallOffSettings::MINI_COMPETITION);
  req.mutable_framework()->mutable_call_off()->set_price_weight_percent(60);
  req.mutable_framework()->mutable_call_off()->set_emergency_offer_window_minutes(2);
  v1::Framework out;
  auto st = Call(*server_, comm_a_, &Stub::CreateFramework, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      ViolationFields(st),
      UnorderedElementsAre("framework.display_name", "framework.kind", "framework.billing_period",
                           "framework.call_off.price_weight_percent",
                           "framework.call_off.emergency_offer_window_minutes"));
  req.mutable_framework()->mutable_call_off()->clear_emergency_offer_window_minutes();
  EXPECT_EQ(server_->db().Query("SELECT count(*)::text AS v FROM registry.frameworks")[0], before);

  // The limits every request keeps: a NUL (PostgreSQL would refuse it, or once cut the
  // name short) and a trillion-pound liability minimum, each named, nothing written.
  req.mutable_framework()->set_display_name(std::string("Home care\0 2027", 15));
  req.mutable_framework()->mutable_public_liability_minimum()->set_pence(int64_t{1} << 62);
  st = Call(*server_, comm_a_, &Stub::CreateFramework, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      ViolationFields(st),
      UnorderedElementsAre("framework.display_name", "framework.public_liability_minimum.pence"));
  // The message names the first, as every INVALID_ARGUMENT (a client may log only that).
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("framework.display_name: "));
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("(and 1 more invalid field)"));
  v1::CreateOrganisationRequest org;
  org.mutable_organisation()->set_display_name(std::string("Nul\0Care", 8));
  org.mutable_organisation()->set_kind(v1::Organisation::PROVIDER);
  v1::Organisation made_org;
  EXPECT_THAT(
      ViolationFields(Call(*server_, world_->platform, &Stub::CreateOrganisation, org, &made_org)),
      ElementsAre("organisation.display_name"));
  EXPECT_EQ(server_->db().Query("SELECT count(*)::text AS v FROM registry.organisations WHERE "
                                "display_name LIKE 'Nul%'")[0],
            "0");
  EXPECT_EQ(server_->db().Query("SELECT count(*)::text AS v FROM registry.frameworks")[0], before);

  // A lot code already used on the framework.
  v1::CreateLotRequest dup;
  *dup.mutable_lot() = lot_a_;
  dup.mutable_lot()->clear_id();
  v1::Lot lot;
  auto code_taken = Call(*server_, comm_a_, &Stub::CreateLot, dup, &lot);
  EXPECT_EQ(code_taken.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // The lot holding the code, for a program to read (google.rpc.ResourceInfo) and a person.
  EXPECT_EQ(ResourceInfoOf(code_taken), "pdps.registry.v1.Lot " + lot_a_.id());
  EXPECT_EQ(code_taken.error_message(),
            absl::StrCat("lot code \"", lot_a_.code(), "\" is already used on this framework (",
                         lot_a_.id(), ")"));

  // Insurance below the framework minimum (admitted providers only).
  auto p = world_->AdmittedProvider("Underinsured Ltd", comm_a_, framework_a_, lot_a_, {"X"});
  v1::CreateComplianceDocumentRequest doc;
  auto* d = doc.mutable_document();
  d->set_kind(v1::ComplianceDocument::PUBLIC_LIABILITY);
  d->set_title("Public liability");
  d->set_evidence_reference("PL-1");
  d->mutable_issue_date()->set_value("2026-01-01");
  d->mutable_expiry_date()->set_value("2026-12-31");
  d->mutable_cover()->set_pence(100000000);  // £1m < £10m
  v1::ComplianceDocument made;
  auto underinsured = Call(*server_, p.admin, &Stub::CreateComplianceDocument, doc, &made);
  EXPECT_THAT(ViolationFields(underinsured), ElementsAre("document.cover"));
  // Money in the one format of common/money.h, as everywhere else (decision 65).
  EXPECT_THAT(underinsured.error_message(),
              ::testing::HasSubstr("is below the minimum of £10,000,000.00 required"));
  // Duplicate capacity return for the month.
  v1::CreateCapacityReturnRequest cap;
  cap.mutable_capacity_return()->set_framework_id(framework_a_.id());
  cap.mutable_capacity_return()->set_month("2026-11");
  v1::CapacityReturn r;
  auto taken = Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &r);
  EXPECT_EQ(taken.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // The one already made, for a program to read (google.rpc.ResourceInfo) and a person.
  v1::ListCapacityReturnsRequest mine;
  mine.set_month("2026-11");
  v1::ListCapacityReturnsResponse made_returns;
  ASSERT_TRUE(Call(*server_, p.admin, &Stub::ListCapacityReturns, mine, &made_returns).ok());
  ASSERT_EQ(made_returns.capacity_returns_size(), 1);
  const std::string first = made_returns.capacity_returns(0).id();
  EXPECT_EQ(ResourceInfoOf(taken), "pdps.registry.v1.CapacityReturn " + first);
  EXPECT_EQ(taken.error_message(), absl::StrCat("a capacity return for 2026-11 on this framework "
                                                "was already made (",
                                                first, ")"));
  // A malformed request_id is listed with the body's violations, in one answer.
  v1::CreateCapacityReturnRequest sloppy;
  sloppy.mutable_capacity_return()->set_framework_id("xx");
  sloppy.mutable_capacity_return()->set_month("2026-13");
  sloppy.set_request_id("nope");
  EXPECT_THAT(
      ViolationFields(Call(*server_, p.admin, &Stub::CreateCapacityReturn, sloppy, &r)),
      UnorderedElementsAre("capacity_return.framework_id", "capacity_return.month", "request_id"));
  // Alone, it is what the caller is told first: nothing runs with a malformed key.
  cap.set_request_id("nope");
  EXPECT_THAT(ViolationFields(Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &r)),
              ElementsAre("request_id"));
}

// A string field that is not UTF-8 never parses; gRPC's own answer would be INTERNAL with
// no message ("our bug"). The caller is told it is their request, with a request id.
TEST_F(RegistryTest, AnEmergencyOfferWindowDefaultsToAnHourOldFrameworksToo) {
  auto read = [&](const std::string& id) {
    v1::GetFrameworkRequest gf;
    gf.set_id(id);
    v1::Framework f;
    EXPECT_TRUE(Call(*server_, comm_a_, &Stub::GetFramework, gf, &f).ok());
    return f.call_off().emergency_offer_window_minutes();
  };
  // Created without one: the default, stored.
  v1::Framework plain = world_->CreateFramework(comm_a_, partnership_a_, "Emergency default");
  EXPECT_EQ(plain.call_off().emergency_offer_window_minutes(), 60);
  EXPECT_EQ(read(plain.id()), 60);
  // A framework's own window, kept.
  v1::UpdateFrameworkRequest uf;
  *uf.mutable_framework() = plain;
  uf.mutable_framework()->mutable_call_off()->set_emergency_offer_window_minutes(30);
  v1::Framework own;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::UpdateFramework, uf, &own).ok());
  EXPECT_EQ(own.call_off().emergency_offer_window_minutes(), 30);
  // A framework written before the field (no key in call_off) reads 0 until migration
  // 0007 gives it the default; the one with its own window keeps it.
  v1::Framework old = world_->CreateFramework(comm_a_, partnership_a_, "Written before");
  server_->db().Run(absl::StrCat(
      "UPDATE registry.frameworks SET call_off = call_off - 'emergency_offer_window_minutes'"
      " WHERE id = '",
      old.id(), "'"));
  EXPECT_EQ(read(old.id()), 0);
  server_->db().RunMigration("registry", "0007_emergency_offer_window.sql");
  EXPECT_EQ(read(old.id()), 60);
  EXPECT_EQ(read(own.id()), 30);
}

// A framework's service areas are stored as every service compares them (upper case,
// single spaces), read back so, and replaced by an update; a bad one changes nothing.
TEST_F(RegistryTest, AFrameworksServiceAreasAreStoredNormalisedAndReplacedByAnUpdate) {
  v1::Framework plain = world_->CreateFramework(comm_a_, partnership_a_, "With areas");
  EXPECT_EQ(plain.service_areas_size(), 0);
  v1::UpdateFrameworkRequest uf;
  *uf.mutable_framework() = plain;
  uf.mutable_framework()->add_service_areas("south  cambridgeshire");
  uf.mutable_framework()->add_service_areas("Peterborough");
  v1::Framework with;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::UpdateFramework, uf, &with).ok());
  EXPECT_THAT(with.service_areas(), ::testing::ElementsAre("SOUTH CAMBRIDGESHIRE", "PETERBOROUGH"));
  v1::GetFrameworkRequest gf;
  gf.set_id(plain.id());
  v1::Framework read;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::GetFramework, gf, &read).ok());
  EXPECT_THAT(read.service_areas(), ::testing::ElementsAre("SOUTH CAMBRIDGESHIRE", "PETERBOROUGH"));
  // Twice, however written: refused on the repeat, nothing changed.
  *uf.mutable_framework() = read;
  uf.mutable_framework()->add_service_areas("peterborough");
  auto st = Call(*server_, comm_a_, &Stub::UpdateFramework, uf, &with);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ::testing::ElementsAre("framework.service_areas[2]"));
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::GetFramework, gf, &with).ok());
  EXPECT_EQ(with.etag(), read.etag());
  // Cleared: any district again.
  *uf.mutable_framework() = read;
  uf.mutable_framework()->clear_service_areas();
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::UpdateFramework, uf, &with).ok());
  EXPECT_EQ(with.service_areas_size(), 0);
}

TEST_F(RegistryTest, ARequestThatDoesNotParseIsInvalidArgumentNotInternal) {
  grpc::GenericStub generic(server_->channel());
  // GetLotRequest{id = 0xED 0xA0 0x80}: field 1, length-delimited, a lone surrogate; and
  // ff ff ff, no protobuf message at all (an unfinished tag). gRPC cannot tell them apart
  // for us, so the message names both (decision 69).
  const struct {
    std::string wire;
    const char* request_id;
  } cases[] = {{std::string("\x0a\x03\xed\xa0\x80", 5), "req-not-utf8"},
               {std::string("\xff\xff\xff", 3), "req-not-protobuf"}};
  for (const auto& c : cases) {
    grpc::Slice slice(c.wire);
    grpc::ByteBuffer request(&slice, 1), response;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + comm_a_.token);
    ctx.AddMetadata("x-request-id", c.request_id);
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status st;
    generic.UnaryCall(&ctx, "/pdps.registry.v1.RegistryService/GetLot", grpc::StubOptions(),
                      &request, &response, [&](grpc::Status s) {
                        std::lock_guard<std::mutex> lock(mu);
                        st = std::move(s);
                        done = true;
                        cv.notify_one();
                      });
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return done; }));
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.request_id;
    EXPECT_EQ(st.error_message(),
              "the request could not be parsed (malformed message or invalid UTF-8 in a string "
              "field): send this method's request message, built with the protos of this "
              "service")
        << c.request_id;
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(st.error_details()));
    google::rpc::RequestInfo info;
    ASSERT_GT(details.details_size(), 0);
    ASSERT_TRUE(details.details(details.details_size() - 1).UnpackTo(&info));
    EXPECT_EQ(info.request_id(), c.request_id);
    // And in the response's metadata, as every other answer: with the status (trailers
    // only), since no handler ran to send headers.
    const auto& trailers = ctx.GetServerTrailingMetadata();
    auto it = trailers.find("x-request-id");
    ASSERT_NE(it, trailers.end()) << c.request_id;
    EXPECT_EQ(std::string(it->second.data(), it->second.size()), c.request_id);
  }
}

// Applies an admission verb as `who` with the admission's current etag and `reason`;
// returns the admission after it.
template <typename Req>
v1::Admission Decide(RegistryServer& s, const Caller& who, const std::string& admission_id,
                     grpc::Status (Stub::*verb)(grpc::ClientContext*, const Req&, v1::Admission*),
                     Req req, const std::string& reason) {
  v1::GetAdmissionRequest get;
  get.set_id(admission_id);
  v1::Admission a;
  EXPECT_TRUE(Call(s, who, &Stub::GetAdmission, get, &a).ok());
  req.set_id(admission_id);
  req.set_etag(a.etag());
  req.set_reason(reason);
  auto st = Call(s, who, verb, req, &a);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return a;
}

// Moves a transition of an admission in data (decision 0042): the service keeps its
// clock, the history says the admission got there at `at` (London wall time).
void MoveTransition(RegistryServer& s, const std::string& admission_id, const std::string& to,
                    const std::string& at) {
  s.db().Run(absl::StrCat("UPDATE registry.admission_transitions SET at = '", at,
                          " Europe/London' WHERE admission_id = '", admission_id,
                          "' AND to_state = '", to, "'"));
}

std::set<std::string> LateProviders(RegistryServer& s, const Caller& who,
                                    const std::string& framework, const std::string& month) {
  v1::ListLateCapacityReturnsRequest req;
  req.set_framework_id(framework);
  req.set_month(month);
  v1::ListLateCapacityReturnsResponse resp;
  auto st = Call(s, who, &Stub::ListLateCapacityReturns, req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  std::set<std::string> late;
  for (const auto& l : resp.late_returns()) {
    late.insert(l.provider_id());
    EXPECT_EQ(l.month(), month);
  }
  return late;
}

// Weekly hours are bounded by the week and the workforce, and a return is made only for
// a month the provider was on the framework in (decision 69). Nothing is stored when one
// is refused.
TEST_F(RegistryTest, CapacityReturnsHoldPossibleHoursForMonthsOnTheFramework) {
  // A commissioner and framework of their own, which no other test lists: moving this
  // admission must not make others' months late.
  const std::string council = world_->CreateOrg("Hours Council", v1::Organisation::COUNCIL);
  const Caller comm = MakeCaller(council, {Role::kCommissioner});
  const v1::Framework framework =
      world_->CreateFramework(comm, world_->CreatePartnership("Hours", {council}), "Hours");
  const v1::Lot lot = world_->CreateLot(comm, framework.id(), "H");
  auto p = world_->AdmittedProvider("Bermondsey Hours Care", comm, framework, lot,
                                    {"Derby"});  // admitted today, 24 November 2026
  auto count = [&] {
    return server_->db().Query(absl::StrCat(
        "SELECT count(*)::text AS v FROM registry.capacity_returns WHERE provider_id = '", p.org,
        "'"))[0];
  };
  const std::string before = count();
  v1::CreateCapacityReturnRequest cap;
  auto* c = cap.mutable_capacity_return();
  c->set_framework_id(framework.id());
  v1::CapacityReturn r;
  // The audit's figure: refused, naming the limit.
  c->set_month("2026-11");
  c->set_estimated_weekly_hours_available(2147483647);
  auto st = Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "capacity_return.estimated_weekly_hours_available: must be at most 100000");
  // 10 workers can give at most 1680 hours a week, delivered or available.
  c->set_care_workers_employed(10);
  c->set_current_total_weekly_hours(1681);
  c->set_estimated_weekly_hours_available(1700);
  st = Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &r);
  EXPECT_THAT(ViolationFields(st), ElementsAre("capacity_return.current_total_weekly_hours",
                                               "capacity_return.estimated_weekly_hours_available"));
  EXPECT_THAT(st.error_message(),
              ::testing::HasSubstr("must be at most 1680 (168 hours a week for each of the 10 "
                                   "care workers employed)"));
  // A month before the provider's admission is owed nothing and is refused.
  c->set_current_total_weekly_hours(1680);
  c->set_estimated_weekly_hours_available(40);
  c->set_month("2026-08");
  st = Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(),
              ::testing::HasSubstr("first admitted to the framework on 2026-11-24: returns are "
                                   "owed from 2026-11"));
  EXPECT_THAT(PreconditionViolations(st),
              ElementsAre("RETURN_BEFORE_ADMISSION framework/" + framework.id()));
  EXPECT_EQ(count(), before);
  // Admitted since August (as if), it is owed and accepted.
  MoveTransition(*server_, p.admission_id, "ACTIVE", "2026-08-31 18:00");
  ASSERT_TRUE(Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &r).ok());
  EXPECT_EQ(r.estimated_weekly_hours_available(), 40);
}

TEST_F(RegistryTest, LateCapacityReturnsAreOwedFromAdmissionUntilTermination) {
  // Other tests' providers on this framework were admitted today (24 November): they
  // owe nothing for the months asked about here.
  const v1::Framework& f = framework_b_;
  const v1::Lot& lot = lot_b_;
  auto admitted = [&](const std::string& name, const std::string& at) {
    auto p = world_->AdmittedProvider(name, comm_b_, f, lot, {"Derby"});
    if (!at.empty()) MoveTransition(*server_, p.admission_id, "ACTIVE", at);
    return p;
  };
  // October's returns were due 10 November; today is 24 November.
  auto prompt = admitted("Prompt Care", "2026-09-15 10:00");
  auto tardy = admitted("Tardy Care", "2026-09-15 10:00");
  auto last_day = admitted("Last Day Care", "2026-10-31 23:30");  // admitted in October
  auto next_day = admitted("Next Day Care", "2026-11-01 00:10");  // not in October
  auto today = admitted("Admitted Today Care", "");
  auto suspended = admitted("Suspended Care", "2026-09-15 10:00");
  auto gone_early = admitted("Gone Early Care", "2026-09-15 10:00");
  auto gone_late = admitted("Gone Late Care", "2026-09-15 10:00");
  v1::SuspendAdmissionRequest suspend;
  auto* item = suspend.add_action_plan();
  item->set_description("Send the returns");
  item->mutable_due_date()->set_value("2026-12-01");
  Decide(*server_, comm_b_, suspended.admission_id, &Stub::SuspendAdmission, suspend, "audit");
  for (const auto* gone : {&gone_early, &gone_late}) {
    Decide(*server_, comm_b_, gone->admission_id, &Stub::TerminateAdmission,
           v1::TerminateAdmissionRequest(), "left");
  }
  // Terminated the evening before the due day: it no longer owed October's return.
  MoveTransition(*server_, gone_early.admission_id, "TERMINATED", "2026-11-09 23:00");
  // Gone Late was terminated today, after the due day: it still owes it.

  // Prompt made its return (late, but made).
  v1::CreateCapacityReturnRequest cap;
  cap.mutable_capacity_return()->set_framework_id(f.id());
  cap.mutable_capacity_return()->set_month("2026-10");
  cap.mutable_capacity_return()->set_estimated_weekly_hours_available(5);
  v1::CapacityReturn r;
  ASSERT_TRUE(Call(*server_, prompt.admin, &Stub::CreateCapacityReturn, cap, &r).ok());
  EXPECT_TRUE(r.late());

  v1::ListLateCapacityReturnsRequest req;
  req.set_framework_id(f.id());
  req.set_month("2026-10");
  v1::ListLateCapacityReturnsResponse resp;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::ListLateCapacityReturns, req, &resp).ok());
  ASSERT_GT(resp.late_returns_size(), 0);
  EXPECT_EQ(resp.late_returns(0).due_date().value(), "2026-11-10");
  EXPECT_EQ(LateProviders(*server_, comm_b_, f.id(), "2026-10"),
            (std::set<std::string>{tardy.org, last_day.org, suspended.org, gone_late.org}));
  // September: only those admitted by its end owe it; none made it.
  EXPECT_EQ(
      LateProviders(*server_, comm_b_, f.id(), "2026-09"),
      (std::set<std::string>{prompt.org, tardy.org, suspended.org, gone_early.org, gone_late.org}));
  // Long before anyone was admitted (or the framework existed): nobody owes anything.
  EXPECT_TRUE(LateProviders(*server_, comm_b_, f.id(), "2020-01").empty());
  // November's are not due yet: nothing is late.
  EXPECT_TRUE(LateProviders(*server_, comm_b_, f.id(), "2026-11").empty());
  (void)next_day;
  (void)today;
}

// Reads what CompleteActionPlanItem may write: the admission's version and its items'
// completion dates, in id order.
std::string PlanRow(RegistryServer& s, const std::string& admission_id) {
  return s.db().Query(absl::StrCat(
      "SELECT a.version || ':' || string_agg(COALESCE(i.completed_date::text, '-'), ','"
      " ORDER BY i.id) AS v FROM registry.admissions a JOIN registry.action_plan_items i"
      " ON i.admission_id = a.id WHERE a.id = '",
      admission_id, "' GROUP BY a.version"))[0];
}

TEST_F(RegistryTest, ActionPlanItemsAreCompletedOnceWithinTheSuspension) {
  // The clock moves in this test; it is put back whatever happens.
  struct RestoreClock {
    FakeClock& clock;
    ~RestoreClock() { clock.Set(DefaultNow()); }
  } restore{server_->clock()};
  auto p = world_->AdmittedProvider("Plan Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  v1::SuspendAdmissionRequest suspend;
  auto* first = suspend.add_action_plan();
  first->set_description("Explain the missed visits");
  first->mutable_due_date()->set_value("2026-12-15");
  v1::Admission a = Decide(*server_, comm_a_, p.admission_id, &Stub::SuspendAdmission, suspend,
                           "Missed visits");  // 24 November
  ASSERT_EQ(a.state(), v1::Admission::SUSPENDED);
  const int history = a.history_size();

  // Two days later a second item is agreed.
  server_->clock().Advance(absl::Hours(48));  // 26 November
  v1::AddActionPlanItemsRequest add;
  add.set_id(a.id());
  add.set_etag(a.etag());
  auto* second = add.add_action_plan();
  second->set_description("Retrain the rota team");
  second->mutable_due_date()->set_value("2026-12-20");
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::AddActionPlanItems, add, &a).ok());
  ASSERT_EQ(a.action_plan_size(), 2);
  const std::string first_id = a.action_plan(0).id(), second_id = a.action_plan(1).id();

  v1::CompleteActionPlanItemRequest done;
  done.set_id(a.id());
  done.set_etag(a.etag());
  v1::Admission unchanged;
  auto refused = [&](const std::string& item, const std::string& day) {
    done.set_item_id(item);
    done.mutable_completed_date()->set_value(day);
    const std::string before = PlanRow(*server_, a.id());
    grpc::Status st = Call(*server_, comm_a_, &Stub::CompleteActionPlanItem, done, &unchanged);
    EXPECT_EQ(PlanRow(*server_, a.id()), before) << "written: " << day;
    return st;
  };
  // Not in the future, not before the item was added (the suspension's day for the
  // first item, the day it was agreed for the second).
  auto future = refused(first_id, "2026-11-27");
  EXPECT_EQ(future.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(future), ElementsAre("completed_date"));
  EXPECT_THAT(ViolationFields(refused(first_id, "2026-11-23")), ElementsAre("completed_date"));
  auto early = refused(second_id, "2026-11-25");
  EXPECT_EQ(early.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(early), ElementsAre("completed_date"));
  EXPECT_EQ(refused(NewUuid(), "2026-11-26").error_code(), grpc::StatusCode::NOT_FOUND);

  done.set_item_id(first_id);
  done.mutable_completed_date()->set_value("2026-11-24");
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::CompleteActionPlanItem, done, &a).ok());
  EXPECT_EQ(a.action_plan(0).completed_date().value(), "2026-11-24");
  EXPECT_EQ(a.history_size(), history);  // the history holds state transitions only

  // Done once: another date (or the same) is refused, and the first one stays.
  done.set_etag(a.etag());
  auto twice = refused(first_id, "2026-11-26");
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(twice.error_message(), ::testing::HasSubstr("already completed on 2026-11-24"));
  EXPECT_THAT(PreconditionViolations(twice),
              ElementsAre("ACTION_ITEM_STATE action_plan_item/" + first_id));

  // Once reinstated, the plan is the record the decision was made on.
  a = Decide(*server_, comm_a_, a.id(), &Stub::ReinstateAdmission, v1::ReinstateAdmissionRequest(),
             "Plan met");
  ASSERT_EQ(a.state(), v1::Admission::ACTIVE);
  done.set_etag(a.etag());
  auto active = refused(second_id, "2026-11-26");
  EXPECT_EQ(active.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(active.error_message(),
              ::testing::StartsWith("the admission is ACTIVE; action plan items are completed"));
}

TEST_F(RegistryTest, UpdatesRefuseChangesToImmutableFieldsAndWriteNothing) {
  v1::Lot lot = world_->CreateLot(comm_b_, framework_b_.id(), "IMM");
  auto version = [&](const std::string& table, const std::string& id) {
    return server_->db().Query(absl::StrCat("SELECT version::text AS v FROM registry.", table,
                                            " WHERE id = '", id, "'"))[0];
  };
  // A lot's code and framework: refused, each named, nothing written.
  v1::UpdateLotRequest upd;
  *upd.mutable_lot() = lot;
  upd.mutable_lot()->set_code("ZZ");
  v1::Lot out;
  auto st = Call(*server_, comm_b_, &Stub::UpdateLot, upd, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("lot.code"));
  upd.mutable_lot()->set_framework_id(framework_a_.id());
  EXPECT_THAT(ViolationFields(Call(*server_, comm_b_, &Stub::UpdateLot, upd, &out)),
              ElementsAre("lot.framework_id", "lot.code"));
  upd.mutable_lot()->set_code("IMM");
  EXPECT_THAT(ViolationFields(Call(*server_, comm_b_, &Stub::UpdateLot, upd, &out)),
              ElementsAre("lot.framework_id"));
  EXPECT_EQ(version("lots", lot.id()), "1");
  v1::GetLotRequest get;
  get.set_id(lot.id());
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::GetLot, get, &out).ok());
  EXPECT_EQ(out.code(), "IMM");
  EXPECT_EQ(out.framework_id(), framework_b_.id());
  EXPECT_EQ(out.etag(), lot.etag());
  // Left out, they keep their values; the same values are no change.
  upd.mutable_lot()->clear_framework_id();
  upd.mutable_lot()->clear_code();
  upd.mutable_lot()->set_display_name("Immutable fields");
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::UpdateLot, upd, &out).ok());
  EXPECT_EQ(out.code(), "IMM");

  // A framework's partnership.
  v1::GetFrameworkRequest gf;
  gf.set_id(framework_b_.id());
  v1::Framework f;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::GetFramework, gf, &f).ok());
  const std::string framework_version = version("frameworks", f.id());
  v1::UpdateFrameworkRequest uf;
  *uf.mutable_framework() = f;
  uf.mutable_framework()->set_partnership_id(partnership_a_);
  v1::Framework f_out;
  st = Call(*server_, comm_b_, &Stub::UpdateFramework, uf, &f_out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("framework.partnership_id"));
  EXPECT_EQ(version("frameworks", f.id()), framework_version);

  // A compliance document's kind.
  auto p = world_->AdmittedProvider("Immutable Care", comm_b_, framework_b_, lot_b_, {"Derby"});
  v1::ListComplianceDocumentsRequest ld;
  ld.set_provider_id(p.org);
  ld.set_kind(v1::ComplianceDocument::EMPLOYERS_LIABILITY);
  v1::ListComplianceDocumentsResponse docs;
  ASSERT_TRUE(Call(*server_, p.admin, &Stub::ListComplianceDocuments, ld, &docs).ok());
  ASSERT_EQ(docs.documents_size(), 1);
  v1::UpdateComplianceDocumentRequest ud;
  *ud.mutable_document() = docs.documents(0);
  ud.mutable_document()->set_kind(v1::ComplianceDocument::PUBLIC_LIABILITY);
  v1::ComplianceDocument d_out;
  st = Call(*server_, p.admin, &Stub::UpdateComplianceDocument, ud, &d_out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("document.kind"));
  EXPECT_EQ(version("compliance_documents", docs.documents(0).id()), "1");
}

// ----------------------------------------------------------------- security ---

std::string B64(const std::string& s) {
  std::string out;
  absl::WebSafeBase64Escape(s, &out);
  return out;
}

TEST_F(RegistryTest, SecurityTableEveryBadTokenIsRefused) {
  auto& tokens = pdps::testing::Tokens::Get();
  auth::MintOptions base;
  base.kid = pdps::testing::kKid;
  base.private_key_pem = tokens.private_pem();
  base.issuer = pdps::testing::kIssuer;
  base.audience = pdps::testing::kAudience;
  base.user_id = NewUuid();
  base.organisation_id = council_a_;
  base.roles = {Role::kCommissioner};
  base.issued_at = absl::Now() - absl::Minutes(1);
  auto mint = [&](std::function<void(auth::MintOptions&)> change) {
    auth::MintOptions o = base;
    change(o);
    return *auth::Mint(o);
  };
  std::string good = mint([](auto&) {});
  std::vector<absl::string_view> parts = absl::StrSplit(good, '.');
  struct Case {
    const char* name;
    std::string token;
  };
  const Case cases[] = {
      {"missing token", ""},
      {"alg none", B64(R"({"alg":"none","kid":"test-key-1"})") + "." + std::string(parts[1]) + "."},
      {"HS256", B64(R"({"alg":"HS256","kid":"test-key-1"})") + "." + std::string(parts[1]) + ".x"},
      {"unknown kid", mint([](auto& o) { o.kid = "other"; })},
      {"wrong issuer", mint([](auto& o) { o.issuer = "https://elsewhere"; })},
      {"wrong audience", mint([](auto& o) { o.audience = "finance"; })},
      {"expired", mint([](auto& o) {
         o.issued_at = absl::Now() - absl::Hours(9);
         o.lifetime = absl::Hours(1);
       })},
      {"not yet valid", mint([](auto& o) { o.issued_at = absl::Now() + absl::Hours(2); })},
  };
  for (const auto& c : cases) {
    Caller who{council_a_, c.token};
    v1::GetFrameworkRequest req;
    req.set_id(framework_a_.id());
    v1::Framework f;
    EXPECT_EQ(Call(*server_, who, &Stub::GetFramework, req, &f).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << c.name;
  }
  // The organisation in the body differs from the token's.
  auto p = world_->AdmittedProvider("Honest Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  auto q = world_->AdmittedProvider("Other Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  v1::GetProviderRequest get;
  get.set_id(q.org);
  v1::Provider q_profile;
  ASSERT_TRUE(Call(*server_, q.admin, &Stub::GetProvider, get, &q_profile).ok());
  v1::UpdateProviderRequest upd;
  *upd.mutable_provider() = q_profile;
  upd.mutable_provider()->add_coverage_areas("Hijacked");
  v1::Provider out;
  EXPECT_EQ(Call(*server_, p.admin, &Stub::UpdateProvider, upd, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::CreateCapacityReturnRequest cap;
  cap.mutable_capacity_return()->set_provider_id(q.org);
  cap.mutable_capacity_return()->set_framework_id(framework_a_.id());
  cap.mutable_capacity_return()->set_month("2026-10");
  v1::CapacityReturn r;
  EXPECT_EQ(Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &r).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A role that may not call the RPC.
  v1::CreateOrganisationRequest create;
  create.mutable_organisation()->set_display_name("Sneaky");
  create.mutable_organisation()->set_kind(v1::Organisation::PROVIDER);
  v1::Organisation o;
  EXPECT_EQ(Call(*server_, comm_a_, &Stub::CreateOrganisation, create, &o).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// Defence in depth: even through the service's own database role, only a platform
// operator's transaction may add to the directory (registry migration 0005).
TEST_F(RegistryTest, OnlyPlatformOperatorsWriteTheDirectoryEvenInTheDatabase) {
  auto pool = server_->db().AppPool("registry", 1);
  auto join = [&](const std::string& roles) {
    return pool->InTx({council_b_, NewUuid(), false, roles}, absl::Now() + absl::Seconds(10),
                      [&](db::Tx& tx) {
                        return tx
                            .Exec(
                                "INSERT INTO registry.partnership_members"
                                " (partnership_id, organisation_id) VALUES ($1, $2)",
                                {db::P(partnership_a_), db::P(council_b_)})
                            .status();
                      });
  };
  EXPECT_FALSE(join("commissioner").ok());
  EXPECT_FALSE(join("").ok());
  EXPECT_EQ(server_->db().Query(
                absl::StrCat("SELECT count(*)::text AS v FROM registry.partnership_members WHERE "
                             "partnership_id = '",
                             partnership_a_, "' AND organisation_id = '", council_b_, "'")),
            std::vector<std::string>{"0"});
  // The same statements as an operator: a new partnership with a member, and a new
  // organisation.
  const std::string partnership = NewUuid();
  auto made =
      pool->InTx({council_b_, NewUuid(), false, "commissioner,platform_operator"},
                 absl::Now() + absl::Seconds(10), [&](db::Tx& tx) -> absl::Status {
                   RETURN_IF_ERROR(tx.Exec("INSERT INTO registry.partnerships (id, display_name,"
                                           " create_user, create_organisation, update_user)"
                                           " VALUES ($1, 'Directory Test', 'u', $2, 'u')",
                                           {db::P(partnership), db::P(council_b_)})
                                       .status());
                   RETURN_IF_ERROR(tx.Exec("INSERT INTO registry.partnership_members"
                                           " (partnership_id, organisation_id) VALUES ($1, $2)",
                                           {db::P(partnership), db::P(council_b_)})
                                       .status());
                   return tx
                       .Exec(
                           "INSERT INTO registry.organisations (id, display_name, kind)"
                           " VALUES ($1, 'Directory Test', 'PROVIDER')",
                           {db::P(NewUuid())})
                       .status();
                 });
  EXPECT_TRUE(made.ok()) << made;
}

TEST_F(RegistryTest, TenantsSeeNothingOfEachOther) {
  // Tenant A: a provider admitted on A's framework with documents and returns.
  auto pa = world_->AdmittedProvider("A-only Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  v1::CreateComplianceDocumentRequest doc;
  auto* d = doc.mutable_document();
  d->set_kind(v1::ComplianceDocument::POLICY);
  d->set_title("Safeguarding policy");
  d->set_evidence_reference("POL-7");
  d->mutable_issue_date()->set_value("2026-01-01");
  d->mutable_expiry_date()->set_value("2027-01-01");
  v1::ComplianceDocument made;
  ASSERT_TRUE(Call(*server_, pa.admin, &Stub::CreateComplianceDocument, doc, &made).ok());

  // Commissioner B: no Get works, no List returns anything of A's.
  v1::GetAdmissionRequest ga;
  ga.set_id(pa.admission_id);
  v1::Admission adm;
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::GetAdmission, ga, &adm).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetComplianceDocumentRequest gd;
  gd.set_id(made.id());
  v1::ComplianceDocument doc_out;
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::GetComplianceDocument, gd, &doc_out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetProviderRequest gp;
  gp.set_id(pa.org);
  v1::Provider prov;
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::GetProvider, gp, &prov).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListAdmissionsRequest la;
  v1::ListAdmissionsResponse lar;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::ListAdmissions, la, &lar).ok());
  for (const auto& a : lar.admissions()) EXPECT_EQ(a.framework_id(), framework_b_.id());
  la.set_provider_id(pa.org);
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::ListAdmissions, la, &lar).ok());
  EXPECT_EQ(lar.admissions_size(), 0);

  v1::ListComplianceDocumentsRequest ld;
  v1::ListComplianceDocumentsResponse ldr;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::ListComplianceDocuments, ld, &ldr).ok());
  for (const auto& x : ldr.documents()) EXPECT_NE(x.provider_id(), pa.org);
  ld.set_expiring_within_days(3650);
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::ListComplianceDocuments, ld, &ldr).ok());
  for (const auto& x : ldr.documents()) EXPECT_NE(x.provider_id(), pa.org);

  v1::ListCapacityReturnsRequest lc;
  v1::ListCapacityReturnsResponse lcr;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::ListCapacityReturns, lc, &lcr).ok());
  for (const auto& x : lcr.capacity_returns()) EXPECT_EQ(x.framework_id(), framework_b_.id());

  v1::ListLateCapacityReturnsRequest ll;
  ll.set_framework_id(framework_a_.id());
  ll.set_month("2026-10");
  v1::ListLateCapacityReturnsResponse llr;
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::ListLateCapacityReturns, ll, &llr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // published: readable, not its returns
  ll.set_framework_id(NewUuid());
  EXPECT_EQ(Call(*server_, comm_b_, &Stub::ListLateCapacityReturns, ll, &llr).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Another provider sees none of A-only Care's records either.
  auto other = world_->AdmittedProvider("Nosy Care", comm_b_, framework_b_, lot_b_, {"Derby"});
  EXPECT_EQ(Call(*server_, other.admin, &Stub::GetComplianceDocument, gd, &doc_out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(*server_, other.admin, &Stub::GetAdmission, ga, &adm).error_code(),
            grpc::StatusCode::NOT_FOUND);
  la.clear_provider_id();
  ASSERT_TRUE(Call(*server_, other.admin, &Stub::ListAdmissions, la, &lar).ok());
  for (const auto& a : lar.admissions()) EXPECT_EQ(a.provider_id(), other.org);
  ld.Clear();
  ASSERT_TRUE(Call(*server_, other.admin, &Stub::ListComplianceDocuments, ld, &ldr).ok());
  for (const auto& x : ldr.documents()) EXPECT_EQ(x.provider_id(), other.org);
  ASSERT_TRUE(Call(*server_, other.admin, &Stub::ListCapacityReturns, lc, &lcr).ok());
  for (const auto& x : lcr.capacity_returns()) EXPECT_EQ(x.provider_id(), other.org);

  // And commissioner A does see its provider's records.
  EXPECT_TRUE(Call(*server_, comm_a_, &Stub::GetComplianceDocument, gd, &doc_out).ok());
  EXPECT_TRUE(Call(*server_, nhs_comm_a_, &Stub::GetProvider, gp, &prov).ok());
}

TEST_F(RegistryTest, ExpiredMandatoryDocumentIsAnnouncedOnce) {
  auto p = world_->AdmittedProvider("Sweeper Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  v1::CreateComplianceDocumentRequest doc;
  auto* d = doc.mutable_document();
  d->set_kind(v1::ComplianceDocument::OFSTED_REGISTRATION);
  d->set_title("Ofsted registration");
  d->set_evidence_reference("SC-9");
  d->mutable_issue_date()->set_value("2025-11-01");
  d->mutable_expiry_date()->set_value("2026-11-25");
  v1::ComplianceDocument made;
  ASSERT_TRUE(Call(*server_, p.admin, &Stub::CreateComplianceDocument, doc, &made).ok());
  EXPECT_EQ(made.status(), v1::ComplianceDocument::EXPIRING_SOON);
  // Commissioner's view of what expires within 7 days includes it.
  v1::ListComplianceDocumentsRequest ld;
  ld.set_expiring_within_days(7);
  ld.set_provider_id(p.org);
  v1::ListComplianceDocumentsResponse ldr;
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::ListComplianceDocuments, ld, &ldr).ok());
  ASSERT_EQ(ldr.documents_size(), 1);

  auto& store = *server_->registry().store;
  auto count_events = [&] {
    int n = 0;
    for (const auto& e : ReadFeed(*server_, service_, 0)) {
      if (e.event_type() == "pdps.registry.v1.ComplianceDocumentExpired" &&
          e.aggregate_id() == made.id()) {
        ++n;
      }
    }
    return n;
  };
  absl::Time later = DefaultNow() + absl::Hours(24 * 3);  // 27 November
  ASSERT_TRUE(store.AnnounceExpiredDocuments(DefaultNow(), absl::Now() + absl::Seconds(5)).ok());
  EXPECT_EQ(count_events(), 0);
  ASSERT_TRUE(store.AnnounceExpiredDocuments(later, absl::Now() + absl::Seconds(5)).ok());
  ASSERT_TRUE(store.AnnounceExpiredDocuments(later, absl::Now() + absl::Seconds(5)).ok());
  EXPECT_EQ(count_events(), 1);

  // A policy already renewed by another of its kind in date is not announced as lapsed.
  auto renewing =
      world_->AdmittedProvider("Renewing Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  d->set_kind(v1::ComplianceDocument::EMPLOYERS_LIABILITY);
  d->set_title("Employer's liability");
  d->mutable_cover()->set_pence(500000000);
  v1::ComplianceDocument old_policy;
  ASSERT_TRUE(
      Call(*server_, renewing.admin, &Stub::CreateComplianceDocument, doc, &old_policy).ok());
  d->mutable_issue_date()->set_value("2026-11-20");
  d->mutable_expiry_date()->set_value("2027-11-25");
  d->set_evidence_reference("EL-10");
  v1::ComplianceDocument new_policy;
  ASSERT_TRUE(
      Call(*server_, renewing.admin, &Stub::CreateComplianceDocument, doc, &new_policy).ok());
  ASSERT_TRUE(store.AnnounceExpiredDocuments(later, absl::Now() + absl::Seconds(5)).ok());
  int announced = 0;
  for (const auto& e : ReadFeed(*server_, service_, 0)) {
    announced += e.event_type() == "pdps.registry.v1.ComplianceDocumentExpired" &&
                 (e.aggregate_id() == old_policy.id() || e.aggregate_id() == new_policy.id());
  }
  EXPECT_EQ(announced, 0);
}

TEST_F(RegistryTest, ApplicationWindowsPartnershipMembersRejectionAndRenewal) {
  // A framework whose only window has closed: applications are refused, and it is not
  // listed as open.
  v1::CreateFrameworkRequest fr;
  auto* f = fr.mutable_framework();
  f->set_partnership_id(partnership_b_);
  f->set_display_name("Closed DPS");
  f->set_kind(v1::Framework::DPS);
  f->set_billing_period(v1::Framework::MONTHLY);
  f->mutable_call_off()->set_method(v1::CallOffSettings::BROADCAST_FIRST_RESPONDER);
  auto* w = f->add_application_windows();
  w->mutable_open_date()->set_value("2026-01-01");
  w->mutable_close_date()->set_value("2026-03-31");
  v1::Framework closed;
  ASSERT_TRUE(Call(*server_, comm_b_, &Stub::CreateFramework, fr, &closed).ok());
  v1::Lot lot = world_->CreateLot(comm_b_, closed.id(), "X1");
  std::string org = world_->CreateOrg("Late Applicant Ltd", v1::Organisation::PROVIDER);
  Caller admin = MakeCaller(org, {Role::kProviderAdmin});
  world_->FileInsurance(admin);
  v1::ApplyForAdmissionRequest apply;
  apply.set_framework_id(closed.id());
  apply.add_lot_ids(lot.id());
  v1::ApplyForAdmissionResponse applied;
  auto shut = Call(*server_, admin, &Stub::ApplyForAdmission, apply, &applied);
  EXPECT_EQ(shut.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(PreconditionViolations(shut),
              ElementsAre("APPLICATION_WINDOW_CLOSED framework/" + closed.id()));
  v1::ListFrameworksRequest open;
  open.mutable_open_for_applications_on()->set_value("2026-11-24");
  open.set_page_size(500);
  v1::ListFrameworksResponse listed;
  ASSERT_TRUE(Call(*server_, admin, &Stub::ListFrameworks, open, &listed).ok());
  std::set<std::string> ids;
  for (const auto& x : listed.frameworks()) ids.insert(x.id());
  EXPECT_EQ(ids.count(closed.id()), 0u);
  EXPECT_EQ(ids.count(framework_a_.id()), 1u);

  // Rejection with a reason; the provider may then apply again (no live admission).
  apply.set_framework_id(framework_a_.id());
  apply.clear_lot_ids();
  apply.add_lot_ids(lot_a2_.id());
  ASSERT_TRUE(Call(*server_, admin, &Stub::ApplyForAdmission, apply, &applied).ok());
  v1::RejectApplicationRequest reject;
  reject.set_id(applied.admissions(0).id());
  reject.set_etag(applied.admissions(0).etag());
  v1::Admission rejected;
  EXPECT_THAT(ViolationFields(Call(*server_, comm_a_, &Stub::RejectApplication, reject, &rejected)),
              ElementsAre("reason"));
  reject.set_reason("Insufficient evidence of safeguarding training");
  ASSERT_TRUE(Call(*server_, comm_a_, &Stub::RejectApplication, reject, &rejected).ok());
  EXPECT_EQ(rejected.state(), v1::Admission::REJECTED);
  EXPECT_TRUE(Call(*server_, admin, &Stub::ApplyForAdmission, apply, &applied).ok());

  // Partnerships are made of commissioners only.
  v1::CreatePartnershipRequest part;
  part.mutable_partnership()->set_display_name("Odd partnership");
  part.mutable_partnership()->add_member_organisation_ids(council_a_);
  part.mutable_partnership()->add_member_organisation_ids(org);
  part.mutable_partnership()->add_member_organisation_ids(NewUuid());
  v1::Partnership p;
  EXPECT_THAT(ViolationFields(Call(*server_, world_->platform, &Stub::CreatePartnership, part, &p)),
              ElementsAre("partnership.member_organisation_ids[1]",
                          "partnership.member_organisation_ids[2]"));

  // Renewing an expired document makes it current again, announced once per expiry.
  v1::CreateComplianceDocumentRequest doc;
  auto* d = doc.mutable_document();
  d->set_kind(v1::ComplianceDocument::OFSTED_REGISTRATION);
  d->set_title("Ofsted registration");
  d->set_evidence_reference("SC-1");
  d->mutable_issue_date()->set_value("2025-01-01");
  d->mutable_expiry_date()->set_value("2026-11-01");
  v1::ComplianceDocument made;
  ASSERT_TRUE(Call(*server_, admin, &Stub::CreateComplianceDocument, doc, &made).ok());
  EXPECT_EQ(made.status(), v1::ComplianceDocument::EXPIRED);
  v1::UpdateComplianceDocumentRequest renew;
  *renew.mutable_document() = made;
  renew.mutable_document()->mutable_expiry_date()->set_value("2027-11-01");
  renew.mutable_document()->set_evidence_reference("SC-2");
  v1::ComplianceDocument renewed;
  ASSERT_TRUE(Call(*server_, admin, &Stub::UpdateComplianceDocument, renew, &renewed).ok());
  EXPECT_EQ(renewed.status(), v1::ComplianceDocument::CURRENT);
  EXPECT_EQ(Call(*server_, admin, &Stub::UpdateComplianceDocument, renew, &renewed).error_code(),
            grpc::StatusCode::ABORTED);

  // A registration stays mandatory however it is updated: sending false changes nothing.
  v1::UpdateComplianceDocumentRequest optional;
  *optional.mutable_document() = renewed;
  optional.mutable_document()->set_mandatory(false);
  v1::ComplianceDocument still;
  ASSERT_TRUE(Call(*server_, admin, &Stub::UpdateComplianceDocument, optional, &still).ok());
  EXPECT_TRUE(still.mandatory());
}

// A consumer that dies mid-batch resumes from its cursor: nothing lost, nothing applied
// twice, also with two consumers polling the same feed at once.
TEST_F(RegistryTest, FeedConsumerResumesWithoutLossOrDoubleEffect) {
  server_->db().Run(
      "CREATE TABLE registry.test_effects (event_id uuid NOT NULL, position bigint NOT NULL);"
      "GRANT SELECT, INSERT ON registry.test_effects TO registry_app");
  world_->AdmittedProvider("Feed Care One", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  world_->AdmittedProvider("Feed Care Two", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  const int total = static_cast<int>(ReadFeed(*server_, service_, 0).size());
  ASSERT_GE(total, 6);

  auto token = [] { return service_.token; };
  auto pool = server_->db().AppPool("registry", 4);
  int calls = 0;
  auto apply = [](db::Tx& tx, const pdps::common::v1::Event& e) {
    return tx.Exec("INSERT INTO registry.test_effects (event_id, position) VALUES ($1, $2)",
                   {db::P(e.event_id()), db::P(e.position())})
        .status();
  };
  events::Consumer crashing("test<-registry", "registry", pool.get(), server_->channel(), token,
                            [&](db::Tx& tx, const pdps::common::v1::Event& e) -> absl::Status {
                              if (++calls == 3) return absl::InternalError("crash mid-batch");
                              return apply(tx, e);
                            });
  EXPECT_FALSE(crashing.PollOnce().ok());
  auto effects = [&] {
    return server_->db().Query(
        "SELECT count(*)::text || '/' || count(DISTINCT event_id)::text AS v FROM "
        "registry.test_effects")[0];
  };
  EXPECT_EQ(effects(), "2/2");

  // Restarted: picks up at event 3.
  events::Consumer restarted("test<-registry", "registry", pool.get(), server_->channel(), token,
                             apply);
  for (int i = 0; i < 20; ++i) {
    auto n = restarted.PollOnce();
    ASSERT_TRUE(n.ok()) << n.status();
    if (*n == 0) break;
  }
  EXPECT_EQ(effects(), absl::StrCat(total, "/", total));

  // More events, two replicas polling concurrently.
  world_->AdmittedProvider("Feed Care Three", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  const int grown = static_cast<int>(ReadFeed(*server_, service_, 0).size());
  events::Consumer other("test<-registry", "registry", pool.get(), server_->channel(), token,
                         apply);
  std::thread a([&] { (void)restarted.PollOnce(); });
  std::thread b([&] { (void)other.PollOnce(); });
  a.join();
  b.join();
  (void)restarted.PollOnce();
  EXPECT_EQ(effects(), absl::StrCat(grown, "/", grown));
  EXPECT_EQ(*restarted.Position(), ReadFeed(*server_, service_, 0).back().position());
}

// A consumer reading only some event types moves its cursor past the others once it has
// caught up, instead of reading them again on every poll.
TEST_F(RegistryTest, AFilteredConsumerMovesItsCursorPastOtherEvents) {
  world_->AdmittedProvider("Filtered Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  auto pool = server_->db().AppPool("registry", 2);
  int seen = 0;
  events::Consumer rare(
      "test<-rare", "registry", pool.get(), server_->channel(), [] { return service_.token; },
      [&](db::Tx&, const pdps::common::v1::Event&) {
        ++seen;
        return absl::OkStatus();
      },
      {"pdps.registry.v1.AdmissionTerminated"});
  auto n = rare.PollOnce();
  ASSERT_TRUE(n.ok()) << n.status();
  auto feed = ReadFeed(*server_, service_, 0);
  ASSERT_FALSE(feed.empty());
  int terminated = 0;
  for (const auto& e : feed) terminated += e.event_type() == "pdps.registry.v1.AdmissionTerminated";
  EXPECT_EQ(seen, terminated);
  EXPECT_EQ(*rare.Position(), feed.back().position());
}

// An SRE's view of a consumer whose peer is away: failed polls are counted per consumer
// and nothing is counted as applied; once the peer answers, the events applied are.
TEST_F(RegistryTest, FeedConsumerCountsFailedPollsAndAppliedEvents) {
  auto pool = server_->db().AppPool("registry", 2);
  auto token = [] { return service_.token; };
  auto nothing = [](db::Tx&, const pdps::common::v1::Event&) { return absl::OkStatus(); };
  metrics::Registry metrics;
  auto run = [&](events::Consumer& consumer, auto until) {
    server::Stopper stop;
    std::thread t([&] { consumer.Run(stop, absl::Milliseconds(10), &metrics); });
    for (int i = 0; i < 500 && !until(); ++i) absl::SleepFor(absl::Milliseconds(10));
    stop.Stop();
    t.join();
  };
  // Nothing listens on port 1 of 127.0.0.1: every poll fails with UNAVAILABLE.
  events::Consumer away("test<-away", "registry", pool.get(),
                        grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()),
                        token, nothing);
  const std::string failures = "pdps_feed_poll_failures_total{consumer=\"test<-away\"} ";
  // The count read once the consumer has stopped: a poll may fail between the third and
  // the stop, so at least three.
  auto failed = [&] {
    const std::string text = metrics.Render();
    const size_t at = text.find(failures);
    return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + failures.size());
  };
  run(away, [&] { return failed() >= 3; });
  std::string text = metrics.Render();
  EXPECT_GE(failed(), 3);
  EXPECT_THAT(text, ::testing::HasSubstr(
                        "pdps_feed_events_applied_total{consumer=\"test<-away\"} 0\n"));
  EXPECT_THAT(text, ::testing::HasSubstr("pdps_feed_last_success_timestamp_seconds{consumer="
                                         "\"test<-away\"} 0\n"));

  world_->AdmittedProvider("Counted Care", comm_a_, framework_a_, lot_a_, {"Lewisham"});
  const int total = static_cast<int>(ReadFeed(*server_, service_, 0).size());
  events::Consumer here("test<-here", "registry", pool.get(), server_->channel(), token, nothing);
  const std::string applied =
      absl::StrCat("pdps_feed_events_applied_total{consumer=\"test<-here\"} ", total);
  run(here, [&] { return metrics.Render().find(applied) != std::string::npos; });
  EXPECT_THAT(metrics.Render(), ::testing::HasSubstr(applied));
  EXPECT_THAT(metrics.Render(),
              ::testing::HasSubstr("pdps_feed_poll_failures_total{consumer=\"test<-here\"} 0\n"));
  // A successful poll is dated, to the second, whether or not it applied anything.
  const std::string last = "pdps_feed_last_success_timestamp_seconds{consumer=\"test<-here\"} ";
  text = metrics.Render();
  size_t at = text.find(last);
  ASSERT_NE(at, std::string::npos) << text;
  double when = std::strtod(text.c_str() + at + last.size(), nullptr);
  EXPECT_NEAR(when, absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()), 60);
}

}  // namespace
}  // namespace pdps::registry::testing
