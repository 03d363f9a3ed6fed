// The workforce service through real gRPC on a real PostgreSQL: tenant isolation of staff,
// what commissioners may see, the compliance gate with matrix versions, the complaint
// deadline across a bank holiday and a weekend, suspension rules publishing exactly one
// event on the feed, the quarterly return, and bad input that changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/proto_util.h"
#include "common/testing/london.h"
#include "pdps/workforce/v1/workforce_events.pb.h"
#include "services/workforce/tests/fixture.h"

namespace pdps::workforce::testing {
namespace {

using pdps::testing::London;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class WorkforceServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new WorkforceServer("workforce");
    world_ = new World(&server_->registry());
  }
  static void TearDownTestSuite() {
    delete world_;
    delete server_;
    server_ = nullptr;
  }
  // Each test: a framework of its own in the registry, commissioned by one council, with
  // one lot and the provider admitted to it; another provider with no admission.
  void SetUp() override {
    server_->clock().Set(DefaultNow());
    scene_ = Commission(*world_, "Care " + NewUuid().substr(0, 8));
    provider_ = scene_.provider.admin;
    other_provider_ = MakeCaller(NewUuid(), {Role::kProviderCoordinator});
    commissioner_ = scene_.commissioner;
    framework_ = scene_.framework.id();
    lot_ = scene_.lot.id();
  }

  Stub& stub() { return server_->stub(); }

  v1::StaffMember CreateStaff(const Caller& who, const v1::StaffMember& s) {
    v1::CreateStaffMemberRequest req;
    *req.mutable_staff_member() = s;
    v1::StaffMember out;
    auto st = Call(stub(), who, &Stub::CreateStaffMember, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // `also`: more base competencies (yearly), as a later version adds.
  v1::TrainingMatrix CreateMatrix(const Caller& who, const std::string& effective,
                                  int safeguarding_months, grpc::Status* status = nullptr,
                                  const std::vector<std::string>& also = {},
                                  int dbs_check_months = 0) {
    v1::CreateTrainingMatrixRequest req;
    auto* m = req.mutable_training_matrix();
    m->set_dbs_check_months(dbs_check_months);
    m->set_framework_id(framework_);
    m->set_lot_id(lot_);
    m->set_title("Lot C: support workers");
    m->mutable_effective_from()->set_value(effective);
    auto add = [&](const char* code, int months, bool conditional) {
      auto* c = m->add_competencies();
      c->set_code(code);
      c->set_name(code);
      c->set_renewal_months(months);
      c->set_conditional(conditional);
    };
    add("first_aid", 36, false);
    add("safeguarding_level_2", safeguarding_months, false);
    add("seizure_management", 12, true);
    for (const auto& code : also) add(code.c_str(), 12, false);
    v1::TrainingMatrix out;
    auto st = Call(stub(), who, &Stub::CreateTrainingMatrix, req, &out);
    if (status != nullptr) {
      *status = st;
    } else {
      EXPECT_TRUE(st.ok()) << st.error_message();
    }
    return out;
  }

  void Train(const Caller& who, const std::string& staff, const char* code, const char* day) {
    v1::CreateTrainingRecordRequest req;
    req.mutable_training_record()->set_staff_id(staff);
    req.mutable_training_record()->set_competency_code(code);
    req.mutable_training_record()->mutable_completed_on()->set_value(day);
    req.mutable_training_record()->set_training_provider("St John Ambulance");
    v1::TrainingRecord out;
    auto st = Call(stub(), who, &Stub::CreateTrainingRecord, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
  }

  v1::CheckWorkerEligibilityResponse Check(const Caller& who, const std::string& staff,
                                           const char* day, std::vector<std::string> extras = {},
                                           grpc::Status* status = nullptr) {
    v1::CheckWorkerEligibilityRequest req;
    req.set_staff_id(staff);
    req.set_lot_id(lot_);
    req.mutable_date()->set_value(day);
    for (auto& e : extras) req.add_extra_competencies(e);
    v1::CheckWorkerEligibilityResponse out;
    auto st = Call(stub(), who, &Stub::CheckWorkerEligibility, req, &out);
    if (status != nullptr) {
      *status = st;
    } else {
      EXPECT_TRUE(st.ok()) << st.error_message();
    }
    return out;
  }

  v1::Complaint CreateComplaint(absl::Time received, bool safeguarding) {
    v1::CreateComplaintRequest req;
    auto* c = req.mutable_complaint();
    c->set_framework_id(framework_);
    c->set_lot_id(lot_);
    protoutil::SetTimestamp(received, c->mutable_received_time());
    c->set_safeguarding(safeguarding);
    c->set_summary("Carer arrived late twice and left early");
    v1::Complaint out;
    auto st = Call(stub(), provider_, &Stub::CreateComplaint, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  v1::Complaint Answer(const v1::Complaint& c, v1::Complaint::Outcome outcome) {
    v1::AnswerComplaintRequest req;
    req.set_id(c.id());
    req.set_etag(c.etag());
    req.set_outcome(outcome);
    req.set_learning("Rota changes now need a coordinator's sign-off");
    v1::Complaint out;
    auto st = Call(stub(), provider_, &Stub::AnswerComplaint, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  void SetRules(int upheld, bool visit, bool financial) {
    v1::SetSuspensionRulesRequest req;
    req.mutable_rules()->set_framework_id(framework_);
    req.mutable_rules()->set_upheld_safeguarding_complaints(upheld);
    req.mutable_rules()->set_suspend_on_inadequate_visit(visit);
    req.mutable_rules()->set_suspend_on_financial_breach(financial);
    v1::SuspensionRules out;
    auto st = Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // Sets the framework's quality targets over its current rules (decision 60): the
  // answer period and turnover target given, 0 leaving each as it is.
  v1::SuspensionRules SetTargets(int answer_days, int turnover_percent) {
    v1::GetSuspensionRulesRequest get;
    get.set_framework_id(framework_);
    v1::SetSuspensionRulesRequest req;
    (void)Call(stub(), commissioner_, &Stub::GetSuspensionRules, get, req.mutable_rules());
    req.mutable_rules()->set_framework_id(framework_);
    if (answer_days > 0) req.mutable_rules()->set_complaint_answer_working_days(answer_days);
    if (turnover_percent > 0) req.mutable_rules()->set_turnover_target_percent(turnover_percent);
    v1::SuspensionRules out;
    auto st = Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // One run of the trained staff sweep at the clock's time: the trips it made, over every
  // framework with the rule in the database.
  int SweepTrainedStaff() {
    auto n =
        CheckTrainedStaff(server_->store(), server_->registry_client(), server_->clock().Now());
    EXPECT_TRUE(n.ok()) << n.status();
    return n.value_or(-1);
  }

  // Every SuspensionRuleTripped on the feed about `provider`, read as a service would.
  std::vector<v1::SuspensionRuleTripped> Trips(const std::string& provider) {
    std::vector<v1::SuspensionRuleTripped> out;
    int64_t after = 0;
    for (;;) {
      pdps::common::v1::ListEventsRequest req;
      req.set_after_position(after);
      req.set_page_size(1000);
      req.add_event_types("pdps.workforce.v1.SuspensionRuleTripped");
      pdps::common::v1::ListEventsResponse resp;
      auto st = Call(server_->feed(), ServiceCaller(),
                     &pdps::common::v1::EventFeedService::Stub::ListEvents, req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      for (const auto& e : resp.events()) {
        v1::SuspensionRuleTripped t;
        EXPECT_TRUE(e.payload().UnpackTo(&t));
        if (t.provider_id() == provider) {
          EXPECT_EQ(e.organisation_id(), provider);
          EXPECT_EQ(e.aggregate_type(), "provider");
          out.push_back(t);
        }
      }
      if (resp.events_size() < 1000) break;
      after = resp.last_position();
    }
    return out;
  }

  // The scene's provider's accounts on its framework for `year_end`, amounts in pence.
  v1::RecordFinancialAccountsRequest Accounts(const std::string& year_end, int64_t assets,
                                              int64_t liabilities, int64_t profit, int64_t capital,
                                              int64_t net) {
    v1::RecordFinancialAccountsRequest req;
    auto* a = req.mutable_accounts();
    a->set_provider_id(provider_.org);
    a->set_framework_id(framework_);
    a->mutable_year_end()->set_value(year_end);
    a->mutable_current_assets()->set_pence(assets);
    a->mutable_current_liabilities()->set_pence(liabilities);
    a->mutable_operating_profit()->set_pence(profit);
    a->mutable_capital_employed()->set_pence(capital);
    a->mutable_net_assets()->set_pence(net);
    return req;
  }

  int Rows(const std::string& table) {
    return std::stoi(
        server_->db().Query(absl::StrCat("SELECT count(*)::text AS v FROM workforce.", table))[0]);
  }

  static WorkforceServer* server_;
  static World* world_;
  Commissioned scene_;
  Caller provider_, other_provider_, commissioner_;
  std::string framework_, lot_;
};

WorkforceServer* WorkforceServiceTest::server_ = nullptr;
World* WorkforceServiceTest::world_ = nullptr;

// ----------------------------------------------------------------- tenancy ---

TEST_F(WorkforceServiceTest, ATrainingRecordEnteredInErrorIsVoidedNotCounted) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  v1::StaffMember s = CreateStaff(provider_, SampleStaff("Ros Typo"));
  Train(provider_, s.id(), "first_aid", "2026-02-01");
  Train(provider_, s.id(), "safeguarding_level_2", "2026-02-01");  // really 2025: a typo
  EXPECT_TRUE(Check(provider_, s.id(), "2026-11-24").eligible());
  v1::ListTrainingRecordsRequest list;
  list.set_staff_id(s.id());
  list.set_lot_id(lot_);
  v1::ListTrainingRecordsResponse listed;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListTrainingRecords, list, &listed).ok());
  std::string wrong;
  for (const auto& t : listed.training_records()) {
    if (t.competency_code() == "safeguarding_level_2") wrong = t.id();
  }
  ASSERT_FALSE(wrong.empty());

  // Bad input and other providers change nothing.
  v1::VoidTrainingRecordRequest v;
  v.set_id(wrong);
  v1::TrainingRecord out;
  EXPECT_THAT(ViolationFields(Call(stub(), provider_, &Stub::VoidTrainingRecord, v, &out)),
              ElementsAre("reason"));
  v.set_reason("completed in February 2025, not 2026: typing error");
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::VoidTrainingRecord, v, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(stub(), commissioner_, &Stub::VoidTrainingRecord, v, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Check(provider_, s.id(), "2026-11-24").eligible());

  // Voided: still listed, stamped, without an expiry, and the gate no longer counts it.
  ASSERT_TRUE(Call(stub(), provider_, &Stub::VoidTrainingRecord, v, &out).ok());
  EXPECT_EQ(out.void_reason(), "completed in February 2025, not 2026: typing error");
  EXPECT_TRUE(out.has_void_time());
  EXPECT_FALSE(out.void_user().empty());
  auto gate = Check(provider_, s.id(), "2026-11-24");
  EXPECT_FALSE(gate.eligible());
  ASSERT_EQ(gate.reasons_size(), 1);
  EXPECT_EQ(gate.reasons(0).kind(), v1::IneligibilityReason::COMPETENCY_MISSING);
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListTrainingRecords, list, &listed).ok());
  ASSERT_EQ(listed.training_records_size(), 2);
  for (const auto& t : listed.training_records()) {
    EXPECT_EQ(t.has_void_time(), t.id() == wrong);
    EXPECT_EQ(t.has_expires_on(), t.id() != wrong);
  }
  // Once only.
  auto twice = Call(stub(), provider_, &Stub::VoidTrainingRecord, v, &out);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(twice),
              ElementsAre("TRAINING_RECORD_STATE training_record/" + wrong));
}

TEST_F(WorkforceServiceTest, AProviderCannotReadAnotherProvidersStaff) {
  v1::StaffMember mine = CreateStaff(provider_, SampleStaff("Ada Worker"));
  v1::StaffMember theirs = CreateStaff(other_provider_, SampleStaff("Bea Other"));
  EXPECT_EQ(mine.provider_id(), provider_.org);

  v1::GetStaffMemberRequest get;
  get.set_id(mine.id());
  v1::StaffMember got;
  EXPECT_TRUE(Call(stub(), provider_, &Stub::GetStaffMember, get, &got).ok());
  EXPECT_EQ(got.display_name(), "Ada Worker");
  EXPECT_EQ(got.languages(0), "Polish");
  auto st = Call(stub(), other_provider_, &Stub::GetStaffMember, get, &got);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListStaffMembersRequest list;
  v1::ListStaffMembersResponse page;
  ASSERT_TRUE(Call(stub(), other_provider_, &Stub::ListStaffMembers, list, &page).ok());
  ASSERT_EQ(page.staff_members_size(), 1);
  EXPECT_EQ(page.staff_members(0).id(), theirs.id());

  // Nor change it, train it or check it.
  v1::UpdateStaffMemberRequest upd;
  *upd.mutable_staff_member() = mine;
  upd.mutable_staff_member()->set_grade("Lead");
  // Naming the owner in the body is refused outright; without it, the worker is not found.
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::UpdateStaffMember, upd, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  upd.mutable_staff_member()->clear_provider_id();
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::UpdateStaffMember, upd, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::CreateStaffMemberRequest impostor;
  *impostor.mutable_staff_member() = SampleStaff("Cal Impostor");
  impostor.mutable_staff_member()->set_provider_id(provider_.org);
  impostor.set_request_id(NewUuid());
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::CreateStaffMember, impostor, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // What is no organisation id at all is a field to fix, not someone else's.
  impostor.mutable_staff_member()->set_provider_id("bermondsey");
  EXPECT_THAT(
      ViolationFields(Call(stub(), other_provider_, &Stub::CreateStaffMember, impostor, &got)),
      ElementsAre("staff_member.provider_id"));
  v1::CreateTrainingRecordRequest train;
  train.mutable_training_record()->set_staff_id(mine.id());
  train.mutable_training_record()->set_competency_code("first_aid");
  train.mutable_training_record()->mutable_completed_on()->set_value("2026-01-01");
  v1::TrainingRecord rec;
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::CreateTrainingRecord, train, &rec).error_code(),
            grpc::StatusCode::NOT_FOUND);
  CreateMatrix(commissioner_, "2026-01-01", 12);
  grpc::Status check;
  Check(other_provider_, mine.id(), "2026-11-24", {}, &check);
  EXPECT_EQ(check.error_code(), grpc::StatusCode::NOT_FOUND);
  // A commissioner may not read staff at all.
  EXPECT_EQ(Call(stub(), commissioner_, &Stub::GetStaffMember, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The owner's update works, and a stale etag is refused.
  ASSERT_TRUE(Call(stub(), provider_, &Stub::UpdateStaffMember, upd, &got).ok());
  EXPECT_EQ(got.grade(), "Lead");
  EXPECT_NE(got.etag(), mine.etag());
  EXPECT_EQ(Call(stub(), provider_, &Stub::UpdateStaffMember, upd, &got).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(WorkforceServiceTest, CreatesAreIdempotentWithARequestId) {
  v1::CreateStaffMemberRequest req;
  *req.mutable_staff_member() = SampleStaff("Cy Retry");
  req.set_request_id(NewUuid());
  v1::StaffMember a, b;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CreateStaffMember, req, &a).ok());
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CreateStaffMember, req, &b).ok());
  EXPECT_EQ(a.id(), b.id());
  v1::ListStaffMembersResponse page;
  ASSERT_TRUE(
      Call(stub(), provider_, &Stub::ListStaffMembers, v1::ListStaffMembersRequest(), &page).ok());
  EXPECT_EQ(page.staff_members_size(), 1);
}

TEST_F(WorkforceServiceTest, ListsPageAndExcludeLeaversUnlessAsked) {
  for (int i = 0; i < 5; ++i) CreateStaff(provider_, SampleStaff(absl::StrCat("Worker ", i)));
  v1::StaffMember leaver = SampleStaff("Zed Leaver");
  leaver.mutable_leave_date()->set_value("2026-10-31");
  CreateStaff(provider_, leaver);
  std::vector<std::string> names;
  v1::ListStaffMembersRequest req;
  req.set_page_size(2);
  int pages = 0;
  for (;;) {
    v1::ListStaffMembersResponse page;
    ASSERT_TRUE(Call(stub(), provider_, &Stub::ListStaffMembers, req, &page).ok());
    ++pages;
    for (const auto& s : page.staff_members()) names.push_back(s.display_name());
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_THAT(names, ElementsAre("Worker 0", "Worker 1", "Worker 2", "Worker 3", "Worker 4"));
  EXPECT_EQ(pages, 3);
  // Five on a page of five: one page, and it says it is the last.
  v1::ListStaffMembersRequest five;
  five.set_page_size(5);
  v1::ListStaffMembersResponse whole;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListStaffMembers, five, &whole).ok());
  EXPECT_EQ(whole.staff_members_size(), 5);
  EXPECT_TRUE(whole.next_page_token().empty());
  v1::ListStaffMembersRequest all;
  all.set_include_leavers(true);
  v1::ListStaffMembersResponse page;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListStaffMembers, all, &page).ok());
  EXPECT_EQ(page.staff_members_size(), 6);
}

// --------------------------------------------------------------- bad input ---

