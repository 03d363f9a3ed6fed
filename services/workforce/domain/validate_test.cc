// Input rules name every wrong field, and nothing else.
#include "services/workforce/domain/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/ascii.h"
#include "common/status.h"

namespace pdps::workforce::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kId[] = "aaaaaaaa-1111-4111-8111-111111111111";
const Day kToday(2026, 11, 24);

std::vector<std::string> Fields(const absl::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(st)) out.push_back(v.field);
  return out;
}

v1::StaffMember GoodStaff() {
  v1::StaffMember s;
  s.set_display_name("Ada Worker");
  s.set_role("Support worker");
  s.mutable_start_date()->set_value("2025-01-06");
  s.set_contract_type(v1::PERMANENT);
  s.mutable_dbs()->mutable_certificate_date()->set_value("2024-12-01");
  s.mutable_dbs()->mutable_barred_list_check_date()->set_value("2024-12-01");
  s.mutable_right_to_work()->set_kind(v1::RightToWork::UNLIMITED);
  return s;
}

TEST(ValidateStaff, Good) { EXPECT_TRUE(ValidateStaff(GoodStaff(), kToday).ok()); }

// Enum values from a newer client (or garbage) are named, not left to the database.
TEST(Validate, UnknownEnumValuesAreFieldViolations) {
  v1::StaffMember s = GoodStaff();
  s.set_contract_type(static_cast<v1::ContractType>(42));
  s.mutable_right_to_work()->set_kind(static_cast<v1::RightToWork::Kind>(42));
  EXPECT_THAT(Fields(ValidateStaff(s, kToday)),
              UnorderedElementsAre("staff_member.contract_type", "staff_member.right_to_work.kind"));
  EXPECT_THAT(Fields(ValidateAnswer(static_cast<v1::Complaint::Outcome>(9), "learning")),
              ElementsAre("outcome"));
}

TEST(ValidateStaffLots, OnlyLotsTheProviderWorksOnOrTheRecordAlreadyNames) {
  const std::string a = "aaaaaaaa-1111-4111-8111-111111111111";
  const std::string b = "bbbbbbbb-1111-4111-8111-111111111111";
  const std::string c = "cccccccc-1111-4111-8111-111111111111";
  v1::StaffMember s = GoodStaff();
  EXPECT_TRUE(ValidateStaffLots(s, {}, {}).ok());  // every lot of the provider
  s.add_lot_ids(absl::AsciiStrToUpper(a));
  s.add_lot_ids(b);
  s.add_lot_ids(c);
  EXPECT_THAT(Fields(ValidateStaffLots(s, {a}, {})),
              ElementsAre("staff_member.lot_ids[1]", "staff_member.lot_ids[2]"));
  // A lot whose admission ended stays on the record until the provider drops it.
  EXPECT_THAT(Fields(ValidateStaffLots(s, {a}, {c})), ElementsAre("staff_member.lot_ids[1]"));
  EXPECT_TRUE(ValidateStaffLots(s, {a, b}, {c}).ok());
}

TEST(ValidateStaff, ZeroHoursOnlyAtTheWorkersDocumentedRequest) {
  v1::StaffMember s = GoodStaff();
  s.set_contract_type(v1::ZERO_HOURS);
  absl::Status st = ValidateStaff(s, kToday);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(st), UnorderedElementsAre("staff_member.zero_hours_requested_by_worker",
                                               "staff_member.zero_hours_request_evidence"));
  s.set_zero_hours_requested_by_worker(true);
  EXPECT_THAT(Fields(ValidateStaff(s, kToday)),
              ElementsAre("staff_member.zero_hours_request_evidence"));
  s.set_zero_hours_request_evidence("HR/2025/014 signed request");
  EXPECT_TRUE(ValidateStaff(s, kToday).ok());
}

