// Workforce input rules.
#include "services/workforce/domain/validate.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/proto_util.h"
#include "common/status.h"

namespace pdps::workforce::domain {
namespace {

std::string F(const std::string& prefix, const char* field) {
  return prefix.empty() ? field : absl::StrCat(prefix, ".", field);
}

// A date field: required or optional, well formed; returns the day when set and valid.
std::optional<Day> DateField(Violations& v, const std::string& field,
                             const pdps::common::v1::Date& d, bool required) {
  return v.Date(field, d.value(), required);
}

void NotAfter(Violations& v, const std::string& field, const std::optional<Day>& d, Day today) {
  if (d && *d > today) v.Add(field, "must not be in the future");
}

// Not in the future, and not more than kOldestRecordMonths before today.
void Recent(Violations& v, const std::string& field, const std::optional<Day>& d, Day today) {
  NotAfter(v, field, d, today);
  const Day earliest = AddMonths(today, -kOldestRecordMonths);
  if (d && *d < earliest) {
    v.Add(field, absl::StrCat("must be within the last ", kOldestRecordMonths / 12,
                              " years (on or after ", dates::FormatDay(earliest), ")"));
  }
}

void Range(Violations& v, const std::string& field, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi) v.Add(field, absl::StrCat("must be from ", lo, " to ", hi));
}

}  // namespace