TEST_F(WorkforceServiceTest, BadInputGetsTheRightCodeAndWritesNothing) {
  int staff = Rows("staff"), complaints = Rows("complaints"), matrices = Rows("training_matrices");
  v1::StaffMember zero = SampleStaff("Zero Hours");
  zero.set_contract_type(v1::ZERO_HOURS);
  v1::CreateStaffMemberRequest req;
  *req.mutable_staff_member() = zero;
  v1::StaffMember out;
  auto st = Call(stub(), provider_, &Stub::CreateStaffMember, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st),
              UnorderedElementsAre("staff_member.zero_hours_requested_by_worker",
                                   "staff_member.zero_hours_request_evidence"));
  // With the worker's documented request it is accepted.
  req.mutable_staff_member()->set_zero_hours_requested_by_worker(true);
  req.mutable_staff_member()->set_zero_hours_request_evidence("HR/2026/044 signed request");
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CreateStaffMember, req, &out).ok());
  EXPECT_EQ(Rows("staff"), staff + 1);

  v1::CreateComplaintRequest future;
  future.mutable_complaint()->set_framework_id(framework_);
  future.mutable_complaint()->set_summary("x");
  protoutil::SetTimestamp(DefaultNow() + absl::Hours(1),
                          future.mutable_complaint()->mutable_received_time());
  v1::Complaint c;
  st = Call(stub(), provider_, &Stub::CreateComplaint, future, &c);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("complaint.received_time"));
  EXPECT_EQ(Rows("complaints"), complaints);

  v1::CreateTrainingMatrixRequest m;
  m.mutable_training_matrix()->set_lot_id("Lot A");
  v1::TrainingMatrix tm;
  st = Call(stub(), commissioner_, &Stub::CreateTrainingMatrix, m, &tm);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      ViolationFields(st),
      UnorderedElementsAre("training_matrix.framework_id", "training_matrix.lot_id",
                           "training_matrix.effective_from", "training_matrix.competencies"));
  EXPECT_EQ(Rows("training_matrices"), matrices);

  v1::CheckWorkerEligibilityRequest bad;
  bad.set_staff_id("nope");
  bad.set_lot_id(lot_);
  bad.add_extra_competencies("Seizure Management");
  v1::CheckWorkerEligibilityResponse resp;
  st = Call(stub(), provider_, &Stub::CheckWorkerEligibility, bad, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), UnorderedElementsAre("staff_id", "extra_competencies[0]"));

  v1::GetWorkforceReturnRequest ret;
  ret.set_quarter("2026-Q5");
  v1::WorkforceReturn wr;
  st = Call(stub(), provider_, &Stub::GetWorkforceReturn, ret, &wr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "quarter: must be YYYY-Qn, e.g. 2026-Q3");
  // In the form but before any return: said so, not "must be YYYY-Qn".
  ret.set_quarter("1899-Q1");
  st = Call(stub(), provider_, &Stub::GetWorkforceReturn, ret, &wr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "quarter: must be a quarter from 1990-Q1 (1899-Q1 is before it)");
  // No token at all.
  v1::ListStaffMembersResponse page;
  EXPECT_EQ(Call(stub(), Caller{}, &Stub::ListStaffMembers, v1::ListStaffMembersRequest(), &page)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// The proto marks every amount of the accounts Required: each absent one is a field
// violation listed with the others (an absent Money is not 0), and nothing is written.
TEST_F(WorkforceServiceTest, AccountsWithoutTheirAmountsListEveryViolationAndWriteNothing) {
  int accounts = Rows("financial_accounts");
  v1::RecordFinancialAccountsRequest req;
  req.mutable_accounts()->set_provider_id(provider_.org);
  req.mutable_accounts()->set_framework_id(framework_);
  v1::FinancialAccounts out;
  auto st = Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st),
              UnorderedElementsAre("accounts.year_end", "accounts.current_assets",
                                   "accounts.current_liabilities", "accounts.operating_profit",
                                   "accounts.capital_employed", "accounts.net_assets"));
  EXPECT_EQ(Rows("financial_accounts"), accounts);
  // Every amount given as an explicit 0 is accounts (breaching, but recorded).
  auto* a = req.mutable_accounts();
  a->mutable_year_end()->set_value("2026-03-31");
  a->mutable_current_assets()->set_pence(0);
  a->mutable_current_liabilities()->set_pence(0);
  a->mutable_operating_profit()->set_pence(0);
  a->mutable_capital_employed()->set_pence(0);
  a->mutable_net_assets()->set_pence(0);
  st = Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, req, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.net_assets().pence(), 0);
  EXPECT_EQ(Rows("financial_accounts"), accounts + 1);
}

// Recorded accounts are revised by their recorder (decision 71): the figures replaced are
// kept with the reason, the breaches computed again, and only a revision that brings a
// breach where there was none trips the viability rule. Bad revisions change nothing.
TEST_F(WorkforceServiceTest, RevisedAccountsKeepTheFiguresReplacedAndTripOnlyANewBreach) {
  SetRules(0, false, true);
  v1::RecordFinancialAccountsRequest rec =
      Accounts("2026-03-31", 20000000, 10000000, 700000, 10000000, 2500000);
  v1::FinancialAccounts draft;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, rec, &draft).ok());
  EXPECT_TRUE(draft.breaches().empty());
  EXPECT_FALSE(draft.etag().empty());
  EXPECT_TRUE(draft.revisions().empty());
  ASSERT_TRUE(Trips(provider_.org).empty());

  auto revise = [&](const Caller& who, const v1::FinancialAccounts& base, int64_t assets,
                    int64_t profit, const std::string& reason, v1::FinancialAccounts* out) {
    v1::ReviseFinancialAccountsRequest req;
    *req.mutable_accounts() = base;
    req.mutable_accounts()->mutable_current_assets()->set_pence(assets);
    req.mutable_accounts()->mutable_operating_profit()->set_pence(profit);
    req.set_reason(reason);
    return Call(stub(), who, &Stub::ReviseFinancialAccounts, req, out);
  };
  auto current = [&] {
    v1::ListFinancialAccountsRequest req;
    req.set_provider_id(provider_.org);
    v1::ListFinancialAccountsResponse resp;
    EXPECT_TRUE(Call(stub(), commissioner_, &Stub::ListFinancialAccounts, req, &resp).ok());
    EXPECT_EQ(resp.accounts_size(), 1);
    return resp.accounts_size() == 1 ? resp.accounts(0) : v1::FinancialAccounts();
  };

  // Refused, nothing changed: no reason and no etag; a year end that is not the recorded
  // one; a stale etag; a provider; a commissioner of another partnership.
  v1::FinancialAccounts out;
  v1::FinancialAccounts bare = draft;
  bare.clear_etag();
  auto st = revise(commissioner_, bare, 9000000, 700000, " ", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(ViolationFields(st), UnorderedElementsAre("accounts.etag", "reason"));
  v1::FinancialAccounts moved = draft;
  moved.mutable_year_end()->set_value("2025-03-31");
  st = revise(commissioner_, moved, 9000000, 700000, "audited", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_THAT(ViolationFields(st), ElementsAre("accounts.year_end"));
  EXPECT_THAT(st.error_message(), HasSubstr("cannot change (recorded: 2026-03-31)"));
  v1::FinancialAccounts stale = draft;
  stale.set_etag("\"99\"");
  st = revise(commissioner_, stale, 9000000, 700000, "audited", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED) << st.error_message();
  st = revise(provider_, draft, 9000000, 700000, "audited", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  Commissioned elsewhere = Commission(*world_, "Care " + NewUuid().substr(0, 8));
  st = revise(elsewhere.commissioner, draft, 9000000, 700000, "audited", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  EXPECT_EQ(current().etag(), draft.etag());
  EXPECT_TRUE(Trips(provider_.org).empty());

  // The audited figures breach liquidity: the draft's are kept, and the rule trips once.
  v1::FinancialAccounts audited;
  ASSERT_TRUE(
      revise(commissioner_, draft, 9000000, 700000, "audited accounts replace the draft", &audited)
          .ok());
  EXPECT_THAT(audited.breaches(), ElementsAre(v1::FinancialAccounts::LIQUIDITY));
  EXPECT_DOUBLE_EQ(audited.liquidity_ratio(), 0.9);
  EXPECT_NE(audited.etag(), draft.etag());
  ASSERT_EQ(audited.revisions_size(), 1);
  EXPECT_EQ(audited.revisions(0).current_assets().pence(), 20000000);
  EXPECT_EQ(audited.revisions(0).operating_profit().pence(), 700000);
  EXPECT_EQ(audited.revisions(0).reason(), "audited accounts replace the draft");
  EXPECT_FALSE(audited.revisions(0).revise_user().empty());
  EXPECT_EQ(audited.revisions(0).revise_user(), audited.audit().update_user());
  EXPECT_EQ(audited.audit().create_time().seconds(), draft.audit().create_time().seconds());
  auto trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].rule(), v1::FINANCIAL_VIABILITY);
  EXPECT_EQ(trips[0].source_id(), draft.id());
  EXPECT_THAT(trips[0].reason(), HasSubstr("liquidity 0.90"));

  // A further breach on accounts already breaching trips nothing more; the same figures
  // again change nothing; clearing the breach lifts nothing.
  v1::FinancialAccounts worse;
  ASSERT_TRUE(revise(commissioner_, audited, 9000000, 100000, "restated", &worse).ok());
  EXPECT_THAT(worse.breaches(),
              ElementsAre(v1::FinancialAccounts::LIQUIDITY, v1::FinancialAccounts::ROCE));
  EXPECT_EQ(worse.revisions_size(), 2);
  v1::FinancialAccounts same;
  ASSERT_TRUE(revise(commissioner_, worse, 9000000, 100000, "restated", &same).ok());
  EXPECT_EQ(same.etag(), worse.etag());
  EXPECT_EQ(same.revisions_size(), 2);
  v1::FinancialAccounts cleared;
  ASSERT_TRUE(revise(commissioner_, same, 20000000, 700000, "typing error", &cleared).ok());
  EXPECT_TRUE(cleared.breaches().empty());
  EXPECT_EQ(Trips(provider_.org).size(), 1u);
  v1::FinancialAccounts listed = current();
  EXPECT_EQ(listed.etag(), cleared.etag());
  ASSERT_EQ(listed.revisions_size(), 3);
  EXPECT_EQ(listed.revisions(2).current_assets().pence(), 9000000);
  EXPECT_EQ(listed.revisions(2).reason(), "typing error");
  // The provider reads them, revisions and all; another partnership does not.
  v1::GetFinancialAccountsRequest get;
  get.set_id(draft.id());
  v1::FinancialAccounts got;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetFinancialAccounts, get, &got).ok());
  EXPECT_EQ(got.etag(), cleared.etag());
  EXPECT_EQ(got.revisions_size(), 3);
  EXPECT_EQ(
      Call(stub(), elsewhere.commissioner, &Stub::GetFinancialAccounts, get, &got).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

// Dates no record could hold, and a second set of accounts for a year, are refused with
// nothing written (decisions 69 and 70).
TEST_F(WorkforceServiceTest, ImplausibleDatesAndASecondSetOfAccountsAreRefused) {
  // A complaint "received" in 1970, or before the longest complaint window (60 months).
  const int complaints = Rows("complaints");
  v1::CreateComplaintRequest old;
  old.mutable_complaint()->set_framework_id(framework_);
  old.mutable_complaint()->set_summary("Late visits");
  old.mutable_complaint()->mutable_received_time()->set_seconds(0);
  v1::Complaint c;
  auto st = Call(stub(), provider_, &Stub::CreateComplaint, old, &c);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "complaint.received_time: must be within the last 5 years (on or after 2021-11-24), "
            "the longest complaint window a framework may set");
  protoutil::SetTimestamp(London(2021, 11, 23, 23, 59),
                          old.mutable_complaint()->mutable_received_time());
  EXPECT_EQ(Call(stub(), provider_, &Stub::CreateComplaint, old, &c).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Rows("complaints"), complaints);
  protoutil::SetTimestamp(London(2021, 11, 24, 0, 0),
                          old.mutable_complaint()->mutable_received_time());
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CreateComplaint, old, &c).ok());

  // A DBS status check before the certificate it checks (the audit's 2001 against 2024).
  v1::StaffMember w = CreateStaff(provider_, SampleStaff("Dee Dated"));
  v1::UpdateStaffMemberRequest upd;
  *upd.mutable_staff_member() = w;
  upd.mutable_staff_member()->mutable_dbs()->mutable_status_check_date()->set_value("2001-01-01");
  v1::StaffMember got;
  st = Call(stub(), provider_, &Stub::UpdateStaffMember, upd, &got);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "staff_member.dbs.status_check_date: must not be before dbs.certificate_date "
            "(2024-12-01): a status check is of a certificate already issued");
  v1::GetStaffMemberRequest get;
  get.set_id(w.id());
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetStaffMember, get, &got).ok());
  EXPECT_EQ(got.etag(), w.etag());
  EXPECT_TRUE(got.dbs().status_check_date().value().empty());
  upd.mutable_staff_member()->mutable_dbs()->mutable_status_check_date()->set_value("2024-12-01");
  ASSERT_TRUE(Call(stub(), provider_, &Stub::UpdateStaffMember, upd, &got).ok());

  // The same provider, framework and year end twice: the second is ALREADY_EXISTS naming
  // the first, whatever its request_id and figures.
  v1::RecordFinancialAccountsRequest acc = Accounts("2026-03-31", 100, 0, -5, -100, 100);
  auto* a = acc.mutable_accounts();
  acc.set_request_id(NewUuid());
  v1::FinancialAccounts first;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, acc, &first).ok());
  // As the proto says: no liabilities, no ratio and no breach; capital employed not
  // positive, ROCE 0 and a breach.
  EXPECT_EQ(first.liquidity_ratio(), 0);
  EXPECT_EQ(first.roce_percent(), 0);
  EXPECT_THAT(first.breaches(), ElementsAre(v1::FinancialAccounts::ROCE));
  const int accounts = Rows("financial_accounts");
  acc.set_request_id(NewUuid());
  a->mutable_current_assets()->set_pence(200);
  v1::FinancialAccounts second;
  st = Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, acc, &second);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
  EXPECT_EQ(registry::testing::ResourceInfoOf(st),
            "pdps.workforce.v1.FinancialAccounts " + first.id());
  EXPECT_THAT(st.error_message(), HasSubstr("for the year ending 2026-03-31 on this framework "
                                            "are already recorded"));
  EXPECT_EQ(Rows("financial_accounts"), accounts);
  // Another year end is other accounts.
  a->mutable_year_end()->set_value("2025-03-31");
  acc.set_request_id(NewUuid());
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, acc, &second).ok());
  EXPECT_EQ(Rows("financial_accounts"), accounts + 1);
}

// Decision 73: what is in force is the latest visit and the latest year's accounts. An
// earlier one recorded late is kept but trips nothing; one older than five years, or a
// 1901 typing error, is refused.
TEST_F(WorkforceServiceTest, OnlyTheLatestVisitOrAccountsTripARule) {
  SetRules(0, true, true);
  auto visit = [&](const std::string& day, v1::Rating rating) {
    v1::CreateMonitoringVisitRequest req;
    req.mutable_visit()->set_provider_id(provider_.org);
    req.mutable_visit()->set_framework_id(framework_);
    req.mutable_visit()->mutable_visit_date()->set_value(day);
    req.mutable_visit()->set_findings("Findings of the visit");
    req.mutable_visit()->set_rating(rating);
    req.set_request_id(NewUuid());
    v1::MonitoringVisit out;
    return Call(stub(), commissioner_, &Stub::CreateMonitoringVisit, req, &out);
  };
  const int visits = Rows("monitoring_visits");
  auto st = visit("1901-01-01", v1::INADEQUATE);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "visit.visit_date: must be within the last 5 years (on or after 2021-11-24)");
  EXPECT_EQ(Rows("monitoring_visits"), visits);
  ASSERT_TRUE(visit("2026-10-01", v1::GOOD).ok());
  ASSERT_TRUE(visit("2025-06-01", v1::INADEQUATE).ok());  // history, recorded late
  EXPECT_TRUE(Trips(provider_.org).empty());
  ASSERT_TRUE(visit("2026-11-20", v1::INADEQUATE).ok());
  ASSERT_EQ(Trips(provider_.org).size(), 1u);

  v1::RecordFinancialAccountsRequest healthy =
      Accounts("2026-03-31", 20000000, 10000000, 700000, 10000000, 2500000);
  v1::FinancialAccounts out;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, healthy, &out).ok());
  v1::RecordFinancialAccountsRequest breach =
      Accounts("2023-03-31", 20000000, 10000000, 700000, 10000000, -100);
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, breach, &out).ok());
  EXPECT_THAT(out.breaches(), ElementsAre(v1::FinancialAccounts::NET_ASSETS));
  EXPECT_EQ(Trips(provider_.org).size(), 1u);  // the 2026 accounts are in force
  v1::RecordFinancialAccountsRequest ancient = breach;
  ancient.mutable_accounts()->mutable_year_end()->set_value("1970-03-31");
  ancient.set_request_id(NewUuid());
  st = Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, ancient, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("accounts.year_end"));
}