TEST(ValidateStaff, EachBadFieldIsNamed) {
  struct Case {
    const char* field;
    std::function<void(v1::StaffMember&)> change;
  };
  const Case cases[] = {
      {"staff_member.display_name", [](auto& s) { s.clear_display_name(); }},
      {"staff_member.role", [](auto& s) { s.clear_role(); }},
      {"staff_member.start_date", [](auto& s) { s.clear_start_date(); }},
      {"staff_member.start_date", [](auto& s) { s.mutable_start_date()->set_value("2025-02-30"); }},
      {"staff_member.leave_date", [](auto& s) { s.mutable_leave_date()->set_value("2024-12-31"); }},
      {"staff_member.contract_type", [](auto& s) { s.set_contract_type(v1::CONTRACT_TYPE_UNSPECIFIED); }},
      {"staff_member.dbs.certificate_date",
       [](auto& s) { s.mutable_dbs()->mutable_certificate_date()->set_value("2026-11-25"); }},
      {"staff_member.right_to_work.expiry_date",
       [](auto& s) { s.mutable_right_to_work()->set_kind(v1::RightToWork::TIME_LIMITED); }},
      {"staff_member.right_to_work.expiry_date",
       [](auto& s) { s.mutable_right_to_work()->mutable_expiry_date()->set_value("2027-01-01"); }},
      {"staff_member.references_received", [](auto& s) { s.set_references_received(11); }},
      {"staff_member.registration.body",
       [](auto& s) { s.mutable_registration()->set_number("12A3456B"); }},
      {"staff_member.registration.expiry_date",
       [](auto& s) { s.mutable_registration()->set_body("NMC"); }},
      {"staff_member.gender", [](auto& s) { s.set_gender("f"); }},
      {"staff_member.languages[0]", [](auto& s) { s.add_languages(""); }},
      {"staff_member.driving.licence_checked_on",
       [](auto& s) {
         s.mutable_driving()->set_drives(true);
         s.mutable_driving()->mutable_business_insurance_expiry()->set_value("2027-01-01");
       }},
      {"staff_member.driving.business_insurance_expiry",
       [](auto& s) {
         s.mutable_driving()->set_drives(true);
         s.mutable_driving()->mutable_licence_checked_on()->set_value("2026-01-01");
       }},
      {"staff_member.last_supervision_date",
       [](auto& s) { s.mutable_last_supervision_date()->set_value("2026-12-01"); }},
  };
  for (const auto& c : cases) {
    v1::StaffMember s = GoodStaff();
    c.change(s);
    EXPECT_THAT(Fields(ValidateStaff(s, kToday)), ElementsAre(c.field)) << c.field;
  }
}

v1::TrainingMatrix GoodMatrix() {
  v1::TrainingMatrix m;
  m.set_framework_id(kId);
  m.set_lot_id(kId);
  m.mutable_effective_from()->set_value("2026-04-01");
  auto* c = m.add_competencies();
  c->set_code("first_aid");
  c->set_name("First Aid");
  c->set_renewal_months(36);
  return m;
}

TEST(ValidateMatrix, GoodAndBad) {
  EXPECT_TRUE(ValidateMatrix(GoodMatrix()).ok());
  v1::TrainingMatrix m = GoodMatrix();
  m.set_lot_id("lot-a");
  m.clear_effective_from();
  *m.add_competencies() = m.competencies(0);  // duplicate code
  auto* bad = m.add_competencies();
  bad->set_code("First Aid");
  bad->set_renewal_months(121);
  bad->set_due_within_weeks(2);
  bad->set_due_within_months(1);
  m.set_supervision_interval_months(25);
  EXPECT_THAT(Fields(ValidateMatrix(m)),
              UnorderedElementsAre("training_matrix.lot_id", "training_matrix.effective_from",
                                   "training_matrix.competencies[1].code",
                                   "training_matrix.competencies[2].code",
                                   "training_matrix.competencies[2].name",
                                   "training_matrix.competencies[2].renewal_months",
                                   "training_matrix.competencies[2].due_within_months",
                                   "training_matrix.supervision_interval_months"));
  v1::TrainingMatrix empty = GoodMatrix();
  empty.clear_competencies();
  EXPECT_THAT(Fields(ValidateMatrix(empty)), ElementsAre("training_matrix.competencies"));
}