absl::Status ValidateStaff(const v1::StaffMember& s, Day today, const std::string& p) {
  Violations v;
  v.Text(F(p, "display_name"), s.display_name(), 200, true);
  v.Text(F(p, "role"), s.role(), 200, true);
  v.Text(F(p, "grade"), s.grade(), 100, false);
  auto start = DateField(v, F(p, "start_date"), s.start_date(), true);
  auto leave = DateField(v, F(p, "leave_date"), s.leave_date(), false);
  if (start && leave && *leave < *start) v.Add(F(p, "leave_date"), "must not be before start_date");
  if (s.contract_type() == v1::CONTRACT_TYPE_UNSPECIFIED) {
    v.Add(F(p, "contract_type"), "is required");
  } else if (!v1::ContractType_IsValid(s.contract_type())) {
    v.Add(F(p, "contract_type"), "is not a known contract type");
  } else if (s.contract_type() == v1::ZERO_HOURS) {
    // Seed 002 para 15: zero hours only at the worker's own documented request.
    if (!s.zero_hours_requested_by_worker()) {
      v.Add(F(p, "zero_hours_requested_by_worker"),
            "must be true for ZERO_HOURS: zero-hours contracts only at the worker's request");
    }
    if (s.zero_hours_request_evidence().empty()) {
      v.Add(F(p, "zero_hours_request_evidence"),
            "is required for ZERO_HOURS: reference the worker's documented request");
    }
  }
  v.Text(F(p, "zero_hours_request_evidence"), s.zero_hours_request_evidence(), 200, false);
  auto dbs = DateField(v, F(p, "dbs.certificate_date"), s.dbs().certificate_date(), false);
  NotAfter(v, F(p, "dbs.certificate_date"), dbs, today);
  auto barred =
      DateField(v, F(p, "dbs.barred_list_check_date"), s.dbs().barred_list_check_date(), false);
  NotAfter(v, F(p, "dbs.barred_list_check_date"), barred, today);
  auto status = DateField(v, F(p, "dbs.status_check_date"), s.dbs().status_check_date(), false);
  NotAfter(v, F(p, "dbs.status_check_date"), status, today);
  if (status && dbs && *status < *dbs) {
    v.Add(F(p, "dbs.status_check_date"),
          absl::StrCat("must not be before dbs.certificate_date (", dates::FormatDay(*dbs),
                       "): a status check is of a certificate already issued"));
  }
  v.Text(F(p, "dbs.certificate_reference"), s.dbs().certificate_reference(), 100, false);
  const auto& rtw = s.right_to_work();
  DateField(v, F(p, "right_to_work.checked_on"), rtw.checked_on(), false);
  if (!v1::RightToWork::Kind_IsValid(rtw.kind())) {
    v.Add(F(p, "right_to_work.kind"), "is not a known kind");
  }
  if (rtw.kind() == v1::RightToWork::TIME_LIMITED) {
    DateField(v, F(p, "right_to_work.expiry_date"), rtw.expiry_date(), true);
  } else if (!rtw.expiry_date().value().empty()) {
    v.Add(F(p, "right_to_work.expiry_date"), "is only for TIME_LIMITED right to work");
  }
  v.Text(F(p, "right_to_work.evidence_reference"), rtw.evidence_reference(), 200, false);
  Range(v, F(p, "references_received"), s.references_received(), 0, 10);
  const auto& reg = s.registration();
  v.Text(F(p, "registration.body"), reg.body(), 20, false);
  v.Text(F(p, "registration.number"), reg.number(), 50, false);
  if (reg.body().empty() && (!reg.number().empty() || !reg.expiry_date().value().empty())) {
    v.Add(F(p, "registration.body"), "is required with a registration number or expiry");
  }
  DateField(v, F(p, "registration.expiry_date"), reg.expiry_date(), !reg.body().empty());
  v.Text(F(p, "english_proficiency"), s.english_proficiency(), 100, false);
  std::set<std::string> lots;
  const int lot_ids = v.AtMost(F(p, "lot_ids"), s.lot_ids_size(), 20) ? s.lot_ids_size() : 0;
  for (int i = 0; i < lot_ids; ++i) {
    const std::string f = absl::StrCat(F(p, "lot_ids"), "[", i, "]");
    v.Id(f, s.lot_ids(i), true);
    if (!lots.insert(absl::AsciiStrToLower(s.lot_ids(i))).second) v.Add(f, "is repeated");
  }
  const int languages =
      v.AtMost(F(p, "languages"), s.languages_size(), 20) ? s.languages_size() : 0;
  for (int i = 0; i < languages; ++i) {
    v.Text(absl::StrCat(F(p, "languages"), "[", i, "]"), s.languages(i), 100, true);
  }
  static const std::set<std::string> kGenders = {"", "female", "male", "non-binary"};
  if (kGenders.count(s.gender()) == 0) {
    v.Add(F(p, "gender"), "must be female, male, non-binary or empty");
  }
  const auto& drv = s.driving();
  auto licence = DateField(v, F(p, "driving.licence_checked_on"), drv.licence_checked_on(),
                           drv.drives());
  NotAfter(v, F(p, "driving.licence_checked_on"), licence, today);
  DateField(v, F(p, "driving.business_insurance_expiry"), drv.business_insurance_expiry(),
            drv.drives());
  auto sup = DateField(v, F(p, "last_supervision_date"), s.last_supervision_date(), false);
  NotAfter(v, F(p, "last_supervision_date"), sup, today);
  auto app = DateField(v, F(p, "last_appraisal_date"), s.last_appraisal_date(), false);
  NotAfter(v, F(p, "last_appraisal_date"), app, today);
  return v.ToStatus();
}

absl::Status ValidateStaffLots(const v1::StaffMember& s, const std::set<std::string>& working,
                               const std::set<std::string>& kept, const std::string& p) {
  Violations v;
  for (int i = 0; i < s.lot_ids_size(); ++i) {
    const std::string lot = absl::AsciiStrToLower(s.lot_ids(i));
    if (working.count(lot) == 0 && kept.count(lot) == 0) {
      v.Add(absl::StrCat(F(p, "lot_ids"), "[", i, "]"),
            "is not a lot your organisation works on (an ACTIVE or SUSPENDED admission); leave "
            "lot_ids empty for a worker on all your lots");
    }
  }
  return v.ToStatus();
}