// Lots and admissions are the registry's: a lot of another framework, or a complaint from
// a provider the framework never admitted, is refused before anything is written.
TEST_F(WorkforceServiceTest, FrameworkScopedCallsAreCheckedWithTheRegistry) {
  Commissioned elsewhere = Commission(*world_, "Care " + NewUuid().substr(0, 8));
  int matrices = Rows("training_matrices"), visits = Rows("monitoring_visits"),
      complaints = Rows("complaints");
  grpc::Status st;
  // A lot of another partnership's framework, claimed under this one.
  lot_ = elsewhere.lot.id();
  CreateMatrix(commissioner_, "2026-01-01", 12, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("training_matrix.lot_id"));
  EXPECT_THAT(st.error_message(), HasSubstr("another framework"));
  lot_ = NewUuid();  // no such lot
  CreateMatrix(commissioner_, "2026-01-01", 12, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("training_matrix.lot_id"));
  // The other framework's own commissioner creating it under this framework: not theirs.
  framework_ = scene_.framework.id();
  lot_ = elsewhere.lot.id();
  CreateMatrix(elsewhere.commissioner, "2026-01-01", 12, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(st.error_message(), HasSubstr("may keep its lots' training matrices"));
  EXPECT_EQ(Rows("training_matrices"), matrices);

  v1::CreateMonitoringVisitRequest visit;
  visit.mutable_visit()->set_provider_id(provider_.org);
  visit.mutable_visit()->set_framework_id(scene_.framework.id());
  visit.mutable_visit()->set_lot_id(elsewhere.lot.id());
  visit.mutable_visit()->mutable_visit_date()->set_value("2026-11-20");
  visit.mutable_visit()->set_findings("Rotas and care notes reviewed");
  visit.mutable_visit()->set_rating(v1::INADEQUATE);
  v1::MonitoringVisit mv;
  st = Call(stub(), commissioner_, &Stub::CreateMonitoringVisit, visit, &mv);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("visit.lot_id"));
  EXPECT_EQ(Rows("monitoring_visits"), visits);

  v1::CreateComplaintRequest complaint;
  complaint.mutable_complaint()->set_framework_id(scene_.framework.id());
  protoutil::SetTimestamp(DefaultNow() - absl::Hours(1),
                          complaint.mutable_complaint()->mutable_received_time());
  complaint.mutable_complaint()->set_summary("Visit missed");
  complaint.mutable_complaint()->set_safeguarding(true);
  v1::Complaint out;
  // A provider with no admission on the framework cannot load its rules with complaints.
  st = Call(stub(), elsewhere.provider.admin, &Stub::CreateComplaint, complaint, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("no admission"));
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("NOT_ADMITTED framework/" + scene_.framework.id()));
  complaint.mutable_complaint()->set_lot_id(elsewhere.lot.id());
  st = Call(stub(), provider_, &Stub::CreateComplaint, complaint, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("complaint.lot_id"));
  EXPECT_EQ(Rows("complaints"), complaints);
  complaint.mutable_complaint()->set_lot_id(scene_.lot.id());
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CreateComplaint, complaint, &out).ok());
  EXPECT_EQ(Rows("complaints"), complaints + 1);
}

// ----------------------------------------------------------- the compliance gate ---

TEST_F(WorkforceServiceTest, EligibilityAcrossMatrixVersionsWithPackageExtras) {
  grpc::Status st;
  // No matrix yet.
  v1::StaffMember s = CreateStaff(provider_, SampleStaff("Dee Carer"));
  Check(provider_, s.id(), "2026-11-24", {}, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  v1::TrainingMatrix v1m = CreateMatrix(commissioner_, "2026-01-01", 12);
  EXPECT_EQ(v1m.version(), 1);
  // A later version may not be backdated (today is 2026-11-24): past answers stand.
  CreateMatrix(commissioner_, "2026-11-23", 24, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("is in the past (today is 2026-11-24)"));
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("MATRIX_VERSION_ORDER lot/" + lot_));
  v1::TrainingMatrix v2m = CreateMatrix(commissioner_, "2027-01-01", 24);
  EXPECT_EQ(v2m.version(), 2);
  // Versions apply in order; only the keeper of the lot's matrix adds versions.
  CreateMatrix(commissioner_, "2026-06-01", 12, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("MATRIX_VERSION_ORDER lot/" + lot_));
  CreateMatrix(MakeCaller(NewUuid(), {Role::kCommissioner}), "2027-06-01", 12, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  CreateMatrix(provider_, "2027-06-01", 12, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  Train(provider_, s.id(), "first_aid", "2025-02-01");
  Train(provider_, s.id(), "safeguarding_level_2", "2025-12-31");

  // Each record's expiry under the lot's matrix in force on the day asked about.
  v1::ListTrainingRecordsRequest records;
  records.set_staff_id(s.id());
  records.set_lot_id(lot_);
  records.mutable_date()->set_value("2026-12-31");
  v1::ListTrainingRecordsResponse listed;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListTrainingRecords, records, &listed).ok());
  std::map<std::string, std::string> expires;
  for (const auto& t : listed.training_records())
    expires[t.competency_code()] = t.expires_on().value();
  EXPECT_EQ(expires, (std::map<std::string, std::string>{{"first_aid", "2028-02-01"},
                                                         {"safeguarding_level_2", "2026-12-31"}}));
  records.mutable_date()->set_value("2027-01-01");  // v2: two-yearly safeguarding
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListTrainingRecords, records, &listed).ok());
  for (const auto& t : listed.training_records()) {
    if (t.competency_code() == "safeguarding_level_2") {
      EXPECT_EQ(t.expires_on().value(), "2027-12-31");
    }
  }
  records.clear_lot_id();  // no lot: no expiry
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListTrainingRecords, records, &listed).ok());
  for (const auto& t : listed.training_records()) EXPECT_FALSE(t.has_expires_on());

  auto ok = Check(provider_, s.id(), "2026-12-31");  // yearly safeguarding expires today
  EXPECT_TRUE(ok.eligible());
  EXPECT_EQ(ok.matrix_version(), 1);
  auto lapsed = Check(provider_, s.id(), "2026-12-31", {"seizure_management"});
  EXPECT_FALSE(lapsed.eligible());
  ASSERT_EQ(lapsed.reasons_size(), 1);
  EXPECT_EQ(lapsed.reasons(0).kind(), v1::IneligibilityReason::COMPETENCY_MISSING);
  EXPECT_EQ(lapsed.reasons(0).competency_code(), "seizure_management");
  // A day later v2 is in force: two-yearly safeguarding is still in date.
  auto v2 = Check(provider_, s.id(), "2027-01-01");
  EXPECT_TRUE(v2.eligible());
  EXPECT_EQ(v2.matrix_version(), 2);
  EXPECT_EQ(v2.matrix_id(), v2m.id());

  // A service identity (care planning) may ask; a commissioner may not.
  auto as_service = Check(ServiceCaller(), s.id(), "2026-12-31");
  EXPECT_TRUE(as_service.eligible());
  Check(commissioner_, s.id(), "2026-12-31", {}, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Every reason at once for a worker with nothing checked.
  v1::StaffMember bare;
  bare.set_display_name("Eve Unchecked");
  bare.set_role("Support worker");
  bare.mutable_start_date()->set_value("2026-01-05");
  bare.set_contract_type(v1::BANK);
  v1::StaffMember b = CreateStaff(provider_, bare);
  auto none = Check(provider_, b.id(), "2026-11-24");
  std::vector<v1::IneligibilityReason::Kind> kinds;
  for (const auto& r : none.reasons()) kinds.push_back(r.kind());
  EXPECT_THAT(kinds, ElementsAre(v1::IneligibilityReason::DBS_MISSING,
                                 v1::IneligibilityReason::BARRED_LIST_CHECK_MISSING,
                                 v1::IneligibilityReason::RIGHT_TO_WORK_MISSING,
                                 v1::IneligibilityReason::COMPETENCY_MISSING,
                                 v1::IneligibilityReason::COMPETENCY_MISSING));

  // Matrices are listed by version for anyone who may read them.
  v1::ListTrainingMatricesRequest lr;
  lr.set_lot_id(lot_);
  v1::ListTrainingMatricesResponse page;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListTrainingMatrices, lr, &page).ok());
  ASSERT_EQ(page.training_matrices_size(), 2);
  EXPECT_EQ(page.training_matrices(0).effective_from().value(), "2026-01-01");
  EXPECT_EQ(page.training_matrices(1).competencies(1).renewal_months(), 24);
}