// Accounts with every amount sent as an explicit 0.
v1::FinancialAccounts ZeroAccounts() {
  v1::FinancialAccounts a;
  a.set_provider_id(kId);
  a.set_framework_id(kId);
  a.mutable_year_end()->set_value("2026-03-31");
  a.mutable_current_assets()->set_pence(0);
  a.mutable_current_liabilities()->set_pence(0);
  a.mutable_operating_profit()->set_pence(0);
  a.mutable_capital_employed()->set_pence(0);
  a.mutable_net_assets()->set_pence(0);
  return a;
}

// The proto marks every amount Required: an absent Money is not read as 0, and each one
// absent is named beside the other violations.
TEST(ValidateAccounts, EveryAbsentAmountIsRequiredBesideTheOtherViolations) {
  EXPECT_TRUE(ValidateAccounts(ZeroAccounts(), kToday).ok());

  v1::FinancialAccounts bare;
  bare.set_provider_id(kId);
  bare.set_framework_id(kId);
  absl::Status st = ValidateAccounts(bare, kToday);
  EXPECT_THAT(Fields(st),
              UnorderedElementsAre("accounts.year_end", "accounts.current_assets",
                                   "accounts.current_liabilities", "accounts.operating_profit",
                                   "accounts.capital_employed", "accounts.net_assets"));
  for (const auto& v : FieldViolationsOf(st)) EXPECT_EQ(v.description, "is required") << v.field;

  // One amount absent among other wrong fields: every violation is listed.
  v1::FinancialAccounts some = ZeroAccounts();
  some.clear_net_assets();
  some.mutable_current_liabilities()->set_pence(-5);
  some.mutable_year_end()->set_value("2026-11-25");
  EXPECT_THAT(Fields(ValidateAccounts(some, kToday)),
              UnorderedElementsAre("accounts.net_assets", "accounts.current_liabilities",
                                   "accounts.year_end"));
}

// A revision (decision 71) names its accounts by id and etag, gives a reason, and may
// leave what names them unset; when set, each must be the recorded one.
TEST(ValidateAccounts, ARevisionNeedsIdEtagAmountsAndReasonAndChangesNoName) {
  v1::FinancialAccounts r = ZeroAccounts();
  r.set_id(kId);
  r.set_etag("\"1\"");
  EXPECT_TRUE(ValidateAccountsRevision(r, "audited accounts").ok());
  r.clear_provider_id();
  r.clear_framework_id();
  r.clear_year_end();
  EXPECT_TRUE(ValidateAccountsRevision(r, "audited accounts").ok());

  v1::FinancialAccounts bare;
  EXPECT_THAT(Fields(ValidateAccountsRevision(bare, "")),
              UnorderedElementsAre("accounts.id", "accounts.etag", "accounts.current_assets",
                                   "accounts.current_liabilities", "accounts.operating_profit",
                                   "accounts.capital_employed", "accounts.net_assets", "reason"));

  v1::FinancialAccounts recorded = ZeroAccounts();
  EXPECT_TRUE(ValidateSameAccounts(recorded, r).ok());
  r.set_provider_id(absl::AsciiStrToUpper(kId));  // ids compare without case
  EXPECT_TRUE(ValidateSameAccounts(recorded, r).ok());
  r.set_framework_id("00000000-0000-4000-8000-000000000009");
  r.mutable_year_end()->set_value("2025-03-31");
  EXPECT_THAT(Fields(ValidateSameAccounts(recorded, r)),
              UnorderedElementsAre("accounts.framework_id", "accounts.year_end"));

  EXPECT_TRUE(SameFigures(recorded, r));
  r.mutable_net_assets()->set_pence(1);
  EXPECT_FALSE(SameFigures(recorded, r));
}