absl::Status ValidateMatrix(const v1::TrainingMatrix& m, const std::string& p) {
  Violations v;
  v.Id(F(p, "framework_id"), m.framework_id(), true);
  v.Id(F(p, "lot_id"), m.lot_id(), true);
  v.Text(F(p, "title"), m.title(), 200, false);
  DateField(v, F(p, "effective_from"), m.effective_from(), true);
  if (m.competencies_size() == 0) v.Add(F(p, "competencies"), "must have at least one competency");
  std::set<std::string> codes;
  const int competencies =
      v.AtMost(F(p, "competencies"), m.competencies_size(), kMaxLotCompetencies)
          ? m.competencies_size()
          : 0;
  for (int i = 0; i < competencies; ++i) {
    const auto& c = m.competencies(i);
    std::string f = absl::StrCat(F(p, "competencies"), "[", i, "]");
    if (!IsCompetencyCode(c.code())) {
      v.Add(f + ".code", "must be a competency code: lower_snake_case, at most 64 characters");
    } else if (!codes.insert(c.code()).second) {
      v.Add(f + ".code", "must be unique in the matrix");
    }
    v.Text(f + ".name", c.name(), 200, true);
    Range(v, f + ".renewal_months", c.renewal_months(), 0, 120);
    Range(v, f + ".due_within_weeks", c.due_within_weeks(), 0, 104);
    Range(v, f + ".due_within_months", c.due_within_months(), 0, 24);
    if (c.due_within_weeks() > 0 && c.due_within_months() > 0) {
      v.Add(f + ".due_within_months", "give due_within_weeks or due_within_months, not both");
    }
  }
  Range(v, F(p, "dbs_renewal_months"), m.dbs_renewal_months(), 0, 120);
  Range(v, F(p, "dbs_check_months"), m.dbs_check_months(), 0, 36);
  Range(v, F(p, "supervision_interval_months"), m.supervision_interval_months(), 0, 24);
  Range(v, F(p, "appraisal_interval_months"), m.appraisal_interval_months(), 0, 36);
  v.Text(F(p, "required_registration_body"), m.required_registration_body(), 20, false);
  return v.ToStatus();
}

absl::Status ValidateTrainingRecord(const v1::TrainingRecord& r, Day today, const std::string& p) {
  Violations v;
  v.Id(F(p, "staff_id"), r.staff_id(), true);
  if (!IsCompetencyCode(r.competency_code())) {
    v.Add(F(p, "competency_code"),
          "must be a competency code: lower_snake_case, at most 64 characters");
  }
  auto done = DateField(v, F(p, "completed_on"), r.completed_on(), true);
  NotAfter(v, F(p, "completed_on"), done, today);
  v.Text(F(p, "training_provider"), r.training_provider(), 200, false);
  v.Text(F(p, "evidence_reference"), r.evidence_reference(), 200, false);
  return v.ToStatus();
}

absl::Status ValidateComplaint(const v1::Complaint& c, absl::Time now, const std::string& p) {
  Violations v;
  v.Id(F(p, "framework_id"), c.framework_id(), true);
  v.Id(F(p, "lot_id"), c.lot_id(), false);
  if (!c.has_received_time()) {
    v.Add(F(p, "received_time"), "is required");
  } else if (protoutil::FromTimestamp(c.received_time()) > now) {
    v.Add(F(p, "received_time"), "must not be in the future");
  } else {
    const Day earliest = AddMonths(dates::TodayInLondon(now), -kMaxComplaintWindowMonths);
    if (protoutil::FromTimestamp(c.received_time()) < dates::StartOfDay(earliest)) {
      v.Add(F(p, "received_time"),
            absl::StrCat("must be within the last ", kMaxComplaintWindowMonths / 12,
                         " years (on or after ", dates::FormatDay(earliest),
                         "), the longest complaint window a framework may set"));
    }
  }
  v.Text(F(p, "summary"), c.summary(), 4000, true);
  return v.ToStatus();
}