// The gate's table through gRPC and PostgreSQL: each reason on its own, their boundary
// days (lapses today: still eligible; lapsed yesterday: not), a new starter's grace,
// a package's extra competency, and every reason together. On 2026-11-24.
TEST_F(WorkforceServiceTest, EligibilityTableEachReasonAloneAndTogether) {
  v1::CreateTrainingMatrixRequest mreq;
  auto* m = mreq.mutable_training_matrix();
  m->set_framework_id(framework_);
  m->set_lot_id(lot_);
  m->set_title("Lot A: children's nurses");
  m->mutable_effective_from()->set_value("2026-01-01");
  m->set_required_registration_body("NMC");
  auto add = [&](const char* code, int months, bool conditional, int weeks) {
    auto* c = m->add_competencies();
    c->set_code(code);
    c->set_name(code);
    c->set_renewal_months(months);
    c->set_conditional(conditional);
    c->set_due_within_weeks(weeks);
  };
  add("first_aid", 36, false, 0);
  add("safeguarding_level_2", 12, false, 0);
  add("care_certificate", 0, false, 12);
  add("seizure_management", 12, true, 0);
  v1::TrainingMatrix matrix;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CreateTrainingMatrix, mreq, &matrix).ok());

  using K = v1::IneligibilityReason;
  struct Want {
    K::Kind kind;
    std::string code, date;
  };
  struct Case {
    const char* name;
    std::function<void(v1::StaffMember*)> staff;
    const char* safeguarding_on;  // completion of the yearly competency
    bool care_certificate;
    std::vector<std::string> extras;
    std::vector<Want> want;
  };
  auto rtw = [](const char* expiry) {
    return [expiry](v1::StaffMember* s) {
      s->mutable_right_to_work()->set_kind(v1::RightToWork::TIME_LIMITED);
      s->mutable_right_to_work()->mutable_expiry_date()->set_value(expiry);
    };
  };
  auto dbs = [](const char* day) {
    return [day](v1::StaffMember* s) {
      s->mutable_dbs()->mutable_certificate_date()->set_value(day);
      s->mutable_dbs()->mutable_barred_list_check_date()->set_value(day);
    };
  };
  auto nmc = [](const char* body, const char* expiry) {
    return [body, expiry](v1::StaffMember* s) {
      s->mutable_registration()->set_body(body);
      s->mutable_registration()->mutable_expiry_date()->set_value(expiry);
    };
  };
  auto none = [](v1::StaffMember*) {};
  const std::vector<Case> cases = {
      {"everything in date; safeguarding lapses today", none, "2025-11-24", true, {}, {}},
      {"safeguarding lapsed yesterday",
       none,
       "2025-11-23",
       true,
       {},
       {{K::COMPETENCY_EXPIRED, "safeguarding_level_2", "2026-11-23"}}},
      {"DBS's 36 months end today", dbs("2023-11-24"), "2025-12-01", true, {}, {}},
      {"DBS's 36 months ended yesterday",
       dbs("2023-11-23"),
       "2025-12-01",
       true,
       {},
       {{K::DBS_EXPIRED, "", "2026-11-23"}}},
      {"right to work ends today", rtw("2026-11-24"), "2025-12-01", true, {}, {}},
      {"right to work lapsed yesterday",
       rtw("2026-11-23"),
       "2025-12-01",
       true,
       {},
       {{K::RIGHT_TO_WORK_LAPSED, "", "2026-11-23"}}},
      {"registration lapses tomorrow", nmc("NMC", "2026-11-25"), "2025-12-01", true, {}, {}},
      {"registration lapsed yesterday",
       nmc("NMC", "2026-11-23"),
       "2025-12-01",
       true,
       {},
       {{K::REGISTRATION_EXPIRED, "", "2026-11-23"}}},
      {"on another register",
       nmc("HCPC", "2027-11-01"),
       "2025-12-01",
       true,
       {},
       {{K::REGISTRATION_MISSING, "", ""}}},
      {"new starter inside the Care Certificate's 12 weeks",
       [](v1::StaffMember* s) { s->mutable_start_date()->set_value("2026-10-01"); },
       "2026-10-02",
       false,
       {},
       {}},
      {"new starter past the 12 weeks",
       [](v1::StaffMember* s) { s->mutable_start_date()->set_value("2026-08-01"); },
       "2026-08-02",
       false,
       {},
       {{K::COMPETENCY_OVERDUE, "care_certificate", "2026-10-23"}}},
      {"left yesterday",
       [](v1::StaffMember* s) { s->mutable_leave_date()->set_value("2026-11-23"); },
       "2025-12-01",
       true,
       {},
       {{K::NOT_IN_POST, "", ""}}},
      {"the package needs seizure management",
       none,
       "2025-12-01",
       true,
       {"seizure_management"},
       {{K::COMPETENCY_MISSING, "seizure_management", ""}}},
      {"everything at once",
       [&](v1::StaffMember* s) {
         dbs("2023-11-23")(s);
         rtw("2026-11-23")(s);
         nmc("NMC", "2026-11-23")(s);
       },
       "2025-11-23",
       true,
       {"seizure_management"},
       {{K::DBS_EXPIRED, "", "2026-11-23"},
        {K::RIGHT_TO_WORK_LAPSED, "", "2026-11-23"},
        {K::REGISTRATION_EXPIRED, "", "2026-11-23"},
        {K::COMPETENCY_EXPIRED, "safeguarding_level_2", "2026-11-23"},
        {K::COMPETENCY_MISSING, "seizure_management", ""}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    v1::StaffMember s = SampleStaff(c.name);
    nmc("NMC", "2027-06-30")(&s);
    c.staff(&s);
    v1::StaffMember created = CreateStaff(provider_, s);
    Train(provider_, created.id(), "first_aid", "2025-02-01");
    Train(provider_, created.id(), "safeguarding_level_2", c.safeguarding_on);
    if (c.care_certificate) Train(provider_, created.id(), "care_certificate", "2025-03-01");
    auto got = Check(provider_, created.id(), "2026-11-24", c.extras);
    EXPECT_EQ(got.eligible(), c.want.empty());
    ASSERT_EQ(got.reasons_size(), static_cast<int>(c.want.size()));
    for (size_t i = 0; i < c.want.size(); ++i) {
      EXPECT_EQ(K::Kind_Name(got.reasons(i).kind()), K::Kind_Name(c.want[i].kind)) << i;
      EXPECT_EQ(got.reasons(i).competency_code(), c.want[i].code) << i;
      EXPECT_EQ(got.reasons(i).date().value(), c.want[i].date) << i;
    }
  }
}

TEST_F(WorkforceServiceTest, CommissionersSeeCountsNeverPeople) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  v1::StaffMember good = CreateStaff(provider_, SampleStaff("Fay Compliant"));
  Train(provider_, good.id(), "first_aid", "2026-02-01");
  Train(provider_, good.id(), "safeguarding_level_2", "2026-02-01");
  v1::StaffMember lapsed = SampleStaff("Gus Lapsed");
  lapsed.mutable_dbs()->mutable_certificate_date()->set_value("2023-01-01");
  v1::StaffMember l = CreateStaff(provider_, lapsed);
  Train(provider_, l.id(), "first_aid", "2026-02-01");
  v1::StaffMember left = SampleStaff("Hal Left");
  left.mutable_leave_date()->set_value("2026-06-30");
  CreateStaff(provider_, left);
  CreateStaff(other_provider_, SampleStaff("Ivy Elsewhere"));
  // A worker on another of the provider's lots only: not in this lot's figures.
  const std::string lot_d = world_->CreateLot(commissioner_, framework_, "D").id();
  ASSERT_FALSE(world_->Admit(provider_, commissioner_, framework_, lot_d).empty());
  v1::StaffMember elsewhere = SampleStaff("Kit Other Lot");
  elsewhere.add_lot_ids(absl::AsciiStrToUpper(lot_d));  // kept in lower case
  EXPECT_THAT(CreateStaff(provider_, elsewhere).lot_ids(), ElementsAre(lot_d));
  // Named lots must be lot ids, each once.
  const int staff = Rows("staff");
  v1::CreateStaffMemberRequest bad_lots;
  *bad_lots.mutable_staff_member() = SampleStaff("Lee Bad Lots");
  bad_lots.mutable_staff_member()->add_lot_ids(lot_);
  bad_lots.mutable_staff_member()->add_lot_ids(lot_);
  bad_lots.mutable_staff_member()->add_lot_ids("Lot C");
  v1::StaffMember not_made;
  EXPECT_THAT(
      ViolationFields(Call(stub(), provider_, &Stub::CreateStaffMember, bad_lots, &not_made)),
      ElementsAre("staff_member.lot_ids[1]", "staff_member.lot_ids[2]"));
  // ...and lots the provider works on: a lot the registry does not know, or one of a
  // framework that never admitted it, would take the worker out of the lot's figures.
  Commissioned elsewhere_framework = Commission(*world_, "Care " + NewUuid().substr(0, 8));
  bad_lots.mutable_staff_member()->clear_lot_ids();
  bad_lots.mutable_staff_member()->add_lot_ids(lot_);
  bad_lots.mutable_staff_member()->add_lot_ids(NewUuid());
  bad_lots.mutable_staff_member()->add_lot_ids(elsewhere_framework.lot.id());
  auto refused = Call(stub(), provider_, &Stub::CreateStaffMember, bad_lots, &not_made);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(refused),
              ElementsAre("staff_member.lot_ids[1]", "staff_member.lot_ids[2]"));
  EXPECT_THAT(refused.error_message(), HasSubstr("is not a lot your organisation works on"));
  EXPECT_EQ(Rows("staff"), staff);

  v1::GetWorkforceComplianceRequest req;
  req.set_provider_id(provider_.org);
  req.set_lot_id(lot_);
  v1::WorkforceCompliance out;
  // A commissioner of another partnership may not look (decision 0041); nor may anyone
  // ask about a provider not admitted to the lot's framework: NOT_FOUND, as any other
  // tenant's record. Each read's refusal names that read, not another's.
  const Caller stranger = MakeCaller(NewUuid(), {Role::kCommissioner});
  auto st = Call(stub(), stranger, &Stub::GetWorkforceCompliance, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), HasSubstr("no workforce compliance of provider"));
  v1::GetWorkforceReturnRequest ret;
  ret.set_quarter("2026-Q3");
  ret.set_provider_id(provider_.org);
  ret.set_lot_id(lot_);
  v1::WorkforceReturn figures;
  st = Call(stub(), stranger, &Stub::GetWorkforceReturn, ret, &figures);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), HasSubstr("no workforce returns of provider"));
  EXPECT_THAT(st.error_message(), Not(HasSubstr("compliance")));
  v1::GetWorkforceComplianceRequest unadmitted = req;
  unadmitted.set_provider_id(other_provider_.org);
  st = Call(stub(), commissioner_, &Stub::GetWorkforceCompliance, unadmitted, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), HasSubstr("no workforce compliance of provider"));
  ret.set_provider_id(other_provider_.org);
  st = Call(stub(), commissioner_, &Stub::GetWorkforceReturn, ret, &figures);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(st.error_message(), HasSubstr("no workforce returns of provider"));
  // The framework's commissioner sees counts.
  st = Call(stub(), commissioner_, &Stub::GetWorkforceCompliance, req, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.staff_in_post(), 2);
  EXPECT_EQ(out.eligible(), 1);
  EXPECT_DOUBLE_EQ(out.eligible_percent(), 50.0);
  std::map<v1::IneligibilityReason::Kind, int> reasons;
  for (const auto& r : out.reasons()) reasons[r.kind()] = r.staff();
  EXPECT_EQ(reasons, (std::map<v1::IneligibilityReason::Kind, int>{
                         {v1::IneligibilityReason::DBS_EXPIRED, 1},
                         {v1::IneligibilityReason::COMPETENCY_MISSING, 1}}));
  // No personal field is in the answer: no name, no staff id.
  std::string wire = out.SerializeAsString() + out.DebugString();
  for (const std::string& secret : {std::string("Fay"), std::string("Gus"), good.id(), l.id()}) {
    EXPECT_THAT(wire, ::testing::Not(HasSubstr(secret))) << secret;
  }
  // The provider may ask about itself, not about another provider.
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetWorkforceCompliance, req, &out).ok());
  EXPECT_EQ(out.eligible(), 1);
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::GetWorkforceCompliance, req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// A lot the registry does not know is NOT_FOUND whoever asks and whatever the read, as
// the protos promise; a real lot without a matrix in force stays FAILED_PRECONDITION.
TEST_F(WorkforceServiceTest, AnUnknownLotIsNotFoundForEveryCaller) {
  v1::StaffMember nia = CreateStaff(provider_, SampleStaff("Nia Counted"));
  // Every read that takes a lot: the gate, a worker's training, the expiry watch.
  const std::string no_such_lot = NewUuid();
  v1::CheckWorkerEligibilityRequest gate;
  gate.set_staff_id(nia.id());
  gate.set_lot_id(no_such_lot);
  v1::CheckWorkerEligibilityResponse answer;
  for (const Caller& who : {provider_, ServiceCaller()}) {
    auto st = Call(stub(), who, &Stub::CheckWorkerEligibility, gate, &answer);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
    EXPECT_THAT(st.error_message(), HasSubstr(no_such_lot));
  }
  v1::ListTrainingRecordsRequest training;
  training.set_staff_id(nia.id());
  training.set_lot_id(no_such_lot);
  v1::ListTrainingRecordsResponse records;
  EXPECT_EQ(Call(stub(), provider_, &Stub::ListTrainingRecords, training, &records).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListExpiriesRequest expiries;
  expiries.set_lot_id(no_such_lot);
  v1::ListExpiriesResponse lapsing;
  EXPECT_EQ(Call(stub(), provider_, &Stub::ListExpiries, expiries, &lapsing).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The real lot without a matrix: the gate says so.
  gate.set_lot_id(lot_);
  auto no_matrix = Call(stub(), provider_, &Stub::CheckWorkerEligibility, gate, &answer);
  EXPECT_EQ(no_matrix.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(no_matrix.error_message(), HasSubstr("no training matrix in force"));
  EXPECT_THAT(registry::testing::PreconditionViolations(no_matrix),
              ElementsAre("TRAINING_MATRIX_MISSING lot/" + lot_));

  v1::GetWorkforceComplianceRequest unknown;
  unknown.set_provider_id(provider_.org);
  unknown.set_lot_id(NewUuid());
  v1::WorkforceCompliance out;
  for (const Caller& who : {provider_, commissioner_, ServiceCaller()}) {
    auto st = Call(stub(), who, &Stub::GetWorkforceCompliance, unknown, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND)
        << who.org << ": " << st.error_message();
  }
  v1::GetWorkforceReturnRequest unknown_return;
  unknown_return.set_quarter("2026-Q3");
  unknown_return.set_lot_id(unknown.lot_id());
  v1::WorkforceReturn r;
  auto st = Call(stub(), provider_, &Stub::GetWorkforceReturn, unknown_return, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  unknown_return.set_provider_id(provider_.org);
  st = Call(stub(), commissioner_, &Stub::GetWorkforceReturn, unknown_return, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();

  // The framework's own lot, before any matrix: FAILED_PRECONDITION for each caller.
  v1::GetWorkforceComplianceRequest real = unknown;
  real.set_lot_id(lot_);
  for (const Caller& who : {provider_, commissioner_, ServiceCaller()}) {
    st = Call(stub(), who, &Stub::GetWorkforceCompliance, real, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << who.org;
    EXPECT_THAT(st.error_message(), HasSubstr("no training matrix in force"));
  }
  v1::GetWorkforceReturnRequest real_return;
  real_return.set_quarter("2026-Q3");
  real_return.set_lot_id(lot_);
  st = Call(stub(), provider_, &Stub::GetWorkforceReturn, real_return, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  real_return.set_provider_id(provider_.org);
  st = Call(stub(), commissioner_, &Stub::GetWorkforceReturn, real_return, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();

  // With a matrix in force both answer.
  CreateMatrix(commissioner_, "2026-01-01", 12);
  st = Call(stub(), provider_, &Stub::GetWorkforceCompliance, real, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.staff_in_post(), 1);
  st = Call(stub(), provider_, &Stub::GetWorkforceReturn, real_return, &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
}

TEST_F(WorkforceServiceTest, ExpiryWatchListsWhatLapsesSoon) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  v1::StaffMember s = SampleStaff("Jo Expiring");
  s.mutable_dbs()->mutable_certificate_date()->set_value("2023-12-10");  // lapses 2026-12-10
  s.mutable_last_supervision_date()->set_value("2026-08-01");            // due 2026-11-01
  v1::StaffMember st = CreateStaff(provider_, s);
  Train(provider_, st.id(), "first_aid", "2024-01-01");
  Train(provider_, st.id(), "safeguarding_level_2", "2025-12-20");  // lapses 2026-12-20
  CreateStaff(other_provider_, s);
  v1::ListExpiriesRequest req;
  req.set_lot_id(lot_);
  req.set_within_days(30);
  v1::ListExpiriesResponse page;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListExpiries, req, &page).ok());
  std::vector<std::tuple<v1::ExpiryItem::Kind, std::string, std::string, bool>> got;
  for (const auto& e : page.items()) {
    EXPECT_EQ(e.staff_id(), st.id());
    got.emplace_back(e.kind(), e.competency_code(), e.due_date().value(), e.lapsed());
  }
  EXPECT_THAT(got, ElementsAre(std::make_tuple(v1::ExpiryItem::SUPERVISION, "", "2026-11-01", true),
                               std::make_tuple(v1::ExpiryItem::DBS, "", "2026-12-10", false),
                               std::make_tuple(v1::ExpiryItem::TRAINING, "safeguarding_level_2",
                                               "2026-12-20", false)));
  // Paging through one item at a time gives the same list.
  req.set_page_size(1);
  int n = 0, calls = 0;
  for (;;) {
    ASSERT_TRUE(Call(stub(), provider_, &Stub::ListExpiries, req, &page).ok());
    ++calls;
    n += page.items_size();
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(n, 3);
  EXPECT_EQ(calls, 3) << "the third page is the last and says so";
}

TEST_F(WorkforceServiceTest, ExpiryWatchListsWhatANewMatrixVersionWillRequire) {
  // Version 2 from Friday 1 January 2027 adds moving and handling: 38 days after today.
  CreateMatrix(commissioner_, "2026-01-01", 12);
  CreateMatrix(commissioner_, "2027-01-01", 12, nullptr, {"moving_handling"});
  v1::StaffMember st = CreateStaff(provider_, SampleStaff("Lee Untrained"));
  Train(provider_, st.id(), "first_aid", "2026-01-10");
  Train(provider_, st.id(), "safeguarding_level_2", "2026-06-01");
  auto training = [&](int within) {
    v1::ListExpiriesRequest req;
    req.set_lot_id(lot_);
    req.set_within_days(within);
    v1::ListExpiriesResponse page;
    auto rc = Call(stub(), provider_, &Stub::ListExpiries, req, &page);
    EXPECT_TRUE(rc.ok()) << rc.error_message();
    std::vector<std::tuple<std::string, std::string, bool, int>> got;
    for (const auto& e : page.items()) {
      if (e.kind() == v1::ExpiryItem::TRAINING) {
        got.emplace_back(e.competency_code(), e.due_date().value(), e.lapsed(), e.matrix_version());
      }
    }
    return got;
  };
  using T = std::tuple<std::string, std::string, bool, int>;
  EXPECT_THAT(training(30), IsEmpty());  // to 24 December
  EXPECT_THAT(training(38), ElementsAre(T{"moving_handling", "2027-01-01", false, 2}));
  // The gate agrees: eligible the day before, not from the version's first day.
  EXPECT_TRUE(Check(provider_, st.id(), "2026-12-31").eligible());
  EXPECT_FALSE(Check(provider_, st.id(), "2027-01-01").eligible());
  // Trained now, and yearly: nothing is due in the window any more.
  Train(provider_, st.id(), "moving_handling", "2026-11-20");
  EXPECT_THAT(training(60), IsEmpty());
}

TEST_F(WorkforceServiceTest, ExpiryWatchAnnouncesEachStageOnceOnTheFeed) {
  v1::StaffMember s = SampleStaff("Kim Lapsing");
  s.mutable_dbs()->mutable_certificate_date()->set_value("2023-12-20");  // lapses 2026-12-20
  v1::StaffMember st = CreateStaff(provider_, s);
  auto lapsing = [&]() {
    std::vector<std::pair<int, std::string>> out;
    pdps::common::v1::ListEventsRequest req;
    req.set_page_size(1000);
    req.add_event_types("pdps.workforce.v1.ComplianceLapsing");
    pdps::common::v1::ListEventsResponse resp;
    auto rc = Call(server_->feed(), ServiceCaller(),
                   &pdps::common::v1::EventFeedService::Stub::ListEvents, req, &resp);
    EXPECT_TRUE(rc.ok()) << rc.error_message();
    for (const auto& e : resp.events()) {
      v1::ComplianceLapsing l;
      EXPECT_TRUE(e.payload().UnpackTo(&l));
      EXPECT_TRUE(l.item().display_name().empty());  // ids only, never a name
      if (l.item().staff_id() == st.id() && l.item().kind() == v1::ExpiryItem::DBS) {
        EXPECT_EQ(e.organisation_id(), l.provider_id());
        out.emplace_back(l.within_days(), l.item().due_date().value());
      }
    }
    return out;
  };
  auto sweep = [&](absl::Time at) {
    auto n = server_->store().AnnounceExpiries(at, absl::Now() + absl::Seconds(30));
    EXPECT_TRUE(n.ok()) << n.status();
  };
  using P = std::pair<int, std::string>;
  sweep(London(2026, 11, 24, 10, 0));  // 26 days before: within 30 (and so within 60)
  EXPECT_THAT(lapsing(), ElementsAre(P{30, "2026-12-20"}));
  sweep(London(2026, 11, 24, 11, 0));  // the same stage again: nothing new
  sweep(London(2026, 12, 1, 10, 0));
  EXPECT_THAT(lapsing(), ElementsAre(P{30, "2026-12-20"}));
  sweep(London(2026, 12, 21, 9, 0));  // lapsed
  EXPECT_THAT(lapsing(), ElementsAre(P{30, "2026-12-20"}, P{0, "2026-12-20"}));
  // Renewed: the new date is further off than 60 days, so nothing until it comes near.
  server_->clock().Set(London(2026, 12, 22, 9, 0));
  v1::StaffMember renewed = st;
  renewed.mutable_dbs()->mutable_certificate_date()->set_value("2026-12-21");
  v1::UpdateStaffMemberRequest upd;
  *upd.mutable_staff_member() = renewed;
  v1::StaffMember after;
  auto rc = Call(stub(), provider_, &Stub::UpdateStaffMember, upd, &after);
  ASSERT_TRUE(rc.ok()) << rc.error_message();
  sweep(London(2026, 12, 22, 9, 0));
  EXPECT_EQ(lapsing().size(), 2u);
}

// -------------------------------------------------------------- complaints ---

TEST_F(WorkforceServiceTest, ComplaintDeadlineAcrossABankHolidayAndAWeekend) {
  // Thursday 17 December 2026, 10:00: Christmas (Fri), Boxing Day substitute (Mon 28),
  // New Year's Day (Fri) and three weekends fall in the 15 working days.
  server_->clock().Set(London(2026, 12, 17, 11, 0));
  v1::Complaint c = CreateComplaint(London(2026, 12, 17, 10, 0), false);
  EXPECT_EQ(protoutil::FromTimestamp(c.answer_due_time()), London(2027, 1, 12, 17, 0));
  EXPECT_EQ(c.state(), v1::Complaint::RECEIVED);
  EXPECT_FALSE(c.overdue());

  v1::AcknowledgeComplaintRequest ack;
  ack.set_id(c.id());
  ack.set_etag(c.etag());
  v1::Complaint acked;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::AcknowledgeComplaint, ack, &acked).ok());
  EXPECT_EQ(acked.state(), v1::Complaint::ACKNOWLEDGED);
  EXPECT_EQ(Call(stub(), provider_, &Stub::AcknowledgeComplaint, ack, &acked).error_code(),
            grpc::StatusCode::ABORTED);
  ack.set_etag(acked.etag());
  auto again = Call(stub(), provider_, &Stub::AcknowledgeComplaint, ack, &acked);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(again),
              ElementsAre("COMPLAINT_STATE complaint/" + c.id()));

  v1::ListComplaintsRequest overdue;
  overdue.set_overdue_only(true);
  v1::ListComplaintsResponse page;
  // At the deadline it is not yet overdue; a minute later it is.
  server_->clock().Set(London(2027, 1, 12, 17, 0));
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListComplaints, overdue, &page).ok());
  EXPECT_EQ(page.complaints_size(), 0);
  server_->clock().Set(London(2027, 1, 12, 17, 1));
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListComplaints, overdue, &page).ok());
  ASSERT_EQ(page.complaints_size(), 1);
  EXPECT_TRUE(page.complaints(0).overdue());
  // Another provider sees none of it.
  EXPECT_TRUE(Call(stub(), other_provider_, &Stub::ListComplaints, overdue, &page).ok());
  EXPECT_EQ(page.complaints_size(), 0);

  v1::Complaint answered = Answer(acked, v1::Complaint::PARTLY_UPHELD);
  EXPECT_EQ(answered.state(), v1::Complaint::ANSWERED);
  EXPECT_FALSE(answered.overdue());
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListComplaints, overdue, &page).ok());
  EXPECT_EQ(page.complaints_size(), 0);
}

TEST_F(WorkforceServiceTest, AComplaintReceivedOverTheWeekendCountsMondayAsDayOne) {
  // Seed 002 para 92: 15 working days. Received on Friday 27 November in hours or after,
  // or on Saturday or Sunday, Monday 30 November is day 1: due at the close of Friday 18
  // December. Received on Monday, Tuesday is day 1: due Monday 21 December.
  server_->clock().Set(London(2026, 12, 2, 17, 0));
  const struct {
    absl::Time received;
    absl::Time due;
  } cases[] = {
      {London(2026, 11, 27, 10, 0), London(2026, 12, 18, 17, 0)},
      {London(2026, 11, 27, 18, 30), London(2026, 12, 18, 17, 0)},
      {London(2026, 11, 28, 10, 0), London(2026, 12, 18, 17, 0)},
      {London(2026, 11, 29, 16, 53), London(2026, 12, 18, 17, 0)},
      {London(2026, 11, 30, 9, 30), London(2026, 12, 21, 17, 0)},
  };
  for (const auto& c : cases) {
    v1::Complaint made = CreateComplaint(c.received, false);
    EXPECT_EQ(protoutil::FromTimestamp(made.answer_due_time()), c.due)
        << absl::FormatTime(c.received);
  }
}

