// Referrals over real gRPC against a real PostgreSQL, with the real registry beside it
// (eligibility over gRPC, suspensions through its event feed), real signed tokens and
// an injected clock shared by both services.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/proto_util.h"
#include "common/testing/london.h"
#include "common/testing/tokens.h"
#include "pdps/referrals/v1/referrals_events.pb.h"
#include "services/referrals/tests/fixture.h"
#include "services/workforce/tests/fixture.h"

namespace pdps::referrals::testing {
namespace {

using auth::Role;
using pdps::testing::London;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;
using RStub = rv1::RegistryService::Stub;
namespace wv1 = ::pdps::workforce::v1;
using WStub = wv1::WorkforceService::Stub;

template <typename Req, typename Resp>
grpc::Status RCall(RegistryServer& s, const Caller& who,
                   grpc::Status (RStub::*m)(grpc::ClientContext*, const Req&, Resp*),
                   const Req& req, Resp* resp) {
  return registry::testing::Call(s, who, m, req, resp);
}

absl::Time Ts(const google::protobuf::Timestamp& t) { return protoutil::FromTimestamp(t); }

struct Lot {
  rv1::Framework framework;
  rv1::Lot lot;
  std::vector<World::Provider> providers;
  std::string Provider(const std::string& org) const { return org; }
};

class ReferralsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = new RegistryServer("referrals_svc", {"registry", "referrals", "workforce"});
    workforce_ = new workforce::testing::WorkforceServer(registry_);
    world_ = new World(registry_);
    council_ = world_->CreateOrg("London Borough of Southwark", rv1::Organisation::COUNCIL);
    ccg_ = world_->CreateOrg("NHS South East London", rv1::Organisation::NHS_COMMISSIONER);
    other_council_ = world_->CreateOrg("Derby City Council", rv1::Organisation::COUNCIL);
    partnership_ = world_->CreatePartnership("Southwark", {council_, ccg_});
    other_partnership_ = world_->CreatePartnership("Derby", {other_council_});
    commissioner_ = MakeCaller(council_, {Role::kCommissioner});
    officer_ = MakeCaller(council_, {Role::kBrokerageOfficer});
    nhs_officer_ = MakeCaller(ccg_, {Role::kBrokerageOfficer});
    other_officer_ = MakeCaller(other_council_, {Role::kBrokerageOfficer});
    other_commissioner_ = MakeCaller(other_council_, {Role::kCommissioner});
    service_ = MakeCaller("00000000-0000-4000-8000-000000000001", {Role::kService});
    Options options = TestOptions(registry_->address(), workforce_->address());
    server_ = new ReferralsServer(registry_, options);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete workforce_;
    delete world_;
    delete registry_;
  }
  void SetUp() override { registry_->clock().Set(London(2026, 11, 24, 10, 0)); }

  FakeClock& clock() { return registry_->clock(); }
  Stub& stub() { return server_->stub(); }

  // A framework of the Southwark partnership with its own call-off settings, one lot
  // (maximum price £25/hour) and `n` active providers covering SOUTHWARK.
  Lot MakeLot(rv1::CallOffSettings::Method method, int n,
              const std::function<void(rv1::CallOffSettings*)>& tune = nullptr) {
    Lot out;
    rv1::CreateFrameworkRequest req;
    auto* f = req.mutable_framework();
    f->set_partnership_id(partnership_);
    f->set_display_name(absl::StrCat("Framework ", ++counter_));
    f->set_kind(rv1::Framework::PDPS);
    f->set_billing_period(rv1::Framework::MONTHLY);
    f->mutable_call_off()->set_method(method);
    if (method == rv1::CallOffSettings::MINI_COMPETITION) {
      f->mutable_call_off()->set_price_weight_percent(60);
      f->mutable_call_off()->set_quality_weight_percent(40);
      f->mutable_call_off()->add_quality_questions("Continuity of carers?");
      f->mutable_call_off()->add_quality_questions("Involving the family?");
    }
    if (tune) tune(f->mutable_call_off());
    auto* w = f->add_application_windows();
    w->mutable_open_date()->set_value("2026-11-01");
    w->mutable_close_date()->set_value("2026-12-31");
    EXPECT_TRUE(
        RCall(*registry_, commissioner_, &RStub::CreateFramework, req, &out.framework).ok());
    out.lot = world_->CreateLot(commissioner_, out.framework.id(), "A");
    for (int i = 0; i < n; ++i) {
      out.providers.push_back(world_->AdmittedProvider(absl::StrCat("Provider ", counter_, "-", i),
                                                       commissioner_, out.framework, out.lot,
                                                       {"SOUTHWARK"}));
    }
    return out;
  }

  // Every provider of `lot` returns 30 hours a week available for `month` ("2026-10"),
  // so that it is eligible for referrals opened in that month. A return is made only for
  // a month on the framework (decision 69): the providers' admissions are dated (as if)
  // at the start of the year, before any month the tests go back to.
  void CapacityReturns(const Lot& lot, const std::string& month) {
    for (const auto& p : lot.providers) {
      registry_->db().Run(absl::StrCat(
          "UPDATE registry.admission_transitions SET at = '2026-01-05 10:00 Europe/London'"
          " WHERE to_state = 'ACTIVE' AND admission_id = '",
          p.admission_id, "'"));
      rv1::CreateCapacityReturnRequest cap;
      auto* c = cap.mutable_capacity_return();
      c->set_framework_id(lot.framework.id());
      c->set_month(month);
      c->set_care_workers_employed(10);
      c->set_current_packages(5);
      c->set_current_total_weekly_hours(200);
      c->set_estimated_weekly_hours_available(30);
      rv1::CapacityReturn made;
      auto st = RCall(*registry_, p.admin, &RStub::CreateCapacityReturn, cap, &made);
      EXPECT_TRUE(st.ok()) << st.error_message();
    }
  }

  const World::Provider& ProviderOf(const Lot& lot, const std::string& org) {
    for (const auto& p : lot.providers) {
      if (p.org == org) return p;
    }
    ADD_FAILURE() << "no provider " << org;
    return lot.providers.front();
  }

  // A referral raised on `lot` (through replica `on`, else the suite's server).
  v1::Referral Raise(const Lot& lot, const Caller& who = {},
                     v1::Referral::Urgency urgency = v1::Referral::ROUTINE,
                     ReferralsServer* on = nullptr) {
    return RaiseWith(
        lot, [urgency](v1::Referral* r) { r->set_urgency(urgency); }, who, on);
  }