absl::Status ValidateAnswer(v1::Complaint::Outcome outcome, const std::string& learning) {
  Violations v;
  if (outcome == v1::Complaint::OUTCOME_UNSPECIFIED) {
    v.Add("outcome", "is required");
  } else if (!v1::Complaint::Outcome_IsValid(outcome)) {
    v.Add("outcome", "must be UPHELD, PARTLY_UPHELD or NOT_UPHELD");
  }
  v.Text("learning", learning, 4000, true);
  return v.ToStatus();
}

absl::Status ValidateVisit(const v1::MonitoringVisit& m, Day today, const std::string& p) {
  Violations v;
  v.Id(F(p, "provider_id"), m.provider_id(), true);
  v.Id(F(p, "framework_id"), m.framework_id(), true);
  v.Id(F(p, "lot_id"), m.lot_id(), false);
  Recent(v, F(p, "visit_date"), DateField(v, F(p, "visit_date"), m.visit_date(), true), today);
  v.Text(F(p, "findings"), m.findings(), 8000, true);
  if (m.rating() == v1::RATING_UNSPECIFIED) {
    v.Add(F(p, "rating"), "is required");
  } else if (!v1::Rating_IsValid(m.rating())) {
    v.Add(F(p, "rating"), "must be OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT or INADEQUATE");
  }
  return v.ToStatus();
}

absl::Status ValidateActionPlan(const v1::ActionPlan& a, Day today, const std::string& p) {
  Violations v;
  v.Id(F(p, "provider_id"), a.provider_id(), true);
  v.Id(F(p, "framework_id"), a.framework_id(), true);
  v.Id(F(p, "visit_id"), a.visit_id(), false);
  v.Text(F(p, "title"), a.title(), 100, true);
  if (a.items_size() == 0) v.Add(F(p, "items"), "must have at least one item");
  const int items =
      v.AtMost(F(p, "items"), a.items_size(), Violations::kMaxActionPlanItems) ? a.items_size() : 0;
  for (int i = 0; i < items; ++i) {
    // As the registry's suspension plans: an item is never born overdue.
    v.ActionItem(absl::StrCat(F(p, "items"), "[", i, "]"), a.items(i).description(),
                 a.items(i).due_date().value(), today);
  }
  return v.ToStatus();
}

namespace {

// The five amounts of accounts, recorded or revised.
void AmountViolations(Violations& v, const v1::FinancialAccounts& a, const std::string& p) {
  // Every amount is required: an absent Money is a violation, not 0 (a 0 sent is an
  // amount). An absent one reads as 0 below, which breaks no other rule.
  for (auto [name, has] : {std::pair<const char*, bool>{"current_assets", a.has_current_assets()},
                           {"current_liabilities", a.has_current_liabilities()},
                           {"operating_profit", a.has_operating_profit()},
                           {"capital_employed", a.has_capital_employed()},
                           {"net_assets", a.has_net_assets()}}) {
    if (!has) v.Add(F(p, name), "is required");
  }
  if (a.current_assets().pence() < 0) v.Add(F(p, "current_assets"), "must not be negative");
  if (a.current_liabilities().pence() < 0) {
    v.Add(F(p, "current_liabilities"), "must not be negative");
  }
  // Guards the integer comparison of AssessAccounts (profit × 20).
  constexpr int64_t kMax = int64_t{1} << 56;
  for (auto [name, pence] : {std::pair<const char*, int64_t>{"current_assets", a.current_assets().pence()},
                             {"current_liabilities", a.current_liabilities().pence()},
                             {"operating_profit", a.operating_profit().pence()},
                             {"capital_employed", a.capital_employed().pence()},
                             {"net_assets", a.net_assets().pence()}}) {
    if (pence > kMax || pence < -kMax) v.Add(F(p, name), "is out of range");
  }
}

}  // namespace

absl::Status ValidateAccounts(const v1::FinancialAccounts& a, Day today, const std::string& p) {
  Violations v;
  v.Id(F(p, "provider_id"), a.provider_id(), true);
  v.Id(F(p, "framework_id"), a.framework_id(), true);
  Recent(v, F(p, "year_end"), DateField(v, F(p, "year_end"), a.year_end(), true), today);
  AmountViolations(v, a, p);
  return v.ToStatus();
}