TEST_F(WorkforceServiceTest, AnsweringAReceivedComplaintAcknowledgesItWithTheAnswer) {
  v1::Complaint c = CreateComplaint(DefaultNow() - absl::Hours(3), false);
  ASSERT_EQ(c.state(), v1::Complaint::RECEIVED);
  EXPECT_FALSE(c.has_acknowledged_time());
  server_->clock().Set(DefaultNow() + absl::Minutes(30));
  v1::Complaint answered = Answer(c, v1::Complaint::NOT_UPHELD);
  EXPECT_EQ(answered.state(), v1::Complaint::ANSWERED);
  ASSERT_TRUE(answered.has_acknowledged_time());
  EXPECT_EQ(protoutil::FromTimestamp(answered.acknowledged_time()),
            DefaultNow() + absl::Minutes(30));
  EXPECT_EQ(protoutil::FromTimestamp(answered.acknowledged_time()),
            protoutil::FromTimestamp(answered.answered_time()));
  // One acknowledged first keeps its own time.
  v1::Complaint other = CreateComplaint(DefaultNow() - absl::Hours(2), false);
  v1::AcknowledgeComplaintRequest ack;
  ack.set_id(other.id());
  ack.set_etag(other.etag());
  v1::Complaint acked;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::AcknowledgeComplaint, ack, &acked).ok());
  server_->clock().Set(DefaultNow() + absl::Hours(2));
  v1::Complaint later = Answer(acked, v1::Complaint::UPHELD);
  EXPECT_EQ(protoutil::FromTimestamp(later.acknowledged_time()), DefaultNow() + absl::Minutes(30));
  EXPECT_EQ(protoutil::FromTimestamp(later.answered_time()), DefaultNow() + absl::Hours(2));
}

// --------------------------------------------------------- suspension rules ---

// Seed 001 13.7's repeated concerns are counted by when each arose (received_time), over
// the 12 months ending on the day of the answer (25 Nov 2025 .. 24 Nov 2026 here), not by
// when the provider answered.
TEST_F(WorkforceServiceTest, SafeguardingConcernsCountByWhenTheyAroseNotWhenAnswered) {
  SetRules(/*upheld=*/2, /*visit=*/false, /*financial=*/false);
  // Arose on 24 Nov 2025, the day before the window; answered (upheld) only now.
  v1::Complaint old = CreateComplaint(London(2025, 11, 24, 16, 0), true);
  v1::Complaint recent = CreateComplaint(DefaultNow() - absl::Hours(24), true);
  Answer(old, v1::Complaint::UPHELD);
  Answer(recent, v1::Complaint::UPHELD);
  // Both answered today, but only one concern arose in the window.
  EXPECT_THAT(Trips(provider_.org), IsEmpty());
  // One that arose on the window's first day, answered today: two in the window.
  v1::Complaint first_day = CreateComplaint(London(2025, 11, 25, 0, 0), true);
  Answer(first_day, v1::Complaint::PARTLY_UPHELD);
  auto trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].source_id(), first_day.id());
  EXPECT_EQ(trips[0].reason(),
            "2 upheld safeguarding complaints received 2025-11-25 to 2026-11-24 (rule: 2 in 12 "
            "months)");
}

TEST_F(WorkforceServiceTest, SuspensionRuleTrippingPublishesExactlyOneEvent) {
  SetRules(/*upheld=*/2, /*visit=*/true, /*financial=*/true);
  // Another commissioner may not change them.
  v1::SetSuspensionRulesRequest other;
  other.mutable_rules()->set_framework_id(framework_);
  v1::SuspensionRules out;
  auto denied = Call(stub(), MakeCaller(NewUuid(), {Role::kCommissioner}),
                     &Stub::SetSuspensionRules, other, &out);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied.error_message(),
            "only commissioners of the partnership that owns the framework may set its "
            "suspension rules");

  v1::Complaint first = CreateComplaint(DefaultNow() - absl::Hours(48), true);
  v1::Complaint second = CreateComplaint(DefaultNow() - absl::Hours(24), true);
  v1::Complaint not_safeguarding = CreateComplaint(DefaultNow() - absl::Hours(2), false);
  Answer(first, v1::Complaint::UPHELD);
  Answer(not_safeguarding, v1::Complaint::UPHELD);
  EXPECT_THAT(Trips(provider_.org), IsEmpty());
  Answer(second, v1::Complaint::PARTLY_UPHELD);  // the second upheld: the rule trips
  auto trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].rule(), v1::UPHELD_SAFEGUARDING_COMPLAINTS);
  EXPECT_EQ(trips[0].framework_id(), framework_);
  EXPECT_EQ(trips[0].lot_id(), lot_);
  EXPECT_EQ(trips[0].source_id(), second.id());
  EXPECT_EQ(
      trips[0].reason(),
      "2 upheld safeguarding complaints received 2025-11-25 to 2026-11-24 (rule: 2 in 12 months)");
  // The suspension's action plan opens with agreeing it: 10 working days from Tue 24 Nov.
  EXPECT_EQ(trips[0].action_plan_item(),
            "Agree an action plan with timescales with the contract manager and the brokerage "
            "team (automatic suspension: 2 upheld safeguarding complaints received 2025-11-25 to "
            "2026-11-24 (rule: 2 in 12 months))");
  EXPECT_EQ(trips[0].action_plan_due_date().value(), "2026-12-08");

  // A GOOD visit trips nothing; an INADEQUATE one trips once more.
  v1::CreateMonitoringVisitRequest visit;
  visit.mutable_visit()->set_provider_id(provider_.org);
  visit.mutable_visit()->set_framework_id(framework_);
  visit.mutable_visit()->mutable_visit_date()->set_value("2026-11-20");
  visit.mutable_visit()->set_findings(
      "Care records incomplete; two staff files without references");
  visit.mutable_visit()->set_rating(v1::GOOD);
  v1::MonitoringVisit v;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CreateMonitoringVisit, visit, &v).ok());
  EXPECT_EQ(Trips(provider_.org).size(), 1u);
  visit.mutable_visit()->set_rating(v1::INADEQUATE);
  visit.set_request_id(NewUuid());
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CreateMonitoringVisit, visit, &v).ok());
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CreateMonitoringVisit, visit, &v).ok());  // retry
  trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 2u);
  EXPECT_EQ(trips[1].rule(), v1::INADEQUATE_VISIT);
  EXPECT_EQ(trips[1].reason(), "monitoring visit on 2026-11-20 rated INADEQUATE");
  EXPECT_EQ(trips[1].source_id(), v.id());

  // The provider sees the visit; another provider does not.
  v1::ListMonitoringVisitsResponse visits;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListMonitoringVisits,
                   v1::ListMonitoringVisitsRequest(), &visits)
                  .ok());
  EXPECT_EQ(visits.visits_size(), 2);
  ASSERT_TRUE(Call(stub(), other_provider_, &Stub::ListMonitoringVisits,
                   v1::ListMonitoringVisitsRequest(), &visits)
                  .ok());
  EXPECT_EQ(visits.visits_size(), 0);
  // Naming the provider is PERMISSION_DENIED for another provider, on each of its lists.
  v1::ListMonitoringVisitsRequest named_visits;
  named_visits.set_provider_id(provider_.org);
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::ListMonitoringVisits, named_visits, &visits)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListActionPlansRequest named_plans;
  named_plans.set_provider_id(provider_.org);
  v1::ListActionPlansResponse no_plans;
  EXPECT_EQ(
      Call(stub(), other_provider_, &Stub::ListActionPlans, named_plans, &no_plans).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::ListFinancialAccountsRequest named_accounts;
  named_accounts.set_provider_id(provider_.org);
  v1::ListFinancialAccountsResponse no_accounts;
  EXPECT_EQ(
      Call(stub(), other_provider_, &Stub::ListFinancialAccounts, named_accounts, &no_accounts)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListMonitoringVisits, named_visits, &visits).ok());
  EXPECT_EQ(visits.visits_size(), 2);

  // An action plan after the visit; the provider completes an item.
  v1::CreateActionPlanRequest plan;
  plan.mutable_action_plan()->set_provider_id(provider_.org);
  plan.mutable_action_plan()->set_framework_id(framework_);
  plan.mutable_action_plan()->set_visit_id(v.id());
  plan.mutable_action_plan()->set_title("Records and references");
  auto* item = plan.mutable_action_plan()->add_items();
  item->set_description("Obtain the missing references");
  // An item due before today would be born overdue: refused on its due_date, as the
  // registry refuses it in a suspension's plan, and nothing is written.
  item->mutable_due_date()->set_value("2026-11-23");
  const int plans = Rows("action_plans");
  v1::ActionPlan p;
  auto late = Call(stub(), commissioner_, &Stub::CreateActionPlan, plan, &p);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationTexts(late), ElementsAre("action_plan.items[0].due_date: must not be "
                                                "before today (2026-11-24)"));
  EXPECT_EQ(Rows("action_plans"), plans);
  item->mutable_due_date()->set_value("2026-11-24");
  // A new plan's items start open, whatever completed_on the request carries.
  item->mutable_completed_on()->set_value("2026-11-20");
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CreateActionPlan, plan, &p).ok());
  EXPECT_FALSE(p.items(0).has_completed_on()) << p.items(0).completed_on().value();
  EXPECT_FALSE(p.items(0).overdue());
  // A day later the open item is overdue.
  server_->clock().Set(DefaultNow() + absl::Hours(24));
  v1::ListActionPlansRequest mine;
  v1::ListActionPlansResponse listed;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListActionPlans, mine, &listed).ok());
  ASSERT_EQ(listed.action_plans_size(), 1);
  EXPECT_TRUE(listed.action_plans(0).items(0).overdue());
  v1::CompleteActionItemRequest done;
  done.set_id(p.id());
  done.set_etag(p.etag());
  done.set_item_index(0);
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CompleteActionItem, done, &p).ok());
  EXPECT_EQ(p.items(0).completed_on().value(), "2026-11-25");
  EXPECT_FALSE(p.items(0).overdue());
  server_->clock().Set(DefaultNow());

  // Accounts breaching liquidity trip the financial rule.
  v1::RecordFinancialAccountsRequest acc =
      Accounts("2026-03-31", 9000000, 10000000, 700000, 10000000, 2500000);
  v1::FinancialAccounts fa;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::RecordFinancialAccounts, acc, &fa).ok());
  EXPECT_DOUBLE_EQ(fa.liquidity_ratio(), 0.9);
  EXPECT_DOUBLE_EQ(fa.roce_percent(), 7.0);
  EXPECT_THAT(fa.breaches(), ElementsAre(v1::FinancialAccounts::LIQUIDITY));
  trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 3u);
  EXPECT_EQ(trips[2].rule(), v1::FINANCIAL_VIABILITY);
  EXPECT_THAT(trips[2].reason(), HasSubstr("liquidity 0.90"));
  // No personal data in any event.
  for (const auto& t : trips) EXPECT_THAT(t.reason(), ::testing::Not(HasSubstr("Carer")));
}

// Decision 72: an item is completed on a day from the one its plan was made to today, as
// the registry's suspension plans; any other is refused on completed_on, naming both days,
// and nothing is written.
TEST_F(WorkforceServiceTest, AnActionItemIsCompletedFromTheDayThePlanWasMadeToToday) {
  v1::CreateActionPlanRequest plan;
  plan.mutable_action_plan()->set_provider_id(provider_.org);
  plan.mutable_action_plan()->set_framework_id(framework_);
  plan.mutable_action_plan()->set_title("Recruitment checks");
  for (const char* what : {"Renew the DBS checks", "Train the new starters"}) {
    auto* item = plan.mutable_action_plan()->add_items();
    item->set_description(what);
    item->mutable_due_date()->set_value("2026-12-18");
  }
  v1::ActionPlan made;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CreateActionPlan, plan, &made).ok());
  // A week later, on Tuesday 1 December.
  server_->clock().Set(DefaultNow() + absl::Hours(24 * 7));
  v1::CompleteActionItemRequest done;
  done.set_id(made.id());
  done.set_etag(made.etag());
  done.set_item_index(0);
  v1::ActionPlan p;
  for (const char* wrong : {"2020-01-01", "2026-11-23", "2026-12-02"}) {
    done.mutable_completed_on()->set_value(wrong);
    auto st = Call(stub(), provider_, &Stub::CompleteActionItem, done, &p);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << wrong;
    EXPECT_THAT(ViolationTexts(st),
                ElementsAre("completed_on: must be from 2026-11-24 (the day the item was added) "
                            "to today (2026-12-01)"))
        << wrong;
  }
  // Nothing written: the plan is as it was made.
  v1::ListActionPlansResponse listed;
  ASSERT_TRUE(
      Call(stub(), provider_, &Stub::ListActionPlans, v1::ListActionPlansRequest(), &listed).ok());
  ASSERT_EQ(listed.action_plans_size(), 1);
  EXPECT_EQ(listed.action_plans(0).etag(), made.etag());
  EXPECT_FALSE(listed.action_plans(0).items(0).has_completed_on());
  // The day it was made and today are both in the range.
  done.mutable_completed_on()->set_value("2026-11-24");
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CompleteActionItem, done, &p).ok());
  EXPECT_EQ(p.items(0).completed_on().value(), "2026-11-24");
  done.set_etag(p.etag());
  done.set_item_index(1);
  done.mutable_completed_on()->set_value("2026-12-01");
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CompleteActionItem, done, &p).ok());
  EXPECT_EQ(p.items(1).completed_on().value(), "2026-12-01");
  // Done once.
  done.set_etag(p.etag());
  auto twice = Call(stub(), provider_, &Stub::CompleteActionItem, done, &p);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(twice),
              ElementsAre("ACTION_ITEM_STATE action_plan/" + made.id() + "/items/1"));
}

// Decision 72: while a framework's rules were never set (the defaults apply, read back
// with no etag) an etag names no version: ABORTED, nothing written; none sets them. Once
// they exist, theirs is required.
TEST_F(WorkforceServiceTest, TheFirstSetOfSuspensionRulesTakesNoEtag) {
  const int stored = Rows("suspension_rules");
  v1::SetSuspensionRulesRequest req;
  req.mutable_rules()->set_framework_id(framework_);
  req.mutable_rules()->set_suspend_on_inadequate_visit(true);
  v1::SuspensionRules out;
  for (const char* etag : {"5", "1"}) {
    req.mutable_rules()->set_etag(etag);
    auto st = Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED) << etag;
    EXPECT_THAT(st.error_message(), HasSubstr("read them again")) << etag;
  }
  EXPECT_EQ(Rows("suspension_rules"), stored);
  v1::GetSuspensionRulesRequest get;
  get.set_framework_id(framework_);
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::GetSuspensionRules, get, &out).ok());
  EXPECT_TRUE(out.etag().empty());
  EXPECT_FALSE(out.suspend_on_inadequate_visit());

  // What was read (no etag) sets them.
  req.mutable_rules()->clear_etag();
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out).ok());
  EXPECT_EQ(out.etag(), "1");
  EXPECT_TRUE(out.suspend_on_inadequate_visit());
  EXPECT_EQ(Rows("suspension_rules"), stored + 1);
  // Then their etag: required, and current.
  req.mutable_rules()->set_suspend_on_financial_breach(true);
  auto st = Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("rules.etag"));
  req.mutable_rules()->set_etag("5");
  EXPECT_EQ(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out).error_code(),
            grpc::StatusCode::ABORTED);
  req.mutable_rules()->set_etag("1");
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out).ok());
  EXPECT_EQ(out.etag(), "2");
  EXPECT_TRUE(out.suspend_on_financial_breach());
}

// A rule number left 0 reads back as what applies: the defaults filled in (window 12
// months, the plan's first item 10 working days), an "off" as 0; Get agrees with Set.
TEST_F(WorkforceServiceTest, UnsetRuleNumbersReadBackAsTheValuesThatApply) {
  v1::SetSuspensionRulesRequest req;
  req.mutable_rules()->set_framework_id(framework_);
  req.mutable_rules()->set_complaint_window_months(0);
  req.mutable_rules()->set_action_plan_due_working_days(0);
  v1::SuspensionRules set;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &set).ok());
  EXPECT_EQ(set.complaint_window_months(), 12);
  EXPECT_EQ(set.action_plan_due_working_days(), 10);
  EXPECT_EQ(set.upheld_safeguarding_complaints(), 0);
  EXPECT_EQ(set.min_trained_staff_percent(), 0);
  EXPECT_EQ(set.complaint_answer_working_days(), 15);
  EXPECT_EQ(set.turnover_target_percent(), 0);  // none (decision 63)
  v1::GetSuspensionRulesRequest get;
  get.set_framework_id(framework_);
  v1::SuspensionRules got;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetSuspensionRules, get, &got).ok());
  EXPECT_EQ(got.complaint_window_months(), 12);
  EXPECT_EQ(got.action_plan_due_working_days(), 10);
  EXPECT_EQ(got.complaint_answer_working_days(), 15);
  EXPECT_EQ(got.turnover_target_percent(), 0);
  // Values given are kept as given.
  req.mutable_rules()->set_etag(set.etag());
  req.mutable_rules()->set_complaint_window_months(6);
  req.mutable_rules()->set_action_plan_due_working_days(5);
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &set).ok());
  EXPECT_EQ(set.complaint_window_months(), 6);
  EXPECT_EQ(set.action_plan_due_working_days(), 5);
  // Back to unset: the defaults again, never a 0 that would read as "no time".
  req.mutable_rules()->set_etag(set.etag());
  req.mutable_rules()->clear_complaint_window_months();
  req.mutable_rules()->clear_action_plan_due_working_days();
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &set).ok());
  EXPECT_EQ(set.complaint_window_months(), 12);
  EXPECT_EQ(set.action_plan_due_working_days(), 10);
}