  // The same after `tune` changed the sample referral (hours, extra competencies).
  v1::Referral RaiseWith(const Lot& lot, const std::function<void(v1::Referral*)>& tune,
                         const Caller& who = {}, ReferralsServer* on = nullptr) {
    v1::CreateReferralRequest req;
    *req.mutable_referral() = SampleReferral(lot.lot.id(), "Southwark", council_);
    tune(req.mutable_referral());
    *req.mutable_person() = SamplePerson();
    req.set_request_id(NewUuid());
    v1::Referral out;
    auto st = Call(on ? on->stub() : stub(), who.token.empty() ? officer_ : who,
                   &Stub::CreateReferral, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // An EMERGENCY referral (under 24 hours' notice: it starts tomorrow) on `lot`.
  v1::Referral RaiseEmergency(const Lot& lot, ReferralsServer* on = nullptr) {
    const std::string tomorrow = dates::FormatDay(dates::TodayInLondon(clock().Now()) + 1);
    return RaiseWith(
        lot,
        [&](v1::Referral* r) {
          r->set_urgency(v1::Referral::EMERGENCY);
          r->mutable_start_date()->set_value(tomorrow);
        },
        {}, on);
  }

  // How many referrals are stored, whoever may see them: what a refusal must not change.
  int StoredReferrals() {
    return std::stoi(
        registry_->db().Query("SELECT count(*)::text AS v FROM referrals.referrals")[0]);
  }

  v1::Referral Open(const v1::Referral& r, ReferralsServer* on = nullptr) {
    v1::OpenReferralRequest req;
    req.set_id(r.id());
    req.set_etag(r.etag());
    v1::Referral out;
    auto st = Call(on ? on->stub() : stub(), officer_, &Stub::OpenReferral, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // UpdateReferral of `r` as read, with `start` as its start date.
  grpc::Status UpdateStart(const v1::Referral& r, const std::string& start, v1::Referral* out) {
    v1::UpdateReferralRequest req;
    *req.mutable_referral() = r;
    req.mutable_referral()->mutable_start_date()->set_value(start);
    return Call(stub(), officer_, &Stub::UpdateReferral, req, out);
  }

  // OpenReferral refused: FAILED_PRECONDITION with one PreconditionViolation `type`
  // referral/<id>, and the referral as it was (DRAFT, same etag, no offers).
  grpc::Status OpenRefused(const v1::Referral& r, const std::string& type) {
    v1::OpenReferralRequest req;
    req.set_id(r.id());
    req.set_etag(r.etag());
    v1::Referral out;
    auto st = Call(stub(), officer_, &Stub::OpenReferral, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
    EXPECT_THAT(registry::testing::PreconditionViolations(st),
                ElementsAre(absl::StrCat(type, " referral/", r.id())));
    v1::Referral still = Get(r.id(), officer_);
    EXPECT_EQ(still.state(), v1::Referral::DRAFT);
    EXPECT_EQ(still.etag(), r.etag());
    EXPECT_TRUE(Offers(r.id()).empty());
    return st;
  }

  // A second replica whose operator's holiday changes file makes `day` ("2026-11-30") a
  // bank holiday. The file is read when the replica starts.
  std::unique_ptr<ReferralsServer> ReplicaWithBankHoliday(const std::string& day) {
    std::string path = absl::StrCat(::testing::TempDir(), "/holidays-", day, ".csv");
    {
      std::ofstream f(path);
      f << "# test\n" << day << ",add,Test bank holiday\n";
    }
    Options o = TestOptions(registry_->address(), workforce_->address());
    o.holiday_changes_file = path;
    auto replica = std::make_unique<ReferralsServer>(registry_, o);
    std::remove(path.c_str());
    return replica;
  }

  // One resource by id, read as `who` (GetReferral, GetOffer).
  template <typename Req, typename Resp>
  Resp Read(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
            const std::string& id, const Caller& who) {
    Req req;
    req.set_id(id);
    Resp out;
    auto st = Call(stub(), who, method, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
  v1::Referral Get(const std::string& id, const Caller& who) {
    return Read(&Stub::GetReferral, id, who);
  }
  v1::Offer GetOffer(const std::string& id, const Caller& who) {
    return Read(&Stub::GetOffer, id, who);
  }

  std::vector<v1::Offer> Offers(const std::string& referral_id) {
    v1::ListOffersRequest req;
    req.set_referral_id(referral_id);
    v1::ListOffersResponse resp;
    auto st = Call(stub(), officer_, &Stub::ListOffers, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return {resp.offers().begin(), resp.offers().end()};
  }

  std::vector<v1::Offer> Live(const std::string& referral_id) {
    std::vector<v1::Offer> out;
    for (auto& o : Offers(referral_id)) {
      if (o.state() == v1::Offer::OPEN) out.push_back(o);
    }
    return out;
  }

  std::vector<v1::Offer> Inbox(const Caller& provider, bool live = true) {
    v1::ListOffersRequest req;
    req.set_live_only(live);
    v1::ListOffersResponse resp;
    auto st = Call(stub(), provider, &Stub::ListOffers, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return {resp.offers().begin(), resp.offers().end()};
  }

  // Answers as `provider`, with the offer's etag when one is given.
  grpc::Status Decline(const Caller& provider, const std::string& offer, const std::string& why,
                       v1::Offer* out = nullptr, const std::string& etag = "") {
    v1::DeclineOfferRequest req;
    req.set_id(offer);
    req.set_etag(etag);
    req.set_reason(v1::NO_CAPACITY);
    req.set_rationale(why);
    v1::Offer o;
    return Call(stub(), provider, &Stub::DeclineOffer, req, out ? out : &o);
  }

  grpc::Status Accept(const Caller& provider, const std::string& offer, v1::Offer* out = nullptr,
                      const std::string& etag = "") {
    v1::AcceptOfferRequest req;
    req.set_id(offer);
    req.set_etag(etag);
    v1::Offer o;
    return Call(stub(), provider, &Stub::AcceptOffer, req, out ? out : &o);
  }

  template <typename Req, typename Resp>
  grpc::Status WCall(const Caller& who,
                     grpc::Status (WStub::*m)(grpc::ClientContext*, const Req&, Resp*),
                     const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    who.Prepare(&ctx);
    return (workforce_->stub().*m)(&ctx, req, resp);
  }

  // A worker of `provider` in workforce, trained in `competencies` this year.
  std::string Worker(const Caller& provider, const std::string& name,
                     const std::vector<std::string>& competencies) {
    wv1::CreateStaffMemberRequest req;
    *req.mutable_staff_member() = workforce::testing::SampleStaff(name);
    wv1::StaffMember staff;
    auto st = WCall(provider, &WStub::CreateStaffMember, req, &staff);
    EXPECT_TRUE(st.ok()) << st.error_message();
    for (const auto& code : competencies) {
      wv1::CreateTrainingRecordRequest t;
      t.mutable_training_record()->set_staff_id(staff.id());
      t.mutable_training_record()->set_competency_code(code);
      t.mutable_training_record()->mutable_completed_on()->set_value("2026-06-01");
      t.mutable_training_record()->set_training_provider("St John Ambulance");
      wv1::TrainingRecord rec;
      st = WCall(provider, &WStub::CreateTrainingRecord, t, &rec);
      EXPECT_TRUE(st.ok()) << st.error_message();
    }
    return staff.id();
  }

  Store::Sweep Sweep() {
    auto n = server_->store().RunDue(clock().Now(), 1000, absl::Now() + absl::Seconds(30));
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : Store::Sweep{-1, -1, {}};
  }
  int RunDue() { return Sweep().advanced; }

  // A bid at `pence` an hour answering both of the fixture's quality questions.
  grpc::Status SubmitBid(const World::Provider& p, const std::string& offer, int64_t pence,
                         v1::Offer* out = nullptr) {
    v1::SubmitBidRequest req;
    req.set_id(offer);
    req.mutable_bid()->mutable_hourly_rate()->set_pence(pence);
    for (int q = 0; q < 2; ++q) {
      auto* a = req.mutable_bid()->add_answers();
      a->set_question_index(q);
      a->set_answer(absl::StrCat("Answer ", q, " from ", p.org));
    }
    v1::Offer o;
    return Call(stub(), p.admin, &Stub::SubmitBid, req, out ? out : &o);
  }

  // ReopenReferral of `r` (at the etag it was read with) with `method`.
  grpc::Status Reopen(const v1::Referral& r, v1::CallOffMethod method, const std::string& reason,
                      v1::Referral* out) {
    v1::ReopenReferralRequest req;
    req.set_id(r.id());
    req.set_etag(r.etag());
    req.set_method(method);
    req.set_reason(reason);
    return Call(stub(), officer_, &Stub::ReopenReferral, req, out);
  }

  // A direct award of `r` (at the etag it was read with) to `provider`.
  grpc::Status AwardDirectly(const v1::Referral& r, const std::string& provider,
                             const std::string& rationale, v1::Referral* out) {
    v1::AwardReferralRequest req;
    req.set_id(r.id());
    req.set_etag(r.etag());
    req.set_provider_id(provider);
    req.set_rationale(rationale);
    return Call(stub(), officer_, &Stub::AwardReferral, req, out);
  }

  // A proposal of a support worker holding `competency`, described by `summary`.
  grpc::Status Propose(const Caller& provider, const std::string& offer,
                       const std::string& competency, const std::string& summary,
                       v1::Offer* out = nullptr) {
    v1::SubmitProposalRequest req;
    req.set_id(offer);
    req.mutable_proposal()->add_matched_competencies(competency);
    req.mutable_proposal()->mutable_worker_profile()->set_role("Support worker");
    req.mutable_proposal()->mutable_worker_profile()->set_summary(summary);
    v1::Offer o;
    return Call(stub(), provider, &Stub::SubmitProposal, req, out ? out : &o);
  }

  grpc::Status Evaluate(const std::string& offer, const std::vector<int>& marks,
                        v1::Offer* out = nullptr) {
    v1::EvaluateBidRequest req;
    req.set_id(offer);
    for (int m : marks) req.add_marks(m);
    v1::Offer o;
    return Call(stub(), officer_, &Stub::EvaluateBid, req, out ? out : &o);
  }

  // The registry suspends the provider's admission (its feed reaches referrals when the
  // test polls the consumer).
  void Suspend(const World::Provider& provider, const std::string& reason) {
    rv1::GetAdmissionRequest ga;
    ga.set_id(provider.admission_id);
    rv1::Admission adm;
    ASSERT_TRUE(RCall(*registry_, commissioner_, &RStub::GetAdmission, ga, &adm).ok());
    rv1::SuspendAdmissionRequest sus;
    sus.set_id(adm.id());
    sus.set_etag(adm.etag());
    sus.set_reason(reason);
    auto* item = sus.add_action_plan();
    item->set_description("Meet the contract manager");
    item->mutable_due_date()->set_value("2027-06-30");
    ASSERT_TRUE(RCall(*registry_, commissioner_, &RStub::SuspendAdmission, sus, &adm).ok());
  }

  // Whether a session of the test database comes to wait for a row lock (within 20 s).
  bool SomeoneWaitsForALock() {
    for (absl::Time give_up = absl::Now() + absl::Seconds(20); absl::Now() < give_up;) {
      auto waiting = registry_->db().Query(
          "SELECT count(*)::text AS v FROM pg_stat_activity"
          " WHERE wait_event_type = 'Lock' AND datname = current_database()");
      if (waiting != std::vector<std::string>{"0"}) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  // A referral's scheduler bookkeeping, read as the superuser.
  std::string StepRecord(const std::string& id) {
    auto v = registry_->db().Query(
        absl::StrCat("SELECT step_failures || ' ' || extract(epoch FROM next_due_at)::bigint AS v"
                     " FROM referrals.referrals WHERE id = '",
                     id, "'"));
    return v.empty() ? "" : v[0];
  }

  std::vector<pdps::common::v1::Event> Feed(int64_t after = 0) {
    std::vector<pdps::common::v1::Event> out;
    for (;;) {
      pdps::common::v1::ListEventsRequest req;
      req.set_after_position(after);
      req.set_page_size(1000);
      pdps::common::v1::ListEventsResponse resp;
      grpc::ClientContext ctx;
      service_.Prepare(&ctx);
      auto st = server_->feed().ListEvents(&ctx, req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      out.insert(out.end(), resp.events().begin(), resp.events().end());
      if (resp.events_size() < 1000) return out;
      after = resp.last_position();
    }
  }

  // Opens `r` and lets the provider of its first live offer accept it; `r` is then the
  // AWARDED referral as officers read it, and the winner is returned.
  const World::Provider& AwardByAcceptance(const Lot& lot, v1::Referral* r) {
    *r = Open(*r);
    auto live = Live(r->id());
    if (live.empty()) {
      ADD_FAILURE() << "no live offer on " << r->id();
      return lot.providers.front();
    }
    const auto& winner = ProviderOf(lot, live[0].provider_id());
    EXPECT_TRUE(Accept(winner.admin, live[0].id()).ok());
    *r = Get(r->id(), officer_);
    EXPECT_EQ(r->state(), v1::Referral::AWARDED);
    return winner;
  }

  // UpdatePersonDetails as `who` with the referral's etag (or `etag` when given).
  grpc::Status UpdatePerson(const Caller& who, const v1::Referral& r,
                            const v1::PersonDetails& person, const std::string& reason,
                            v1::Referral* out = nullptr, const std::string& etag = "") {
    v1::UpdatePersonDetailsRequest req;
    req.set_referral_id(r.id());
    req.set_etag(etag.empty() ? r.etag() : etag);
    *req.mutable_person() = person;
    req.set_reason(reason);
    v1::Referral sink;
    return Call(stub(), who, &Stub::UpdatePersonDetails, req, out ? out : &sink);
  }

  // What a write of the details touches, read as the superuser (no access to log): the
  // stored details, access-log rows, history entries, the referral's version and events
  // about it.
  std::string PersonRecord(const std::string& id) {
    auto v = registry_->db().Query(absl::StrCat(
        "SELECT (SELECT details::text FROM referrals.people WHERE referral_id = '", id, "')",
        " || ' log=' || (SELECT count(*) FROM referrals.person_access_log WHERE referral_id = '",
        id, "') || ' history=' || (SELECT count(*) FROM referrals.referral_transitions",
        " WHERE referral_id = '", id, "') || ' version=' || (SELECT version FROM",
        " referrals.referrals WHERE id = '", id, "') || ' events=' || (SELECT count(*) FROM",
        " referrals.outbox WHERE aggregate_id = '", id, "') AS v"));
    return v.empty() ? "" : v[0];
  }

  std::vector<pdps::common::v1::Event> EventsAbout(const std::string& referral_id) {
    std::vector<pdps::common::v1::Event> out;
    for (auto& e : Feed()) {
      if (e.aggregate_id() == referral_id) {
        out.push_back(e);
        continue;
      }
      v1::OfferChanged oc;
      if (e.payload().UnpackTo(&oc) && oc.offer().referral_id() == referral_id) out.push_back(e);
    }
    return out;
  }

  static RegistryServer* registry_;
  static workforce::testing::WorkforceServer* workforce_;
  static World* world_;
  static ReferralsServer* server_;
  static std::string council_, ccg_, other_council_, partnership_, other_partnership_;
  static Caller commissioner_, officer_, nhs_officer_, other_officer_, other_commissioner_,
      service_;
  static int counter_;
};
RegistryServer* ReferralsTest::registry_ = nullptr;
workforce::testing::WorkforceServer* ReferralsTest::workforce_ = nullptr;
World* ReferralsTest::world_ = nullptr;
ReferralsServer* ReferralsTest::server_ = nullptr;
std::string ReferralsTest::council_, ReferralsTest::ccg_, ReferralsTest::other_council_,
    ReferralsTest::partnership_, ReferralsTest::other_partnership_;
Caller ReferralsTest::commissioner_, ReferralsTest::officer_, ReferralsTest::nhs_officer_,
    ReferralsTest::other_officer_, ReferralsTest::other_commissioner_, ReferralsTest::service_;
int ReferralsTest::counter_ = 0;

// ------------------------------------------------------------- rotation ---

TEST_F(ReferralsTest, RotationTwoRefusalsThenFirstResponderWins) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 4);
  // The funder's id in upper case comes back, and goes out on the feed, in lower case.
  v1::Referral r = RaiseWith(lot, [&](v1::Referral* in) {
    in->mutable_funding(0)->set_organisation_id(absl::AsciiStrToUpper(council_));
  });
  EXPECT_EQ(r.state(), v1::Referral::DRAFT);
  ASSERT_EQ(r.funding_size(), 1);
  EXPECT_EQ(r.funding(0).organisation_id(), council_);
  r = Open(r);
  ASSERT_EQ(r.state(), v1::Referral::OPEN);
  EXPECT_EQ(r.method(), v1::ROTATIONAL_FIRST_REFUSAL);

  // First refusal: one exclusive offer, two working hours.
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  v1::Offer first = live[0];
  EXPECT_EQ(first.kind(), v1::Offer::EXCLUSIVE);
  EXPECT_EQ(first.rota_position(), 1);
  EXPECT_EQ(Ts(first.deadline()), London(2026, 11, 24, 12, 0));
  // Only the first-refusal provider has it in its inbox.
  for (const auto& p : lot.providers) {
    EXPECT_EQ(Inbox(p.admin).size(), p.org == first.provider_id() ? 1u : 0u);
  }

  clock().Advance(absl::Minutes(30));
  ASSERT_TRUE(Decline(ProviderOf(lot, first.provider_id()).admin, first.id(),
                      "No carers free in the mornings")
                  .ok());
  live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  v1::Offer second = live[0];
  EXPECT_NE(second.provider_id(), first.provider_id());
  EXPECT_EQ(second.rota_position(), 2);
  EXPECT_EQ(Ts(second.deadline()), London(2026, 11, 24, 12, 30));

  // The second lets its window lapse: the rest are offered at once. The scheduler runs 90
  // seconds late, and says so (pdps_referrals_step_lag_seconds).
  clock().Set(London(2026, 11, 24, 12, 30) + absl::Seconds(90));
  Store::Sweep lapsed = Sweep();
  EXPECT_EQ(lapsed.advanced, 1);
  EXPECT_THAT(lapsed.lags, ElementsAre(absl::Seconds(90)));
  auto all = Offers(r.id());
  std::map<std::string, v1::Offer> by_provider;
  for (auto& o : all) by_provider[o.provider_id()] = o;
  EXPECT_EQ(by_provider[first.provider_id()].state(), v1::Offer::DECLINED);
  EXPECT_EQ(by_provider[first.provider_id()].response_working_seconds(), 30 * 60);
  EXPECT_EQ(by_provider[second.provider_id()].state(), v1::Offer::TIMED_OUT);
  EXPECT_EQ(by_provider[second.provider_id()].response_working_seconds(), 2 * 3600);
  live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  for (auto& o : live) {
    EXPECT_EQ(o.kind(), v1::Offer::BROADCAST);
    // Two working hours from when the broadcast was made.
    EXPECT_EQ(Ts(o.deadline()), London(2026, 11, 24, 14, 30) + absl::Seconds(90));
  }
  // Nothing more is due until the broadcast window ends.
  RunDue();

  // First acceptance wins; the other broadcast offer is withdrawn.
  clock().Advance(absl::Minutes(10));
  v1::Offer accepted;
  ASSERT_TRUE(Accept(ProviderOf(lot, live[1].provider_id()).admin, live[1].id(), &accepted).ok());
  EXPECT_EQ(accepted.state(), v1::Offer::ACCEPTED);
  EXPECT_EQ(accepted.response_working_seconds(), 600);
  auto late = Accept(ProviderOf(lot, live[0].provider_id()).admin, live[0].id());
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << late.error_message();

  r = Get(r.id(), officer_);
  EXPECT_EQ(r.state(), v1::Referral::AWARDED);
  EXPECT_EQ(r.award().provider_id(), live[1].provider_id());
  EXPECT_EQ(r.award().method(), v1::ROTATIONAL_FIRST_REFUSAL);
  ASSERT_GE(r.history_size(), 3);
  EXPECT_EQ(r.history(r.history_size() - 1).to_state(), "AWARDED");
  for (auto& o : Offers(r.id())) {
    if (o.provider_id() == live[0].provider_id()) {
      EXPECT_EQ(o.state(), v1::Offer::WITHDRAWN);
    }
  }

  // The feed tells care planning and finance the package terms.
  std::vector<std::string> types;
  v1::ReferralAwarded awarded;
  for (auto& e : EventsAbout(r.id())) {
    types.push_back(e.event_type());
    if (e.event_type() == "pdps.referrals.v1.ReferralAwarded") e.payload().UnpackTo(&awarded);
  }
  EXPECT_THAT(types, Contains("pdps.referrals.v1.ReferralOpened"));
  EXPECT_EQ(std::count(types.begin(), types.end(), "pdps.referrals.v1.OfferMade"), 4);
  EXPECT_EQ(std::count(types.begin(), types.end(), "pdps.referrals.v1.ReferralAwarded"), 1);
  EXPECT_EQ(awarded.provider_id(), live[1].provider_id());
  EXPECT_EQ(awarded.lot_id(), lot.lot.id());
  EXPECT_DOUBLE_EQ(awarded.planned_weekly_hours(), 10.5);
  EXPECT_EQ(awarded.start_date().value(), "2026-12-14");
  ASSERT_EQ(awarded.funding_size(), 1);
  EXPECT_EQ(awarded.funding(0).share_basis_points(), 10000);
  EXPECT_EQ(awarded.funding(0).organisation_id(), council_);
}

TEST_F(ReferralsTest, FridayAfternoonHoldsWithFirstRefusalUntilMonday) {
  // The rule is on unless the framework turns it off (seed 002 para 45).
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 3);
  clock().Set(London(2026, 11, 27, 12, 1));  // Friday
  v1::Referral r = Open(Raise(lot));
  EXPECT_EQ(Ts(r.held_until()), London(2026, 11, 30, 9, 0));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(Ts(live[0].deadline()), London(2026, 11, 30, 9, 0));

  // Declined on Friday afternoon: it goes no further before Monday 09:00.
  clock().Set(London(2026, 11, 27, 13, 0));
  ASSERT_TRUE(Decline(ProviderOf(lot, live[0].provider_id()).admin, live[0].id(),
                      "Cannot staff a weekend start")
                  .ok());
  EXPECT_TRUE(Live(r.id()).empty());
  clock().Set(London(2026, 11, 28, 11, 0));
  RunDue();
  clock().Set(London(2026, 11, 30, 8, 59));
  RunDue();
  EXPECT_TRUE(Live(r.id()).empty());
  clock().Set(London(2026, 11, 30, 9, 0));
  RunDue();
  live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].rota_position(), 2);
  EXPECT_EQ(Ts(live[0].deadline()), London(2026, 11, 30, 11, 0));

  // A framework that turns the rule off: an ordinary two working hours on Friday.
  Lot off = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 3,
                    [](rv1::CallOffSettings* c) { c->set_friday_afternoon_rule(false); });
  clock().Set(London(2026, 11, 27, 12, 1));
  v1::Referral plain = Open(Raise(off));
  EXPECT_FALSE(plain.has_held_until());
  auto first = Live(plain.id());
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(Ts(first[0].deadline()), London(2026, 11, 27, 14, 1));
}

TEST_F(ReferralsTest, AnEmergencyIsOfferedInClockMinutesWhateverTheHour) {
  // Southwark-style rotation with a 30-minute emergency window, and one left at the
  // default (an hour).
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 3,
                    [](rv1::CallOffSettings* c) { c->set_emergency_offer_window_minutes(30); });
  Lot plain = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2);
  struct Opening {
    const char* what;
    absl::Time opened;
    absl::Time routine_deadline;  // the same opening for a routine referral
    bool routine_held;
    int64_t lapsed_working_seconds;  // of the second window, 5 to 35 minutes in
  };
  const Opening openings[] = {
      // The audit's case: the exclusive offer ran to Thursday 10:56.
      {"Wednesday 16:56", London(2026, 11, 25, 16, 56), London(2026, 11, 26, 10, 56), false, 0},
      {"Friday 15:00", London(2026, 11, 27, 15, 0), London(2026, 11, 30, 9, 0), true, 1800},
  };
  for (const Opening& o : openings) {
    clock().Set(o.opened);
    v1::Referral r = Open(RaiseEmergency(lot));
    EXPECT_EQ(Ts(r.stage_deadline()), o.opened + absl::Minutes(30)) << o.what;
    EXPECT_FALSE(r.has_held_until()) << o.what;
    auto live = Live(r.id());
    ASSERT_EQ(live.size(), 1u) << o.what;
    EXPECT_EQ(Ts(live[0].deadline()), o.opened + absl::Minutes(30)) << o.what;
    // Declined five minutes in: the second provider at once, for 30 minutes.
    clock().Set(o.opened + absl::Minutes(5));
    ASSERT_TRUE(
        Decline(ProviderOf(lot, live[0].provider_id()).admin, live[0].id(), "No carer free tonight")
            .ok());
    live = Live(r.id());
    ASSERT_EQ(live.size(), 1u) << o.what;
    EXPECT_EQ(live[0].rota_position(), 2) << o.what;
    EXPECT_EQ(Ts(live[0].deadline()), o.opened + absl::Minutes(35)) << o.what;
    // Not answered: the broadcast to the third, 30 minutes more.
    clock().Set(o.opened + absl::Minutes(35));
    RunDue();
    live = Live(r.id());
    ASSERT_EQ(live.size(), 1u) << o.what;
    EXPECT_EQ(live[0].kind(), v1::Offer::BROADCAST) << o.what;
    EXPECT_EQ(Ts(live[0].deadline()), o.opened + absl::Minutes(65)) << o.what;
    // The KPIs still count working time (none of it after 17:00) beside elapsed time.
    v1::Offer lapsed;
    for (const auto& x : Offers(r.id())) {
      if (x.state() == v1::Offer::TIMED_OUT) lapsed = x;
    }
    EXPECT_EQ(lapsed.response_elapsed_seconds(), 30 * 60) << o.what;
    EXPECT_EQ(lapsed.response_working_seconds(), o.lapsed_working_seconds) << o.what;

    // The framework's default: an hour.
    clock().Set(o.opened);
    v1::Referral d = Open(RaiseEmergency(plain));
    EXPECT_EQ(Ts(d.stage_deadline()), o.opened + absl::Hours(1)) << o.what;

    // A routine referral opened then is unchanged: working hours, the Friday hold.
    v1::Referral routine = Open(Raise(lot));
    EXPECT_EQ(Ts(routine.stage_deadline()), o.routine_deadline) << o.what;
    EXPECT_EQ(routine.has_held_until(), o.routine_held) << o.what;
  }
}

TEST_F(ReferralsTest, AnEmergencyOnABankHolidayIsOfferedInClockMinutes) {
  auto replica = ReplicaWithBankHoliday("2026-11-26");  // a Thursday
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  const absl::Time opened = London(2026, 11, 26, 10, 0);
  clock().Set(opened);
  v1::Referral r = Open(RaiseEmergency(lot, replica.get()), replica.get());
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  for (const auto& x : live) EXPECT_EQ(Ts(x.deadline()), opened + absl::Hours(1));
  EXPECT_EQ(Ts(r.stage_deadline()), opened + absl::Hours(1));
  // A routine one waits for Friday's office hours: two working hours to 11:00.
  v1::Referral routine = Open(Raise(lot, {}, v1::Referral::ROUTINE, replica.get()), replica.get());
  EXPECT_EQ(Ts(routine.stage_deadline()), London(2026, 11, 27, 11, 0));
}

TEST_F(ReferralsTest, AnEmergencyIsNotPutToAMiniCompetition) {
  Lot mini = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 2);
  v1::Referral r = RaiseEmergency(mini);
  auto st = OpenRefused(r, "EMERGENCY_REFERRAL");
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("award it directly"));
  v1::Referral out;
  // What the message says works: a direct award.
  ASSERT_TRUE(AwardDirectly(r, mini.providers[0].org,
                            "Emergency: the provider with a carer free tonight", &out)
                  .ok());
  EXPECT_EQ(out.state(), v1::Referral::AWARDED);

  // Routine referrals on the same framework still run the mini-competition.
  EXPECT_EQ(Open(Raise(mini)).method(), v1::MINI_COMPETITION);

  // Re-opened as a mini-competition after no provider took it: refused, another method
  // is offered.
  Lot one = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  v1::Referral e = Open(RaiseEmergency(one));
  auto live = Live(e.id());
  ASSERT_EQ(live.size(), 1u);
  ASSERT_TRUE(Decline(one.providers[0].admin, live[0].id(), "No carer free tonight").ok());
  e = Get(e.id(), officer_);
  ASSERT_EQ(e.state(), v1::Referral::UNCOVERED);
  st = Reopen(e, v1::MINI_COMPETITION, "Try bids", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("re-open it with another method"));
  EXPECT_EQ(Get(e.id(), officer_).state(), v1::Referral::UNCOVERED);
}

// Seed 001 4.3: an emergency is under 24 hours' notice, so it starts today or tomorrow
// in London, on create, on update and when it is opened (decision 69).
TEST_F(ReferralsTest, AnEmergencyStartsTodayOrTomorrow) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  clock().Set(London(2026, 12, 2, 23, 8));  // the audit's Wednesday evening
  const int before = StoredReferrals();
  v1::CreateReferralRequest req;
  *req.mutable_referral() = SampleReferral(lot.lot.id(), "Southwark", council_);
  req.mutable_referral()->set_urgency(v1::Referral::EMERGENCY);
  req.mutable_referral()->mutable_start_date()->set_value("2026-12-23");
  *req.mutable_person() = SamplePerson();
  req.set_request_id(NewUuid());
  v1::Referral out;
  auto st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.urgency"));
  EXPECT_THAT(st.error_message(),
              ::testing::HasSubstr("starting today (2026-12-02) or tomorrow (2026-12-03); "
                                   "start_date 2026-12-23 is 21 days away: make it ROUTINE"));
  EXPECT_EQ(StoredReferrals(), before);

  // Tomorrow is an emergency; a draft can be changed to start later only as ROUTINE.
  req.mutable_referral()->mutable_start_date()->set_value("2026-12-03");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::CreateReferral, req, &out).ok());
  v1::Referral updated;
  st = UpdateStart(out, "2026-12-07", &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.urgency"));
  EXPECT_EQ(Get(out.id(), officer_).etag(), out.etag());

  // Left in DRAFT and opened on Friday, after its start date: refused, nothing changed.
  clock().Set(London(2026, 12, 4, 10, 0));
  st = OpenRefused(out, "EMERGENCY_NOTICE");
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("start_date 2026-12-03 has passed"));
  // What the message says works: a new start date (or ROUTINE), then open.
  ASSERT_TRUE(UpdateStart(out, "2026-12-05", &updated).ok());
  EXPECT_EQ(Open(updated).state(), v1::Referral::OPEN);
}

// The package's extras are what it needs beyond the lot's base set (safeguarding_l2 on
// these lots), each once; a proposal names each code once (decision 69).
TEST_F(ReferralsTest, CompetencyCodesAreEachGivenOnceAndExtrasAreBeyondTheLot) {
  Lot lot = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 1);
  const int before = StoredReferrals();
  auto create = [&](std::vector<std::string> extras, v1::Referral* out) {
    v1::CreateReferralRequest req;
    *req.mutable_referral() = SampleReferral(lot.lot.id(), "Southwark", council_);
    req.mutable_referral()->clear_extra_competencies();
    for (const auto& e : extras) req.mutable_referral()->add_extra_competencies(e);
    *req.mutable_person() = SamplePerson();
    req.set_request_id(NewUuid());
    return Call(stub(), officer_, &Stub::CreateReferral, req, out);
  };
  v1::Referral r;
  auto st = create({"gastrostomy", "asd_challenging_behaviour", "gastrostomy"}, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "referral.extra_competencies[2]: repeats referral.extra_competencies[0]");
  st = create({"safeguarding_l2", "gastrostomy"}, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ElementsAre("referral.extra_competencies[0]"));
  EXPECT_THAT(st.error_message(),
              ::testing::HasSubstr("is already in the lot's base set (safeguarding_l2)"));
  EXPECT_EQ(StoredReferrals(), before);

  // On update, against the base set the referral was raised with.
  ASSERT_TRUE(create({"gastrostomy"}, &r).ok());
  v1::UpdateReferralRequest upd;
  *upd.mutable_referral() = r;
  upd.mutable_referral()->add_extra_competencies("safeguarding_l2");
  v1::Referral updated;
  st = Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ElementsAre("referral.extra_competencies[1]"));
  EXPECT_EQ(Get(r.id(), officer_).etag(), r.etag());

  // A proposal naming a code twice: refused on the repeat, the invitation still open.
  r = Open(r);
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  v1::SubmitProposalRequest prop;
  prop.set_id(live[0].id());
  for (const char* code : {"safeguarding_l2", "safeguarding_l2", "gastrostomy"}) {
    prop.mutable_proposal()->add_matched_competencies(code);
  }
  prop.mutable_proposal()->mutable_worker_profile()->set_role("Senior support worker");
  prop.mutable_proposal()->mutable_worker_profile()->set_summary("Six years with ASD teenagers");
  v1::Offer o;
  st = Call(stub(), lot.providers[0].admin, &Stub::SubmitProposal, prop, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "proposal.matched_competencies[1]: repeats proposal.matched_competencies[0]");
  v1::Offer unchanged = GetOffer(live[0].id(), officer_);
  EXPECT_EQ(unchanged.state(), v1::Offer::OPEN);
  EXPECT_EQ(unchanged.etag(), live[0].etag());
  prop.mutable_proposal()->mutable_matched_competencies()->DeleteSubrange(1, 1);
  ASSERT_TRUE(Call(stub(), lot.providers[0].admin, &Stub::SubmitProposal, prop, &o).ok());
  EXPECT_THAT(o.proposal().matched_competencies(), ElementsAre("safeguarding_l2", "gastrostomy"));
}

TEST_F(ReferralsTest, AnEmergencysProposalsAreInvitedForTheEmergencyWindow) {
  Lot lot = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 2,
                    [](rv1::CallOffSettings* c) { c->set_emergency_offer_window_minutes(90); });
  const absl::Time opened = London(2026, 11, 25, 16, 56);
  clock().Set(opened);
  v1::Referral r = Open(RaiseEmergency(lot));
  EXPECT_EQ(Ts(r.stage_deadline()), opened + absl::Minutes(90));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  for (const auto& x : live) {
    EXPECT_EQ(x.kind(), v1::Offer::PROPOSAL_INVITATION);
    EXPECT_EQ(Ts(x.deadline()), opened + absl::Minutes(90));
  }
  // A routine one keeps its working days.
  EXPECT_GT(Ts(Open(Raise(lot)).stage_deadline()), opened + absl::Hours(24));
}