absl::Status ValidateAccountsRevision(const v1::FinancialAccounts& a, const std::string& reason,
                                      const std::string& p) {
  Violations v;
  v.Id(F(p, "id"), a.id(), true);
  v.Etag(F(p, "etag"), a.etag(), "accounts");
  v.Id(F(p, "provider_id"), a.provider_id(), false);
  v.Id(F(p, "framework_id"), a.framework_id(), false);
  DateField(v, F(p, "year_end"), a.year_end(), false);
  AmountViolations(v, a, p);
  v.Text("reason", reason, 2000, true);
  return v.ToStatus();
}

absl::Status ValidateSameAccounts(const v1::FinancialAccounts& recorded,
                                  const v1::FinancialAccounts& revised, const std::string& p) {
  Violations v;
  auto same = [&](const char* field, const std::string& was, const std::string& sent) {
    if (!sent.empty() && absl::AsciiStrToLower(sent) != was) {
      v.Add(F(p, field), absl::StrCat("cannot change (recorded: ", was,
                                      "); record accounts for another provider, framework "
                                      "or year instead, or leave it unset"));
    }
  };
  same("provider_id", recorded.provider_id(), revised.provider_id());
  same("framework_id", recorded.framework_id(), revised.framework_id());
  same("year_end", recorded.year_end().value(), revised.year_end().value());
  return v.ToStatus();
}

bool SameFigures(const v1::FinancialAccounts& a, const v1::FinancialAccounts& b) {
  return a.current_assets().pence() == b.current_assets().pence() &&
         a.current_liabilities().pence() == b.current_liabilities().pence() &&
         a.operating_profit().pence() == b.operating_profit().pence() &&
         a.capital_employed().pence() == b.capital_employed().pence() &&
         a.net_assets().pence() == b.net_assets().pence();
}

absl::Status ValidateRules(const v1::SuspensionRules& r, const std::string& p) {
  Violations v;
  v.Id(F(p, "framework_id"), r.framework_id(), true);
  Range(v, F(p, "upheld_safeguarding_complaints"), r.upheld_safeguarding_complaints(), 0, 100);
  Range(v, F(p, "complaint_window_months"), r.complaint_window_months(), 0,
        kMaxComplaintWindowMonths);
  Range(v, F(p, "min_trained_staff_percent"), r.min_trained_staff_percent(), 0, 100);
  Range(v, F(p, "trained_staff_induction_weeks"), r.trained_staff_induction_weeks(), 0, 52);
  Range(v, F(p, "action_plan_due_working_days"), r.action_plan_due_working_days(), 0, 60);
  Range(v, F(p, "complaint_answer_working_days"), r.complaint_answer_working_days(), 0, 60);
  Range(v, F(p, "turnover_target_percent"), r.turnover_target_percent(), 0, 100);
  return v.ToStatus();
}

v1::SuspensionRules WithDefaults(v1::SuspensionRules r) {
  if (r.complaint_window_months() == 0)
    r.set_complaint_window_months(kDefaultComplaintWindowMonths);
  if (r.action_plan_due_working_days() == 0) {
    r.set_action_plan_due_working_days(kDefaultActionPlanWorkingDays);
  }
  if (r.complaint_answer_working_days() == 0) {
    r.set_complaint_answer_working_days(kDefaultComplaintAnswerWorkingDays);
  }
  if (r.trained_staff_induction_weeks() == 0) {
    r.set_trained_staff_induction_weeks(kDefaultInductionWeeks);
  }
  return r;
}

// ------------------------------------------------------------------ readings ---

std::optional<Day> DayOf(const pdps::common::v1::Date& d) {
  if (d.value().empty()) return std::nullopt;
  return dates::ParseDay(d.value());
}