// Decision 60: a framework's own complaint answer period, counted across a bank holiday
// and a weekend, fixed when each complaint is recorded; the default where none is set.
TEST_F(WorkforceServiceTest, AFrameworksOwnComplaintPeriodIsFixedWhenTheComplaintIsRecorded) {
  // No rules: the default 15 working days. Friday 22 May 2026 in hours: the weekend and
  // Spring bank holiday Monday 25 May are skipped; day 1 is Tuesday 26 May, day 15 is
  // Monday 15 June.
  server_->clock().Set(London(2026, 5, 22, 11, 0));
  v1::Complaint before = CreateComplaint(London(2026, 5, 22, 10, 0), false);
  EXPECT_EQ(before.answer_working_days(), 15);
  EXPECT_EQ(protoutil::FromTimestamp(before.answer_due_time()), London(2026, 6, 15, 17, 0));

  v1::SuspensionRules rules = SetTargets(10, 0);
  EXPECT_EQ(rules.complaint_answer_working_days(), 10);
  EXPECT_EQ(rules.turnover_target_percent(), 0);  // not given: none
  // Ten working days from the same Friday: Monday 8 June (a second weekend between).
  v1::Complaint ten = CreateComplaint(London(2026, 5, 22, 10, 30), false);
  EXPECT_EQ(ten.answer_working_days(), 10);
  EXPECT_EQ(protoutil::FromTimestamp(ten.answer_due_time()), London(2026, 6, 8, 17, 0));

  // A later change moves no deadline already given.
  EXPECT_EQ(SetTargets(20, 0).complaint_answer_working_days(), 20);
  for (const v1::Complaint& c : {before, ten}) {
    v1::GetComplaintRequest get;
    get.set_id(c.id());
    v1::Complaint now;
    ASSERT_TRUE(Call(stub(), provider_, &Stub::GetComplaint, get, &now).ok());
    EXPECT_EQ(now.answer_working_days(), c.answer_working_days());
    EXPECT_EQ(protoutil::FromTimestamp(now.answer_due_time()),
              protoutil::FromTimestamp(c.answer_due_time()));
  }
  // The overdue list follows the stored deadline: on 9 June only the 10-day one is late.
  server_->clock().Set(London(2026, 6, 9, 9, 0));
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue_only(true);
  v1::ListComplaintsResponse page;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListComplaints, overdue, &page).ok());
  ASSERT_EQ(page.complaints_size(), 1);
  EXPECT_EQ(page.complaints(0).id(), ten.id());
}

// Bounds, and who may set the targets: as for every suspension rule.
TEST_F(WorkforceServiceTest, TargetsOutOfBoundsOrFromTheWrongCallerWriteNothing) {
  const int stored = Rows("suspension_rules");
  v1::SetSuspensionRulesRequest req;
  req.mutable_rules()->set_framework_id(framework_);
  req.mutable_rules()->set_complaint_answer_working_days(61);
  req.mutable_rules()->set_turnover_target_percent(101);
  v1::SuspensionRules out;
  auto st = Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st),
              ElementsAre("rules.complaint_answer_working_days", "rules.turnover_target_percent"));
  req.mutable_rules()->set_complaint_answer_working_days(-1);
  req.mutable_rules()->set_turnover_target_percent(-5);
  st = Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &out);
  EXPECT_THAT(ViolationTexts(st),
              ElementsAre("rules.complaint_answer_working_days: must be from 0 to 60",
                          "rules.turnover_target_percent: must be from 0 to 100"));
  EXPECT_EQ(Rows("suspension_rules"), stored);

  // Good values, from the framework's provider or another partnership's commissioner.
  req.mutable_rules()->set_complaint_answer_working_days(10);
  req.mutable_rules()->set_turnover_target_percent(8);
  st = Call(stub(), provider_, &Stub::SetSuspensionRules, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  Commissioned elsewhere = Commission(*world_, "Care " + NewUuid().substr(0, 8));
  st = Call(stub(), elsewhere.commissioner, &Stub::SetSuspensionRules, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  EXPECT_EQ(Rows("suspension_rules"), stored);
  v1::GetSuspensionRulesRequest get;
  get.set_framework_id(framework_);
  // None set: they read back as the defaults that apply, with no etag and no owner.
  auto read = Call(stub(), provider_, &Stub::GetSuspensionRules, get, &out);
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(out.framework_id(), framework_);
  EXPECT_TRUE(out.etag().empty());
  EXPECT_TRUE(out.owner_organisation_id().empty());
  EXPECT_EQ(out.complaint_answer_working_days(), 15);
  EXPECT_EQ(out.complaint_window_months(), 12);
  EXPECT_EQ(out.action_plan_due_working_days(), 10);
  EXPECT_EQ(out.trained_staff_induction_weeks(), 12);
  EXPECT_EQ(out.turnover_target_percent(), 0);
  EXPECT_FALSE(out.suspend_on_inadequate_visit());
  EXPECT_EQ(out.upheld_safeguarding_complaints(), 0);
  // A framework the registry does not know is NOT_FOUND.
  get.set_framework_id(NewUuid());
  EXPECT_EQ(Call(stub(), provider_, &Stub::GetSuspensionRules, get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A complaint about the framework still gets the default.
  EXPECT_EQ(CreateComplaint(DefaultNow() - absl::Hours(1), false).answer_working_days(), 15);
}

// Derby's mandatory training target (seed 004 Appendix A 2 iii): the sweep measures each
// provider ACTIVE on the framework (the registry's admissions) against the lot's matrix.
TEST_F(WorkforceServiceTest, TrainedStaffBelowTheFrameworksTargetTripsOncePerQuarter) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  v1::StaffMember trained = CreateStaff(provider_, SampleStaff("Tia Trained"));
  Train(provider_, trained.id(), "first_aid", "2026-02-01");
  Train(provider_, trained.id(), "safeguarding_level_2", "2026-02-01");
  v1::StaffMember half = CreateStaff(provider_, SampleStaff("Hugo Halfway"));
  Train(provider_, half.id(), "first_aid", "2026-02-01");
  // A provider with no admission on the framework is not measured.
  CreateStaff(other_provider_, SampleStaff("Una Unadmitted"));

  v1::SetSuspensionRulesRequest req;
  req.mutable_rules()->set_framework_id(framework_);
  req.mutable_rules()->set_min_trained_staff_percent(101);
  v1::SuspensionRules rules;
  auto st = Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &rules);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("rules.min_trained_staff_percent"));
  req.mutable_rules()->set_min_trained_staff_percent(90);
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &rules).ok());
  EXPECT_EQ(rules.min_trained_staff_percent(), 90);

  auto sweep = [&] { return SweepTrainedStaff(); };
  EXPECT_EQ(sweep(), 1);  // 1 of 2 = 50 % < 90 %
  EXPECT_EQ(sweep(), 0);  // once a quarter
  auto trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].rule(), v1::TRAINED_STAFF_BELOW_TARGET);
  EXPECT_EQ(trips[0].lot_id(), lot_);
  EXPECT_EQ(trips[0].reason(),
            "1 of 2 staff in post (50.0 %) have the lot's mandatory training in date on "
            "2026-11-24 (rule: at least 90 %)");
  EXPECT_THAT(Trips(other_provider_.org), IsEmpty());

  // Trained in time for the next quarter: measured again, nothing trips.
  Train(provider_, half.id(), "safeguarding_level_2", "2026-11-24");
  server_->clock().Set(London(2027, 1, 5, 10, 0));
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(Trips(provider_.org).size(), 1u);
}

// Decision 62 (audit D2): a new starter untrained on its first day does not suspend its
// provider; one still untrained 13 weeks on, past the 12-week induction, does.
TEST_F(WorkforceServiceTest, ANewStarterInItsInductionDoesNotTripTheTrainedStaffRule) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  v1::SetSuspensionRulesRequest req;
  req.mutable_rules()->set_framework_id(framework_);
  req.mutable_rules()->set_min_trained_staff_percent(90);
  v1::SuspensionRules rules;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, req, &rules).ok());
  EXPECT_EQ(rules.trained_staff_induction_weeks(), 12);  // unset: the default, read back

  // The sweep measures every framework with the rule in the database, other tests'
  // too, so what it returns is not counted here: the provider's trips are.
  auto sweep = [&] { SweepTrainedStaff(); };
  // The provider's only worker started today (Tuesday 24 November) with no training.
  v1::StaffMember starter = SampleStaff("Nia Newstart");
  starter.mutable_start_date()->set_value("2026-11-24");
  CreateStaff(provider_, starter);
  sweep();
  EXPECT_THAT(Trips(provider_.org), IsEmpty());
  // Still untrained on its 84th day (Monday 15 February 2027), the last of its 12 weeks.
  server_->clock().Set(London(2027, 2, 15, 10, 0));
  sweep();
  EXPECT_THAT(Trips(provider_.org), IsEmpty());
  // Still untrained 13 weeks on (Tuesday 23 February): measured, and below the target.
  server_->clock().Set(London(2027, 2, 23, 10, 0));
  sweep();
  auto trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].rule(), v1::TRAINED_STAFF_BELOW_TARGET);
  EXPECT_EQ(trips[0].reason(),
            "0 of 1 staff in post (0.0 %) have the lot's mandatory training in date on "
            "2027-02-23 (rule: at least 90 %)");
}

// Decision 0063 (audit D1): a matrix's DBS status check (Lewisham's 6-monthly) is watched
// and measured by the return, and the gate does not refuse on it.
TEST_F(WorkforceServiceTest, ADbsStatusCheckIsWatchedAndMeasuredButDoesNotBar) {
  grpc::Status refused;
  CreateMatrix(commissioner_, "2026-01-01", 12, &refused, {}, 37);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(refused), ElementsAre("training_matrix.dbs_check_months"));
  v1::TrainingMatrix m = CreateMatrix(commissioner_, "2026-01-01", 12, nullptr, {}, 6);
  EXPECT_EQ(m.dbs_check_months(), 6);
  EXPECT_EQ(m.dbs_renewal_months(), 0);  // the gate's 36 months (default)
  // Certificate 1 December 2024, never checked since: the check fell due on 1 June 2025.
  v1::StaffMember unchecked = CreateStaff(provider_, SampleStaff("Una Unchecked"));
  v1::StaffMember s = SampleStaff("Cal Checked");
  s.mutable_dbs()->mutable_status_check_date()->set_value("2026-10-01");  // due 2027-04-01
  v1::StaffMember checked = CreateStaff(provider_, s);
  for (const auto& w : {unchecked, checked}) {
    Train(provider_, w.id(), "first_aid", "2026-01-10");
    Train(provider_, w.id(), "safeguarding_level_2", "2026-01-10");
    EXPECT_TRUE(Check(provider_, w.id(), "2026-11-24").eligible()) << w.display_name();
  }
  // A status check dated after today is refused.
  v1::StaffMember future = SampleStaff("Fay Future");
  future.mutable_dbs()->mutable_status_check_date()->set_value("2026-11-25");
  v1::CreateStaffMemberRequest create;
  *create.mutable_staff_member() = future;
  v1::StaffMember out;
  auto st = Call(stub(), provider_, &Stub::CreateStaffMember, create, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("staff_member.dbs.status_check_date"));

  v1::ListExpiriesRequest req;
  req.set_lot_id(lot_);
  req.set_within_days(180);
  v1::ListExpiriesResponse page;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListExpiries, req, &page).ok());
  std::map<std::string, std::pair<std::string, bool>> due;
  for (const auto& e : page.items()) {
    if (e.kind() == v1::ExpiryItem::DBS_CHECK)
      due[e.staff_id()] = {e.due_date().value(), e.lapsed()};
  }
  EXPECT_EQ(due[unchecked.id()], std::make_pair(std::string("2025-06-01"), true));
  EXPECT_EQ(due[checked.id()], std::make_pair(std::string("2027-04-01"), false));
  // Without a lot no matrix applies, and no check is asked for.
  req.clear_lot_id();
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListExpiries, req, &page).ok());
  for (const auto& e : page.items()) EXPECT_NE(e.kind(), v1::ExpiryItem::DBS_CHECK);

  // The return for the lot counts the overdue check against DBS compliance: 1 of 2.
  v1::GetWorkforceReturnRequest ret;
  ret.set_quarter("2026-Q4");
  ret.set_lot_id(lot_);
  v1::WorkforceReturn r;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetWorkforceReturn, ret, &r).ok());
  EXPECT_DOUBLE_EQ(r.dbs_compliance_percent(), 50.0);
  EXPECT_EQ(r.dbs_check_months(), 6);
  EXPECT_EQ(r.dbs_renewal_months(), 36);
  EXPECT_THAT(r.period_lot_ids(), ElementsAre(lot_));
  // Provider-wide: the provider is admitted to the lot (the registry says so, though no
  // staff record names it), so the lot's check applies to all its staff (decision 0068,
  // audit D4): the strictest periods of its lots, named.
  ret.clear_lot_id();
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetWorkforceReturn, ret, &r).ok());
  EXPECT_DOUBLE_EQ(r.dbs_compliance_percent(), 50.0);
  EXPECT_EQ(r.dbs_check_months(), 6);
  EXPECT_EQ(r.supervision_interval_months(), 3);
  EXPECT_THAT(r.period_lot_ids(), ElementsAre(lot_));
  // A provider admitted nowhere gets the defaults. It cannot label its staff with a lot it
  // does not work on (decision 73), and its labels would tighten nothing anyway.
  v1::CreateStaffMemberRequest labelled;
  *labelled.mutable_staff_member() = SampleStaff("Lou Labelled");
  labelled.mutable_staff_member()->add_lot_ids(lot_);
  v1::StaffMember not_labelled;
  EXPECT_EQ(
      Call(stub(), other_provider_, &Stub::CreateStaffMember, labelled, &not_labelled).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  CreateStaff(other_provider_, SampleStaff("Lou Labelled"));
  ASSERT_TRUE(Call(stub(), other_provider_, &Stub::GetWorkforceReturn, ret, &r).ok());
  EXPECT_EQ(r.dbs_check_months(), 0);
  EXPECT_EQ(r.supervision_interval_months(), 3);
  EXPECT_THAT(r.period_lot_ids(), ElementsAre());
  EXPECT_DOUBLE_EQ(r.dbs_compliance_percent(), 100.0);
}

// ------------------------------------------------------------------ returns ---