TEST_F(ReferralsTest, FridayBeforeABankHolidayMondayWaitsForTuesday) {
  // The operator's holiday changes file makes Monday 30 November a bank holiday.
  auto holiday = ReplicaWithBankHoliday("2026-11-30");
  ReferralsServer& replica = *holiday;
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2,
                    [](rv1::CallOffSettings* c) { c->set_friday_afternoon_rule(true); });
  clock().Set(London(2026, 11, 27, 14, 0));
  v1::Referral r = Open(Raise(lot, {}, v1::Referral::ROUTINE, &replica), &replica);
  EXPECT_EQ(Ts(r.held_until()), London(2026, 12, 1, 9, 0));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(Ts(live[0].deadline()), London(2026, 12, 1, 9, 0));
  auto sweep = [&] {
    auto n = replica.store().RunDue(clock().Now(), 1000, absl::Now() + absl::Seconds(30));
    EXPECT_TRUE(n.ok()) << n.status();
  };

  // Declined on Friday afternoon: held, nothing more offered.
  clock().Set(London(2026, 11, 27, 15, 0));
  v1::DeclineOfferRequest decline;
  decline.set_id(live[0].id());
  decline.set_reason(v1::NO_CAPACITY);
  decline.set_rationale("Cannot staff a start over the long weekend");
  v1::Offer declined;
  ASSERT_TRUE(Call(replica.stub(), ProviderOf(lot, live[0].provider_id()).admin,
                   &Stub::DeclineOffer, decline, &declined)
                  .ok());
  EXPECT_TRUE(Live(r.id()).empty());
  // The bank-holiday Monday is no working day: a sweep then offers nothing new.
  clock().Set(London(2026, 11, 30, 9, 0));
  sweep();
  clock().Set(London(2026, 11, 30, 16, 0));
  sweep();
  EXPECT_TRUE(Live(r.id()).empty());
  EXPECT_EQ(Offers(r.id()).size(), 1u);
  // Tuesday 09:00: the second provider in the rota gets its exclusive window, two
  // working hours to 11:00.
  clock().Set(London(2026, 12, 1, 9, 0));
  sweep();
  live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].kind(), v1::Offer::EXCLUSIVE);
  EXPECT_EQ(live[0].rota_position(), 2);
  EXPECT_NE(live[0].provider_id(), declined.provider_id());
  EXPECT_EQ(Ts(live[0].offer_time()), London(2026, 12, 1, 9, 0));
  EXPECT_EQ(Ts(live[0].deadline()), London(2026, 12, 1, 11, 0));
}

TEST_F(ReferralsTest, RotationalWindowsCrossBothDaylightSavingChanges) {
  struct Season {
    const char* what;
    absl::Time opened;  // a Friday, 16:00 in London
    const char* month;  // of the capacity returns the providers need then
    // Monday 10:00 London: the first window's end, two working hours after Friday 16:00.
    const char* first_deadline_utc;
    const char* held_until_utc;       // Monday 09:00 London, with the Friday rule on
    int64_t elapsed_hours;            // Friday 16:00 to Monday 10:00, an hour's difference
    const char* second_deadline_utc;  // Monday 12:00 London
  };
  const Season seasons[] = {
      // Clocks go forward on Sunday 29 March: Friday is GMT, Monday BST.
      {"spring", London(2026, 3, 27, 16, 0), "2026-03", "2026-03-30 09:00", "2026-03-30 08:00", 65,
       "2026-03-30 11:00"},
      // Clocks go back on Sunday 25 October: Friday is BST, Monday GMT.
      {"autumn", London(2026, 10, 23, 16, 0), "2026-10", "2026-10-26 10:00", "2026-10-26 09:00", 67,
       "2026-10-26 12:00"},
  };
  auto utc = [&](const std::string& column, const std::string& where) {
    auto v = registry_->db().Query(absl::StrCat(
        "SELECT to_char(", column, " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS v FROM ", where));
    return v.size() == 1 ? v[0] : absl::StrCat(v.size(), " rows");
  };
  for (const Season& s : seasons) {
    for (bool friday_rule : {true, false}) {
      std::string what = absl::StrCat(s.what, friday_rule ? ", Friday rule" : ", no Friday rule");
      clock().Set(London(2026, 11, 24, 10, 0));  // the framework's application window
      Lot lot =
          MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2,
                  [&](rv1::CallOffSettings* c) { c->set_friday_afternoon_rule(friday_rule); });
      CapacityReturns(lot, s.month);
      clock().Set(s.opened);
      v1::Referral r = Open(Raise(lot));
      auto live = Live(r.id());
      ASSERT_EQ(live.size(), 1u) << what;
      const v1::Offer first = live[0];
      // As stored, in UTC: Monday 10:00 London whichever side of the change.
      EXPECT_EQ(utc("deadline", absl::StrCat("referrals.offers WHERE id = '", first.id(), "'")),
                s.first_deadline_utc)
          << what;
      EXPECT_EQ(
          utc("stage_deadline", absl::StrCat("referrals.referrals WHERE id = '", r.id(), "'")),
          s.first_deadline_utc)
          << what;
      EXPECT_EQ(Ts(first.deadline()) - s.opened, absl::Hours(s.elapsed_hours)) << what;
      if (friday_rule) {
        EXPECT_EQ(utc("held_until", absl::StrCat("referrals.referrals WHERE id = '", r.id(), "'")),
                  s.held_until_utc)
            << what;
      } else {
        EXPECT_FALSE(r.has_held_until()) << what;
      }

      // Nobody answers: at the deadline it times out after exactly two working hours
      // (Friday 16:00-17:00 and Monday 09:00-10:00), however long the weekend was.
      clock().Set(Ts(first.deadline()));
      RunDue();
      v1::Offer lapsed = GetOffer(first.id(), officer_);
      EXPECT_EQ(lapsed.state(), v1::Offer::TIMED_OUT) << what;
      EXPECT_EQ(lapsed.response_working_seconds(), 2 * 3600) << what;
      EXPECT_EQ(lapsed.response_elapsed_seconds(), s.elapsed_hours * 3600) << what;
      EXPECT_EQ(registry_->db().Query(absl::StrCat(
                    "SELECT response_working_seconds || ' ' || response_elapsed_seconds AS v"
                    " FROM referrals.offers WHERE id = '",
                    first.id(), "'")),
                std::vector<std::string>{absl::StrCat(7200, " ", s.elapsed_hours * 3600)})
          << what;
      // The second provider's window: Monday 10:00 to 12:00 London.
      live = Live(r.id());
      ASSERT_EQ(live.size(), 1u) << what;
      EXPECT_EQ(live[0].rota_position(), 2) << what;
      EXPECT_EQ(utc("deadline", absl::StrCat("referrals.offers WHERE id = '", live[0].id(), "'")),
                s.second_deadline_utc)
          << what;
    }
  }
}

TEST_F(ReferralsTest, AFinishedReferralShowsNoStageDeadlineOrHold) {
  // As stored, read as the superuser: "deadline hold" with "-" for NULL.
  auto stored = [&](const std::string& id) {
    auto v = registry_->db().Query(absl::StrCat(
        "SELECT COALESCE(stage_deadline::text, '-') || ' ' || COALESCE(held_until::text, '-')"
        " AS v FROM referrals.referrals WHERE id = '",
        id, "'"));
    return v.empty() ? "" : v[0];
  };
  // UNCOVERED: the only provider declines its Friday-afternoon window at once. The
  // window ran to Monday 09:00 and the hold with it; neither governs anything now.
  Lot one = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 1);
  clock().Set(London(2026, 11, 27, 14, 0));
  v1::Referral r = Open(Raise(one));
  EXPECT_EQ(Ts(r.stage_deadline()), London(2026, 11, 30, 9, 0));
  EXPECT_EQ(Ts(r.held_until()), London(2026, 11, 30, 9, 0));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  ASSERT_TRUE(Decline(one.providers[0].admin, live[0].id(), "No carers this weekend").ok());
  r = Get(r.id(), officer_);
  EXPECT_EQ(r.state(), v1::Referral::UNCOVERED);
  EXPECT_FALSE(r.has_stage_deadline());
  EXPECT_FALSE(r.has_held_until());
  EXPECT_EQ(stored(r.id()), "- -");

  // AWARDED by acceptance during the broadcast window; the provider's view too.
  clock().Set(London(2026, 11, 24, 10, 0));
  Lot two = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  v1::Referral won = Raise(two);
  const auto& winner = AwardByAcceptance(two, &won);
  EXPECT_FALSE(won.has_stage_deadline());
  EXPECT_FALSE(Get(won.id(), winner.admin).has_stage_deadline());
  EXPECT_EQ(stored(won.id()), "- -");

  // WITHDRAWN while its broadcast window was open.
  v1::Referral gone = Open(Raise(two));
  EXPECT_TRUE(gone.has_stage_deadline());
  v1::WithdrawReferralRequest w;
  w.set_id(gone.id());
  w.set_etag(gone.etag());
  w.set_reason("The family moved out of the borough");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::WithdrawReferral, w, &gone).ok());
  EXPECT_EQ(gone.state(), v1::Referral::WITHDRAWN);
  EXPECT_FALSE(gone.has_stage_deadline());
  EXPECT_EQ(stored(gone.id()), "- -");

  // EVALUATING keeps the proposal deadline that closed the round (when submissions
  // ended); the award clears it.
  Lot comp = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 1);
  v1::Referral ev = Open(Raise(comp));
  const absl::Time closes = Ts(ev.stage_deadline());
  live = Live(ev.id());
  ASSERT_EQ(live.size(), 1u);
  ASSERT_TRUE(
      Propose(comp.providers[0].admin, live[0].id(), "gastrostomy", "PEG feeding at school").ok());
  clock().Set(closes);
  RunDue();
  ev = Get(ev.id(), officer_);
  EXPECT_EQ(ev.state(), v1::Referral::EVALUATING);
  EXPECT_EQ(Ts(ev.stage_deadline()), closes);
  v1::AwardReferralRequest award;
  award.set_id(ev.id());
  award.set_etag(ev.etag());
  award.set_offer_id(live[0].id());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &ev).ok());
  EXPECT_EQ(ev.state(), v1::Referral::AWARDED);
  EXPECT_FALSE(ev.has_stage_deadline());
  EXPECT_EQ(stored(ev.id()), "- -");

  // Rows the earlier versions left: migration 0006 clears the finished ones' times and
  // leaves an open round's alone.
  v1::Referral live_one = Open(Raise(two));
  const std::string open_times = stored(live_one.id());
  registry_->db().Run(
      absl::StrCat("UPDATE referrals.referrals SET stage_deadline = now() + interval '3 days',"
                   " held_until = now() + interval '2 days' WHERE id IN ('",
                   r.id(), "', '", won.id(), "', '", gone.id(), "')"));
  EXPECT_NE(stored(r.id()), "- -");
  registry_->db().RunMigration("referrals", "0006_no_stage_deadline_when_finished.sql");
  for (const auto* id : {&r, &won, &gone}) EXPECT_EQ(stored(id->id()), "- -") << id->id();
  EXPECT_EQ(stored(live_one.id()), open_times);
  EXPECT_NE(open_times, "- -");
}

// A round's stored settings that cannot be read stop its verbs with INTERNAL, and change
// nothing: a guess would run the round on other terms. A round opened before a setting
// existed reads it as the default.
TEST_F(ReferralsTest, ARoundsStoredSettingsAreReadBackOrRefusedNeverGuessed) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2);
  v1::Referral r = Open(Raise(lot));
  v1::WithdrawReferralRequest w;
  w.set_id(r.id());
  w.set_etag(r.etag());
  w.set_reason("The family found a carer of their own");
  v1::Referral out;
  registry_->db().Run(
      absl::StrCat("UPDATE referrals.referrals SET call_off = '[]' WHERE id = '", r.id(), "'"));
  auto st = Call(stub(), officer_, &Stub::WithdrawReferral, w, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INTERNAL);
  v1::GetReferralRequest get;
  get.set_id(r.id());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::GetReferral, get, &out).ok());
  EXPECT_EQ(out.state(), v1::Referral::OPEN);
  EXPECT_EQ(out.etag(), r.etag());
  // A snapshot with one key only, as from a round opened before the others existed.
  registry_->db().Run(
      absl::StrCat("UPDATE referrals.referrals SET call_off = '{\"offer_window_working_hours\": 2}'"
                   " WHERE id = '",
                   r.id(), "'"));
  ASSERT_TRUE(Call(stub(), officer_, &Stub::WithdrawReferral, w, &out).ok());
  EXPECT_EQ(out.state(), v1::Referral::WITHDRAWN);
}

TEST_F(ReferralsTest, EachOfferShowsTheHoursItsProviderDeclaredAndWhetherTheyFallShort) {
  // Any declared hours count as capacity (decision 6), so a 32-hour package is still
  // offered to a provider that declared 20; the offer says so (decision 64).
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 0);
  const std::map<int, int> hours_of = {{0, 20}, {1, 32}, {2, 40}};
  for (const auto& [i, hours] : hours_of) {
    lot.providers.push_back(world_->AdmittedProvider(absl::StrCat("Hours ", counter_, "-", i),
                                                     commissioner_, lot.framework, lot.lot,
                                                     {"SOUTHWARK"}, hours));
  }
  std::map<std::string, int> declared;
  for (const auto& [i, hours] : hours_of) declared[lot.providers[i].org] = hours;

  v1::Referral r = Open(RaiseWith(lot, [](v1::Referral* x) { x->set_planned_weekly_hours(32); }));
  auto offers = Offers(r.id());
  ASSERT_EQ(offers.size(), 3u);
  for (const auto& o : offers) {
    const int hours = declared[o.provider_id()];
    EXPECT_EQ(o.declared_weekly_hours_available(), hours) << o.provider_id();
    EXPECT_EQ(o.below_planned_hours(), hours < 32) << o.provider_id();
    // The provider sees the same on its own offer.
    auto mine = Inbox(ProviderOf(lot, o.provider_id()).admin);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].declared_weekly_hours_available(), hours);
    EXPECT_EQ(mine[0].below_planned_hours(), hours < 32);
  }
  // The short provider may still take it: the shortfall is shown, not refused.
  auto shorts = Inbox(lot.providers[0].admin);
  ASSERT_EQ(shorts.size(), 1u);
  v1::Offer won;
  ASSERT_TRUE(Accept(lot.providers[0].admin, shorts[0].id(), &won).ok());
  EXPECT_EQ(won.state(), v1::Offer::ACCEPTED);
  EXPECT_TRUE(won.below_planned_hours());
}

TEST_F(ReferralsTest, FirstRefusalRotatesFairlyAcrossReferralsOnALot) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 3);
  std::vector<std::string> firsts;
  for (int i = 0; i < 6; ++i) {
    v1::Referral r = Open(Raise(lot));
    auto live = Live(r.id());
    ASSERT_EQ(live.size(), 1u);
    firsts.push_back(live[0].provider_id());
  }
  // Each provider has first refusal once in every three referrals, in the same order.
  std::set<std::string> cycle(firsts.begin(), firsts.begin() + 3);
  EXPECT_EQ(cycle.size(), 3u);
  EXPECT_EQ(firsts[3], firsts[0]);
  EXPECT_EQ(firsts[4], firsts[1]);
  EXPECT_EQ(firsts[5], firsts[2]);
}

TEST_F(ReferralsTest, BroadcastFirstResponderAndUncoveredThenReopenAndDirectAward) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  for (auto& o : live) EXPECT_EQ(o.kind(), v1::Offer::BROADCAST);
  ASSERT_TRUE(Decline(ProviderOf(lot, live[0].provider_id()).admin, live[0].id(), "Full").ok());
  ASSERT_TRUE(Decline(ProviderOf(lot, live[1].provider_id()).admin, live[1].id(), "Full").ok());
  r = Get(r.id(), officer_);
  EXPECT_EQ(r.state(), v1::Referral::UNCOVERED);
  EXPECT_FALSE(r.state_reason().empty());
  // Uncovered stays visible to the brokerage team.
  v1::ListReferralsRequest list;
  list.set_state(v1::Referral::UNCOVERED);
  v1::ListReferralsResponse listed;
  ASSERT_TRUE(Call(stub(), nhs_officer_, &Stub::ListReferrals, list, &listed).ok());
  bool found = false;
  for (auto& x : listed.referrals()) found |= x.id() == r.id();
  EXPECT_TRUE(found);

  // Re-open with another method: a new round, new offers.
  ASSERT_TRUE(Reopen(r, v1::ROTATIONAL_FIRST_REFUSAL, "Hours reduced; try the rota", &r).ok());
  EXPECT_EQ(r.round(), 2);
  EXPECT_EQ(r.method(), v1::ROTATIONAL_FIRST_REFUSAL);
  ASSERT_EQ(Live(r.id()).size(), 1u);
  const v1::Offer first_refusal = Live(r.id())[0];

  // Direct award: rationale required; the provider must be active on the lot.
  v1::AwardReferralRequest award;
  award.set_id(r.id());
  award.set_etag(r.etag());
  award.set_provider_id(lot.providers[0].org);
  v1::Referral out;
  auto st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("rationale"));
  award.set_rationale("   \t");  // white space is no rationale
  st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("rationale"));
  award.set_rationale("Family asked for the provider who supports the sibling");
  award.set_provider_id(NewUuid());
  st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("NOT_ADMITTED lot/" + r.lot_id()));
  // Awarded directly to the provider holding the first-refusal offer: its offer closes
  // saying so, not that another provider won.
  award.set_provider_id(first_refusal.provider_id());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &out).ok());
  EXPECT_EQ(out.state(), v1::Referral::AWARDED);
  EXPECT_EQ(out.award().method(), v1::DIRECT_AWARD);
  EXPECT_EQ(out.award().rationale(), "Family asked for the provider who supports the sibling");
  EXPECT_TRUE(Live(r.id()).empty());
  v1::Offer closed = GetOffer(first_refusal.id(), officer_);
  EXPECT_EQ(closed.state(), v1::Offer::WITHDRAWN);
  EXPECT_EQ(closed.state_reason(), "the referral was awarded to this provider directly");
  // Award twice: refused, nothing changes.
  award.set_etag(out.etag());
  st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("REFERRAL_STATE referral/" + r.id()));
  EXPECT_EQ(Get(r.id(), officer_).award().provider_id(), first_refusal.provider_id());
}

// ------------------------------------------------------- mini-competition ---