Worker WorkerOf(const v1::StaffMember& s) {
  Worker w;
  w.id = s.id();
  w.start = DayOf(s.start_date()).value_or(Day::max());
  w.leave = DayOf(s.leave_date());
  w.dbs_date = DayOf(s.dbs().certificate_date());
  w.barred_list_checked = DayOf(s.dbs().barred_list_check_date());
  w.dbs_status_checked = DayOf(s.dbs().status_check_date());
  switch (s.right_to_work().kind()) {
    case v1::RightToWork::UNLIMITED: w.right_to_work = RightToWork::kUnlimited; break;
    case v1::RightToWork::TIME_LIMITED: w.right_to_work = RightToWork::kTimeLimited; break;
    default: w.right_to_work = RightToWork::kNone; break;
  }
  w.right_to_work_expiry = DayOf(s.right_to_work().expiry_date());
  w.registration_body = s.registration().body();
  w.registration_expiry = DayOf(s.registration().expiry_date());
  w.drives = s.driving().drives();
  w.business_insurance_expiry = DayOf(s.driving().business_insurance_expiry());
  w.last_supervision = DayOf(s.last_supervision_date());
  w.last_appraisal = DayOf(s.last_appraisal_date());
  for (const auto& lot : s.lot_ids()) w.lots.push_back(absl::AsciiStrToLower(lot));
  return w;
}

Matrix MatrixOf(const v1::TrainingMatrix& m) {
  Matrix out;
  out.id = m.id();
  out.framework_id = m.framework_id();
  out.version = m.version();
  out.effective_from = DayOf(m.effective_from()).value_or(Day::max());
  for (const auto& c : m.competencies()) {
    CompetencyRule r;
    r.code = c.code();
    r.name = c.name();
    r.renewal_months = c.renewal_months();
    r.conditional = c.conditional();
    r.due_within_weeks = c.due_within_weeks();
    r.due_within_months = c.due_within_months();
    out.competencies.push_back(std::move(r));
  }
  if (m.dbs_renewal_months() > 0) out.dbs_renewal_months = m.dbs_renewal_months();
  out.dbs_check_months = m.dbs_check_months();
  if (m.supervision_interval_months() > 0) out.supervision_months = m.supervision_interval_months();
  if (m.appraisal_interval_months() > 0) out.appraisal_months = m.appraisal_interval_months();
  out.required_registration_body = m.required_registration_body();
  return out;
}

SuspensionRules RulesOf(const v1::SuspensionRules& r) {
  SuspensionRules out;
  out.inadequate_visit = r.suspend_on_inadequate_visit();
  out.upheld_safeguarding_complaints = r.upheld_safeguarding_complaints();
  if (r.complaint_window_months() > 0) out.complaint_window_months = r.complaint_window_months();
  out.financial_breach = r.suspend_on_financial_breach();
  out.ineligible_package_worker = r.suspend_on_ineligible_package_worker();
  out.min_trained_staff_percent = r.min_trained_staff_percent();
  if (r.trained_staff_induction_weeks() > 0) {
    out.induction_weeks = r.trained_staff_induction_weeks();
  }
  if (r.action_plan_due_working_days() > 0) {
    out.action_plan_working_days = r.action_plan_due_working_days();
  }
  if (r.complaint_answer_working_days() > 0) {
    out.complaint_answer_working_days = r.complaint_answer_working_days();
  }
  out.turnover_target_percent = r.turnover_target_percent();
  return out;
}

Accounts AccountsOf(const v1::FinancialAccounts& a) {
  return Accounts{a.current_assets().pence(), a.current_liabilities().pence(),
                  a.operating_profit().pence(), a.capital_employed().pence(),
                  a.net_assets().pence()};
}

Rating RatingOf(v1::Rating r) {
  switch (r) {
    case v1::OUTSTANDING: return Rating::kOutstanding;
    case v1::GOOD: return Rating::kGood;
    case v1::REQUIRES_IMPROVEMENT: return Rating::kRequiresImprovement;
    case v1::INADEQUATE: return Rating::kInadequate;
    default: return Rating::kGood;  // unreachable after ValidateVisit
  }
}

}  // namespace pdps::workforce::domain