TEST_F(WorkforceServiceTest, QuarterlyReturnAgainstHandComputedFigures) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  auto staff = [&](const char* name, const char* start, const char* leave, const char* dbs,
                   const char* supervised) {
    v1::StaffMember s = SampleStaff(name);
    s.mutable_start_date()->set_value(start);
    if (leave != nullptr) s.mutable_leave_date()->set_value(leave);
    s.mutable_dbs()->mutable_certificate_date()->set_value(dbs);
    s.mutable_dbs()->mutable_barred_list_check_date()->set_value(dbs);
    s.mutable_last_supervision_date()->set_value(supervised);
    return CreateStaff(provider_, s);
  };
  // 2026-Q3: 1 July - 30 September.
  auto a = staff("A", "2024-01-01", nullptr, "2024-01-01", "2026-09-01");
  auto b = staff("B", "2024-01-01", "2026-08-31", "2024-01-01", "2026-08-01");  // leaver
  auto c = staff("C", "2024-01-01", nullptr, "2023-09-01",
                 "2026-05-01");  // DBS to 2026-09-01; supervision due 1 Aug
  auto d = staff("D", "2026-08-03", nullptr, "2026-07-20", "2026-08-03");  // starter
  staff("E", "2026-10-01", nullptr, "2026-09-01", "2026-10-01");           // after the quarter
  for (const auto& s : {a, b, c}) {
    Train(provider_, s.id(), "first_aid", "2026-01-10");
    Train(provider_, s.id(), "safeguarding_level_2", "2026-01-10");
  }
  Train(provider_, d.id(), "first_aid", "2026-08-03");  // D: no safeguarding yet
  // Complaints through the quarter, each answered (or not) when the clock says.
  server_->clock().Set(London(2026, 7, 6, 10, 0));
  v1::Complaint early = CreateComplaint(London(2026, 7, 6, 9, 0), false);  // due 27 July
  server_->clock().Set(London(2026, 7, 20, 10, 0));
  Answer(early, v1::Complaint::UPHELD);  // in time, upheld
  server_->clock().Set(London(2026, 8, 3, 10, 0));
  CreateComplaint(London(2026, 8, 3, 9, 0), false);  // due 24 August, never answered
  server_->clock().Set(London(2026, 9, 29, 10, 0));
  CreateComplaint(London(2026, 9, 29, 9, 0), true);  // not due before the quarter closes
  server_->clock().Set(DefaultNow());
  v1::GetWorkforceReturnRequest req;
  req.set_quarter("2026-Q3");
  req.set_lot_id(lot_);
  v1::WorkforceReturn r;
  auto st = Call(stub(), provider_, &Stub::GetWorkforceReturn, req, &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.period_start().value(), "2026-07-01");
  EXPECT_EQ(r.period_end().value(), "2026-09-30");
  EXPECT_EQ(r.headcount_start(), 3);  // A B C
  EXPECT_EQ(r.starters(), 1);         // D
  EXPECT_EQ(r.leavers(), 1);          // B
  EXPECT_EQ(r.headcount_end(), 3);    // A C D
  EXPECT_DOUBLE_EQ(r.average_headcount(), 3.0);
  EXPECT_DOUBLE_EQ(r.turnover_percent(), 100.0 / 3.0);
  EXPECT_FALSE(r.turnover_within_target());
  EXPECT_DOUBLE_EQ(r.dbs_compliance_percent(), 200.0 / 3.0);          // A D
  EXPECT_DOUBLE_EQ(r.supervision_compliance_percent(), 200.0 / 3.0);  // A D
  // A and C; D (started 3 August, untrained) is in its first 12 weeks on 30 September
  // and not measured (decision 62).
  EXPECT_DOUBLE_EQ(r.training_compliance_percent(), 100.0);
  EXPECT_EQ(r.complaints_received(), 3);
  EXPECT_EQ(r.complaints_answered(), 1);
  EXPECT_EQ(r.complaints_answered_in_time(), 1);
  EXPECT_EQ(r.complaints_upheld(), 1);
  EXPECT_EQ(r.complaints_overdue_at_end(), 1);
  // The quarter in progress counts up to now: a complaint due in December is not overdue.
  CreateComplaint(London(2026, 11, 20, 9, 0), false);
  v1::GetWorkforceReturnRequest current = req;
  current.set_quarter("2026-Q4");
  v1::WorkforceReturn now_r;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetWorkforceReturn, current, &now_r).ok());
  EXPECT_EQ(now_r.complaints_received(), 1);
  EXPECT_EQ(now_r.complaints_overdue_at_end(), 2);  // due 24 August and in October, open
  // ...and its workforce to date: period_end is today; E, who started on 1 October, is
  // a starter so far.
  EXPECT_EQ(now_r.period_start().value(), "2026-10-01");
  EXPECT_EQ(now_r.period_end().value(), "2026-11-24");
  EXPECT_EQ(now_r.starters(), 1);
  EXPECT_EQ(now_r.headcount_end(), 4);  // A C D E
  // A quarter that has not started has nothing to count: refused on quarter, as a
  // future capacity-return month is in the registry; so is one left empty.
  for (const char* future : {"2027-Q1", "2030-Q1"}) {
    v1::GetWorkforceReturnRequest ahead = req;
    ahead.set_quarter(future);
    v1::WorkforceReturn none;
    st = Call(stub(), provider_, &Stub::GetWorkforceReturn, ahead, &none);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << future;
    EXPECT_THAT(ViolationTexts(st), ElementsAre("quarter: must not be in the future")) << future;
    EXPECT_FALSE(none.has_period_start());
  }
  v1::GetWorkforceReturnRequest unset = req;
  unset.clear_quarter();
  EXPECT_THAT(ViolationTexts(Call(stub(), provider_, &Stub::GetWorkforceReturn, unset, &now_r)),
              ElementsAre("quarter: is required"));
  // Another provider's return is its own (empty) workforce.
  ASSERT_TRUE(Call(stub(), other_provider_, &Stub::GetWorkforceReturn, req, &r).ok());
  EXPECT_EQ(r.headcount_end(), 0);
  EXPECT_EQ(r.turnover_percent(), 0.0);
  // ...and it may not ask for this provider's.
  req.set_provider_id(provider_.org);
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::GetWorkforceReturn, req, &r).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetWorkforceReturnRequest lotless = req;
  lotless.clear_lot_id();
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::GetWorkforceReturn, lotless, &r).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The framework's commissioner reads the same figures (counts only); another
  // partnership's may not; a commissioner must name the provider and the lot.
  v1::WorkforceReturn theirs;
  st = Call(stub(), commissioner_, &Stub::GetWorkforceReturn, req, &theirs);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(theirs.provider_id(), provider_.org);
  EXPECT_EQ(theirs.headcount_end(), 3);
  EXPECT_DOUBLE_EQ(theirs.training_compliance_percent(), 100.0);
  EXPECT_EQ(theirs.complaints_received(), 3);  // all about this lot's framework
  EXPECT_EQ(theirs.complaints_overdue_at_end(), 1);
  EXPECT_EQ(Call(stub(), MakeCaller(NewUuid(), {Role::kCommissioner}), &Stub::GetWorkforceReturn,
                 req, &theirs)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetWorkforceReturnRequest unnamed;
  unnamed.set_quarter("2026-Q3");
  st = Call(stub(), commissioner_, &Stub::GetWorkforceReturn, unnamed, &theirs);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("provider_id"));
  unnamed.set_provider_id(provider_.org);
  st = Call(stub(), commissioner_, &Stub::GetWorkforceReturn, unnamed, &theirs);
  EXPECT_THAT(ViolationFields(st), ElementsAre("lot_id"));
}

// Decision 60: a return for a lot is judged against its framework's turnover target; one
// without a lot, against the default.
TEST_F(WorkforceServiceTest, TurnoverAgainstTheLotsFrameworkTarget) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  // 2026-Q3: twelve in post on 1 July, one leaves on 14 August. Start 12, end 11,
  // average 11.5, turnover 1 / 11.5 = 8.70 %.
  for (int i = 0; i < 12; ++i) {
    v1::StaffMember s = SampleStaff(absl::StrCat("Worker ", i));
    s.mutable_start_date()->set_value("2024-01-01");
    if (i == 0) s.mutable_leave_date()->set_value("2026-08-14");
    CreateStaff(provider_, s);
  }
  v1::GetWorkforceReturnRequest req;
  req.set_quarter("2026-Q3");
  req.set_lot_id(lot_);
  req.set_provider_id(provider_.org);
  auto read = [&](const Caller& who, const v1::GetWorkforceReturnRequest& r) {
    v1::WorkforceReturn out;
    auto st = Call(stub(), who, &Stub::GetWorkforceReturn, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  // No rules yet: no target, and no verdict (decision 63).
  v1::WorkforceReturn r = read(commissioner_, req);
  EXPECT_EQ(r.headcount_start(), 12);
  EXPECT_EQ(r.headcount_end(), 11);
  EXPECT_DOUBLE_EQ(r.turnover_percent(), 100.0 / 11.5);
  EXPECT_EQ(r.turnover_target_percent(), 0);
  EXPECT_FALSE(r.turnover_within_target());
  // Southwark's 5 %, set as its seed states it: 8.70 % is over it.
  EXPECT_EQ(SetTargets(0, 5).turnover_target_percent(), 5);
  r = read(commissioner_, req);
  EXPECT_EQ(r.turnover_target_percent(), 5);
  EXPECT_FALSE(r.turnover_within_target());

  // The framework's commissioners set 9 %: within it.
  EXPECT_EQ(SetTargets(0, 9).turnover_target_percent(), 9);
  r = read(commissioner_, req);
  EXPECT_EQ(r.turnover_target_percent(), 9);
  EXPECT_TRUE(r.turnover_within_target());
  v1::GetWorkforceReturnRequest own = req;
  own.clear_provider_id();
  r = read(provider_, own);  // the provider's own, for the lot: the same target
  EXPECT_EQ(r.turnover_target_percent(), 9);
  EXPECT_TRUE(r.turnover_within_target());
  // 8 %: over it.
  SetTargets(0, 8);
  r = read(commissioner_, req);
  EXPECT_EQ(r.turnover_target_percent(), 8);
  EXPECT_FALSE(r.turnover_within_target());

  // Without a lot the return spans every framework: no one commissioner's target, so
  // none, whatever this framework's.
  own.clear_lot_id();
  SetTargets(0, 20);
  r = read(provider_, own);
  EXPECT_DOUBLE_EQ(r.turnover_percent(), 100.0 / 11.5);
  EXPECT_EQ(r.turnover_target_percent(), 0);
  EXPECT_FALSE(r.turnover_within_target());
}

// ----------------------------------------------------------------- packages ---

class PackageTest : public WorkforceServiceTest {
 protected:
  // A package awarded to provider_ on lot_ that needs seizure management.
  // Funded by the council alone unless `funders` says otherwise.
  std::string AwardPackage(const std::string& start = "2026-11-02", bool extras = true,
                           std::vector<std::string> funders = {}) {
    pdps::referrals::v1::ReferralAwarded a;
    a.set_referral_id(NewUuid());
    a.set_provider_id(provider_.org);
    a.set_framework_id(framework_);
    a.set_lot_id(lot_);
    a.set_partnership_id(NewUuid());
    if (extras) a.add_extra_competencies("seizure_management");
    if (funders.empty()) funders = {commissioner_.org};
    for (const auto& funder : funders) {
      auto* share = a.add_funding();
      share->set_organisation_id(funder);
      share->set_share_basis_points(10000 / static_cast<int>(funders.size()));
    }
    a.mutable_start_date()->set_value(start);
    protoutil::SetTimestamp(DefaultNow(), a.mutable_award_time());
    server_->Award(a);
    server_->Award(a);  // a replayed event changes nothing
    return a.referral_id();
  }
  // The lot's matrix from 2026, and the framework's rule on ineligible named workers.
  void TurnOnTheNamedWorkerRule() {
    CreateMatrix(commissioner_, "2026-01-01", 12);
    v1::SetSuspensionRulesRequest rules;
    rules.mutable_rules()->set_framework_id(framework_);
    rules.mutable_rules()->set_suspend_on_ineligible_package_worker(true);
    v1::SuspensionRules set;
    ASSERT_TRUE(Call(stub(), commissioner_, &Stub::SetSuspensionRules, rules, &set).ok());
    EXPECT_TRUE(set.suspend_on_ineligible_package_worker());
  }
  // A compliant worker for the package (seizure management done).
  v1::StaffMember Compliant(const char* name) {
    v1::StaffMember s = CreateStaff(provider_, SampleStaff(name));
    Train(provider_, s.id(), "first_aid", "2025-02-01");
    Train(provider_, s.id(), "safeguarding_level_2", "2025-12-01");
    Train(provider_, s.id(), "seizure_management", "2026-03-01");
    return s;
  }
  grpc::Status Assign(const Caller& who, const std::string& package, const std::string& staff,
                      v1::PackageAssignment* out, const char* from = "") {
    v1::CreatePackageAssignmentRequest req;
    req.mutable_assignment()->set_package_id(package);
    req.mutable_assignment()->set_staff_id(staff);
    if (*from != 0) req.mutable_assignment()->mutable_from_date()->set_value(from);
    return Call(stub(), who, &Stub::CreatePackageAssignment, req, out);
  }
  grpc::Status Workers(const Caller& who, const std::string& package,
                       v1::ListPackageWorkersResponse* out, bool include_ended = false,
                       const char* day = "") {
    v1::ListPackageWorkersRequest req;
    req.set_package_id(package);
    req.set_include_ended(include_ended);
    if (*day != 0) req.mutable_date()->set_value(day);
    return Call(stub(), who, &Stub::ListPackageWorkers, req, out);
  }
};

TEST_F(PackageTest, NamedWorkersPassTheGateAndOnlyThePackagesPartiesSeeThem) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  const std::string package = AwardPackage();
  EXPECT_EQ(server_->db().Query(absl::StrCat(
                "SELECT count(*)::text AS v FROM workforce.packages WHERE id = '", package, "'")),
            std::vector<std::string>{"1"});
  v1::StaffMember ok = Compliant("Fay Named");
  v1::StaffMember missing = CreateStaff(provider_, SampleStaff("Gil Untrained"));
  Train(provider_, missing.id(), "first_aid", "2025-02-01");
  Train(provider_, missing.id(), "safeguarding_level_2", "2025-12-01");
  v1::StaffMember theirs = CreateStaff(other_provider_, SampleStaff("Hal Elsewhere"));

  v1::PackageAssignment a;
  ASSERT_TRUE(Assign(provider_, package, ok.id(), &a).ok());
  EXPECT_EQ(a.from_date().value(), "2026-11-24");
  EXPECT_FALSE(a.etag().empty());

  // Refusals, each writing nothing.
  int before = Rows("package_assignments");
  v1::PackageAssignment no;
  auto st = Assign(provider_, package, missing.id(), &no);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("COMPETENCY_MISSING seizure_management"));
  // The same reasons, for a program: google.rpc.PreconditionFailure.
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("COMPETENCY_MISSING seizure_management"));
  st = Assign(provider_, package, ok.id(), &no);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // And the assignment already there, for a program: google.rpc.ResourceInfo.
  EXPECT_EQ(registry::testing::ResourceInfoOf(st), "pdps.workforce.v1.PackageAssignment " + a.id());
  EXPECT_EQ(Assign(provider_, package, theirs.id(), &no).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Assign(other_provider_, package, theirs.id(), &no).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Assign(provider_, NewUuid(), ok.id(), &no).error_code(), grpc::StatusCode::NOT_FOUND);
  st = Assign(provider_, package, Compliant("Ivy Early").id(), &no, "2026-10-01");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(st.error_message(), HasSubstr("the package starts on 2026-11-02"));
  EXPECT_THAT(registry::testing::PreconditionViolations(st),
              ElementsAre("OUTSIDE_PACKAGE_DATES package/" + package));
  EXPECT_EQ(Assign(provider_, "not-a-uuid", "", &no).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Assign(commissioner_, package, ok.id(), &no).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Rows("package_assignments"), before);

  // The package's commissioner sees the name, the role and the gate's answer only.
  v1::ListPackageWorkersResponse seen;
  ASSERT_TRUE(Workers(commissioner_, package, &seen).ok());
  ASSERT_EQ(seen.workers_size(), 1);
  EXPECT_EQ(seen.workers(0).display_name(), "Fay Named");
  EXPECT_EQ(seen.workers(0).role(), "Support worker");
  EXPECT_TRUE(seen.workers(0).eligible());
  std::string wire = protoutil::ToJson(seen);
  for (const char* personal : {"Polish", "001234567890", "female", "Senior", "2024-12-01"}) {
    EXPECT_THAT(wire, Not(HasSubstr(personal))) << personal;
  }
  // A worker who starts later is listed now and judged on their first day: Fay's yearly
  // safeguarding (2025-12-01) would have lapsed by then, so the gate refuses her.
  EXPECT_EQ(Assign(provider_, package, Compliant("Kit Later").id(), &no, "2026-12-10").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::StaffMember later = CreateStaff(provider_, SampleStaff("Lou Later"));
  Train(provider_, later.id(), "first_aid", "2025-02-01");
  Train(provider_, later.id(), "safeguarding_level_2", "2026-06-01");
  Train(provider_, later.id(), "seizure_management", "2026-06-01");
  v1::PackageAssignment upcoming;
  ASSERT_TRUE(Assign(provider_, package, later.id(), &upcoming, "2026-12-10").ok());
  ASSERT_TRUE(Workers(commissioner_, package, &seen).ok());
  ASSERT_EQ(seen.workers_size(), 2);
  EXPECT_EQ(seen.workers(1).display_name(), "Lou Later");
  EXPECT_EQ(seen.workers(1).from_date().value(), "2026-12-10");
  EXPECT_TRUE(seen.workers(1).eligible());
  // Another provider, and a caller of neither side, learn nothing.
  EXPECT_EQ(Workers(other_provider_, package, &seen).error_code(), grpc::StatusCode::NOT_FOUND);
  // Nor does the partnership's NHS member, which does not fund this package; the
  // partnership's brokerage officers, who placed it, do see it.
  const Caller& nhs = scene_.nhs_commissioner;
  EXPECT_EQ(Workers(nhs, package, &seen).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Workers(MakeCaller(nhs.org, {Role::kBrokerageOfficer}), package, &seen).ok());
  // On a package both fund, both commissioners see the workers.
  const std::string shared = AwardPackage("2026-11-02", true, {commissioner_.org, nhs.org});
  v1::PackageAssignment on_shared;
  ASSERT_TRUE(Assign(provider_, shared, later.id(), &on_shared, "2026-12-10").ok());
  ASSERT_TRUE(Workers(nhs, shared, &seen).ok());
  EXPECT_EQ(seen.workers_size(), 1);
  v1::GetPackageRequest get;
  get.set_id(package);
  v1::Package pkg;
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::GetPackage, get, &pkg).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetPackage, get, &pkg).ok());
  EXPECT_THAT(pkg.extra_competencies(), ElementsAre("seizure_management"));
  EXPECT_EQ(pkg.lot_id(), lot_);
  // The gate by package: its lot and extras, for the package's provider only.
  v1::CheckWorkerEligibilityRequest by_package;
  by_package.set_staff_id(missing.id());
  by_package.set_package_id(package);
  v1::CheckWorkerEligibilityResponse gate;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::CheckWorkerEligibility, by_package, &gate).ok());
  EXPECT_FALSE(gate.eligible());
  ASSERT_EQ(gate.reasons_size(), 1);
  EXPECT_EQ(gate.reasons(0).competency_code(), "seizure_management");
  by_package.set_staff_id(theirs.id());
  EXPECT_EQ(
      Call(stub(), other_provider_, &Stub::CheckWorkerEligibility, by_package, &gate).error_code(),
      grpc::StatusCode::NOT_FOUND);
  // A service asking about another provider's worker on this package: not the package's.
  EXPECT_EQ(
      Call(stub(), ServiceCaller(), &Stub::CheckWorkerEligibility, by_package, &gate).error_code(),
      grpc::StatusCode::NOT_FOUND);
  by_package.set_provider_id(other_provider_.org);
  EXPECT_EQ(
      Call(stub(), ServiceCaller(), &Stub::CheckWorkerEligibility, by_package, &gate).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  by_package.clear_provider_id();
  by_package.set_staff_id(missing.id());
  ASSERT_TRUE(Call(stub(), ServiceCaller(), &Stub::CheckWorkerEligibility, by_package, &gate).ok());
  EXPECT_FALSE(gate.eligible());
  by_package.set_lot_id(NewUuid());
  EXPECT_EQ(Call(stub(), provider_, &Stub::CheckWorkerEligibility, by_package, &gate).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Providers list their own packages only.
  v1::ListPackagesRequest lp;
  v1::ListPackagesResponse listed;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListPackages, lp, &listed).ok());
  ASSERT_EQ(listed.packages_size(), 2);  // by start date, then id
  EXPECT_THAT((std::vector<std::string>{listed.packages(0).id(), listed.packages(1).id()}),
              UnorderedElementsAre(package, shared));
  ASSERT_TRUE(Call(stub(), other_provider_, &Stub::ListPackages, lp, &listed).ok());
  EXPECT_EQ(listed.packages_size(), 0);
  lp.set_provider_id(provider_.org);  // a provider may name itself, not another
  ASSERT_TRUE(Call(stub(), provider_, &Stub::ListPackages, lp, &listed).ok());
  EXPECT_EQ(listed.packages_size(), 2);
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::ListPackages, lp, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A package with no extras needs the lot's base set only.
  get.set_id(AwardPackage("2026-11-02", false));
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetPackage, get, &pkg).ok());
  EXPECT_THAT(pkg.extra_competencies(), IsEmpty());
  EXPECT_TRUE(Assign(provider_, pkg.id(), missing.id(), &no).ok());
  // Without a from_date, a package that starts later is worked from its first day.
  v1::PackageAssignment first_day;
  ASSERT_TRUE(Assign(provider_, AwardPackage("2026-11-27", false), missing.id(), &first_day).ok());
  EXPECT_EQ(first_day.from_date().value(), "2026-11-27");

  // The gate's answer is of the day asked: first aid (3-yearly, done 2025-02-01) holds,
  // safeguarding (yearly, done 2025-12-01) has lapsed by 2026-12-02.
  ASSERT_TRUE(Workers(provider_, package, &seen, false, "2026-12-02").ok());
  ASSERT_EQ(seen.workers_size(), 2);
  EXPECT_EQ(seen.workers(0).display_name(), "Fay Named");
  EXPECT_FALSE(seen.workers(0).eligible());
  ASSERT_EQ(seen.workers(0).reasons_size(), 1);
  EXPECT_EQ(seen.workers(0).reasons(0).kind(), v1::IneligibilityReason::COMPETENCY_EXPIRED);
  EXPECT_EQ(seen.workers(0).reasons(0).competency_code(), "safeguarding_level_2");

  // Ending: etag and reason required, once only; ended ones are listed when asked.
  v1::EndPackageAssignmentRequest end;
  end.set_id(a.id());
  end.set_etag(a.etag());
  v1::PackageAssignment ended;
  EXPECT_EQ(Call(stub(), provider_, &Stub::EndPackageAssignment, end, &ended).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  end.set_reason("worker moved to another package");
  EXPECT_EQ(Call(stub(), other_provider_, &Stub::EndPackageAssignment, end, &ended).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Call(stub(), provider_, &Stub::EndPackageAssignment, end, &ended).ok());
  EXPECT_EQ(ended.to_date().value(), "2026-11-24");
  EXPECT_EQ(Call(stub(), provider_, &Stub::EndPackageAssignment, end, &ended).error_code(),
            grpc::StatusCode::ABORTED);
  end.set_etag(ended.etag());
  auto over = Call(stub(), provider_, &Stub::EndPackageAssignment, end, &ended);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(registry::testing::PreconditionViolations(over),
              ElementsAre("ASSIGNMENT_STATE package_assignment/" + a.id()));
  ASSERT_TRUE(Workers(commissioner_, package, &seen, false, "2026-11-25").ok());
  ASSERT_EQ(seen.workers_size(), 1);
  EXPECT_EQ(seen.workers(0).display_name(), "Lou Later");
  // Lou is stood down before her first day (with the etag the list gives): the assignment
  // never ran and is not listed.
  ASSERT_TRUE(Workers(provider_, package, &seen, false, "2026-11-25").ok());
  ASSERT_EQ(seen.workers_size(), 1);
  EXPECT_EQ(seen.workers(0).etag(), upcoming.etag());
  v1::EndPackageAssignmentRequest stand_down;
  stand_down.set_id(seen.workers(0).assignment_id());
  stand_down.set_etag(seen.workers(0).etag());
  stand_down.set_reason("the family asked for another carer");
  ASSERT_TRUE(Call(stub(), provider_, &Stub::EndPackageAssignment, stand_down, &upcoming).ok());
  EXPECT_EQ(upcoming.to_date().value(), "2026-12-09");
  ASSERT_TRUE(Workers(commissioner_, package, &seen, false, "2026-11-25").ok());
  EXPECT_EQ(seen.workers_size(), 0);
  // With the ended ones: the worker who left the package, not the one who never started.
  ASSERT_TRUE(Workers(commissioner_, package, &seen, true, "2026-11-25").ok());
  ASSERT_EQ(seen.workers_size(), 1);
  EXPECT_EQ(seen.workers(0).to_date().value(), "2026-11-24");
  // Once ended, the worker may be named again, from the day after its last (decision 72).
  EXPECT_EQ(Assign(provider_, package, ok.id(), &no).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(Assign(provider_, package, ok.id(), &no, "2026-11-25").ok());
}

// Decision 72: a worker is never named twice on a package for the same day. Named from
// 28 December and ended on the 30th, the worker is named again from the 31st, not the
// 29th; the refusal names the earlier assignment and the earliest from_date, and writes
// nothing.
TEST_F(PackageTest, AWorkerIsNamedAgainOnlyAfterTheLastDayOfTheEarlierAssignment) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  const std::string package = AwardPackage();
  v1::StaffMember s = CreateStaff(provider_, SampleStaff("Mo Twice"));
  Train(provider_, s.id(), "first_aid", "2025-02-01");
  Train(provider_, s.id(), "safeguarding_level_2", "2026-06-01");
  Train(provider_, s.id(), "seizure_management", "2026-06-01");
  v1::PackageAssignment first;
  ASSERT_TRUE(Assign(provider_, package, s.id(), &first, "2026-12-28").ok());
  v1::EndPackageAssignmentRequest end;
  end.set_id(first.id());
  end.set_etag(first.etag());
  end.mutable_last_day()->set_value("2026-12-30");
  end.set_reason("covering over the holidays only");
  ASSERT_TRUE(Call(stub(), provider_, &Stub::EndPackageAssignment, end, &first).ok());
  ASSERT_EQ(first.to_date().value(), "2026-12-30");

  const int before = Rows("package_assignments");
  v1::PackageAssignment no;
  for (const char* from : {"2026-12-29", "2026-12-30", "2026-12-01", ""}) {
    auto st = Assign(provider_, package, s.id(), &no, from);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << from;
    EXPECT_THAT(st.error_message(), HasSubstr("the worker is named on this package until "
                                              "2026-12-30; the earliest from_date is 2026-12-31"))
        << from;
    EXPECT_EQ(registry::testing::ResourceInfoOf(st),
              "pdps.workforce.v1.PackageAssignment " + first.id())
        << from;
  }
  EXPECT_EQ(Rows("package_assignments"), before);
  v1::ListPackageWorkersResponse seen;
  ASSERT_TRUE(Workers(provider_, package, &seen, true, "2026-12-29").ok());
  ASSERT_EQ(seen.workers_size(), 1);

  // From the 31st: listed twice over, once for each span of days.
  v1::PackageAssignment again;
  ASSERT_TRUE(Assign(provider_, package, s.id(), &again, "2026-12-31").ok());
  ASSERT_TRUE(Workers(provider_, package, &seen, true, "2026-12-29").ok());
  ASSERT_EQ(seen.workers_size(), 2);
  EXPECT_EQ(seen.workers(0).to_date().value(), "2026-12-30");
  EXPECT_EQ(seen.workers(1).from_date().value(), "2026-12-31");

  // An assignment stood down before its first day never ran and holds no days.
  v1::StaffMember t = CreateStaff(provider_, SampleStaff("Ned Never"));
  Train(provider_, t.id(), "first_aid", "2025-02-01");
  Train(provider_, t.id(), "safeguarding_level_2", "2026-06-01");
  Train(provider_, t.id(), "seizure_management", "2026-06-01");
  v1::PackageAssignment never;
  ASSERT_TRUE(Assign(provider_, package, t.id(), &never, "2026-12-20").ok());
  end.set_id(never.id());
  end.set_etag(never.etag());
  end.mutable_last_day()->set_value("2026-11-30");
  ASSERT_TRUE(Call(stub(), provider_, &Stub::EndPackageAssignment, end, &never).ok());
  EXPECT_TRUE(Assign(provider_, package, t.id(), &no, "2026-12-10").ok());
}