TEST(ValidateOthers, TrainingComplaintVisitPlanAccountsRules) {
  v1::TrainingRecord t;
  t.set_staff_id(kId);
  t.set_competency_code("first_aid");
  t.mutable_completed_on()->set_value("2026-11-24");
  EXPECT_TRUE(ValidateTrainingRecord(t, kToday).ok());
  t.mutable_completed_on()->set_value("2026-11-25");
  t.set_competency_code("x-y");
  EXPECT_THAT(Fields(ValidateTrainingRecord(t, kToday)),
              UnorderedElementsAre("training_record.competency_code", "training_record.completed_on"));

  absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), absl::UTCTimeZone());
  v1::Complaint c;
  c.set_framework_id(kId);
  c.set_summary("Late visits");
  c.mutable_received_time()->set_seconds(absl::ToUnixSeconds(now));
  EXPECT_TRUE(ValidateComplaint(c, now).ok());
  c.mutable_received_time()->set_seconds(absl::ToUnixSeconds(now) + 1);
  c.clear_summary();
  EXPECT_THAT(Fields(ValidateComplaint(c, now)),
              UnorderedElementsAre("complaint.received_time", "complaint.summary"));
  EXPECT_THAT(Fields(ValidateAnswer(v1::Complaint::OUTCOME_UNSPECIFIED, "")),
              UnorderedElementsAre("outcome", "learning"));

  v1::MonitoringVisit v;
  v.set_provider_id(kId);
  v.set_framework_id(kId);
  v.mutable_visit_date()->set_value("2026-11-20");
  v.set_findings("Records incomplete");
  v.set_rating(v1::INADEQUATE);
  EXPECT_TRUE(ValidateVisit(v, kToday).ok());
  v.set_rating(v1::RATING_UNSPECIFIED);
  EXPECT_THAT(Fields(ValidateVisit(v, kToday)), ElementsAre("visit.rating"));
  // Five years back at most, that day included (decision 73).
  v.set_rating(v1::INADEQUATE);
  v.mutable_visit_date()->set_value("2021-11-24");
  EXPECT_TRUE(ValidateVisit(v, kToday).ok());
  v.mutable_visit_date()->set_value("2021-11-23");
  auto old_visit = FieldViolationsOf(ValidateVisit(v, kToday));
  ASSERT_EQ(old_visit.size(), 1u);
  EXPECT_EQ(old_visit[0].field, "visit.visit_date");
  EXPECT_EQ(old_visit[0].description, "must be within the last 5 years (on or after 2021-11-24)");

  v1::ActionPlan p;
  p.set_provider_id(kId);
  p.set_framework_id(kId);
  p.set_title("Records");
  EXPECT_THAT(Fields(ValidateActionPlan(p, kToday)), ElementsAre("action_plan.items"));
  auto* item = p.add_items();
  item->set_description("Audit care records");
  EXPECT_THAT(Fields(ValidateActionPlan(p, kToday)), ElementsAre("action_plan.items[0].due_date"));
  // Due today is in time; due yesterday is born overdue, refused as the registry refuses it.
  item->mutable_due_date()->set_value("2026-11-24");
  EXPECT_TRUE(ValidateActionPlan(p, kToday).ok());
  p.add_items()->set_description("Second");
  p.mutable_items(1)->mutable_due_date()->set_value("2026-11-23");
  auto violations = FieldViolationsOf(ValidateActionPlan(p, kToday));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "action_plan.items[1].due_date");
  EXPECT_EQ(violations[0].description, "must not be before today (2026-11-24)");

  v1::FinancialAccounts a = ZeroAccounts();
  EXPECT_TRUE(ValidateAccounts(a, kToday).ok());
  a.mutable_current_assets()->set_pence(-1);
  EXPECT_THAT(Fields(ValidateAccounts(a, kToday)), ElementsAre("accounts.current_assets"));
  a.mutable_current_assets()->set_pence(0);
  a.mutable_year_end()->set_value("1970-03-31");
  EXPECT_THAT(Fields(ValidateAccounts(a, kToday)), ElementsAre("accounts.year_end"));

  v1::SuspensionRules r;
  r.set_framework_id(kId);
  r.set_upheld_safeguarding_complaints(101);
  EXPECT_THAT(Fields(ValidateRules(r)), ElementsAre("rules.upheld_safeguarding_complaints"));
  r.set_upheld_safeguarding_complaints(0);
  r.set_complaint_answer_working_days(61);
  r.set_turnover_target_percent(-1);
  EXPECT_THAT(Fields(ValidateRules(r)),
              ElementsAre("rules.complaint_answer_working_days", "rules.turnover_target_percent"));
  r.set_complaint_answer_working_days(60);
  r.set_turnover_target_percent(101);
  EXPECT_THAT(Fields(ValidateRules(r)), ElementsAre("rules.turnover_target_percent"));
  r.set_turnover_target_percent(100);
  EXPECT_TRUE(ValidateRules(r).ok());
  r.set_trained_staff_induction_weeks(53);
  EXPECT_THAT(Fields(ValidateRules(r)), ElementsAre("rules.trained_staff_induction_weeks"));
  r.set_trained_staff_induction_weeks(52);
  EXPECT_TRUE(ValidateRules(r).ok());
}