TEST_F(ReferralsTest, MiniCompetitionSealedBidsScoredAndAwarded) {
  Lot lot = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 3,
                    [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(2); });
  v1::Referral r = Open(Raise(lot));
  EXPECT_EQ(r.maximum_hourly_rate().pence(), 2500);
  EXPECT_EQ(r.quality_questions_size(), 2);
  // Close of the second working day after Tuesday 24 November.
  EXPECT_EQ(Ts(r.stage_deadline()), London(2026, 11, 26, 17, 0));
  std::map<std::string, v1::Offer> invitation;
  for (auto& o : Live(r.id())) {
    EXPECT_EQ(o.kind(), v1::Offer::BID_INVITATION);
    invitation[o.provider_id()] = o;
  }
  ASSERT_EQ(invitation.size(), 3u);
  const auto& p0 = lot.providers[0];
  const auto& p1 = lot.providers[1];
  const auto& p2 = lot.providers[2];

  auto bid = [&](const World::Provider& p, int64_t pence, v1::Offer* out) {
    v1::SubmitBidRequest req;
    req.set_id(invitation[p.org].id());
    req.mutable_bid()->mutable_hourly_rate()->set_pence(pence);
    for (int q = 0; q < 2; ++q) {
      auto* a = req.mutable_bid()->add_answers();
      a->set_question_index(q);
      a->set_answer(absl::StrCat("Answer ", q, " from ", p.org));
    }
    return Call(stub(), p.admin, &Stub::SubmitBid, req, out);
  };
  v1::Offer o;
  // Over the maximum price: refused with the field named, nothing recorded.
  auto st = bid(p0, 2600, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("bid.hourly_rate"));
  ASSERT_EQ(Inbox(p0.admin).size(), 1u);
  EXPECT_EQ(Inbox(p0.admin)[0].state(), v1::Offer::OPEN);
  // A provider not on the lot has no invitation to bid on.
  auto outsider = world_->AdmittedProvider(
      "Outsider Care", commissioner_, lot.framework,
      world_->CreateLot(commissioner_, lot.framework.id(), "Z"), {"SOUTHWARK"});
  v1::SubmitBidRequest stray;
  stray.set_id(invitation[p0.org].id());
  stray.mutable_bid()->mutable_hourly_rate()->set_pence(2000);
  st = Call(stub(), outsider.admin, &Stub::SubmitBid, stray, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();

  ASSERT_TRUE(bid(p0, 2400, &o).ok());
  EXPECT_EQ(o.state(), v1::Offer::SUBMITTED);
  EXPECT_EQ(o.bid().hourly_rate().pence(), 2400);  // the bidder sees its own bid
  ASSERT_TRUE(bid(p1, 2000, &o).ok());
  ASSERT_TRUE(Decline(p2.admin, invitation[p2.org].id(), "No nurse-led staff in the area").ok());

  // Sealed: other providers cannot see a bid at all; officers see no content yet.
  v1::GetOfferRequest get;
  get.set_id(invitation[p0.org].id());
  st = Call(stub(), p1.admin, &Stub::GetOffer, get, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::GetOffer, get, &o).ok());
  EXPECT_EQ(o.state(), v1::Offer::SUBMITTED);
  EXPECT_FALSE(o.has_bid());
  for (auto& x : Offers(r.id())) EXPECT_FALSE(x.has_bid());
  for (auto& e : EventsAbout(r.id())) {
    v1::OfferChanged oc;
    if (e.payload().UnpackTo(&oc)) {
      EXPECT_FALSE(oc.offer().has_bid());
    }
  }
  v1::AwardReferralRequest award;
  award.set_id(r.id());
  award.set_etag(Get(r.id(), officer_).etag());
  award.set_offer_id(invitation[p1.org].id());
  v1::Referral out;
  st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("BIDS_SEALED referral/" + award.id()));

  // The deadline passes: EVALUATING; bids are opened to officers.
  clock().Set(London(2026, 11, 26, 17, 0));
  RunDue();
  r = Get(r.id(), officer_);
  EXPECT_EQ(r.state(), v1::Referral::EVALUATING);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::GetOffer, get, &o).ok());
  EXPECT_EQ(o.bid().hourly_rate().pence(), 2400);
  ASSERT_EQ(o.bid().answers_size(), 2);

  // Award before evaluation: refused.
  award.set_etag(r.etag());
  st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("BIDS_NOT_EVALUATED referral/" + award.id()));
  auto evaluate = [&](const World::Provider& p, std::vector<int> marks) {
    v1::EvaluateBidRequest req;
    req.set_id(invitation[p.org].id());
    for (int m : marks) req.add_marks(m);
    v1::Offer e;
    auto s = Call(stub(), officer_, &Stub::EvaluateBid, req, &e);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return e;
  };
  v1::EvaluateBidRequest bad;
  bad.set_id(invitation[p0.org].id());
  bad.add_marks(7);
  st = Call(stub(), officer_, &Stub::EvaluateBid, bad, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  evaluate(p0, {5, 5});                     // price 60*2000/2400 = 50.00, quality 40 → 90.00
  v1::Offer scored = evaluate(p1, {2, 3});  // price 60, quality 40*5/10 = 20 → 80.00
  EXPECT_DOUBLE_EQ(scored.bid().total_score(), 80.0);
  EXPECT_EQ(scored.bid().rank(), 2);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::GetOffer, get, &o).ok());
  EXPECT_DOUBLE_EQ(o.bid().price_score(), 50.0);
  EXPECT_DOUBLE_EQ(o.bid().quality_score(), 40.0);
  EXPECT_DOUBLE_EQ(o.bid().total_score(), 90.0);
  EXPECT_EQ(o.bid().rank(), 1);

  // The second-ranked bid needs a rationale; the first does not.
  st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("rationale"));
  award.set_offer_id(invitation[p0.org].id());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &out).ok());
  EXPECT_EQ(out.state(), v1::Referral::AWARDED);
  EXPECT_EQ(out.award().provider_id(), p0.org);
  EXPECT_EQ(out.award().hourly_rate().pence(), 2400);
  EXPECT_EQ(out.award().method(), v1::MINI_COMPETITION);
  for (auto& x : Offers(r.id())) {
    if (x.provider_id() == p1.org) {
      EXPECT_EQ(x.state(), v1::Offer::NOT_SELECTED);
    }
    if (x.provider_id() == p0.org) {
      EXPECT_EQ(x.state(), v1::Offer::SELECTED);
    }
  }
}

TEST_F(ReferralsTest, MiniCompetitionTieNeedsRationaleAndNoBidsIsUncovered) {
  Lot lot = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 2,
                    [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(1); });
  v1::Referral tied = Open(Raise(lot));
  v1::Referral none = Open(Raise(lot));
  for (auto& inv : Live(tied.id())) {
    v1::SubmitBidRequest req;
    req.set_id(inv.id());
    req.mutable_bid()->mutable_hourly_rate()->set_pence(2200);
    for (int q = 0; q < 2; ++q) {
      auto* a = req.mutable_bid()->add_answers();
      a->set_question_index(q);
      a->set_answer("Same answer");
    }
    v1::Offer o;
    ASSERT_TRUE(
        Call(stub(), ProviderOf(lot, inv.provider_id()).admin, &Stub::SubmitBid, req, &o).ok());
  }
  clock().Set(London(2026, 11, 25, 17, 0));
  RunDue();
  EXPECT_EQ(Get(none.id(), officer_).state(), v1::Referral::UNCOVERED);
  for (auto& o : Offers(none.id())) EXPECT_EQ(o.state(), v1::Offer::TIMED_OUT);
  tied = Get(tied.id(), officer_);
  ASSERT_EQ(tied.state(), v1::Referral::EVALUATING);
  std::string pick;
  for (auto& o : Offers(tied.id())) {
    v1::EvaluateBidRequest req;
    req.set_id(o.id());
    req.add_marks(4);
    req.add_marks(4);
    v1::Offer e;
    ASSERT_TRUE(Call(stub(), officer_, &Stub::EvaluateBid, req, &e).ok());
    pick = o.id();
  }
  for (auto& o : Offers(tied.id())) {
    EXPECT_TRUE(o.bid().tied());
    EXPECT_EQ(o.bid().rank(), 1);
  }
  v1::AwardReferralRequest award;
  award.set_id(tied.id());
  award.set_etag(tied.etag());
  award.set_offer_id(pick);
  v1::Referral out;
  auto st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  award.set_rationale("Tied on every criterion; the family preferred this provider's carer");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &out).ok());
  EXPECT_EQ(out.state(), v1::Referral::AWARDED);
}

TEST_F(ReferralsTest, ABidderSuspendedAfterBiddingLeavesTheOthersRankedAsTheAwardRanksThem) {
  Lot lot = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 3,
                    [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(1); });
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());  // only what follows is new
  v1::Referral r = Open(Raise(lot));
  std::map<std::string, std::string> invitation;
  for (auto& o : Live(r.id())) invitation[o.provider_id()] = o.id();
  ASSERT_EQ(invitation.size(), 3u);
  const auto& p0 = lot.providers[0];
  const auto& p1 = lot.providers[1];
  const auto& p2 = lot.providers[2];
  ASSERT_TRUE(SubmitBid(p0, invitation[p0.org], 2400).ok());
  ASSERT_TRUE(SubmitBid(p1, invitation[p1.org], 2000).ok());
  ASSERT_TRUE(SubmitBid(p2, invitation[p2.org], 1800).ok());  // the cheapest
  clock().Set(London(2026, 11, 25, 17, 0));
  RunDue();
  ASSERT_EQ(Get(r.id(), officer_).state(), v1::Referral::EVALUATING);

  // The cheapest bidder is suspended during the evaluation: its bid is withdrawn, can no
  // longer be marked, and takes no part in the scores.
  Suspend(p2, "Safeguarding concern under investigation");
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  EXPECT_EQ(GetOffer(invitation[p2.org], officer_).state(), v1::Offer::WITHDRAWN);
  EXPECT_EQ(Evaluate(invitation[p2.org], {5, 5}).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Evaluate(invitation[p0.org], {5, 5}).ok());
  v1::Offer scored;
  ASSERT_TRUE(Evaluate(invitation[p1.org], {2, 3}, &scored).ok());
  // Against £20.00, the lowest remaining rate: p0 60 × 2000/2400 + 40 = 90, p1 60 + 20 = 80
  // (with the withdrawn £18.00 counted they would be 85 and 74).
  EXPECT_DOUBLE_EQ(scored.bid().total_score(), 80.0);
  EXPECT_EQ(scored.bid().rank(), 2);
  v1::Offer first = GetOffer(invitation[p0.org], officer_);
  EXPECT_DOUBLE_EQ(first.bid().price_score(), 50.0);
  EXPECT_DOUBLE_EQ(first.bid().total_score(), 90.0);
  EXPECT_EQ(first.bid().rank(), 1);
  EXPECT_EQ(GetOffer(invitation[p2.org], officer_).bid().rank(), 0);

  // The award enforces the ranking shown: the second needs a rationale, the first does not.
  v1::AwardReferralRequest award;
  award.set_id(r.id());
  award.set_etag(Get(r.id(), officer_).etag());
  award.set_offer_id(invitation[p1.org]);
  v1::Referral out;
  auto st = Call(stub(), officer_, &Stub::AwardReferral, award, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("rationale"));
  award.set_offer_id(invitation[p0.org]);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &out).ok());
  EXPECT_EQ(out.award().provider_id(), p0.org);
  // Decided, the round shows the same ranking it was awarded on.
  first = GetOffer(invitation[p0.org], officer_);
  EXPECT_EQ(first.state(), v1::Offer::SELECTED);
  EXPECT_EQ(first.bid().rank(), 1);
  EXPECT_DOUBLE_EQ(first.bid().total_score(), 90.0);
  EXPECT_EQ(GetOffer(invitation[p1.org], officer_).bid().rank(), 2);
}

TEST_F(ReferralsTest, BidsStaySealedUntilTheirDeadlineWhateverBecomesOfTheReferral) {
  Lot lot = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 2,
                    [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(2); });
  const auto& bidder = lot.providers[0];
  v1::Referral awarded = Open(Raise(lot));
  v1::Referral withdrawn = Open(Raise(lot));
  std::map<std::string, std::string> bid_of;  // referral → the bidder's offer
  for (const auto* r : {&awarded, &withdrawn}) {
    for (auto& o : Live(r->id())) {
      if (o.provider_id() == bidder.org) bid_of[r->id()] = o.id();
    }
    ASSERT_TRUE(SubmitBid(bidder, bid_of[r->id()], 2300).ok());
  }
  // Before the deadline one is awarded directly, the other withdrawn.
  clock().Advance(absl::Hours(1));
  v1::AwardReferralRequest award;
  award.set_id(awarded.id());
  award.set_etag(Get(awarded.id(), officer_).etag());
  award.set_provider_id(lot.providers[1].org);
  award.set_rationale("Continuity: this provider already supports the family");
  v1::Referral out;
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &out).ok());
  v1::WithdrawReferralRequest w;
  w.set_id(withdrawn.id());
  w.set_etag(Get(withdrawn.id(), officer_).etag());
  w.set_reason("The family moved out of the borough");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::WithdrawReferral, w, &out).ok());
  // The officer's reason stays on the referral; the feed says only that it was withdrawn.
  EXPECT_EQ(out.state_reason(), "The family moved out of the borough");
  int withdrawals = 0;
  for (auto& e : EventsAbout(withdrawn.id())) {
    if (e.event_type() != "pdps.referrals.v1.ReferralWithdrawn") continue;
    ++withdrawals;
    v1::ReferralClosed closed;
    ASSERT_TRUE(e.payload().UnpackTo(&closed));
    EXPECT_EQ(closed.reason(), "withdrawn by an officer");
  }
  EXPECT_EQ(withdrawals, 1);

  // Officers still see that a bid came, not what it is; the bidder sees its own.
  for (const auto* r : {&awarded, &withdrawn}) {
    v1::Offer o = GetOffer(bid_of[r->id()], officer_);
    EXPECT_EQ(o.state(), v1::Offer::NOT_SELECTED);
    EXPECT_FALSE(o.has_bid()) << r->id();
    for (auto& x : Offers(r->id())) EXPECT_FALSE(x.has_bid());
    EXPECT_EQ(GetOffer(bid_of[r->id()], bidder.admin).bid().hourly_rate().pence(), 2300);
  }
  // From the deadline on, the content is open to officers (never scored: nobody marked it).
  clock().Set(London(2026, 11, 26, 17, 0));
  for (const auto* r : {&awarded, &withdrawn}) {
    v1::Offer o = GetOffer(bid_of[r->id()], officer_);
    EXPECT_EQ(o.bid().hourly_rate().pence(), 2300) << r->id();
    EXPECT_EQ(o.bid().rank(), 0);
  }
}

TEST_F(ReferralsTest, AnEvaluationWithNothingToAwardIsReopenedWithAnotherMethod) {
  Lot lot = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 2,
                    [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(1); });
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  v1::SubmitBidRequest req;
  req.set_id(live[0].id());
  req.mutable_bid()->mutable_hourly_rate()->set_pence(2500);
  for (int q = 0; q < 2; ++q) {
    auto* a = req.mutable_bid()->add_answers();
    a->set_question_index(q);
    a->set_answer("Brief");
  }
  v1::Offer o;
  ASSERT_TRUE(
      Call(stub(), ProviderOf(lot, live[0].provider_id()).admin, &Stub::SubmitBid, req, &o).ok());
  clock().Set(London(2026, 11, 25, 17, 0));
  RunDue();
  r = Get(r.id(), officer_);
  ASSERT_EQ(r.state(), v1::Referral::EVALUATING);
  ASSERT_TRUE(Reopen(r, v1::BROADCAST_FIRST_RESPONDER,
                     "The only bid did not meet the quality threshold", &r)
                  .ok());
  EXPECT_EQ(r.state(), v1::Referral::OPEN);
  EXPECT_EQ(r.round(), 2);
  EXPECT_EQ(r.method(), v1::BROADCAST_FIRST_RESPONDER);
  for (auto& x : Offers(r.id())) {
    if (x.round() == 1 && x.id() == live[0].id()) {
      EXPECT_EQ(x.state(), v1::Offer::NOT_SELECTED);
    }
    if (x.round() == 2) {
      EXPECT_EQ(x.kind(), v1::Offer::BROADCAST);
    }
  }
  EXPECT_EQ(Live(r.id()).size(), 2u);
}

TEST_F(ReferralsTest, AMiniCompetitionStartsOnlyOnPublishedWeightsAndQuestions) {
  // Re-opened as a mini-competition on a broadcast framework, which publishes no weights
  // or questions: refused, nothing changed, rather than scored on a built-in 60/40.
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  v1::Referral r = Open(Raise(lot));
  for (auto& o : Live(r.id())) {
    ASSERT_TRUE(Decline(ProviderOf(lot, o.provider_id()).admin, o.id(), "Full").ok());
  }
  r = Get(r.id(), officer_);
  ASSERT_EQ(r.state(), v1::Referral::UNCOVERED);
  v1::Referral out;
  auto st = Reopen(r, v1::MINI_COMPETITION, "Try a mini-competition", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("MINI_COMPETITION_TERMS_MISSING framework/" + lot.framework.id()));
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("price and quality weights"));
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("quality question"));
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("UpdateFramework"));
  v1::Referral after = Get(r.id(), officer_);
  EXPECT_EQ(after.state(), v1::Referral::UNCOVERED);
  EXPECT_EQ(after.etag(), r.etag());
  EXPECT_EQ(after.round(), 1);
  // Another method still re-opens it.
  ASSERT_TRUE(Reopen(r, v1::BROADCAST_FIRST_RESPONDER, "Try a mini-competition", &out).ok());
  EXPECT_EQ(out.round(), 2);

  // A mini-competition framework with weights but no quality questions: not opened.
  Lot bare = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 2,
                     [](rv1::CallOffSettings* c) { c->clear_quality_questions(); });
  v1::Referral draft = Raise(bare);
  v1::OpenReferralRequest open;
  open.set_id(draft.id());
  open.set_etag(draft.etag());
  st = Call(stub(), officer_, &Stub::OpenReferral, open, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("at least one quality question"));
  EXPECT_THAT(st.error_message(), Not(::testing::HasSubstr("weights summing")));
  EXPECT_EQ(Get(draft.id(), officer_).state(), v1::Referral::DRAFT);
  EXPECT_TRUE(Offers(draft.id()).empty());
}

TEST_F(ReferralsTest, AnEvaluationWhoseLastAnswerIsWithdrawnBySuspensionIsUncovered) {
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());  // only what follows is new
  // A mini-competition with two bids, and competitive offers with one proposal, both
  // EVALUATING after their deadline.
  Lot mini = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 2,
                     [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(1); });
  Lot comp = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 1,
                     [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(1); });
  v1::Referral bids = Open(Raise(mini));
  for (auto& o : Live(bids.id())) {
    ASSERT_TRUE(SubmitBid(ProviderOf(mini, o.provider_id()), o.id(), 2200).ok());
  }
  v1::Referral proposals = Open(Raise(comp));
  auto invited = Live(proposals.id());
  ASSERT_EQ(invited.size(), 1u);
  ASSERT_TRUE(Propose(comp.providers[0].admin, invited[0].id(), "safeguarding_l2",
                      "Five years at home care")
                  .ok());
  clock().Set(London(2026, 11, 25, 17, 0));
  RunDue();
  ASSERT_EQ(Get(bids.id(), officer_).state(), v1::Referral::EVALUATING);
  ASSERT_EQ(Get(proposals.id(), officer_).state(), v1::Referral::EVALUATING);

  // One bidder suspended: the other bid is still there to evaluate.
  Suspend(mini.providers[0], "CQC rated inadequate");
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  EXPECT_EQ(Get(bids.id(), officer_).state(), v1::Referral::EVALUATING);

  // The last bidder and the only proposer suspended: nothing to award, so UNCOVERED at
  // once, with the service as the actor and the suspension as the reason.
  Suspend(mini.providers[1], "Safeguarding concern under investigation");
  Suspend(comp.providers[0], "Registration cancelled by Ofsted");
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  struct Case {
    const v1::Referral* r;
    const char* what;
    const char* suspension;
  };
  for (const Case& k : {Case{&bids, "bid", "Safeguarding concern under investigation"},
                        Case{&proposals, "proposal", "Registration cancelled by Ofsted"}}) {
    v1::Referral after = Get(k.r->id(), officer_);
    EXPECT_EQ(after.state(), v1::Referral::UNCOVERED) << k.what;
    EXPECT_THAT(after.state_reason(),
                ::testing::HasSubstr(absl::StrCat("last submitted ", k.what)));
    EXPECT_THAT(after.state_reason(), ::testing::HasSubstr(k.suspension));
    ASSERT_GT(after.history_size(), 0);
    const auto& last = after.history(after.history_size() - 1);
    EXPECT_EQ(last.from_state(), "EVALUATING");
    EXPECT_EQ(last.to_state(), "UNCOVERED");
    EXPECT_EQ(last.actor_user(), "system");
    EXPECT_EQ(last.reason(), after.state_reason());
    for (auto& x : Offers(k.r->id())) EXPECT_EQ(x.state(), v1::Offer::WITHDRAWN) << k.what;
    int uncovered = 0;
    for (auto& e : EventsAbout(k.r->id())) {
      if (e.event_type() != "pdps.referrals.v1.ReferralUncovered") continue;
      ++uncovered;
      v1::ReferralClosed closed;
      ASSERT_TRUE(e.payload().UnpackTo(&closed));
      EXPECT_EQ(closed.state(), v1::Referral::UNCOVERED);
      EXPECT_EQ(closed.reason(), after.state_reason());
    }
    EXPECT_EQ(uncovered, 1) << k.what;
  }
  // Replaying the feed changes nothing more.
  auto again = server_->referrals().registry_feed->PollOnce();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Get(bids.id(), officer_).state(), v1::Referral::UNCOVERED);
}

// ------------------------------------------------------ competitive offers ---