TEST_F(PackageTest, AnIneligibleNamedWorkerTripsTheRuleOncePerSetOfReasons) {
  TurnOnTheNamedWorkerRule();
  const std::string package = AwardPackage();
  v1::PackageAssignment a;
  ASSERT_TRUE(Assign(provider_, package, Compliant("Jo Named").id(), &a).ok());

  // Everyone is in date: nothing trips.
  auto n = server_->store().CheckPackageWorkers(DefaultNow(), absl::Now() + absl::Seconds(20));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 0);
  EXPECT_THAT(Trips(provider_.org), IsEmpty());

  // Safeguarding (done 2025-12-01, yearly) lapses after 2026-12-01; before that the
  // expiry watch announces the training on the package's lot.
  auto announced = server_->store().AnnounceExpiries(London(2026, 11, 25, 6, 0),
                                                     absl::Now() + absl::Seconds(20));
  ASSERT_TRUE(announced.ok()) << announced.status();
  EXPECT_EQ(server_->db().Query(absl::StrCat(
                "SELECT code || '@' || due_date::text || '/' || within_days AS v FROM"
                " workforce.expiry_announcements WHERE kind = 'TRAINING' AND staff_id = '",
                a.staff_id(), "'")),
            std::vector<std::string>{"safeguarding_level_2@2026-12-01/30"});

  absl::Time lapsed = London(2026, 12, 2, 6, 0);
  n = server_->store().CheckPackageWorkers(lapsed, absl::Now() + absl::Seconds(20));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  // The same facts the next day trip nothing more.
  n = server_->store().CheckPackageWorkers(lapsed + absl::Hours(24),
                                           absl::Now() + absl::Seconds(20));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  auto trips = Trips(provider_.org);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].rule(), v1::INELIGIBLE_PACKAGE_WORKER);
  EXPECT_EQ(trips[0].framework_id(), framework_);
  EXPECT_EQ(trips[0].lot_id(), lot_);
  EXPECT_EQ(trips[0].source_id(), a.id());
  EXPECT_THAT(trips[0].reason(), HasSubstr("COMPETENCY_EXPIRED safeguarding_level_2 (2026-12-01)"));
  EXPECT_THAT(trips[0].reason(), Not(HasSubstr("Jo Named")));
}

TEST_F(PackageTest, TheSweepAnnouncesWhatANewMatrixVersionWillRequireOfANamedWorker) {
  CreateMatrix(commissioner_, "2026-01-01", 12);
  CreateMatrix(commissioner_, "2027-01-01", 12, nullptr, {"moving_handling"});
  v1::PackageAssignment a;
  ASSERT_TRUE(Assign(provider_, AwardPackage(), Compliant("Ash Named").id(), &a).ok());
  auto training = [&]() {
    return server_->db().Query(
        absl::StrCat("SELECT code || '@' || due_date::text || '/' || within_days AS v FROM"
                     " workforce.expiry_announcements WHERE kind = 'TRAINING' AND staff_id = '",
                     a.staff_id(), "' ORDER BY due_date, code, within_days"));
  };
  auto sweep = [&](absl::Time at) {
    auto n = server_->store().AnnounceExpiries(at, absl::Now() + absl::Seconds(20));
    ASSERT_TRUE(n.ok()) << n.status();
  };
  // Tuesday 24 November: version 2 takes effect in 38 days (within 60). Safeguarding
  // (done 2025-12-01, yearly) lapses after 1 December (within 30).
  sweep(DefaultNow());
  EXPECT_THAT(training(),
              ElementsAre("safeguarding_level_2@2026-12-01/30", "moving_handling@2027-01-01/60"));
  // The provider's list without a lot says the same, naming the package's lot; a worker
  // on no package has no training listed.
  const std::string unnamed = Compliant("Bo Unnamed").id();
  v1::ListExpiriesRequest req;
  req.set_within_days(60);
  v1::ListExpiriesResponse page;
  auto rc = Call(stub(), provider_, &Stub::ListExpiries, req, &page);
  ASSERT_TRUE(rc.ok()) << rc.error_message();
  std::vector<std::string> listed;
  for (const auto& e : page.items()) {
    if (e.kind() != v1::ExpiryItem::TRAINING) continue;
    EXPECT_EQ(e.staff_id(), a.staff_id()) << e.competency_code();
    listed.push_back(
        absl::StrCat(e.competency_code(), "@", e.due_date().value(), " ", e.lot_id() == lot_));
  }
  EXPECT_THAT(listed,
              ElementsAre("safeguarding_level_2@2026-12-01 1", "moving_handling@2027-01-01 1"));
  EXPECT_NE(unnamed, a.staff_id());
  // Within 30 days of it, then the day it takes effect: in force, lacking since the start.
  sweep(London(2026, 12, 2, 6, 0));
  sweep(London(2027, 1, 1, 6, 0));
  EXPECT_THAT(training(),
              ElementsAre("moving_handling@2025-01-06/0", "safeguarding_level_2@2026-12-01/0",
                          "safeguarding_level_2@2026-12-01/30", "moving_handling@2027-01-01/30",
                          "moving_handling@2027-01-01/60"));
}

TEST_F(PackageTest, ALeaverIsNoLongerNamedAndTripsNothing) {
  TurnOnTheNamedWorkerRule();
  const std::string package = AwardPackage();
  v1::StaffMember worker = Compliant("Sam Leaving");
  v1::PackageAssignment running;
  ASSERT_TRUE(Assign(provider_, package, worker.id(), &running).ok());

  // The provider records the last day: the assignment ends with it.
  v1::UpdateStaffMemberRequest upd;
  *upd.mutable_staff_member() = worker;
  upd.mutable_staff_member()->mutable_leave_date()->set_value("2026-11-27");
  v1::StaffMember left;
  auto st = Call(stub(), provider_, &Stub::UpdateStaffMember, upd, &left);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(server_->db().Query(absl::StrCat("SELECT to_date::text || ' ' || end_reason AS v FROM"
                                             " workforce.package_assignments WHERE id = '",
                                             running.id(), "'")),
            std::vector<std::string>{"2026-11-27 the worker left on 2026-11-27"});

  // After that day the sweep finds no named worker out of post, so nothing trips.
  auto n = server_->store().CheckPackageWorkers(London(2026, 11, 30, 6, 0),
                                                absl::Now() + absl::Seconds(20));
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 0);
  EXPECT_THAT(Trips(provider_.org), IsEmpty());
}

TEST_F(PackageTest, ANamedWorkersLapsesFollowThePeriodsOfThePackagesLot) {
  // A lot supervised monthly (Derby, seed 004 3.16).
  v1::CreateTrainingMatrixRequest req;
  auto* m = req.mutable_training_matrix();
  m->set_framework_id(framework_);
  m->set_lot_id(lot_);
  m->mutable_effective_from()->set_value("2026-01-01");
  m->set_supervision_interval_months(1);
  auto* c = m->add_competencies();
  c->set_code("first_aid");
  c->set_name("First aid");
  c->set_renewal_months(36);
  v1::TrainingMatrix made;
  ASSERT_TRUE(Call(stub(), commissioner_, &Stub::CreateTrainingMatrix, req, &made).ok());
  v1::StaffMember s = Compliant("Mo Monthly");  // last supervised 2026-10-01
  v1::PackageAssignment a;
  ASSERT_TRUE(Assign(provider_, AwardPackage(), s.id(), &a).ok());
  auto n = server_->store().AnnounceExpiries(DefaultNow(), absl::Now() + absl::Seconds(20));
  ASSERT_TRUE(n.ok()) << n.status();
  // Default period (3 months): due 2027-01-01, within 60 days; the lot's (1 month): due
  // 2026-11-01, lapsed.
  EXPECT_THAT(server_->db().Query(absl::StrCat(
                  "SELECT due_date::text || '/' || within_days AS v FROM"
                  " workforce.expiry_announcements WHERE kind = 'SUPERVISION' AND staff_id = '",
                  s.id(), "' ORDER BY due_date")),
              ElementsAre("2026-11-01/0", "2027-01-01/60"));
  // The provider-wide return measures supervision by the package's lot's month too.
  v1::GetWorkforceReturnRequest ret;
  ret.set_quarter("2026-Q4");
  v1::WorkforceReturn r;
  ASSERT_TRUE(Call(stub(), provider_, &Stub::GetWorkforceReturn, ret, &r).ok());
  EXPECT_EQ(r.supervision_interval_months(), 1);
  EXPECT_THAT(r.period_lot_ids(), ElementsAre(lot_));
  EXPECT_DOUBLE_EQ(r.supervision_compliance_percent(), 0.0);
}

}  // namespace
}  // namespace pdps::workforce::testing