// One convention for 0 in the rules: a default is filled in (and so read back); an
// "off" stays 0.
TEST(ValidateRules, UnsetNumbersTakeTheirDefaultOrStayOff) {
  v1::SuspensionRules r;
  r.set_framework_id(kId);
  v1::SuspensionRules filled = WithDefaults(r);
  EXPECT_EQ(filled.complaint_window_months(), 12);
  EXPECT_EQ(filled.action_plan_due_working_days(), 10);
  EXPECT_EQ(filled.upheld_safeguarding_complaints(), 0);
  EXPECT_EQ(filled.min_trained_staff_percent(), 0);
  EXPECT_EQ(filled.complaint_answer_working_days(), 15);
  EXPECT_EQ(filled.turnover_target_percent(), 0);  // none: only a target set is one
  EXPECT_EQ(filled.trained_staff_induction_weeks(), 12);
  r.set_complaint_window_months(6);
  r.set_action_plan_due_working_days(3);
  r.set_complaint_answer_working_days(20);
  r.set_turnover_target_percent(8);
  filled = WithDefaults(r);
  EXPECT_EQ(filled.complaint_window_months(), 6);
  EXPECT_EQ(filled.action_plan_due_working_days(), 3);
  EXPECT_EQ(RulesOf(filled).complaint_answer_working_days, 20);
  EXPECT_EQ(RulesOf(filled).turnover_target_percent, 8);
  EXPECT_EQ(RulesOf(WithDefaults(v1::SuspensionRules())).action_plan_working_days,
            kDefaultActionPlanWorkingDays);
  EXPECT_EQ(RulesOf(v1::SuspensionRules()).complaint_answer_working_days,
            kDefaultComplaintAnswerWorkingDays);
  // No turnover target unless one is set (decision 63).
  EXPECT_EQ(RulesOf(v1::SuspensionRules()).turnover_target_percent, 0);
  EXPECT_EQ(WithDefaults(v1::SuspensionRules()).turnover_target_percent(), 0);
}

TEST(Readings, WorkerAndMatrix) {
  v1::StaffMember s = GoodStaff();
  s.mutable_right_to_work()->set_kind(v1::RightToWork::TIME_LIMITED);
  s.mutable_right_to_work()->mutable_expiry_date()->set_value("2027-06-30");
  Worker w = WorkerOf(s);
  EXPECT_EQ(w.start, Day(2025, 1, 6));
  EXPECT_EQ(w.right_to_work, RightToWork::kTimeLimited);
  EXPECT_EQ(w.right_to_work_expiry, Day(2027, 6, 30));
  EXPECT_FALSE(w.leave);
  Matrix m = MatrixOf(GoodMatrix());
  EXPECT_EQ(m.dbs_renewal_months, kDefaultDbsRenewalMonths);
  EXPECT_EQ(m.supervision_months, kDefaultSupervisionMonths);
  EXPECT_EQ(m.competencies.size(), 1u);
}

}  // namespace
}  // namespace pdps::workforce::domain