TEST_F(ReferralsTest, CompetitiveOffersWithWorkerProfilesShortlistedAndAwarded) {
  Lot lot = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 2);
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  for (auto& o : live) EXPECT_EQ(o.kind(), v1::Offer::PROPOSAL_INVITATION);
  const auto& a = ProviderOf(lot, live[0].provider_id());
  const auto& b = ProviderOf(lot, live[1].provider_id());

  // Accepting an invitation is not how it works: a proposal is.
  auto st = Accept(a.admin, live[0].id());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("OFFER_KIND offer/" + live[0].id()));
  v1::SubmitProposalRequest prop;
  prop.set_id(live[0].id());
  prop.mutable_proposal()->add_matched_competencies("safeguarding_l2");
  prop.mutable_proposal()->add_matched_competencies("juggling");
  prop.mutable_proposal()->mutable_worker_profile()->set_role("Senior support worker");
  prop.mutable_proposal()->mutable_worker_profile()->set_summary("Six years with ASD teenagers");
  v1::Offer o;
  st = Call(stub(), a.admin, &Stub::SubmitProposal, prop, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("proposal.matched_competencies[1]"));
  prop.mutable_proposal()->set_matched_competencies(1, "gastrostomy");
  ASSERT_TRUE(Call(stub(), a.admin, &Stub::SubmitProposal, prop, &o).ok());
  EXPECT_EQ(o.state(), v1::Offer::SUBMITTED);
  prop.set_id(live[1].id());
  prop.mutable_proposal()->mutable_worker_profile()->set_summary("Newly qualified");
  ASSERT_TRUE(Call(stub(), b.admin, &Stub::SubmitProposal, prop, &o).ok());

  // Officers see proposals as they arrive, shortlist and record the family's view.
  v1::ReviewProposalRequest review;
  review.set_id(live[0].id());
  review.set_shortlisted(true);
  review.set_family_view("Met Tuesday; the young person took to her at once");
  review.set_family_met_worker(true);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ReviewProposal, review, &o).ok());
  EXPECT_TRUE(o.proposal().shortlisted());
  EXPECT_TRUE(o.proposal().family_met_worker());
  EXPECT_EQ(o.proposal().worker_profile().summary(), "Six years with ASD teenagers");

  v1::AwardReferralRequest award;
  award.set_id(r.id());
  award.set_etag(Get(r.id(), officer_).etag());
  award.set_offer_id(live[0].id());
  v1::Referral out;
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &out).ok());
  EXPECT_EQ(out.state(), v1::Referral::AWARDED);
  EXPECT_EQ(out.award().provider_id(), a.org);
  EXPECT_EQ(out.award().method(), v1::COMPETITIVE_OFFERS);
  for (auto& x : Offers(r.id())) {
    EXPECT_EQ(x.state(), x.provider_id() == a.org ? v1::Offer::SELECTED : v1::Offer::NOT_SELECTED);
  }
}

TEST_F(ReferralsTest, AProposalShortOfTheReferralsCompetenciesIsTakenAndShowsTheGap) {
  // Seed 000 6.1: workers may be trained for a family's needs, so a proposal that does not
  // match every competency is accepted; the gap is shown to officers and the provider.
  Lot lot = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 2);
  v1::Referral r = Open(
      RaiseWith(lot, [](v1::Referral* x) { x->add_extra_competencies("seizure_management"); }));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  const auto& a = ProviderOf(lot, live[0].provider_id());
  const auto& b = ProviderOf(lot, live[1].provider_id());

  v1::Offer o;
  ASSERT_TRUE(Propose(a.admin, live[0].id(), "gastrostomy", "Will train in seizures", &o).ok());
  EXPECT_EQ(o.state(), v1::Offer::SUBMITTED);
  // The lot's base set first, then the package's extras, in the referral's order.
  EXPECT_THAT(o.proposal().unmatched_competencies(),
              ElementsAre("safeguarding_l2", "seizure_management"));
  EXPECT_THAT(GetOffer(live[0].id(), officer_).proposal().unmatched_competencies(),
              ElementsAre("safeguarding_l2", "seizure_management"));
  EXPECT_THAT(GetOffer(live[0].id(), a.admin).proposal().unmatched_competencies(),
              ElementsAre("safeguarding_l2", "seizure_management"));
  bool in_inbox = false;
  for (const auto& x : Inbox(a.admin, false)) {
    if (x.id() != live[0].id()) continue;
    in_inbox = true;
    EXPECT_THAT(x.proposal().unmatched_competencies(),
                ElementsAre("safeguarding_l2", "seizure_management"));
  }
  EXPECT_TRUE(in_inbox);

  // A provider cannot write the gap itself: the service computes it.
  v1::SubmitProposalRequest full;
  full.set_id(live[1].id());
  for (const char* code : {"seizure_management", "gastrostomy", "safeguarding_l2"}) {
    full.mutable_proposal()->add_matched_competencies(code);
  }
  full.mutable_proposal()->add_unmatched_competencies("gastrostomy");
  full.mutable_proposal()->mutable_worker_profile()->set_role("Nurse");
  full.mutable_proposal()->mutable_worker_profile()->set_summary("Epilepsy nurse");
  ASSERT_TRUE(Call(stub(), b.admin, &Stub::SubmitProposal, full, &o).ok());
  EXPECT_THAT(o.proposal().unmatched_competencies(), ::testing::IsEmpty());
  for (const auto& x : Offers(r.id())) {
    EXPECT_EQ(x.proposal().unmatched_competencies_size(), x.provider_id() == a.org ? 2 : 0);
  }
}

TEST_F(ReferralsTest, TheLatestReviewOfAProposalWinsStampedWithWhoAndWhen) {
  Lot lot = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 1);
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  const auto& provider = lot.providers[0];
  v1::SubmitProposalRequest prop;
  prop.set_id(live[0].id());
  prop.mutable_proposal()->add_matched_competencies("gastrostomy");
  prop.mutable_proposal()->mutable_worker_profile()->set_role("Support worker");
  prop.mutable_proposal()->mutable_worker_profile()->set_summary("PEG feeding at school");
  // Output-only review fields sent by the provider are ignored.
  prop.mutable_proposal()->set_reviewed_by_user("someone");
  prop.mutable_proposal()->set_reviewed_by_organisation(council_);
  prop.mutable_proposal()->mutable_reviewed_at()->set_seconds(1);
  v1::Offer o;
  ASSERT_TRUE(Call(stub(), provider.admin, &Stub::SubmitProposal, prop, &o).ok());
  EXPECT_TRUE(o.proposal().reviewed_by_user().empty());
  EXPECT_TRUE(o.proposal().reviewed_by_organisation().empty());
  EXPECT_FALSE(o.proposal().has_reviewed_at());

  // A council officer reviews; later an NHS officer of the partnership records the
  // family's view after their meeting. The second replaces the first, with its stamp.
  const std::string ann = NewUuid(), bea = NewUuid();
  Caller council_officer{
      council_, pdps::testing::Tokens::Get().For(council_, {Role::kBrokerageOfficer}, ann)};
  Caller nhs_officer{ccg_, pdps::testing::Tokens::Get().For(ccg_, {Role::kBrokerageOfficer}, bea)};
  v1::ReviewProposalRequest review;
  review.set_id(live[0].id());
  review.set_shortlisted(true);
  review.set_family_view("On the shortlist; the family meet her on Thursday");
  clock().Set(London(2026, 11, 24, 11, 0));
  ASSERT_TRUE(Call(stub(), council_officer, &Stub::ReviewProposal, review, &o).ok());
  EXPECT_EQ(o.proposal().reviewed_by_user(), ann);
  EXPECT_EQ(o.proposal().reviewed_by_organisation(), council_);
  EXPECT_EQ(Ts(o.proposal().reviewed_at()), London(2026, 11, 24, 11, 0));
  review.set_family_view("Met Thursday; the young person took to her at once");
  review.set_family_met_worker(true);
  review.set_etag(o.etag());
  clock().Set(London(2026, 11, 26, 16, 30));
  ASSERT_TRUE(Call(stub(), nhs_officer, &Stub::ReviewProposal, review, &o).ok());
  v1::Offer seen = GetOffer(live[0].id(), officer_);
  EXPECT_TRUE(seen.proposal().shortlisted());
  EXPECT_TRUE(seen.proposal().family_met_worker());
  EXPECT_EQ(seen.proposal().family_view(), "Met Thursday; the young person took to her at once");
  EXPECT_EQ(seen.proposal().reviewed_by_user(), bea);
  EXPECT_EQ(seen.proposal().reviewed_by_organisation(), ccg_);
  EXPECT_EQ(Ts(seen.proposal().reviewed_at()), London(2026, 11, 26, 16, 30));
  EXPECT_EQ(seen.proposal().worker_profile().summary(), "PEG feeding at school");
  // A stale etag (the first review's) is refused and changes nothing.
  review.set_family_view("overwritten?");
  EXPECT_EQ(Call(stub(), council_officer, &Stub::ReviewProposal, review, &o).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(GetOffer(live[0].id(), officer_).proposal().reviewed_by_user(), bea);
  // The provider sees when, not which officer.
  v1::Offer mine = GetOffer(live[0].id(), provider.admin);
  EXPECT_TRUE(mine.proposal().reviewed_by_user().empty());
  EXPECT_TRUE(mine.proposal().reviewed_by_organisation().empty());
  EXPECT_EQ(Ts(mine.proposal().reviewed_at()), London(2026, 11, 26, 16, 30));
}

TEST_F(ReferralsTest, TheFamilysViewOfAProposalIsForOfficersOnly) {
  Lot lot = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 2);
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  const auto& a = ProviderOf(lot, live[0].provider_id());
  v1::Offer o;
  ASSERT_TRUE(Propose(a.admin, live[0].id(), "gastrostomy", "PEG feeding at school", &o).ok());
  const std::string words = "Mrs Okafor says Jayden took to Grace at once";
  v1::ReviewProposalRequest review;
  review.set_id(live[0].id());
  review.set_etag(o.etag());
  review.set_shortlisted(true);
  review.set_family_view(words);
  review.set_family_met_worker(true);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ReviewProposal, review, &o).ok());
  EXPECT_EQ(o.proposal().family_view(), words);

  // Officers read it, one offer or the referral's list.
  EXPECT_EQ(GetOffer(live[0].id(), officer_).proposal().family_view(), words);
  EXPECT_EQ(GetOffer(live[0].id(), nhs_officer_).proposal().family_view(), words);
  for (const auto& x : Offers(r.id())) {
    if (x.id() == live[0].id()) {
      EXPECT_EQ(x.proposal().family_view(), words);
    }
  }
  // The provider sees where its proposal stands, not what the family said.
  auto provider_sees = [&](const v1::Offer& mine, const std::string& what) {
    EXPECT_TRUE(mine.proposal().family_view().empty()) << what;
    EXPECT_TRUE(mine.proposal().shortlisted()) << what;
    EXPECT_TRUE(mine.proposal().family_met_worker()) << what;
    EXPECT_TRUE(mine.proposal().has_reviewed_at()) << what;
    EXPECT_EQ(mine.proposal().worker_profile().summary(), "PEG feeding at school") << what;
  };
  provider_sees(GetOffer(live[0].id(), a.admin), "GetOffer");
  auto inbox = Inbox(a.admin, /*live=*/false);
  ASSERT_EQ(inbox.size(), 1u);
  provider_sees(inbox[0], "ListOffers (inbox)");
  v1::ListOffersRequest by_referral;
  by_referral.set_referral_id(r.id());
  v1::ListOffersResponse listed;
  ASSERT_TRUE(Call(stub(), a.admin, &Stub::ListOffers, by_referral, &listed).ok());
  ASSERT_EQ(listed.offers_size(), 1);
  provider_sees(listed.offers(0), "ListOffers (referral)");

  // Awarded: the SELECTED proposal's event is the provider's, without the family's view.
  v1::AwardReferralRequest award;
  award.set_id(r.id());
  award.set_etag(Get(r.id(), officer_).etag());
  award.set_offer_id(live[0].id());
  v1::Referral out;
  ASSERT_TRUE(Call(stub(), officer_, &Stub::AwardReferral, award, &out).ok());
  provider_sees(GetOffer(live[0].id(), a.admin), "GetOffer after the award");
  EXPECT_EQ(GetOffer(live[0].id(), officer_).proposal().family_view(), words);
  int proposals = 0;
  for (auto& e : EventsAbout(r.id())) {
    v1::OfferChanged oc;
    if (!e.payload().UnpackTo(&oc) || !oc.offer().has_proposal()) continue;
    ++proposals;
    EXPECT_TRUE(oc.offer().proposal().family_view().empty()) << e.event_type();
    EXPECT_TRUE(oc.offer().proposal().reviewed_by_user().empty()) << e.event_type();
    EXPECT_EQ(e.ShortDebugString().find(words), std::string::npos) << e.event_type();
  }
  EXPECT_EQ(proposals, 2);  // submitted, then SELECTED
}

TEST_F(ReferralsTest, ANamedWorkerMustPassTheWorkforceGateBeforeAProposalIsTaken) {
  Lot lot = MakeLot(rv1::CallOffSettings::COMPETITIVE_OFFERS, 2);
  // The lot's training matrix in workforce: the base competency and the asterisked one
  // this package needs.
  wv1::CreateTrainingMatrixRequest mreq;
  auto* m = mreq.mutable_training_matrix();
  m->set_framework_id(lot.framework.id());
  m->set_lot_id(lot.lot.id());
  m->set_title("Lot A");
  m->mutable_effective_from()->set_value("2026-01-01");
  for (auto [code, conditional] : {std::pair{"safeguarding_l2", false}, {"gastrostomy", true}}) {
    auto* c = m->add_competencies();
    c->set_code(code);
    c->set_name(code);
    c->set_renewal_months(12);
    c->set_conditional(conditional);
  }
  wv1::TrainingMatrix matrix;
  ASSERT_TRUE(WCall(commissioner_, &WStub::CreateTrainingMatrix, mreq, &matrix).ok());

  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  const auto& a = ProviderOf(lot, live[0].provider_id());
  const auto& b = ProviderOf(lot, live[1].provider_id());
  std::string ready = Worker(a.admin, "Ready Carer", {"safeguarding_l2", "gastrostomy"});
  std::string untrained = Worker(a.admin, "New Carer", {"safeguarding_l2"});
  std::string elsewhere = Worker(b.admin, "Other Carer", {"safeguarding_l2", "gastrostomy"});

  v1::SubmitProposalRequest prop;
  prop.set_id(live[0].id());
  prop.mutable_proposal()->add_matched_competencies("gastrostomy");
  prop.mutable_proposal()->mutable_worker_profile()->set_role("Support worker");
  prop.mutable_proposal()->mutable_worker_profile()->set_summary("PEG feeding at school");
  v1::Offer o;
  // Not eligible: every reason, and nothing recorded.
  prop.mutable_proposal()->mutable_worker_profile()->set_staff_id(untrained);
  auto st = Call(stub(), a.admin, &Stub::SubmitProposal, prop, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("COMPETENCY_MISSING gastrostomy"));
  EXPECT_THAT(st.error_message(), Not(::testing::HasSubstr("New Carer")));
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              Contains("COMPETENCY_MISSING gastrostomy"));
  EXPECT_EQ(Inbox(a.admin)[0].state(), v1::Offer::OPEN);
  // Another provider's worker is not the caller's to propose.
  prop.mutable_proposal()->mutable_worker_profile()->set_staff_id(elsewhere);
  st = Call(stub(), a.admin, &Stub::SubmitProposal, prop, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("proposal.worker_profile.staff_id"));
  // Compliant on the start date: taken, and marked as checked. The gate proved the
  // referral's every competency, so none need be typed and none is shown as a gap.
  v1::SubmitProposalRequest named = prop;
  named.mutable_proposal()->clear_matched_competencies();
  named.mutable_proposal()->mutable_worker_profile()->set_staff_id(ready);
  ASSERT_TRUE(Call(stub(), a.admin, &Stub::SubmitProposal, named, &o).ok());
  EXPECT_EQ(o.state(), v1::Offer::SUBMITTED);
  EXPECT_TRUE(o.proposal().worker_checked());
  EXPECT_THAT(o.proposal().matched_competencies(), Contains("gastrostomy"));
  EXPECT_THAT(o.proposal().matched_competencies(), Contains("safeguarding_l2"));
  EXPECT_THAT(o.proposal().unmatched_competencies(), ::testing::IsEmpty());
  // Without a named worker nothing is checked.
  v1::SubmitProposalRequest plain = prop;
  plain.set_id(live[1].id());
  plain.mutable_proposal()->mutable_worker_profile()->clear_staff_id();
  ASSERT_TRUE(Call(stub(), b.admin, &Stub::SubmitProposal, plain, &o).ok());
  EXPECT_FALSE(o.proposal().worker_checked());
}

// ------------------------------------------------------- data minimisation ---

TEST_F(ReferralsTest, PenPortraitBeforeAwardDetailsOnlyForTheAwardedProviderAndEveryReadAudited) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  auto bystander = world_->AdmittedProvider(
      "Bystander Care", commissioner_, lot.framework,
      world_->CreateLot(commissioner_, lot.framework.id(), "Q"), {"SOUTHWARK"});
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  const auto& winner = ProviderOf(lot, live[0].provider_id());
  const auto& loser = ProviderOf(lot, live[1].provider_id());

  // Offered: the pen portrait only.
  v1::Referral seen = Get(r.id(), winner.admin);
  EXPECT_EQ(seen.needs_summary(), r.needs_summary());
  EXPECT_EQ(seen.area(), "Southwark");
  EXPECT_EQ(seen.age_years(), 14);
  EXPECT_EQ(seen.preferences().worker_gender(), "female");
  EXPECT_TRUE(seen.funding().empty());
  EXPECT_TRUE(seen.care_plan_extract().empty());
  EXPECT_TRUE(seen.history().empty());
  EXPECT_TRUE(seen.partnership_id().empty());
  auto inbox = Inbox(winner.admin);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].referral().needs_summary(), r.needs_summary());
  EXPECT_TRUE(inbox[0].referral().funding().empty());

  v1::GetPersonDetailsRequest person;
  person.set_referral_id(r.id());
  person.set_purpose("check before accepting");
  v1::PersonDetails details;
  auto st = Call(stub(), winner.admin, &Stub::GetPersonDetails, person, &details);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), Not(::testing::HasSubstr("Alex")));

  // Not offered: nothing at all, in gets, lists or person details.
  v1::GetReferralRequest get;
  get.set_id(r.id());
  v1::Referral none;
  EXPECT_EQ(Call(stub(), bystander.admin, &Stub::GetReferral, get, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(stub(), other_officer_, &Stub::GetReferral, get, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListReferralsRequest list;
  v1::ListReferralsResponse listed;
  ASSERT_TRUE(Call(stub(), bystander.admin, &Stub::ListReferrals, list, &listed).ok());
  for (auto& x : listed.referrals()) EXPECT_NE(x.id(), r.id());
  ASSERT_TRUE(Call(stub(), other_officer_, &Stub::ListReferrals, list, &listed).ok());
  for (auto& x : listed.referrals()) EXPECT_NE(x.id(), r.id());
  v1::ListOffersRequest offers;
  offers.set_referral_id(r.id());
  v1::ListOffersResponse offered;
  EXPECT_EQ(Call(stub(), other_officer_, &Stub::ListOffers, offers, &offered).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Officers of both partnership members read the details; each read is logged.
  ASSERT_TRUE(Call(stub(), nhs_officer_, &Stub::GetPersonDetails, person, &details).ok());
  EXPECT_EQ(details.full_name(), "Alex Testperson");
  EXPECT_EQ(details.nhs_number(), "9434765919");

  ASSERT_TRUE(Accept(winner.admin, live[0].id()).ok());
  ASSERT_TRUE(Call(stub(), winner.admin, &Stub::GetPersonDetails, person, &details).ok());
  EXPECT_EQ(details.key_safe_code(), "KS-4321");
  seen = Get(r.id(), winner.admin);
  EXPECT_EQ(seen.care_plan_extract(), r.care_plan_extract());
  EXPECT_EQ(seen.award().provider_id(), winner.org);
  // The provider offered but not awarded still gets nothing.
  EXPECT_EQ(Call(stub(), loser.admin, &Stub::GetPersonDetails, person, &details).error_code(),
            grpc::StatusCode::NOT_FOUND);
  seen = Get(r.id(), loser.admin);
  EXPECT_EQ(seen.state(), v1::Referral::AWARDED);
  EXPECT_FALSE(seen.has_award());
  EXPECT_TRUE(seen.care_plan_extract().empty());
  // A purpose is required.
  person.set_purpose("");
  EXPECT_EQ(Call(stub(), winner.admin, &Stub::GetPersonDetails, person, &details).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ListPersonDetailsAccessRequest log;
  log.set_referral_id(r.id());
  v1::ListPersonDetailsAccessResponse logged;
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ListPersonDetailsAccess, log, &logged).ok());
  std::vector<std::string> actions;
  for (auto& a : logged.accesses()) actions.push_back(a.action() + ":" + a.organisation_id());
  EXPECT_THAT(actions, ElementsAre("READ:" + winner.org, "READ:" + ccg_, "CREATE:" + council_));
  EXPECT_EQ(logged.accesses(0).purpose(), "check before accepting");
  // The log is append-only, even for the table's owner.
  auto changed = registry_->db().Query(absl::StrCat(
      "SELECT count(*)::text AS v FROM referrals.person_access_log WHERE referral_id = '", r.id(),
      "'"));
  EXPECT_EQ(changed, std::vector<std::string>{"3"});
  auto owner = db::Connection::Open(registry_->db().Conninfo("postgres"));
  ASSERT_TRUE(owner.ok());
  EXPECT_FALSE((*owner)->ExecScript("DELETE FROM referrals.person_access_log").ok());
  EXPECT_FALSE((*owner)->ExecScript("UPDATE referrals.person_access_log SET purpose = 'x'").ok());
  EXPECT_EQ(registry_->db().Query(absl::StrCat(
                "SELECT count(*)::text AS v FROM referrals.person_access_log WHERE referral_id = '",
                r.id(), "'")),
            std::vector<std::string>{"3"});
  // The service's own role appends only in the acting user's name: a row naming another
  // user is refused by the policy, whatever the code asks.
  auto app = registry_->db().AppPool("referrals", 1);
  const std::string actor_user = NewUuid();
  auto forged = app->InTx({winner.org, actor_user, false, ""}, absl::Now() + absl::Seconds(10),
                          [&](db::Tx& tx) -> absl::Status {
                            return tx
                                .Exec(
                                    "INSERT INTO referrals.person_access_log (referral_id,"
                                    " partnership_id, user_id, organisation_id, action,"
                                    " purpose, at) SELECT id, partnership_id, $2, $3, 'READ',"
                                    " 'forged', now() FROM referrals.referrals WHERE id = $1",
                                    {db::P(r.id()), db::P(NewUuid()), db::P(winner.org)})
                                .status();
                          });
  EXPECT_FALSE(forged.ok());
  EXPECT_EQ(registry_->db().Query(absl::StrCat(
                "SELECT count(*)::text AS v FROM referrals.person_access_log WHERE referral_id = '",
                r.id(), "'")),
            std::vector<std::string>{"3"});

  // No identifying detail leaves through the event feed.
  for (auto& e : Feed()) {
    std::string bytes = e.payload().value();
    EXPECT_EQ(bytes.find("Alex Testperson"), std::string::npos) << e.event_type();
    EXPECT_EQ(bytes.find("9434765919"), std::string::npos) << e.event_type();
    EXPECT_EQ(bytes.find("SE1 1AA"), std::string::npos) << e.event_type();
    EXPECT_EQ(bytes.find("KS-4321"), std::string::npos) << e.event_type();
  }
}

// ------------------------------------------- correcting the person's details ---

TEST_F(ReferralsTest, AfterTheAwardAnOfficerCorrectsTheDetailsAndTheProviderReadsThemAudited) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  v1::Referral r = Raise(lot);
  const auto& winner = AwardByAcceptance(lot, &r);
  ASSERT_EQ(r.state(), v1::Referral::AWARDED);
  auto feed = Feed();
  int64_t after = feed.empty() ? 0 : feed.back().position();

  // The family moved and the key safe has a new code; a contact is added.
  v1::PersonDetails moved = SamplePerson();
  moved.clear_address_lines();
  moved.add_address_lines("22 Newplace Gardens");
  moved.add_address_lines("London");
  moved.set_postcode("SE5 0ZZ");
  moved.set_key_safe_code("KS-8765");
  auto* aunt = moved.add_contacts();
  aunt->set_name("Jo Testperson");
  aunt->set_relationship("aunt");
  clock().Advance(absl::Minutes(5));
  v1::Referral updated;
  auto st = UpdatePerson(nhs_officer_, r, moved, "family moved house; new key safe code", &updated);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(updated.state(), v1::Referral::AWARDED);
  EXPECT_NE(updated.etag(), r.etag());
  EXPECT_EQ(updated.age_years(), r.age_years());  // same date of birth
  EXPECT_EQ(updated.award().provider_id(), winner.org);
  ASSERT_EQ(updated.history_size(), r.history_size() + 1);
  const auto& note = updated.history(updated.history_size() - 1);
  EXPECT_EQ(note.from_state(), "AWARDED");
  EXPECT_EQ(note.to_state(), "AWARDED");
  EXPECT_EQ(note.reason(), "person details updated: family moved house; new key safe code");
  EXPECT_EQ(note.actor_organisation(), ccg_);
  // The old etag is spent.
  EXPECT_EQ(UpdatePerson(officer_, r, moved, "again").error_code(), grpc::StatusCode::ABORTED);

  // The awarded provider reads the new code, and that read is logged too.
  v1::GetPersonDetailsRequest read;
  read.set_referral_id(r.id());
  read.set_purpose("let the carer in tonight");
  v1::PersonDetails details;
  ASSERT_TRUE(Call(stub(), winner.admin, &Stub::GetPersonDetails, read, &details).ok());
  EXPECT_EQ(details.key_safe_code(), "KS-8765");
  EXPECT_EQ(details.postcode(), "SE5 0ZZ");
  EXPECT_THAT(details.address_lines(), ElementsAre("22 Newplace Gardens", "London"));
  EXPECT_EQ(details.contacts_size(), 2);
  v1::ListPersonDetailsAccessRequest log;
  log.set_referral_id(r.id());
  v1::ListPersonDetailsAccessResponse logged;
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ListPersonDetailsAccess, log, &logged).ok());
  std::vector<std::string> entries;
  for (auto& a : logged.accesses()) {
    entries.push_back(absl::StrCat(a.action(), ":", a.organisation_id(), ":", a.purpose()));
  }
  EXPECT_THAT(entries,
              ElementsAre("READ:" + winner.org + ":let the carer in tonight",
                          "UPDATE:" + ccg_ + ":update: family moved house; new key safe code",
                          "CREATE:" + council_ + ":referral raised"));

  // One event tells the provider and downstream services, with nothing personal in it.
  std::vector<pdps::common::v1::Event> changed;
  for (auto& e : Feed(after)) {
    if (e.event_type() == "pdps.referrals.v1.PersonDetailsChanged") changed.push_back(e);
  }
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].aggregate_id(), r.id());
  EXPECT_EQ(changed[0].organisation_id(), council_);
  v1::PersonDetailsChanged payload;
  ASSERT_TRUE(changed[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.referral_id(), r.id());
  EXPECT_EQ(payload.provider_id(), winner.org);
  EXPECT_EQ(Ts(payload.change_time()), clock().Now());
  // Exactly those three fields, and no detail nor the officer's reason in the bytes.
  EXPECT_EQ(v1::PersonDetailsChanged::descriptor()->field_count(), 3);
  const std::string bytes = changed[0].payload().value();
  for (const char* secret :
       {"KS-8765", "KS-4321", "Newplace", "SE5 0ZZ", "SE1 1AA", "Alex Testperson", "Jo Testperson",
        "9434765919", "2012-03-04", "key safe", "moved"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

TEST_F(ReferralsTest, DetailsCorrectedBeforeTheAwardPublishNothingAndADateOfBirthMustFitTheLot) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2);  // ages 0 to 18
  v1::Referral r = Open(Raise(lot));  // raised 24 November 2026, starting 14 December
  ASSERT_EQ(r.age_years(), 14);
  // A corrected date of birth: the pen portrait's age follows (on the day raised).
  v1::PersonDetails corrected = SamplePerson();
  corrected.mutable_date_of_birth()->set_value("2013-03-04");
  v1::Referral updated;
  ASSERT_TRUE(UpdatePerson(officer_, r, corrected, "date of birth mistyped", &updated).ok());
  EXPECT_EQ(updated.state(), v1::Referral::OPEN);
  EXPECT_EQ(updated.age_years(), 13);
  EXPECT_EQ(updated.history(updated.history_size() - 1).from_state(), "OPEN");
  EXPECT_EQ(updated.history(updated.history_size() - 1).to_state(), "OPEN");
  // Offered providers still see the pen portrait only, now with the corrected age.
  const auto& offered = ProviderOf(lot, Live(r.id())[0].provider_id());
  EXPECT_EQ(Get(r.id(), offered.admin).age_years(), 13);
  for (auto& e : EventsAbout(r.id())) {
    EXPECT_NE(e.event_type(), "pdps.referrals.v1.PersonDetailsChanged");
  }

  // A date of birth that makes the person 19 on the start date is refused, nothing kept.
  std::string before = PersonRecord(r.id());
  corrected.mutable_date_of_birth()->set_value("2007-12-01");
  auto st = UpdatePerson(officer_, updated, corrected, "older than we thought");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("person.date_of_birth"));
  EXPECT_EQ(PersonRecord(r.id()), before);

  // Without the registry, a new key-safe code still goes through (the date of birth is
  // unchanged: nothing to ask); a new date of birth is UNAVAILABLE and changes nothing.
  ReferralsServer cut_off(registry_, TestOptions("127.0.0.1:1", workforce_->address()));
  v1::UpdatePersonDetailsRequest req;
  req.set_referral_id(r.id());
  req.set_etag(updated.etag());
  *req.mutable_person() = corrected;
  req.mutable_person()->mutable_date_of_birth()->set_value("2013-03-05");
  req.set_reason("date of birth mistyped again");
  v1::Referral out;
  st = Call(cut_off.stub(), officer_, &Stub::UpdatePersonDetails, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_EQ(PersonRecord(r.id()), before);
  req.mutable_person()->mutable_date_of_birth()->set_value("2013-03-04");
  req.mutable_person()->set_key_safe_code("KS-1111");
  req.set_reason("new key safe code");
  st = Call(cut_off.stub(), officer_, &Stub::UpdatePersonDetails, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.age_years(), 13);
}

TEST_F(ReferralsTest, RefusedUpdatesOfThePersonsDetailsChangeNothing) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  v1::Referral r = Raise(lot);
  ASSERT_TRUE(
      AwardDirectly(r, lot.providers[0].org, "Continuity with the sibling's carers", &r).ok());
  ASSERT_EQ(r.state(), v1::Referral::AWARDED);
  const std::string before = PersonRecord(r.id());
  ASSERT_THAT(before, ::testing::HasSubstr("KS-4321"));
  v1::PersonDetails fresh = SamplePerson();
  fresh.set_key_safe_code("KS-0000");

  // Another partnership's officer: as if the referral did not exist.
  auto st = UpdatePerson(other_officer_, r, fresh, "new code");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  st = UpdatePerson(other_commissioner_, r, fresh, "new code");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  // Providers, the awarded one included, may not write the details.
  st = UpdatePerson(lot.providers[0].admin, r, fresh, "new code");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  // A reason is required; bad details are reported under person.*, all at once.
  st = UpdatePerson(officer_, r, fresh, "");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("reason"));
  v1::PersonDetails bad = fresh;
  bad.clear_full_name();
  bad.set_nhs_number("9434765918");
  st = UpdatePerson(officer_, r, bad, std::string(491, 'x'));
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ::testing::UnorderedElementsAre("person.full_name", "person.nhs_number", "reason"));
  // A stale etag.
  st = UpdatePerson(officer_, r, fresh, "new code", nullptr, "999");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED) << st.error_message();
  EXPECT_EQ(PersonRecord(r.id()), before);

  // A withdrawn referral's details are final.
  v1::Referral w = Raise(lot);
  v1::WithdrawReferralRequest withdraw;
  withdraw.set_id(w.id());
  withdraw.set_etag(w.etag());
  withdraw.set_reason("Family moved out of the area");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::WithdrawReferral, withdraw, &w).ok());
  const std::string withdrawn = PersonRecord(w.id());
  st = UpdatePerson(officer_, w, fresh, "new code");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("WITHDRAWN"));
  EXPECT_EQ(PersonRecord(w.id()), withdrawn);
  EXPECT_EQ(Get(r.id(), officer_).etag(), r.etag());
}

// ------------------------------------------------ errors change nothing ---

TEST_F(ReferralsTest, BadAnswersAndVerbsGetTheRightErrorAndChangeNothing) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2);
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  const auto& p = ProviderOf(lot, live[0].provider_id());
  const auto& other = lot.providers[0].org == p.org ? lot.providers[1] : lot.providers[0];

  // Decline without rationale.
  auto st = Decline(p.admin, live[0].id(), "");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), Contains("rationale"));
  EXPECT_EQ(Live(r.id()).size(), 1u);
  // A reason the proto does not define is no reason: refused, the offer still live.
  v1::DeclineOfferRequest odd;
  odd.set_id(live[0].id());
  odd.set_reason(static_cast<v1::DeclineReason>(42));
  odd.set_rationale("We are full");
  v1::Offer declined;
  EXPECT_THAT(registry::testing::ViolationFields(
                  Call(stub(), p.admin, &Stub::DeclineOffer, odd, &declined)),
              ElementsAre("reason"));
  EXPECT_EQ(Live(r.id()).size(), 1u);
  // Nor is a state filter the proto does not define a filter.
  v1::ListReferralsRequest by_state;
  by_state.set_state(static_cast<v1::Referral::State>(42));
  v1::ListReferralsResponse listed;
  EXPECT_THAT(registry::testing::ViolationFields(
                  Call(stub(), officer_, &Stub::ListReferrals, by_state, &listed)),
              ElementsAre("state"));
  // Someone else's offer looks like no offer at all.
  st = Accept(other.admin, live[0].id());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  // Officers cannot answer for providers.
  v1::AcceptOfferRequest acc;
  acc.set_id(live[0].id());
  v1::Offer o;
  EXPECT_EQ(Call(stub(), officer_, &Stub::AcceptOffer, acc, &o).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Stale etag on an answer.
  acc.set_etag("999");
  EXPECT_EQ(Call(stub(), p.admin, &Stub::AcceptOffer, acc, &o).error_code(),
            grpc::StatusCode::ABORTED);
  // Accept after the deadline (not yet swept by the scheduler).
  clock().Set(Ts(live[0].deadline()));
  st = Accept(p.admin, live[0].id());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("OFFER_DEADLINE_PASSED offer/" + live[0].id()));
  EXPECT_EQ(Live(r.id()).size(), 1u);
  EXPECT_EQ(Get(r.id(), officer_).state(), v1::Referral::OPEN);
  clock().Set(Ts(live[0].deadline()) - absl::Minutes(1));
  ASSERT_TRUE(Accept(p.admin, live[0].id()).ok());
  // Accept twice.
  st = Accept(p.admin, live[0].id());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("OFFER_STATE offer/" + live[0].id()));
  // Withdraw an awarded referral.
  v1::Referral now = Get(r.id(), officer_);
  v1::WithdrawReferralRequest w;
  w.set_id(r.id());
  w.set_etag(now.etag());
  w.set_reason("Family moved away");
  v1::Referral out;
  EXPECT_EQ(Call(stub(), officer_, &Stub::WithdrawReferral, w, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Get(r.id(), officer_).etag(), now.etag());
}

TEST_F(ReferralsTest, AnAnswerWithTheEtagItWasReadWithHearsWhyTheOfferIsClosed) {
  // Broadcast: both providers read their offer; one accepts first. The other answers with
  // the etag it read (the offer changed since: WITHDRAWN) and is told another provider
  // won, FAILED_PRECONDITION as promised, not ABORTED.
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 2u);
  const auto& late = ProviderOf(lot, live[1].provider_id());
  v1::Offer read = GetOffer(live[1].id(), late.admin);
  ASSERT_TRUE(Accept(ProviderOf(lot, live[0].provider_id()).admin, live[0].id()).ok());
  auto st = Accept(late.admin, read.id(), nullptr, read.etag());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("withdrawn"));
  st = Decline(late.admin, read.id(), "Too late anyway", nullptr, read.etag());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();

  // Rotational: the first-refusal provider reads its offer, the scheduler times it out at
  // the deadline, and the provider then answers with the etag it read: it hears when the
  // deadline passed, not "already answered".
  Lot rot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2);
  v1::Referral rr = Open(Raise(rot));
  auto first = Live(rr.id());
  ASSERT_EQ(first.size(), 1u);
  const auto& holder = ProviderOf(rot, first[0].provider_id());
  read = GetOffer(first[0].id(), holder.admin);
  EXPECT_EQ(Ts(read.deadline()), London(2026, 11, 24, 12, 0));
  clock().Set(London(2026, 11, 24, 12, 0));
  RunDue();
  ASSERT_EQ(GetOffer(first[0].id(), officer_).state(), v1::Offer::TIMED_OUT);
  clock().Set(London(2026, 11, 24, 12, 20));
  st = Accept(holder.admin, read.id(), nullptr, read.etag());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(st.error_message(),
            "the offer's deadline passed at 2026-11-24 12:00 GMT; it can no longer be answered");
  st = Decline(holder.admin, read.id(), "Too late anyway", nullptr, read.etag());
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_THAT(st.error_message(), Not(::testing::HasSubstr("already answered")));

  // A stale etag on an offer that can still be answered is still ABORTED.
  auto second = Live(rr.id());
  ASSERT_EQ(second.size(), 1u);
  st = Accept(ProviderOf(rot, second[0].provider_id()).admin, second[0].id(), nullptr, "999");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED) << st.error_message();
  EXPECT_EQ(GetOffer(second[0].id(), officer_).state(), v1::Offer::OPEN);
}

TEST_F(ReferralsTest, CreateValidatesIsIdempotentAndStaysInThePartnership) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 1);
  v1::CreateReferralRequest req;
  *req.mutable_referral() = SampleReferral(lot.lot.id(), "SOUTHWARK", council_);
  req.mutable_referral()->mutable_funding(0)->set_share_basis_points(6000);
  auto* share = req.mutable_referral()->add_funding();
  share->set_organisation_id(other_council_);
  share->set_share_basis_points(3000);
  req.mutable_referral()->set_planned_weekly_hours(0.3);
  *req.mutable_person() = SamplePerson();
  req.mutable_person()->set_nhs_number("9434765918");
  v1::Referral out;
  auto st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // The person's and the referral's fields in one answer: fix them all, send once.
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ::testing::UnorderedElementsAre("person.nhs_number", "referral.funding",
                                              "referral.planned_weekly_hours"));
  req.mutable_person()->set_nhs_number("9434765919");
  // The shape is reported before the registry is asked who the partnership's members are.
  st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ::testing::UnorderedElementsAre("referral.funding", "referral.planned_weekly_hours"));
  req.mutable_referral()->mutable_funding(1)->set_share_basis_points(4000);
  req.mutable_referral()->set_planned_weekly_hours(12.25);
  st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ElementsAre("referral.funding[1].organisation_id"));

  // Jointly funded by the council and the NHS member: fine; a retry returns the same.
  req.mutable_referral()->mutable_funding(1)->set_organisation_id(ccg_);
  req.mutable_referral()->mutable_funding(1)->set_share_basis_points(4000);
  req.mutable_referral()->set_planned_weekly_hours(12.25);
  req.set_request_id(NewUuid());
  ASSERT_TRUE(Call(stub(), nhs_officer_, &Stub::CreateReferral, req, &out).ok());
  v1::Referral again;
  ASSERT_TRUE(Call(stub(), nhs_officer_, &Stub::CreateReferral, req, &again).ok());
  EXPECT_EQ(again.id(), out.id());
  // The same request_id with another body is a mistake, not a retry: refused, nothing made.
  v1::CreateReferralRequest reused = req;
  reused.mutable_referral()->set_needs_summary("Another child altogether");
  auto reuse = Call(stub(), nhs_officer_, &Stub::CreateReferral, reused, &again);
  EXPECT_EQ(reuse.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(reuse), ElementsAre("request_id"));
  EXPECT_EQ(out.funding_size(), 2);
  EXPECT_DOUBLE_EQ(out.planned_weekly_hours(), 12.25);

  // Another partnership's officers may not raise on this lot, and see nothing of it.
  st = Call(stub(), other_officer_, &Stub::CreateReferral, req, &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  // Unknown lot.
  req.mutable_referral()->set_lot_id(NewUuid());
  st = Call(stub(), officer_, &Stub::CreateReferral, req, &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);

  // Update in DRAFT with a stale etag: ABORTED; with the right one: changed.
  v1::UpdateReferralRequest upd;
  *upd.mutable_referral() = out;
  upd.mutable_referral()->set_session_pattern("Sat-Sun 10:00-16:00");
  upd.mutable_referral()->set_etag("0");
  v1::Referral updated;
  EXPECT_EQ(Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  upd.mutable_referral()->set_etag(out.etag());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated).ok());
  EXPECT_EQ(updated.session_pattern(), "Sat-Sun 10:00-16:00");

  // Paging: a page of one, then the next.
  v1::ListReferralsRequest list;
  list.set_lot_id(lot.lot.id());
  list.set_page_size(1);
  v1::ListReferralsResponse page;
  Raise(lot);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ListReferrals, list, &page).ok());
  ASSERT_EQ(page.referrals_size(), 1);
  ASSERT_FALSE(page.next_page_token().empty());
  std::string first = page.referrals(0).id();
  list.set_page_token(page.next_page_token());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ListReferrals, list, &page).ok());
  ASSERT_EQ(page.referrals_size(), 1);
  EXPECT_NE(page.referrals(0).id(), first);
  // The lot holds two: a full last page ends the list (AIP-158), no empty page after it.
  EXPECT_TRUE(page.next_page_token().empty());
}

// A framework that lists its districts takes referrals for them only, however they are
// written, when raised and when updated; one refused writes nothing (decision 78).
TEST_F(ReferralsTest, AReferralMustNameOneOfTheFrameworksServiceAreas) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 1);
  rv1::UpdateFrameworkRequest uf;
  *uf.mutable_framework() = lot.framework;
  uf.mutable_framework()->add_service_areas("Southwark");
  uf.mutable_framework()->add_service_areas("Lambeth");
  ASSERT_TRUE(RCall(*registry_, commissioner_, &RStub::UpdateFramework, uf, &lot.framework).ok());
  auto on_lot = [&] {
    v1::ListReferralsRequest list;
    list.set_lot_id(lot.lot.id());
    v1::ListReferralsResponse listed;
    EXPECT_TRUE(Call(stub(), officer_, &Stub::ListReferrals, list, &listed).ok());
    return listed.referrals_size();
  };
  v1::CreateReferralRequest req;
  *req.mutable_referral() = SampleReferral(lot.lot.id(), "Lewisham", council_);
  *req.mutable_person() = SamplePerson();
  v1::Referral r;
  auto st = Call(stub(), officer_, &Stub::CreateReferral, req, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.area"));
  EXPECT_THAT(st.error_message(), ::testing::HasSubstr("SOUTHWARK, LAMBETH"));
  EXPECT_EQ(on_lot(), 0);
  req.mutable_referral()->set_area("  lambeth ");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::CreateReferral, req, &r).ok());
  EXPECT_EQ(on_lot(), 1);
  // Moved to a district the framework does not serve while in DRAFT: refused, unchanged.
  v1::UpdateReferralRequest upd;
  *upd.mutable_referral() = r;
  upd.mutable_referral()->set_area("GREENWICH");
  v1::Referral updated;
  st = Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.area"));
  v1::GetReferralRequest get;
  get.set_id(r.id());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::GetReferral, get, &updated).ok());
  EXPECT_EQ(updated.etag(), r.etag());
  upd.mutable_referral()->set_area("SOUTHWARK");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated).ok());
  EXPECT_EQ(updated.area(), "SOUTHWARK");
}

TEST_F(ReferralsTest, TheLimitsEveryRequestKeepsAreCheckedBeforeAnythingIsWritten) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  v1::CreateReferralRequest req;
  *req.mutable_referral() = SampleReferral(lot.lot.id(), "SOUTHWARK", council_);
  *req.mutable_person() = SamplePerson();
  req.mutable_person()->set_full_name(std::string("Alex\0Smith", 10));
  for (int i = 0; i < 1001; ++i) req.mutable_referral()->add_outcomes("Go to school");
  req.set_request_id(NewUuid());
  v1::Referral out;
  auto st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ::testing::UnorderedElementsAre("person.full_name", "referral.outcomes"));
  // Nothing was made, and the request id was not used up: the corrected request goes in.
  v1::ListReferralsRequest list;
  list.set_lot_id(lot.lot.id());
  v1::ListReferralsResponse page;
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ListReferrals, list, &page).ok());
  EXPECT_EQ(page.referrals_size(), 0);
  req.mutable_person()->set_full_name("Alex Smith");
  req.mutable_referral()->mutable_outcomes()->DeleteSubrange(2, 1001);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::CreateReferral, req, &out).ok());
  EXPECT_EQ(out.outcomes_size(), 2);
}

TEST_F(ReferralsTest, ThePersonMustBeInTheLotsAgeRangeOnTheStartDate) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 1);  // ages 0 to 18
  v1::CreateReferralRequest req;
  *req.mutable_referral() = SampleReferral(lot.lot.id(), "SOUTHWARK", council_);  // 2026-12-14
  *req.mutable_person() = SamplePerson();
  v1::Referral out;
  // 18 today (24 November), 19 by the start date: the start date is what counts.
  req.mutable_person()->mutable_date_of_birth()->set_value("2007-12-01");
  auto st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("person.date_of_birth"));
  EXPECT_THAT(st.error_message(), Not(::testing::HasSubstr("Alex")));
  // 18 until the day before the 19th birthday: taken.
  req.mutable_person()->mutable_date_of_birth()->set_value("2007-12-15");
  req.set_request_id(NewUuid());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::CreateReferral, req, &out).ok());
  EXPECT_EQ(out.age_years(), 18);

  // Update: moving the start date past the 19th birthday is refused on the start date,
  // checked against the stored date of birth; new details are checked as given.
  v1::UpdateReferralRequest upd;
  *upd.mutable_referral() = out;
  upd.mutable_referral()->mutable_start_date()->set_value("2026-12-15");
  v1::Referral updated;
  st = Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.start_date"));
  *upd.mutable_person() = SamplePerson();
  upd.mutable_person()->mutable_date_of_birth()->set_value("2007-12-14");
  upd.mutable_referral()->mutable_start_date()->set_value("2026-12-14");
  st = Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("person.date_of_birth"));
  v1::Referral unchanged = Get(out.id(), officer_);
  EXPECT_EQ(unchanged.etag(), out.etag());
  EXPECT_EQ(unchanged.start_date().value(), "2026-12-14");
  upd.mutable_person()->mutable_date_of_birth()->set_value("2012-03-04");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated).ok());
  EXPECT_EQ(updated.age_years(), 14);

  // The lot now serves 16 and over (registry UpdateLot): a 14-year-old is refused on the
  // next update, and a new referral for a 15-year-old who turns 16 before the start is not.
  rv1::GetLotRequest gl;
  gl.set_id(lot.lot.id());
  rv1::Lot current;
  ASSERT_TRUE(RCall(*registry_, commissioner_, &RStub::GetLot, gl, &current).ok());
  rv1::UpdateLotRequest ul;
  *ul.mutable_lot() = current;
  ul.mutable_lot()->set_min_age(16);
  ul.mutable_lot()->set_max_age(120);
  ASSERT_TRUE(RCall(*registry_, commissioner_, &RStub::UpdateLot, ul, &current).ok());
  upd.clear_person();
  *upd.mutable_referral() = updated;
  st = Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.start_date"));
  req.mutable_person()->mutable_date_of_birth()->set_value("2010-12-10");
  req.set_request_id(NewUuid());
  st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  req.mutable_person()->mutable_date_of_birth()->set_value("2010-12-20");
  req.set_request_id(NewUuid());
  st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("person.date_of_birth"));
}

TEST_F(ReferralsTest, AReferralCannotStartBeforeTodayInLondon) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  // 00:30 on Tuesday 1 December in London (still 30 November in some other zones).
  clock().Set(London(2026, 12, 1, 0, 30));
  v1::CreateReferralRequest req;
  *req.mutable_referral() = SampleReferral(lot.lot.id(), "SOUTHWARK", council_);
  *req.mutable_person() = SamplePerson();
  req.mutable_referral()->mutable_start_date()->set_value("2026-11-30");
  v1::Referral out;
  auto st = Call(stub(), officer_, &Stub::CreateReferral, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.start_date"));
  // Today is fine (an emergency starts the day it is raised).
  req.mutable_referral()->mutable_start_date()->set_value("2026-12-01");
  req.set_request_id(NewUuid());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::CreateReferral, req, &out).ok());
  // A draft whose start date has gone by must be given a new one to be changed.
  clock().Set(London(2026, 12, 2, 9, 0));
  v1::UpdateReferralRequest upd;
  *upd.mutable_referral() = out;
  upd.mutable_referral()->set_session_pattern("Mon-Fri 16:00-17:00");
  v1::Referral updated;
  st = Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.start_date"));
  EXPECT_EQ(Get(out.id(), officer_).etag(), out.etag());
  upd.mutable_referral()->mutable_start_date()->set_value("2026-12-07");
  ASSERT_TRUE(Call(stub(), officer_, &Stub::UpdateReferral, upd, &updated).ok());
  EXPECT_EQ(updated.start_date().value(), "2026-12-07");
}

TEST_F(ReferralsTest, RegistryOutageIsUnavailableAndNothingIsHalfOpened) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  v1::Referral r = Raise(lot);
  ReferralsServer cut_off(registry_, TestOptions("127.0.0.1:1", workforce_->address()));
  v1::OpenReferralRequest open;
  open.set_id(r.id());
  open.set_etag(r.etag());
  v1::Referral out;
  auto st = Call(cut_off.stub(), officer_, &Stub::OpenReferral, open, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  v1::Referral after = Get(r.id(), officer_);
  EXPECT_EQ(after.state(), v1::Referral::DRAFT);
  EXPECT_EQ(after.etag(), r.etag());
  EXPECT_TRUE(Offers(r.id()).empty());
  v1::CreateReferralRequest create;
  *create.mutable_referral() = SampleReferral(lot.lot.id(), "SOUTHWARK", council_);
  *create.mutable_person() = SamplePerson();
  st = Call(cut_off.stub(), officer_, &Stub::CreateReferral, create, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ReferralsTest, DuringARegistryOutageBadInputStaleEtagsAndRefusedVerbsComeFirst) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  v1::Referral draft = Raise(lot);
  v1::Referral awarded = Open(Raise(lot));
  auto live = Live(awarded.id());
  ASSERT_EQ(live.size(), 1u);
  ASSERT_TRUE(Accept(lot.providers[0].admin, live[0].id()).ok());
  awarded = Get(awarded.id(), officer_);
  ASSERT_EQ(awarded.state(), v1::Referral::AWARDED);
  ReferralsServer cut_off(registry_, TestOptions("127.0.0.1:1", workforce_->address()));
  auto on = [&](auto method, const auto& req) {
    v1::Referral sink;
    return Call(cut_off.stub(), officer_, method, req, &sink).error_code();
  };

  // Award twice: still refused for the state; a stale etag still ABORTED.
  v1::AwardReferralRequest award;
  award.set_id(awarded.id());
  award.set_etag(awarded.etag());
  award.set_provider_id(lot.providers[0].org);
  award.set_rationale("Second thoughts");
  EXPECT_EQ(on(&Stub::AwardReferral, award), grpc::StatusCode::FAILED_PRECONDITION);
  award.set_id(draft.id());
  award.set_etag("999");
  EXPECT_EQ(on(&Stub::AwardReferral, award), grpc::StatusCode::ABORTED);

  // Update: stale etag, a state that allows no update, bad shape; only then the registry.
  v1::UpdateReferralRequest upd;
  *upd.mutable_referral() = draft;
  upd.mutable_referral()->set_etag("999");
  EXPECT_EQ(on(&Stub::UpdateReferral, upd), grpc::StatusCode::ABORTED);
  *upd.mutable_referral() = awarded;
  EXPECT_EQ(on(&Stub::UpdateReferral, upd), grpc::StatusCode::FAILED_PRECONDITION);
  *upd.mutable_referral() = draft;
  upd.mutable_referral()->set_area("SE1 1AA");
  EXPECT_EQ(on(&Stub::UpdateReferral, upd), grpc::StatusCode::INVALID_ARGUMENT);
  upd.mutable_referral()->set_area("SOUTHWARK");
  EXPECT_EQ(on(&Stub::UpdateReferral, upd), grpc::StatusCode::UNAVAILABLE);

  // Raise: the referral's shape is checked before the registry is asked.
  v1::CreateReferralRequest create;
  *create.mutable_referral() = SampleReferral(lot.lot.id(), "14 Rye Lane", council_);
  *create.mutable_person() = SamplePerson();
  v1::Referral sink;
  auto st = Call(cut_off.stub(), officer_, &Stub::CreateReferral, create, &sink);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.area"));
  create.mutable_referral()->set_area("Southwark");
  create.mutable_referral()->mutable_funding(0)->set_share_basis_points(9000);
  st = Call(cut_off.stub(), officer_, &Stub::CreateReferral, create, &sink);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(registry::testing::ViolationFields(st), ElementsAre("referral.funding"));
  // Nothing changed.
  EXPECT_EQ(Get(draft.id(), officer_).etag(), draft.etag());
  EXPECT_EQ(Get(awarded.id(), officer_).etag(), awarded.etag());
}

// ------------------------------------------------- suspension via the feed ---

TEST_F(ReferralsTest, SuspendedProviderLosesItsLiveOfferAndGetsNoMore) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 3);
  // Catch the consumer up with the registry's past so only the suspension is new.
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  std::string suspended = live[0].provider_id();
  const auto& provider = ProviderOf(lot, suspended);

  Suspend(provider, "CQC rated inadequate");

  // The registry's feed reaches referrals: the live offer is withdrawn, the referral due.
  auto applied = server_->referrals().registry_feed->PollOnce();
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_GE(*applied, 1);
  for (auto& o : Offers(r.id())) {
    if (o.provider_id() == suspended) {
      EXPECT_EQ(o.state(), v1::Offer::WITHDRAWN);
      EXPECT_THAT(o.state_reason(), ::testing::HasSubstr("CQC rated inadequate"));
    }
  }
  EXPECT_TRUE(Inbox(provider.admin).empty());
  RunDue();
  live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_NE(live[0].provider_id(), suspended);
  // After the next refusal the second exclusive window (the suspended provider's did not
  // count) skips the suspended provider too.
  ASSERT_TRUE(Decline(ProviderOf(lot, live[0].provider_id()).admin, live[0].id(), "Full").ok());
  for (auto& o : Live(r.id())) EXPECT_NE(o.provider_id(), suspended);
  // And a new referral never offers to it.
  v1::Referral fresh = Open(Raise(lot));
  for (auto& o : Offers(fresh.id())) EXPECT_NE(o.provider_id(), suspended);
  // Replaying the feed changes nothing more.
  auto again = server_->referrals().registry_feed->PollOnce();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(ReferralsTest, AnExclusiveOfferWithdrawnBySuspensionDoesNotUseUpAWindow) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 4);
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());  // only what follows is new
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  const std::string suspended = live[0].provider_id();
  Suspend(ProviderOf(lot, suspended), "CQC rated inadequate");
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  clock().Advance(absl::Minutes(5));
  RunDue();

  // Seed 002 para 45: two providers still get the chance to refuse. The suspended one had
  // none, so the next in the rota now holds first refusal (position 1), then another has
  // the second window, and only then do the rest hear of it.
  std::vector<std::string> exclusive;
  for (int window = 1; window <= 2; ++window) {
    live = Live(r.id());
    ASSERT_EQ(live.size(), 1u) << window;
    EXPECT_EQ(live[0].kind(), v1::Offer::EXCLUSIVE);
    EXPECT_EQ(live[0].rota_position(), window);
    EXPECT_NE(live[0].provider_id(), suspended);
    EXPECT_EQ(Ts(live[0].deadline()), clock().Now() + absl::Hours(2));
    exclusive.push_back(live[0].provider_id());
    clock().Advance(absl::Minutes(10));
    ASSERT_TRUE(Decline(ProviderOf(lot, live[0].provider_id()).admin, live[0].id(), "Full").ok());
  }
  EXPECT_NE(exclusive[0], exclusive[1]);
  live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);  // the one provider left, by broadcast
  EXPECT_EQ(live[0].kind(), v1::Offer::BROADCAST);
  EXPECT_NE(live[0].provider_id(), suspended);
  EXPECT_NE(live[0].provider_id(), exclusive[0]);
  EXPECT_NE(live[0].provider_id(), exclusive[1]);
  int withdrawn = 0;
  for (auto& o : Offers(r.id())) withdrawn += o.state() == v1::Offer::WITHDRAWN;
  EXPECT_EQ(withdrawn, 1);
}

TEST_F(ReferralsTest, ASuspensionLocksTheReferralBeforeItsOffers) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2);
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  Suspend(ProviderOf(lot, live[0].provider_id()), "Registration cancelled");

  // Someone holds the referral, as an answer or the scheduler would, and then goes for its
  // offer. The feed must wait for the referral without holding the offer meanwhile:
  // holding it would be the lock-order inversion that deadlocks the two.
  auto holder = db::Connection::Open(registry_->db().Conninfo("postgres"));
  ASSERT_TRUE(holder.ok()) << holder.status();
  ASSERT_TRUE((*holder)
                  ->ExecScript(absl::StrCat("BEGIN; SELECT id FROM referrals.referrals",
                                            " WHERE id = '", r.id(), "' FOR UPDATE"))
                  .ok());
  absl::StatusOr<int> applied;
  std::thread feed([&] { applied = server_->referrals().registry_feed->PollOnce(); });
  EXPECT_TRUE(SomeoneWaitsForALock()) << "the feed never waited for the referral";
  EXPECT_TRUE((*holder)
                  ->ExecScript(absl::StrCat("SELECT id FROM referrals.offers WHERE id = '",
                                            live[0].id(), "' FOR UPDATE NOWAIT"))
                  .ok());
  ASSERT_TRUE((*holder)->ExecScript("ROLLBACK").ok());
  feed.join();
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_GE(*applied, 1);
  EXPECT_EQ(GetOffer(live[0].id(), officer_).state(), v1::Offer::WITHDRAWN);
}

TEST_F(ReferralsTest, AnOfferPastItsDeadlineIsNotLiveEvenBeforeTheSchedulerClosesIt) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 2);
  v1::Referral r = Open(Raise(lot));
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  const auto& provider = ProviderOf(lot, live[0].provider_id());
  v1::ListOffersRequest officers;
  officers.set_referral_id(r.id());
  officers.set_live_only(true);
  v1::ListOffersResponse listed;
  clock().Set(Ts(live[0].deadline()) - absl::Seconds(1));
  EXPECT_EQ(Inbox(provider.admin).size(), 1u);
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ListOffers, officers, &listed).ok());
  EXPECT_EQ(listed.offers_size(), 1);
  // At the deadline it can no longer be answered, so it is not live, swept or not.
  clock().Set(Ts(live[0].deadline()));
  EXPECT_TRUE(Inbox(provider.admin).empty());
  ASSERT_TRUE(Call(stub(), officer_, &Stub::ListOffers, officers, &listed).ok());
  EXPECT_EQ(listed.offers_size(), 0);
  auto all = Inbox(provider.admin, /*live=*/false);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state(), v1::Offer::OPEN);
}

// ----------------------------------------------------- several replicas ---

TEST_F(ReferralsTest, OneReferralWhoseStepFailsDoesNotHoldUpAnotherDeadline) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  v1::Referral broken = Open(Raise(lot));
  v1::Referral healthy = Open(Raise(lot));
  // The broken referral's row is made inconsistent behind the service's back: the
  // organisation that raised it is no organisation id, so the event saying it is
  // UNCOVERED cannot be written and every step of it fails. It is due first, so the
  // scheduler claims it before the other.
  registry_->db().Run(
      absl::StrCat("UPDATE referrals.referrals SET create_organisation = 'not-an-organisation',"
                   " next_due_at = next_due_at - interval '1 minute' WHERE id = '",
                   broken.id(), "'"));
  clock().Set(London(2026, 11, 24, 12, 0));  // both windows have ended
  Store::Sweep sweep = Sweep();
  EXPECT_EQ(sweep.failed, 1);
  EXPECT_EQ(Get(healthy.id(), officer_).state(), v1::Referral::UNCOVERED);
  // The broken one is as it was (its step rolled back), its failure recorded, and it
  // waits a minute before the next try.
  EXPECT_EQ(Get(broken.id(), officer_).state(), v1::Referral::OPEN);
  EXPECT_EQ(Get(broken.id(), officer_).etag(), broken.etag());
  for (auto& o : Offers(broken.id())) EXPECT_EQ(o.state(), v1::Offer::OPEN);
  int64_t now = absl::ToUnixSeconds(clock().Now());
  EXPECT_EQ(StepRecord(broken.id()), absl::StrCat("1 ", now + 60));
  EXPECT_THAT(
      registry_->db().Query(absl::StrCat(
          "SELECT step_error AS v FROM referrals.referrals WHERE id = '", broken.id(), "'")),
      ElementsAre(::testing::HasSubstr("INVALID_ARGUMENT")));
  EXPECT_EQ(Sweep().failed, 0);  // not tried again within the minute

  // Still broken a minute later: the wait doubles.
  clock().Advance(absl::Minutes(1));
  EXPECT_EQ(Sweep().failed, 1);
  EXPECT_EQ(StepRecord(broken.id()), absl::StrCat("2 ", now + 60 + 120));

  // Repaired, it is picked up at its next try; the record is cleared.
  registry_->db().Run(absl::StrCat("UPDATE referrals.referrals SET create_organisation = '",
                                   council_, "' WHERE id = '", broken.id(), "'"));
  clock().Advance(absl::Minutes(2));
  EXPECT_EQ(Sweep().failed, 0);
  EXPECT_EQ(Get(broken.id(), officer_).state(), v1::Referral::UNCOVERED);
  EXPECT_EQ(registry_->db().Query(absl::StrCat(
                "SELECT step_failures || '|' || step_error AS v FROM referrals.referrals"
                " WHERE id = '",
                broken.id(), "'")),
            std::vector<std::string>{"0|"});
}

TEST_F(ReferralsTest, ARoundOnALotWithNoRotaYetWaitsForOneOpeningAtTheSameTime) {
  Lot lot = MakeLot(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL, 3);
  std::vector<std::string> ids;
  for (const auto& p : lot.providers) ids.push_back(p.org);
  std::sort(ids.begin(), ids.end());
  v1::Referral r = Raise(lot);
  // Another round on the lot, not yet committed, has just given the lot its first rota
  // row (the lowest id had first refusal). This one must wait for it and go on from it,
  // not find no rota and start from the lowest id again.
  auto other = db::Connection::Open(registry_->db().Conninfo("postgres"));
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE((*other)
                  ->ExecScript(
                      absl::StrCat("BEGIN; INSERT INTO referrals.rotas (lot_id, partnership_id,"
                                   " last_provider_id, update_time) VALUES ('",
                                   lot.lot.id(), "', '", partnership_, "', '", ids[0], "', now())"))
                  .ok());
  std::thread open([&] { r = Open(r); });
  EXPECT_TRUE(SomeoneWaitsForALock()) << "the round did not wait for the rota";
  ASSERT_TRUE((*other)->ExecScript("COMMIT").ok());
  open.join();
  auto live = Live(r.id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].provider_id(), ids[1]);
}

TEST_F(ReferralsTest, TwoReplicasFireEachDeadlineExactlyOnceAndACrashLosesNothing) {
  Lot lot = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2);
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(Open(Raise(lot)).id());
  Options o = TestOptions(registry_->address(), workforce_->address());
  o.start_workers = true;
  o.scheduler_interval = absl::Milliseconds(10);
  o.feed_poll_interval = absl::Seconds(60);
  ReferralsServer a(registry_, o);
  // Replica A dies mid-step the first two times: its database session is killed inside
  // the transaction, exactly as when the process is killed.
  std::atomic<int> crashes{0};
  a.store().SetSchedulerFaultForTest([&crashes](db::Tx& tx, const std::string&) -> absl::Status {
    if (crashes.fetch_add(1) < 2) {
      (void)tx.Exec("SELECT pg_terminate_backend(pg_backend_pid())");
      return absl::UnavailableError("replica crashed");
    }
    return absl::OkStatus();
  });
  clock().Set(London(2026, 11, 24, 12, 0));  // every window has ended
  // The second replica joins once the first has crashed twice; started together, it could
  // take every deadline before the first crashed a second time.
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (crashes.load() < 2 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  ReferralsServer b(registry_, o);
  int uncovered = 0;
  while (absl::Now() < give_up) {
    uncovered = 0;
    for (auto& id : ids) uncovered += Get(id, officer_).state() == v1::Referral::UNCOVERED;
    if (uncovered == static_cast<int>(ids.size())) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  a.Shutdown();
  b.Shutdown();
  EXPECT_EQ(uncovered, static_cast<int>(ids.size()));
  EXPECT_GE(crashes.load(), 2);
  std::string list = absl::StrCat("'", absl::StrJoin(ids, "','"), "'");
  // Each offer timed out once, each referral uncovered once: in the data and the feed.
  EXPECT_EQ(registry_->db().Query(absl::StrCat(
                "SELECT count(*)::text AS v FROM referrals.offers WHERE state = 'TIMED_OUT'"
                " AND referral_id IN (",
                list, ")")),
            std::vector<std::string>{std::to_string(2 * ids.size())});
  EXPECT_EQ(registry_->db().Query(
                absl::StrCat("SELECT count(*)::text AS v FROM referrals.referral_transitions"
                             " WHERE to_state = 'UNCOVERED' AND referral_id IN (",
                             list, ")")),
            std::vector<std::string>{std::to_string(ids.size())});
  std::map<std::string, int> timed_out_events, uncovered_events;
  for (auto& e : Feed()) {
    if (e.event_type() == "pdps.referrals.v1.ReferralUncovered")
      ++uncovered_events[e.aggregate_id()];
    v1::OfferChanged oc;
    if (e.event_type() == "pdps.referrals.v1.OfferAnswered" && e.payload().UnpackTo(&oc) &&
        oc.offer().state() == v1::Offer::TIMED_OUT) {
      ++timed_out_events[oc.offer().id()];
    }
  }
  for (auto& id : ids) EXPECT_EQ(uncovered_events[id], 1) << id;
  int offers = 0;
  for (auto& id : ids) {
    for (auto& off : Offers(id)) {
      EXPECT_EQ(timed_out_events[off.id()], 1) << off.id();
      ++offers;
    }
  }
  EXPECT_EQ(offers, static_cast<int>(2 * ids.size()));
}

// ------------------------------------------------------- brokerage return ---

// The quarterly brokerage return (decision 66) counted from the offers over real gRPC
// and PostgreSQL: the Q3/Q4 edge at London midnight in BST, an offer made in Q3 and
// answered in Q4, emergencies on the clock, a withdrawn offer left out of the KPIs, the
// framework's 4-hour target and none for 24 hours, and who may see whose.
TEST_F(ReferralsTest, BrokerageReturnCountsTheQuartersOffersFromTheirFacts) {
  Lot lot =
      MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 2, [](rv1::CallOffSettings* c) {
        c->set_offer_window_working_hours(8);
        auto* t = c->add_answered_within_4_hours_targets();
        t->mutable_effective_from()->set_value("2026-04-01");
        t->set_percent(95);
      });
  CapacityReturns(lot, "2026-09");
  CapacityReturns(lot, "2026-10");
  const World::Provider& p0 = lot.providers[0];
  const World::Provider& p1 = lot.providers[1];
  auto offer_of = [&](const v1::Referral& r, const World::Provider& p) {
    for (auto& o : Offers(r.id())) {
      if (o.provider_id() == p.org) return o;
    }
    ADD_FAILURE() << "no offer for " << p.org;
    return v1::Offer();
  };

  // Wednesday 30 September 15:00 (Q3): a routine referral, offered to both for 8 office
  // hours. The first declines in half an hour.
  clock().Set(London(2026, 9, 30, 15, 0));
  v1::Referral routine = Open(Raise(lot));
  clock().Set(London(2026, 9, 30, 15, 30));
  ASSERT_TRUE(Decline(p0.admin, offer_of(routine, p0).id(), "no carers free").ok());
  // 23:40 BST, still Q3: an emergency. The first declines after 10 minutes; the second
  // lets its hour lapse, which ends in Q4.
  clock().Set(London(2026, 9, 30, 23, 40));
  v1::Referral late = Open(RaiseEmergency(lot));
  clock().Set(London(2026, 9, 30, 23, 50));
  ASSERT_TRUE(Decline(p0.admin, offer_of(late, p0).id(), "nobody tonight").ok());
  // 00:30 BST on 1 October is Q4, though still 30 September in UTC: another emergency,
  // which the first accepts after 30 minutes, withdrawing the second's offer.
  clock().Set(London(2026, 10, 1, 0, 30));
  v1::Referral early = Open(RaiseEmergency(lot));
  clock().Set(London(2026, 10, 1, 0, 45));
  RunDue();
  EXPECT_EQ(GetOffer(offer_of(late, p1).id(), officer_).state(), v1::Offer::TIMED_OUT);
  clock().Set(London(2026, 10, 1, 1, 0));
  ASSERT_TRUE(Accept(p0.admin, offer_of(early, p0).id()).ok());
  // Thursday 10:00 (Q4): the second accepts the Q3 routine offer after 3 office hours
  // (15:00-17:00 and 09:00-10:00), 19 clock hours.
  clock().Set(London(2026, 10, 1, 10, 0));
  ASSERT_TRUE(Accept(p1.admin, offer_of(routine, p1).id()).ok());

  auto get = [&](const Caller& who, const std::string& quarter, const std::string& provider,
                 v1::BrokerageReturn* out, const std::string& lot_id = "") {
    v1::GetBrokerageReturnRequest req;
    req.set_quarter(quarter);
    req.set_framework_id(lot.framework.id());
    req.set_lot_id(lot_id);
    req.set_provider_id(provider);
    return Call(stub(), who, &Stub::GetBrokerageReturn, req, out);
  };

  // The first provider's Q3, as a commissioner of the framework sees it: two declines,
  // both within 4 hours (30 office minutes; 10 clock minutes for the emergency).
  v1::BrokerageReturn q3;
  auto st = get(commissioner_, "2026-Q3", p0.org, &q3);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(q3.quarter(), "2026-Q3");
  EXPECT_EQ(q3.period_start().value(), "2026-07-01");
  EXPECT_EQ(q3.period_end().value(), "2026-09-30");
  EXPECT_EQ(q3.provider_id(), p0.org);
  EXPECT_EQ(q3.offers_made(), 2);
  EXPECT_EQ(q3.emergency_offers(), 1);
  EXPECT_EQ(q3.declined(), 2);
  EXPECT_EQ(q3.accepted(), 0);
  ASSERT_EQ(q3.declines_by_reason_size(), 1);
  EXPECT_EQ(q3.declines_by_reason(0).reason(), v1::NO_CAPACITY);
  EXPECT_EQ(q3.declines_by_reason(0).count(), 2);
  EXPECT_EQ(q3.answered_within_4_hours().within(), 2);
  EXPECT_EQ(q3.answered_within_4_hours().measured(), 2);
  EXPECT_EQ(q3.answered_within_4_hours().target_percent(), 95);
  EXPECT_EQ(q3.answered_within_4_hours().verdict(), v1::ResponseMeasure::MET);
  EXPECT_EQ(q3.answered_within_24_hours().target_percent(), 0);
  EXPECT_EQ(q3.answered_within_24_hours().verdict(), v1::ResponseMeasure::NO_TARGET);

  // The second's Q3: the routine offer answered in Q4 counts here, where it was made,
  // within 4 office hours; the lapsed emergency is a miss: 1 of 2, below 95 %.
  st = get(nhs_officer_, "2026-Q3", p1.org, &q3);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(q3.offers_made(), 2);
  EXPECT_EQ(q3.accepted(), 1);
  EXPECT_EQ(q3.timed_out(), 1);
  EXPECT_EQ(q3.answered_within_4_hours().within(), 1);
  EXPECT_EQ(q3.answered_within_4_hours().measured(), 2);
  EXPECT_DOUBLE_EQ(q3.answered_within_4_hours().within_percent(), 50);
  EXPECT_EQ(q3.answered_within_4_hours().verdict(), v1::ResponseMeasure::NOT_MET);
  EXPECT_EQ(q3.answered_within_24_hours().within(), 1);

  // Q4 to date: the first accepted the 00:30 emergency; the second's offer of it was
  // withdrawn before it answered, so there is nothing to judge it on.
  v1::BrokerageReturn q4;
  st = get(p0.admin, "2026-Q4", "", &q4);  // a provider's own, provider_id left empty
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(q4.period_end().value(), "2026-10-01");
  EXPECT_EQ(q4.offers_made(), 1);
  EXPECT_EQ(q4.accepted(), 1);
  EXPECT_EQ(q4.emergency_offers(), 1);
  EXPECT_EQ(q4.answered_within_4_hours().verdict(), v1::ResponseMeasure::MET);
  st = get(p1.admin, "2026-Q4", p1.org, &q4, lot.lot.id());
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(q4.lot_id(), lot.lot.id());
  EXPECT_EQ(q4.offers_made(), 1);
  EXPECT_EQ(q4.withdrawn(), 1);
  ASSERT_EQ(q4.withdrawals_size(), 1);
  EXPECT_EQ(q4.withdrawals(0).cause(), v1::WithdrawalCount::ANOTHER_PROVIDER_ACCEPTED);
  EXPECT_EQ(q4.answered_within_4_hours().measured(), 0);
  EXPECT_EQ(q4.answered_within_4_hours().verdict(), v1::ResponseMeasure::NOTHING_TO_MEASURE);

  // Who may see whose. Another provider's: PERMISSION_DENIED, as workforce's returns.
  v1::BrokerageReturn none;
  EXPECT_EQ(get(p0.admin, "2026-Q3", p1.org, &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Another partnership's officers, and an unknown framework: NOT_FOUND alike.
  EXPECT_EQ(get(other_officer_, "2026-Q3", p0.org, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetBrokerageReturnRequest unknown;
  unknown.set_quarter("2026-Q3");
  unknown.set_framework_id(NewUuid());
  unknown.set_provider_id(p0.org);
  EXPECT_EQ(Call(stub(), commissioner_, &Stub::GetBrokerageReturn, unknown, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A provider with no admission on the framework, asking for its own: NOT_FOUND.
  clock().Set(London(2026, 11, 24, 10, 0));  // MakeLot's application window
  Lot elsewhere = MakeLot(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER, 1);
  EXPECT_EQ(get(elsewhere.providers[0].admin, "2026-Q3", "", &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Bad input: field violations, whoever asks.
  v1::GetBrokerageReturnRequest bad;
  bad.set_quarter("2026-Q5");
  bad.set_framework_id("not-a-uuid");
  st = Call(stub(), commissioner_, &Stub::GetBrokerageReturn, bad, &none);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(registry::testing::ViolationFields(st),
              ::testing::UnorderedElementsAre("quarter", "framework_id", "provider_id"));
  EXPECT_THAT(registry::testing::ViolationFields(get(commissioner_, "2027-Q1", p0.org, &none)),
              ElementsAre("quarter"));
  EXPECT_THAT(registry::testing::ViolationFields(
                  get(commissioner_, "2026-Q3", p0.org, &none, elsewhere.lot.id())),
              ElementsAre("lot_id"));
}

// The return's denominator and awards (decision 67) over real gRPC and PostgreSQL, in
// GMT office hours 09:00-17:00. Tuesday 24 November 10:00: a mini-competition invites
// three providers for two working days. At 11:00 the first two bid (1 office hour, 1
// clock hour); at 12:00 the first's admission is suspended, withdrawing its submitted bid.
// Wednesday 11:00 (9 office hours, 25 clock hours on): the officer awards the referral
// directly to the second, withdrawing the third's unanswered invitation; a second
// mini-competition opens. The return is read Thursday 10:00, when that one's invitations
// have been open 7 office hours (Wednesday 11-17, Thursday 9-10) and 23 clock hours.
TEST_F(ReferralsTest, BrokerageReturnJudgesUnansweredOffersKeepsAnswersAndCountsAwards) {
  Lot lot = MakeLot(rv1::CallOffSettings::MINI_COMPETITION, 3,
                    [](rv1::CallOffSettings* c) { c->set_bid_window_working_days(2); });
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  const auto& p0 = lot.providers[0];
  const auto& p1 = lot.providers[1];
  const auto& p2 = lot.providers[2];
  clock().Set(London(2026, 11, 24, 10, 0));
  v1::Referral a = Open(Raise(lot));
  std::map<std::string, std::string> invitation;
  for (auto& o : Live(a.id())) invitation[o.provider_id()] = o.id();
  ASSERT_EQ(invitation.size(), 3u);
  clock().Set(London(2026, 11, 24, 11, 0));
  ASSERT_TRUE(SubmitBid(p0, invitation[p0.org], 2000).ok());
  ASSERT_TRUE(SubmitBid(p1, invitation[p1.org], 2100).ok());
  clock().Set(London(2026, 11, 24, 12, 0));
  Suspend(p0, "Action plan overdue");
  ASSERT_TRUE(server_->referrals().registry_feed->PollOnce().ok());
  ASSERT_EQ(GetOffer(invitation[p0.org], officer_).state(), v1::Offer::WITHDRAWN);
  clock().Set(London(2026, 11, 25, 11, 0));
  v1::Referral awarded;
  auto st = AwardDirectly(Get(a.id(), officer_), p1.org, "the family chose them", &awarded);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(GetOffer(invitation[p2.org], officer_).state(), v1::Offer::WITHDRAWN);
  v1::Referral b = Open(Raise(lot));
  ASSERT_EQ(Live(b.id()).size(), 2u);  // the suspended provider is not invited
  clock().Set(London(2026, 11, 26, 10, 0));

  auto get = [&](const World::Provider& p) {
    v1::GetBrokerageReturnRequest req;
    req.set_quarter("2026-Q4");
    req.set_framework_id(lot.framework.id());
    req.set_provider_id(p.org);
    v1::BrokerageReturn out;
    auto s = Call(stub(), commissioner_, &Stub::GetBrokerageReturn, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };

  // The suspended bidder answered in an hour: its withdrawn bid is still its answer.
  v1::BrokerageReturn r0 = get(p0);
  EXPECT_EQ(r0.offers_made(), 1);
  EXPECT_EQ(r0.answered(), 1);
  EXPECT_EQ(r0.withdrawn(), 1);
  EXPECT_EQ(r0.withdrawn_after_answer(), 1);
  ASSERT_EQ(r0.withdrawals_size(), 1);
  EXPECT_EQ(r0.withdrawals(0).cause(), v1::WithdrawalCount::ADMISSION_SUSPENDED);
  EXPECT_EQ(r0.answered_within_4_hours().within(), 1);
  EXPECT_EQ(r0.answered_within_4_hours().measured(), 1);
  EXPECT_EQ(r0.answered_within_24_hours().within(), 1);
  EXPECT_EQ(r0.answered_within_24_hours().measured(), 1);
  EXPECT_EQ(r0.awarded(), 0);

  // The silent provider: its invitation withdrawn after 9 office hours and 25 clock hours
  // is a miss on both KPIs; the one open for 7 office hours and 23 clock hours a miss on
  // the 4-hour KPI only.
  v1::BrokerageReturn r2 = get(p2);
  EXPECT_EQ(r2.offers_made(), 2);
  EXPECT_EQ(r2.answered(), 0);
  EXPECT_EQ(r2.open(), 1);
  EXPECT_EQ(r2.withdrawn(), 1);
  ASSERT_EQ(r2.withdrawals_size(), 1);
  EXPECT_EQ(r2.withdrawals(0).cause(), v1::WithdrawalCount::AWARDED_TO_ANOTHER_PROVIDER);
  EXPECT_EQ(r2.answered_within_4_hours().clock(), v1::ResponseMeasure::WORKING_HOURS);
  EXPECT_EQ(r2.answered_within_4_hours().within(), 0);
  EXPECT_EQ(r2.answered_within_4_hours().measured(), 2);
  EXPECT_EQ(r2.answered_within_24_hours().clock(), v1::ResponseMeasure::CLOCK_HOURS);
  EXPECT_EQ(r2.answered_within_24_hours().within(), 0);
  EXPECT_EQ(r2.answered_within_24_hours().measured(), 1);

  // The provider awarded directly: seed 003 R1 counts it, though no offer was accepted.
  v1::BrokerageReturn r1 = get(p1);
  EXPECT_EQ(r1.awarded(), 1);
  EXPECT_EQ(r1.awarded_directly(), 1);
  EXPECT_EQ(r1.accepted(), 0);
  EXPECT_EQ(r1.answered(), 1);
  EXPECT_EQ(r1.open(), 1);
  EXPECT_EQ(r1.answered_within_4_hours().within(), 1);
  EXPECT_EQ(r1.answered_within_4_hours().measured(), 2);
  EXPECT_EQ(r1.answered_within_24_hours().within(), 1);
  EXPECT_EQ(r1.answered_within_24_hours().measured(), 1);
}

}  // namespace
}  // namespace pdps::referrals::testing
