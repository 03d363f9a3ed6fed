// Workforce store.
#include "services/workforce/store/store.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/action_plan.h"
#include "common/dates.h"
#include "common/event_types.h"
#include "common/ids.h"
#include "common/listing.h"
#include "common/proto_util.h"
#include "common/status.h"
#include "pdps/referrals/v1/referrals_events.pb.h"
#include "pdps/workforce/v1/workforce_events.pb.h"
#include "services/workforce/domain/validate.h"
#include "services/workforce/store/sql.h"

namespace pdps::workforce {
namespace {

using db::P;
using db::Result;
using db::Tx;
using domain::Day;
using protoutil::SetTimestamp;

std::string Lower(const std::string& id) { return absl::AsciiStrToLower(id); }

db::Param DateOrNull(const pdps::common::v1::Date& d) { return db::OrNull(d.value()); }

// A service actor for reads across tenants that return no personal data.
db::Actor ServiceActor(const server::Call& c) { return db::Actor::Internal(c.principal.user_id); }

// ------------------------------------------------------------------ readers ---

// The stored record: the input fields only.
v1::StaffMember RecordOf(const v1::StaffMember& s) {
  v1::StaffMember r = s;
  r.clear_id();
  r.clear_provider_id();
  r.clear_etag();
  r.clear_audit();
  for (auto& lot : *r.mutable_lot_ids()) absl::AsciiStrToLower(&lot);
  return r;
}

v1::StaffMember StaffOf(const Result& r, int i) {
  v1::StaffMember s = protoutil::FromJson<v1::StaffMember>(r.String(i, "record"));
  s.set_id(r.String(i, "id"));
  s.set_provider_id(r.String(i, "provider_id"));
  s.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  protoutil::FillAudit(r, i, s.mutable_audit());
  return s;
}

v1::TrainingMatrix MatrixOf(const Result& r, int i) {
  v1::TrainingMatrix m = protoutil::FromJson<v1::TrainingMatrix>(r.String(i, "matrix"));
  m.set_id(r.String(i, "id"));
  m.set_framework_id(r.String(i, "framework_id"));
  m.set_lot_id(r.String(i, "lot_id"));
  m.set_version(static_cast<int>(r.Int64(i, "version")));
  m.mutable_effective_from()->set_value(r.String(i, "effective_from"));
  protoutil::FillAudit(r, i, m.mutable_audit());
  return m;
}

v1::TrainingRecord TrainingOf(const Result& r, int i) {
  v1::TrainingRecord t;
  t.set_id(r.String(i, "id"));
  t.set_staff_id(r.String(i, "staff_id"));
  t.set_competency_code(r.String(i, "competency_code"));
  t.mutable_completed_on()->set_value(r.String(i, "completed_on"));
  t.set_training_provider(r.String(i, "training_provider"));
  t.set_evidence_reference(r.String(i, "evidence_reference"));
  if (!r.IsNull(i, "void_time")) {
    SetTimestamp(r.Time(i, "void_time"), t.mutable_void_time());
    t.set_void_user(r.String(i, "void_user"));
    t.set_void_reason(r.String(i, "void_reason"));
  }
  protoutil::FillAudit(r, i, t.mutable_audit());
  return t;
}

v1::Complaint ComplaintOf(const Result& r, int i, absl::Time now) {
  v1::Complaint c;
  c.set_id(r.String(i, "id"));
  c.set_provider_id(r.String(i, "provider_id"));
  c.set_framework_id(r.String(i, "framework_id"));
  c.set_lot_id(r.String(i, "lot_id"));
  SetTimestamp(r.Time(i, "received_time"), c.mutable_received_time());
  absl::Time due = r.Time(i, "answer_due_time");
  SetTimestamp(due, c.mutable_answer_due_time());
  if (!r.IsNull(i, "acknowledged_time")) {
    SetTimestamp(r.Time(i, "acknowledged_time"), c.mutable_acknowledged_time());
  }
  if (!r.IsNull(i, "answered_time")) {
    SetTimestamp(r.Time(i, "answered_time"), c.mutable_answered_time());
  }
  c.set_state(protoutil::EnumFromName<v1::Complaint::State>(r.String(i, "state")));
  c.set_outcome(protoutil::EnumFromName<v1::Complaint::Outcome>(r.String(i, "outcome")));
  c.set_learning(r.String(i, "learning"));
  c.set_safeguarding(r.Bool(i, "safeguarding"));
  c.set_summary(r.String(i, "summary"));
  c.set_answer_working_days(static_cast<int>(r.Int64(i, "answer_working_days")));
  c.set_overdue(c.state() != v1::Complaint::ANSWERED && due < now);
  c.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  protoutil::FillAudit(r, i, c.mutable_audit());
  return c;
}

v1::MonitoringVisit VisitOf(const Result& r, int i) {
  v1::MonitoringVisit v;
  v.set_id(r.String(i, "id"));
  v.set_provider_id(r.String(i, "provider_id"));
  v.set_framework_id(r.String(i, "framework_id"));
  v.set_lot_id(r.String(i, "lot_id"));
  v.mutable_visit_date()->set_value(r.String(i, "visit_date"));
  v.set_findings(r.String(i, "findings"));
  v.set_rating(protoutil::EnumFromName<v1::Rating>(r.String(i, "rating")));
  protoutil::FillAudit(r, i, v.mutable_audit());
  return v;
}

// Items are stored as an ActionPlan holding only its items.
v1::ActionPlan PlanOf(const Result& r, int i, Day today) {
  v1::ActionPlan p = protoutil::FromJson<v1::ActionPlan>(r.String(i, "items"));
  p.set_id(r.String(i, "id"));
  p.set_provider_id(r.String(i, "provider_id"));
  p.set_framework_id(r.String(i, "framework_id"));
  p.set_visit_id(r.String(i, "visit_id"));
  p.set_title(r.String(i, "title"));
  for (auto& item : *p.mutable_items()) {
    auto due = domain::DayOf(item.due_date());
    item.set_overdue(item.completed_on().value().empty() && due && *due < today);
  }
  p.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  protoutil::FillAudit(r, i, p.mutable_audit());
  return p;
}

std::string ItemsJson(const v1::ActionPlan& p);

// A new plan's items: completed_on is output only (CompleteActionItem), never taken
// from the request.
std::string NewItemsJson(const v1::ActionPlan& p) {
  v1::ActionPlan fresh = p;
  for (auto& item : *fresh.mutable_items()) item.clear_completed_on();
  return ItemsJson(fresh);
}

std::string ItemsJson(const v1::ActionPlan& p) {
  v1::ActionPlan items;
  for (const auto& item : p.items()) {
    auto* out = items.add_items();
    *out = item;
    out->clear_overdue();
  }
  return protoutil::ToJson(items);
}

// Revisions are stored as a FinancialAccounts holding only its revisions.
v1::FinancialAccounts AccountsFromRow(const Result& r, int i) {
  v1::FinancialAccounts a = protoutil::FromJson<v1::FinancialAccounts>(r.String(i, "revisions"));
  a.set_id(r.String(i, "id"));
  a.set_provider_id(r.String(i, "provider_id"));
  a.set_framework_id(r.String(i, "framework_id"));
  a.mutable_year_end()->set_value(r.String(i, "year_end"));
  a.mutable_current_assets()->set_pence(r.Int64(i, "current_assets_pence"));
  a.mutable_current_liabilities()->set_pence(r.Int64(i, "current_liabilities_pence"));
  a.mutable_operating_profit()->set_pence(r.Int64(i, "operating_profit_pence"));
  a.mutable_capital_employed()->set_pence(r.Int64(i, "capital_employed_pence"));
  a.mutable_net_assets()->set_pence(r.Int64(i, "net_assets_pence"));
  domain::Viability v = domain::AssessAccounts(domain::AccountsOf(a));
  a.set_liquidity_ratio(v.liquidity);
  a.set_roce_percent(v.roce_percent);
  for (domain::Breach b : v.breaches) {
    switch (b) {
      case domain::Breach::kLiquidity:
        a.add_breaches(v1::FinancialAccounts::LIQUIDITY);
        break;
      case domain::Breach::kRoce:
        a.add_breaches(v1::FinancialAccounts::ROCE);
        break;
      case domain::Breach::kNetAssets:
        a.add_breaches(v1::FinancialAccounts::NET_ASSETS);
        break;
    }
  }
  a.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  protoutil::FillAudit(r, i, a.mutable_audit());
  return a;
}

// The revisions of `before` with its figures added as the newest, replaced now.
std::string RevisionsJson(const v1::FinancialAccounts& before, const std::string& reason,
                          const server::Call& c) {
  v1::FinancialAccounts held;
  *held.mutable_revisions() = before.revisions();
  v1::AccountsRevision* r = held.add_revisions();
  *r->mutable_current_assets() = before.current_assets();
  *r->mutable_current_liabilities() = before.current_liabilities();
  *r->mutable_operating_profit() = before.operating_profit();
  *r->mutable_capital_employed() = before.capital_employed();
  *r->mutable_net_assets() = before.net_assets();
  r->set_reason(reason);
  protoutil::SetTimestamp(c.now, r->mutable_revise_time());
  r->set_revise_user(c.principal.user_id);
  return protoutil::ToJson(held);
}

v1::SuspensionRules RulesOf(const Result& r, int i) {
  v1::SuspensionRules s;
  s.set_framework_id(r.String(i, "framework_id"));
  s.set_owner_organisation_id(r.String(i, "owner_organisation"));
  s.set_suspend_on_inadequate_visit(r.Bool(i, "suspend_on_inadequate_visit"));
  s.set_upheld_safeguarding_complaints(
      static_cast<int>(r.Int64(i, "upheld_safeguarding_complaints")));
  s.set_complaint_window_months(static_cast<int>(r.Int64(i, "complaint_window_months")));
  s.set_suspend_on_financial_breach(r.Bool(i, "suspend_on_financial_breach"));
  s.set_suspend_on_ineligible_package_worker(r.Bool(i, "suspend_on_ineligible_package_worker"));
  s.set_min_trained_staff_percent(static_cast<int>(r.Int64(i, "min_trained_staff_percent")));
  s.set_action_plan_due_working_days(static_cast<int>(r.Int64(i, "action_plan_due_working_days")));
  s.set_complaint_answer_working_days(
      static_cast<int>(r.Int64(i, "complaint_answer_working_days")));
  s.set_turnover_target_percent(static_cast<int>(r.Int64(i, "turnover_target_percent")));
  s.set_trained_staff_induction_weeks(
      static_cast<int>(r.Int64(i, "trained_staff_induction_weeks")));
  s.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  protoutil::FillAudit(r, i, s.mutable_audit());
  return s;
}

// The rules of a framework; none set: nothing trips.
absl::StatusOr<domain::SuspensionRules> FrameworkRules(Tx& tx, const std::string& framework_id) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectRules, {P(framework_id)}));
  if (r.rows() == 0) return domain::SuspensionRules{};
  return domain::RulesOf(RulesOf(r, 0));
}

// ------------------------------------------------------------ rule inputs ---

// The `day` of a one-row max() (sql::kLatestOther...): nothing when there is none.
absl::StatusOr<std::optional<Day>> LatestDay(Tx& tx, std::string_view statement,
                                             std::vector<db::Param> params) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(statement, std::move(params)));
  if (r.rows() == 0 || r.IsNull(0, "day")) return std::optional<Day>();
  return dates::ParseDay(r.String(0, "day"));
}

absl::StatusOr<std::vector<domain::Matrix>> LotMatrices(Tx& tx, const std::string& lot_id) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectLotMatrices, {P(lot_id)}));
  std::vector<domain::Matrix> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(domain::MatrixOf(MatrixOf(r, i)));
  return out;
}

absl::Status NoMatrix(const std::string& lot_id, Day day) {
  return FailedPrecondition(
      absl::StrCat("lot ", lot_id, " has no training matrix in force on ", dates::FormatDay(day),
                   " (a commissioner creates one with CreateTrainingMatrix)"),
      "TRAINING_MATRIX_MISSING", Subject("lot", lot_id));
}

std::vector<domain::Completion> CompletionsOf(const Result& r) {
  std::vector<domain::Completion> out;
  for (int i = 0; i < r.rows(); ++i) {
    auto d = dates::ParseDay(r.String(i, "completed_on"));
    if (d) out.push_back({r.String(i, "competency_code"), *d});
  }
  return out;
}

// The lot's matrix version in force on `day`; FAILED_PRECONDITION if none.
absl::StatusOr<domain::Matrix> MatrixInForce(Tx& tx, const std::string& lot_id, Day day) {
  ASSIGN_OR_RETURN(auto versions, LotMatrices(tx, lot_id));
  const domain::Matrix* m = domain::InForce(versions, day);
  if (m == nullptr) return NoMatrix(lot_id, day);
  return *m;
}

// Every version of each lot's matrix, read once per lot (the sweeps go through many
// workers on few lots).
class LotVersions {
 public:
  explicit LotVersions(Tx& tx) : tx_(tx) {}
  absl::StatusOr<const std::vector<domain::Matrix>*> For(const std::string& lot_id) {
    auto it = of_.find(lot_id);
    if (it == of_.end()) {
      ASSIGN_OR_RETURN(auto versions, LotMatrices(tx_, lot_id));
      it = of_.emplace(lot_id, std::move(versions)).first;
    }
    return &it->second;
  }

 private:
  Tx& tx_;
  std::map<std::string, std::vector<domain::Matrix>> of_;
};

// The matrix in force on one day of each lot, read once per lot.
class MatricesOnDay {
 public:
  MatricesOnDay(Tx& tx, Day day) : versions_(tx), day_(day) {}
  // nullptr when the lot has no matrix in force on the day.
  absl::StatusOr<const domain::Matrix*> For(const std::string& lot_id) {
    ASSIGN_OR_RETURN(const std::vector<domain::Matrix>* versions, versions_.For(lot_id));
    return domain::InForce(*versions, day_);
  }

 private:
  LotVersions versions_;
  Day day_;
};

// The compliance gate for one worker (its training read here).
absl::StatusOr<std::vector<domain::Reason>> GateReasons(Tx& tx, const v1::StaffMember& staff,
                                                        const domain::Matrix& m,
                                                        const std::vector<std::string>& extras,
                                                        Day day) {
  ASSIGN_OR_RETURN(Result t, tx.Exec(sql::kSelectStaffCompletions, {P(staff.id())}));
  return domain::CheckEligibility(domain::WorkerOf(staff), m, CompletionsOf(t), extras, day);
}

v1::IneligibilityReason::Kind ReasonProto(domain::ReasonKind k) {
  return protoutil::EnumFromName<v1::IneligibilityReason::Kind>(domain::ReasonName(k));
}

// Without the worker's name, which only ListExpiries adds.
v1::ExpiryItem ExpiryProto(const domain::Expiry& e) {
  v1::ExpiryItem item;
  item.set_staff_id(e.staff_id);
  item.set_kind(protoutil::EnumFromName<v1::ExpiryItem::Kind>(domain::ExpiryName(e.kind)));
  item.set_competency_code(e.code);
  item.mutable_due_date()->set_value(dates::FormatDay(e.due));
  item.set_lapsed(e.lapsed);
  item.set_matrix_version(e.matrix_version);
  item.set_lot_id(e.lot_id);
  return item;
}

void CopyReasons(const std::vector<domain::Reason>& reasons,
                 google::protobuf::RepeatedPtrField<v1::IneligibilityReason>* out) {
  for (const auto& r : reasons) {
    auto* p = out->Add();
    p->set_kind(ReasonProto(r.kind));
    p->set_competency_code(r.code);
    if (r.date) p->mutable_date()->set_value(dates::FormatDay(*r.date));
  }
}

v1::Package PackageOf(const Result& r, int i) {
  v1::Package p;
  p.set_id(r.String(i, "id"));
  p.set_provider_id(r.String(i, "provider_id"));
  p.set_framework_id(r.String(i, "framework_id"));
  p.set_lot_id(r.String(i, "lot_id"));
  p.set_partnership_id(r.String(i, "partnership_id"));
  for (absl::string_view code :
       absl::StrSplit(r.String(i, "extra_competencies"), ',', absl::SkipEmpty())) {
    p.add_extra_competencies(std::string(code));
  }
  p.mutable_start_date()->set_value(r.String(i, "start_date"));
  if (!r.String(i, "end_date").empty()) p.mutable_end_date()->set_value(r.String(i, "end_date"));
  for (absl::string_view org : absl::StrSplit(r.String(i, "funder_ids"), ',', absl::SkipEmpty())) {
    p.add_funder_organisation_ids(std::string(org));
  }
  return p;
}

std::vector<std::string> ExtrasOf(const v1::Package& p) {
  return {p.extra_competencies().begin(), p.extra_competencies().end()};
}

v1::PackageAssignment AssignmentOf(const Result& r, int i) {
  v1::PackageAssignment a;
  a.set_id(r.String(i, "id"));
  a.set_package_id(r.String(i, "package_id"));
  a.set_staff_id(r.String(i, "staff_id"));
  a.mutable_from_date()->set_value(r.String(i, "from_date"));
  if (!r.String(i, "to_date").empty()) a.mutable_to_date()->set_value(r.String(i, "to_date"));
  a.set_end_reason(r.String(i, "end_reason"));
  a.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  protoutil::FillAudit(r, i, a.mutable_audit());
  return a;
}

// staff id -> the lots the worker is named on (running package assignments).
using NamedLots = std::map<std::string, std::set<std::string>>;

NamedLots NamedLotsOf(const Result& r) {
  NamedLots out;
  for (int i = 0; i < r.rows(); ++i) out[r.String(i, "staff_id")].insert(r.String(i, "lot_id"));
  return out;
}

// What the expiry watch follows for one worker (domain::WatchedExpiries) over the lots
// it is named on: the same for the sweep and for ListExpiries without a lot.
absl::StatusOr<std::vector<domain::Expiry>> WatchedExpiries(
    LotVersions& matrices, const domain::Worker& w, const NamedLots& named,
    const std::vector<domain::Completion>& done, Day day, int within_days) {
  std::vector<domain::WatchedLot> lots;
  if (auto it = named.find(w.id); it != named.end()) {
    for (const std::string& lot : it->second) {
      ASSIGN_OR_RETURN(const std::vector<domain::Matrix>* versions, matrices.For(lot));
      lots.push_back({lot, versions});
    }
  }
  return domain::WatchedExpiries(w, lots, done, day, within_days);
}

// A provider's workers with their completions, in one read each.
struct Workforce {
  std::vector<v1::StaffMember> staff;
  std::vector<domain::Worker> workers;
  std::vector<std::vector<domain::Completion>> done;
};

absl::StatusOr<Workforce> LoadWorkforce(Tx& tx, const std::string& provider_id) {
  Workforce w;
  ASSIGN_OR_RETURN(Result s, tx.Exec(sql::kSelectProviderStaff, {P(provider_id)}));
  ASSIGN_OR_RETURN(Result t, tx.Exec(sql::kSelectProviderCompletions, {P(provider_id)}));
  std::map<std::string, size_t> index;
  for (int i = 0; i < s.rows(); ++i) {
    w.staff.push_back(StaffOf(s, i));
    w.workers.push_back(domain::WorkerOf(w.staff.back()));
    index[w.staff.back().id()] = w.workers.size() - 1;
  }
  w.done.resize(w.workers.size());
  for (int i = 0; i < t.rows(); ++i) {
    auto it = index.find(t.String(i, "staff_id"));
    auto d = dates::ParseDay(t.String(i, "completed_on"));
    if (it != index.end() && d) w.done[it->second].push_back({t.String(i, "competency_code"), *d});
  }
  return w;
}

v1::SuspensionRule RuleProto(domain::Rule r) {
  switch (r) {
    case domain::Rule::kInadequateVisit:
      return v1::INADEQUATE_VISIT;
    case domain::Rule::kUpheldSafeguardingComplaints:
      return v1::UPHELD_SAFEGUARDING_COMPLAINTS;
    case domain::Rule::kFinancialViability:
      return v1::FINANCIAL_VIABILITY;
    case domain::Rule::kIneligiblePackageWorker:
      return v1::INELIGIBLE_PACKAGE_WORKER;
    case domain::Rule::kTrainedStaffBelowTarget:
      return v1::TRAINED_STAFF_BELOW_TARGET;
  }
  return v1::SUSPENSION_RULE_UNSPECIFIED;
}

// Every event workforce publishes (protos/pdps/workforce/v1/workforce_events.proto).
std::vector<std::string> PublishedEvents() {
  return {event_types::workforce::kSuspensionRuleTripped,
          event_types::workforce::kComplianceLapsing};
}

// What a provider's return is figured from (domain::ReturnFacts): the lot's matrix, or
// the matrices of every lot it works on for the periods; its workforce; the lot's
// framework's targets and complaints.
absl::StatusOr<domain::ReturnFacts> ReadReturnFacts(Tx& tx, const std::string& provider_id,
                                                    const std::string& lot_id,
                                                    const std::set<std::string>& working_lots,
                                                    domain::Period period, absl::Time now) {
  domain::ReturnFacts f;
  std::optional<std::string> framework;
  if (!lot_id.empty()) {
    ASSIGN_OR_RETURN(std::vector<domain::Matrix> versions, LotMatrices(tx, lot_id));
    const domain::Matrix* m = domain::InForce(versions, period.last);
    if (m == nullptr) return NoMatrix(lot_id, period.last);
    f.lot = Lower(lot_id);
    f.lot_matrix = *m;
    f.period_matrices.emplace(f.lot, *m);
    framework = m->framework_id;
    ASSIGN_OR_RETURN(domain::SuspensionRules targets, FrameworkRules(tx, *framework));
    f.turnover_target_percent = targets.turnover_target_percent;
    f.induction_weeks = targets.induction_weeks;
  } else {
    // Staff records' lot labels are the provider's own and checked against nothing: they
    // do not tighten the periods.
    std::set<std::string> lots = working_lots;
    ASSIGN_OR_RETURN(Result packages, tx.Exec(sql::kSelectProviderPackageLots,
                                              {P(provider_id), P(dates::FormatDay(period.first)),
                                               P(dates::FormatDay(period.last))}));
    for (int i = 0; i < packages.rows(); ++i) lots.insert(packages.String(i, "lot_id"));
    MatricesOnDay in_force(tx, period.last);
    for (const std::string& lot : lots) {
      ASSIGN_OR_RETURN(const domain::Matrix* m, in_force.For(lot));
      if (m != nullptr) f.period_matrices.emplace(lot, *m);  // no matrix, no periods
    }
  }
  ASSIGN_OR_RETURN(Workforce w, LoadWorkforce(tx, provider_id));
  f.workers = std::move(w.workers);
  f.done = std::move(w.done);
  ASSIGN_OR_RETURN(Result cr, tx.Exec(sql::kSelectComplaintFacts,
                                      {P(provider_id), db::OrNull(framework.value_or("")),
                                       P(domain::ReturnCountedUntil(period, now))}));
  for (int i = 0; i < cr.rows(); ++i) {
    domain::ComplaintFacts c;
    c.received = cr.Time(i, "received_time");
    c.due = cr.Time(i, "answer_due_time");
    if (!cr.IsNull(i, "answered_time")) c.answered = cr.Time(i, "answered_time");
    c.upheld = domain::IsUpheld(cr.String(i, "outcome"));
    f.complaints.push_back(c);
  }
  return f;
}

v1::WorkforceReturn ReturnOf(const domain::QuarterlyReturn& q, const std::string& provider_id,
                             domain::Quarter quarter, domain::Period period,
                             const std::string& lot_id) {
  v1::WorkforceReturn out;
  const domain::Return& r = q.figures;
  out.set_provider_id(provider_id);
  out.set_quarter(dates::FormatQuarter(quarter));
  out.mutable_period_start()->set_value(dates::FormatDay(period.first));
  out.mutable_period_end()->set_value(dates::FormatDay(period.last));
  out.set_lot_id(lot_id);
  out.set_headcount_start(r.headcount_start);
  out.set_headcount_end(r.headcount_end);
  out.set_starters(r.starters);
  out.set_leavers(r.leavers);
  out.set_average_headcount(r.average_headcount);
  out.set_turnover_percent(r.turnover_percent);
  out.set_turnover_within_target(r.turnover_within_target);
  out.set_turnover_target_percent(r.turnover_target_percent);
  out.set_dbs_compliance_percent(r.dbs_percent);
  out.set_supervision_compliance_percent(r.supervision_percent);
  if (q.training_computed) out.set_training_compliance_percent(r.training_percent);
  out.set_training_computed(q.training_computed);
  out.set_dbs_renewal_months(q.periods.dbs_renewal_months);
  out.set_dbs_check_months(q.periods.dbs_check_months);
  out.set_supervision_interval_months(q.periods.supervision_months);
  for (const std::string& l : q.period_lots) out.add_period_lot_ids(l);
  out.set_complaints_received(q.complaints.received);
  out.set_complaints_answered(q.complaints.answered);
  out.set_complaints_answered_in_time(q.complaints.answered_in_time);
  out.set_complaints_upheld(q.complaints.upheld);
  out.set_complaints_overdue_at_end(q.complaints.overdue_at_end);
  return out;
}

}  // namespace

Store::Store(db::Pool* pool, calendar::HolidayCalendar holidays)
    : pool_(pool),
      working_time_(std::move(holidays)),
      outbox_("workforce", PublishedEvents()),
      ledger_("workforce") {}

absl::Status Store::Trip(Tx& tx, const std::optional<domain::Trip>& trip, Day today,
                         const std::string& provider_id, const std::string& framework_id,
                         const std::string& lot_id, const std::string& source_id) {
  if (!trip) return absl::OkStatus();
  domain::ActionItem first = domain::FirstActionItem(*trip, today, working_time_);
  v1::SuspensionRuleTripped e;
  e.set_provider_id(provider_id);
  e.set_framework_id(framework_id);
  e.set_lot_id(lot_id);
  e.set_rule(RuleProto(trip->rule));
  e.set_reason(trip->reason);
  e.set_source_id(source_id);
  e.set_action_plan_item(first.description);
  e.mutable_action_plan_due_date()->set_value(dates::FormatDay(first.due));
  return outbox_.Append(tx, {event_types::workforce::kSuspensionRuleTripped, "provider",
                             provider_id, provider_id, &e});
}

// -------------------------------------------------------------------- staff ---

absl::StatusOr<v1::StaffMember> Store::CreateStaff(const Call& c, const v1::StaffMember& s,
                                                   const std::string& request_id) {
  v1::StaffMember out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      return tx
          .Exec(sql::kInsertStaff,
                {P(id), P(c.principal.organisation_id), P(s.display_name()),
                 P(s.start_date().value()), DateOrNull(s.leave_date()),
                 P(v1::ContractType_Name(s.contract_type())), P(protoutil::ToJson(RecordOf(s))),
                 P(c.now), P(c.principal.user_id)})
          .status();
    };
    ASSIGN_OR_RETURN(std::string id,
                     ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                        "CreateStaffMember", idempotency::Fingerprint(s), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectStaff, {P(id)}));
    if (r.rows() == 0) return NotFound("staff member", id);
    out = StaffOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::StaffMember> Store::GetStaff(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, pool_->Read(c.actor(), c.deadline, sql::kSelectStaff, {P(id)}));
  if (r.rows() == 0) return NotFound("staff member", id);
  return StaffOf(r, 0);
}

absl::StatusOr<Listed<v1::StaffMember>> Store::ListStaff(const Call& c, bool include_leavers,
                                                         int page_size,
                                                         const std::string& page_token) {
  return listing::ReadPage<v1::StaffMember>(
      *pool_, c, sql::kListStaff, absl::StrCat("staff|", include_leavers), page_size, page_token,
      {P(c.principal.organisation_id), P(include_leavers),
       P(dates::FormatDay(dates::TodayInLondon(c.now)))},
      [](const Result& r, int i) { return StaffOf(r, i); },
      [](const Result&, int, const v1::StaffMember& m) {
        return std::pair(m.display_name(), m.id());
      });
}

absl::StatusOr<v1::StaffMember> Store::UpdateStaff(const Call& c, const v1::StaffMember& s) {
  v1::StaffMember out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectStaffForUpdate, {P(s.id())}));
    if (cur.rows() == 0) return NotFound("staff member", s.id());
    if (protoutil::EtagOf(cur.Int64(0, "version")) != s.etag()) return StaleEtag("staff member");
    RETURN_IF_ERROR(
        tx.Exec(sql::kUpdateStaff,
                {P(s.id()), P(s.display_name()), P(s.start_date().value()),
                 DateOrNull(s.leave_date()), P(v1::ContractType_Name(s.contract_type())),
                 P(protoutil::ToJson(RecordOf(s))), P(c.now), P(c.principal.user_id)})
            .status());
    if (!s.leave_date().value().empty()) {
      // A leaver is named on no package after the last day: its assignments end with it.
      RETURN_IF_ERROR(tx.Exec(sql::kEndAssignmentsOfLeaver,
                              {P(s.id()), P(s.leave_date().value()),
                               P(absl::StrCat("the worker left on ", s.leave_date().value())),
                               P(c.now), P(c.principal.user_id)})
                          .status());
    }
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectStaff, {P(s.id())}));
    out = StaffOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

// --------------------------------------------------------- training matrices ---

absl::StatusOr<v1::TrainingMatrix> Store::CreateMatrix(const Call& c, const v1::TrainingMatrix& m,
                                                       const std::string& request_id) {
  v1::TrainingMatrix out;
  const std::string lot = Lower(m.lot_id());
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      RETURN_IF_ERROR(tx.Exec(sql::kLockLot, {P(lot)}).status());
      ASSIGN_OR_RETURN(Result latest, tx.Exec(sql::kLatestMatrix, {P(lot)}));
      std::optional<Day> latest_from;
      if (latest.rows() > 0) {
        if (latest.String(0, "owner") != Lower(c.principal.organisation_id)) {
          return absl::PermissionDeniedError(
              "this lot's training matrix is kept by another organisation");
        }
        latest_from = *dates::ParseDay(latest.String(0, "effective_from"));
      }
      RETURN_IF_ERROR(domain::CheckNewMatrixVersion(latest_from, *domain::DayOf(m.effective_from()),
                                                    dates::TodayInLondon(c.now), lot));
      const int version = latest.rows() > 0 ? static_cast<int>(latest.Int64(0, "version")) + 1 : 1;
      v1::TrainingMatrix body;
      body.set_title(m.title());
      *body.mutable_competencies() = m.competencies();
      body.set_dbs_renewal_months(m.dbs_renewal_months());
      body.set_dbs_check_months(m.dbs_check_months());
      body.set_supervision_interval_months(m.supervision_interval_months());
      body.set_appraisal_interval_months(m.appraisal_interval_months());
      body.set_required_registration_body(m.required_registration_body());
      RETURN_IF_ERROR(tx.Exec(sql::kInsertMatrix,
                              {P(id), P(m.framework_id()), P(lot), P(version),
                               P(m.effective_from().value()), P(protoutil::ToJson(body)), P(c.now),
                               P(c.principal.user_id), P(c.principal.organisation_id)})
                          .status());
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id, ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                                        "CreateTrainingMatrix",
                                                        idempotency::Fingerprint(m), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectMatrix, {P(id)}));
    if (r.rows() == 0) return NotFound("training matrix", id);
    out = MatrixOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::TrainingMatrix> Store::GetMatrix(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, pool_->Read(c.actor(), c.deadline, sql::kSelectMatrix, {P(id)}));
  if (r.rows() == 0) return NotFound("training matrix", id);
  return MatrixOf(r, 0);
}

absl::StatusOr<Listed<v1::TrainingMatrix>> Store::ListMatrices(const Call& c,
                                                               const std::string& lot_id,
                                                               const std::string& framework_id,
                                                               int page_size,
                                                               const std::string& page_token) {
  return listing::ReadPage<v1::TrainingMatrix>(
      *pool_, c, sql::kListMatrices, absl::StrCat("matrices|", lot_id, "|", framework_id),
      page_size, page_token, {db::OrNull(lot_id), db::OrNull(framework_id)},
      [](const Result& r, int i) { return MatrixOf(r, i); },
      [](const Result&, int, const v1::TrainingMatrix& m) {
        return std::pair(m.lot_id(), absl::StrCat(m.version()));
      });
}

// --------------------------------------------------------- training records ---

absl::StatusOr<v1::TrainingRecord> Store::CreateTraining(const Call& c, const v1::TrainingRecord& t,
                                                         const std::string& request_id) {
  v1::TrainingRecord out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      ASSIGN_OR_RETURN(Result staff, tx.Exec(sql::kSelectStaff, {P(t.staff_id())}));
      if (staff.rows() == 0) return NotFound("staff member", t.staff_id());
      RETURN_IF_ERROR(
          tx.Exec(sql::kInsertTraining,
                  {P(id), P(c.principal.organisation_id), P(t.staff_id()), P(t.competency_code()),
                   P(t.completed_on().value()), P(t.training_provider()), P(t.evidence_reference()),
                   P(c.now), P(c.principal.user_id)})
              .status());
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id, ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                                        "CreateTrainingRecord",
                                                        idempotency::Fingerprint(t), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectTraining, {P(id)}));
    if (r.rows() == 0) return NotFound("training record", id);
    out = TrainingOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::TrainingRecord> Store::VoidTraining(const Call& c, const std::string& id,
                                                       const std::string& reason) {
  v1::TrainingRecord out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result u, tx.Exec(sql::kVoidTraining, {P(Lower(id)), P(c.now),
                                                            P(c.principal.user_id), P(reason)}));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectTraining, {P(Lower(id))}));
    if (r.rows() == 0) return NotFound("training record", id);
    out = TrainingOf(r, 0);
    if (u.affected() == 0) {
      return FailedPrecondition(
          absl::StrCat("the training record was already voided: ", out.void_reason()),
          "TRAINING_RECORD_STATE", Subject("training_record", out.id()));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::TrainingRecord>> Store::ListTraining(const Call& c,
                                                               const std::string& staff_id,
                                                               const std::string& lot_id, Day day,
                                                               int page_size,
                                                               const std::string& page_token) {
  std::string fp = absl::StrCat("training|", staff_id, "|", lot_id, "|",
                                lot_id.empty() ? "" : dates::FormatDay(day));
  Listed<v1::TrainingRecord> out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result staff, tx.Exec(sql::kSelectStaff, {P(staff_id)}));
    if (staff.rows() == 0) return NotFound("staff member", staff_id);
    std::optional<domain::Matrix> matrix;
    if (!lot_id.empty()) {
      ASSIGN_OR_RETURN(matrix, MatrixInForce(tx, lot_id, day));
    }
    // With a lot, each completion says when it expires under the matrix in force.
    auto record = [&matrix](const Result& r, int i) {
      v1::TrainingRecord t = TrainingOf(r, i);
      if (matrix && !t.has_void_time()) {
        auto completed = dates::ParseDay(t.completed_on().value());
        auto expires = completed
                           ? domain::CompletionExpires(*matrix, t.competency_code(), *completed)
                           : std::nullopt;
        if (expires) t.mutable_expires_on()->set_value(dates::FormatDay(*expires));
      }
      return t;
    };
    ASSIGN_OR_RETURN(out, listing::ReadPage<v1::TrainingRecord>(
                              tx, sql::kListTraining, fp, page_size, page_token, {P(staff_id)},
                              record, [](const Result&, int, const v1::TrainingRecord& t) {
                                return std::pair(t.completed_on().value(), t.id());
                              }));
    return absl::OkStatus();
  }));
  return out;
}

// --------------------------------------------------------------- compliance ---

absl::StatusOr<v1::CheckWorkerEligibilityResponse> Store::CheckEligibility(
    const Call& c, const std::string& staff_id, const std::string& provider_id,
    const std::string& lot_id, const std::vector<std::string>& extras, Day day) {
  v1::CheckWorkerEligibilityResponse out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result s, tx.Exec(sql::kSelectStaff, {P(staff_id)}));
    if (s.rows() == 0) return NotFound("staff member", staff_id);
    if (!provider_id.empty() && s.String(0, "provider_id") != provider_id) {
      return NotFound("staff member", staff_id);
    }
    ASSIGN_OR_RETURN(domain::Matrix m, MatrixInForce(tx, lot_id, day));
    ASSIGN_OR_RETURN(auto reasons, GateReasons(tx, StaffOf(s, 0), m, extras, day));
    out.set_eligible(reasons.empty());
    CopyReasons(reasons, out.mutable_reasons());
    out.set_matrix_id(m.id);
    out.set_matrix_version(m.version);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::WorkforceCompliance> Store::Compliance(const Call& c,
                                                          const std::string& provider_id,
                                                          const std::string& lot_id, Day day) {
  v1::WorkforceCompliance out;
  // Counts only leave this transaction, so it may read the provider's rows as the service.
  RETURN_IF_ERROR(pool_->InTx(ServiceActor(c), c.deadline, [&](Tx& tx) -> absl::Status {
    out = {};  // InTx may run the body again (db.h)
    ASSIGN_OR_RETURN(domain::Matrix matrix, MatrixInForce(tx, lot_id, day));
    const domain::Matrix* m = &matrix;
    ASSIGN_OR_RETURN(Workforce w, LoadWorkforce(tx, provider_id));
    std::map<domain::ReasonKind, int> counts;
    int in_post = 0, eligible = 0;
    for (size_t i = 0; i < w.workers.size(); ++i) {
      if (!domain::InPost(w.workers[i], day) || !domain::WorksOnLot(w.workers[i], Lower(lot_id))) {
        continue;
      }
      ++in_post;
      auto reasons = domain::CheckEligibility(w.workers[i], *m, w.done[i], {}, day);
      if (reasons.empty()) ++eligible;
      std::set<domain::ReasonKind> kinds;
      for (const auto& r : reasons) kinds.insert(r.kind);
      for (auto k : kinds) ++counts[k];
    }
    out.set_provider_id(provider_id);
    out.set_lot_id(lot_id);
    out.mutable_date()->set_value(dates::FormatDay(day));
    out.set_matrix_version(m->version);
    out.set_staff_in_post(in_post);
    out.set_eligible(eligible);
    out.set_eligible_percent(in_post == 0 ? 0 : 100.0 * eligible / in_post);
    for (const auto& [kind, n] : counts) {
      auto* rc = out.add_reasons();
      rc->set_kind(ReasonProto(kind));
      rc->set_staff(n);
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> Store::AnnounceExpiries(absl::Time now, absl::Time deadline) {
  const Day today = dates::TodayInLondon(now);
  int announced = 0;
  RETURN_IF_ERROR(
      pool_->InTx(db::Actor::Internal(server::kSystemUser), deadline, [&](Tx& tx) -> absl::Status {
        announced = 0;
        // Training and the lot's own periods are watched for the lots each worker is named on.
        ASSIGN_OR_RETURN(Result running,
                         tx.Exec(sql::kSelectRunningAssignments, {P(dates::FormatDay(today))}));
        const NamedLots named = NamedLotsOf(running);
        LotVersions matrices(tx);
        ASSIGN_OR_RETURN(Result providers, tx.Exec(sql::kSelectProvidersWithStaff));
        for (int p = 0; p < providers.rows(); ++p) {
          const std::string provider = providers.String(p, "provider_id");
          ASSIGN_OR_RETURN(Workforce w, LoadWorkforce(tx, provider));
          for (size_t i = 0; i < w.workers.size(); ++i) {
            // The lots' training, under the version in force and those taking effect
            // within the 60 days, and their own periods (Derby supervises monthly).
            ASSIGN_OR_RETURN(std::vector<domain::Expiry> items,
                             WatchedExpiries(matrices, w.workers[i], named, w.done[i], today, 60));
            for (const auto& e : items) {
              int stage = domain::AnnouncementStage(e.due, today);
              if (stage < 0) continue;
              ASSIGN_OR_RETURN(Result inserted,
                               tx.Exec(sql::kInsertAnnouncement,
                                       {P(provider), P(e.staff_id), P(domain::ExpiryName(e.kind)),
                                        P(e.code), P(dates::FormatDay(e.due)), P(stage)}));
              if (inserted.rows() == 0) continue;
              v1::ComplianceLapsing event;
              event.set_provider_id(provider);
              event.set_within_days(stage);
              *event.mutable_item() = ExpiryProto(e);
              RETURN_IF_ERROR(outbox_.Append(tx, {event_types::workforce::kComplianceLapsing,
                                                  "staff_member", e.staff_id, provider, &event}));
              ++announced;
            }
          }
        }
        return absl::OkStatus();
      }));
  return announced;
}

absl::StatusOr<Listed<v1::ExpiryItem>> Store::ListExpiries(const Call& c, const std::string& lot_id,
                                                           Day day, int within_days, int page_size,
                                                           const std::string& page_token) {
  std::string fp = absl::StrCat("expiries|", lot_id, "|", dates::FormatDay(day), "|", within_days);
  ASSIGN_OR_RETURN(auto page, paging::Parse(page_size, page_token, fp));
  Listed<v1::ExpiryItem> out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    out = {};  // InTx may run the body again (db.h)
    const std::string& provider = c.principal.organisation_id;
    std::vector<domain::Matrix> versions;
    NamedLots named;  // without a lot: the lots each worker is named on, as the sweep
    if (!lot_id.empty()) {
      ASSIGN_OR_RETURN(versions, LotMatrices(tx, lot_id));
      if (domain::InForce(versions, day) == nullptr) return NoMatrix(lot_id, day);
    } else {
      ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectProviderNamedLots,
                                         {P(dates::FormatDay(day)), P(provider)}));
      named = NamedLotsOf(r);
    }
    LotVersions matrices(tx);
    ASSIGN_OR_RETURN(Workforce w, LoadWorkforce(tx, provider));
    // Not a listing::ReadPage: what is due when comes from the matrices' rules in C++
    // (domain::LotExpiries), not from a column SQL could order by. So the whole list is
    // made, sorted by one key, and paged here with the same paging::Page and Next (and
    // tokens) as every other list.
    std::vector<std::pair<std::string, v1::ExpiryItem>> all;
    for (size_t i = 0; i < w.workers.size(); ++i) {
      if (!domain::WorksOnLot(w.workers[i], Lower(lot_id))) continue;
      std::vector<domain::Expiry> items;
      if (lot_id.empty()) {
        ASSIGN_OR_RETURN(
            items, WatchedExpiries(matrices, w.workers[i], named, w.done[i], day, within_days));
      } else {
        items = domain::LotExpiries(w.workers[i], versions, w.done[i], day, within_days);
        for (auto& e : items) e.lot_id = Lower(lot_id);
      }
      for (const auto& e : items) {
        v1::ExpiryItem item = ExpiryProto(e);
        item.set_display_name(w.staff[i].display_name());
        std::string key = absl::StrCat(dates::FormatDay(e.due), " ",
                                       absl::StrFormat("%02d", static_cast<int>(item.kind())), " ",
                                       e.code, " ", e.staff_id);
        all.emplace_back(std::move(key), std::move(item));
      }
    }
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string last;
    int fetched = 0;  // items after the cursor, up to page.limit()
    for (auto& [key, item] : all) {
      if (!page.after.empty() && key <= page.after) continue;
      if (++fetched > page.size) break;
      last = key;
      out.items.push_back(std::move(item));
    }
    out.next_page_token = paging::Next(fetched, page, last, fp);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::WorkforceReturn> Store::WorkforceReturn(
    const Call& c, const std::string& provider_id, domain::Quarter q, domain::Period period,
    const std::string& lot_id, const std::set<std::string>& working_lots) {
  // Another organisation's return (a commissioner, checked by the caller): counts only
  // leave the transaction, so it reads the provider's rows as the service, as Compliance.
  const bool own = provider_id == Lower(c.principal.organisation_id);
  domain::ReturnFacts facts;
  RETURN_IF_ERROR(
      pool_->InTx(own ? c.actor() : ServiceActor(c), c.deadline, [&](Tx& tx) -> absl::Status {
        ASSIGN_OR_RETURN(facts,
                         ReadReturnFacts(tx, provider_id, lot_id, working_lots, period, c.now));
        return absl::OkStatus();
      }));
  return ReturnOf(domain::ComputeQuarterlyReturn(facts, period, c.now), provider_id, q, period,
                  lot_id);
}

// --------------------------------------------------------------- complaints ---

absl::StatusOr<v1::Complaint> Store::CreateComplaint(const Call& c, const v1::Complaint& in,
                                                     const std::string& request_id) {
  v1::Complaint out;
  absl::Time received = protoutil::FromTimestamp(in.received_time());
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    // The framework's answer period now fixes the due time; a later change moves nothing.
    ASSIGN_OR_RETURN(domain::SuspensionRules rules, FrameworkRules(tx, in.framework_id()));
    const int days = rules.complaint_answer_working_days;
    absl::Time due = domain::ComplaintAnswerDue(working_time_, received, days);
    auto insert = [&](const std::string& id) -> absl::Status {
      return tx
          .Exec(sql::kInsertComplaint,
                {P(id), P(c.principal.organisation_id), P(in.framework_id()),
                 db::OrNull(in.lot_id()), P(received), P(due), P(in.safeguarding()),
                 P(in.summary()), P(c.now), P(c.principal.user_id), P(days)})
          .status();
    };
    ASSIGN_OR_RETURN(std::string id,
                     ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                        "CreateComplaint", idempotency::Fingerprint(in), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectComplaint, {P(id)}));
    if (r.rows() == 0) return NotFound("complaint", id);
    out = ComplaintOf(r, 0, c.now);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Complaint> Store::GetComplaint(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, pool_->Read(c.actor(), c.deadline, sql::kSelectComplaint, {P(id)}));
  if (r.rows() == 0) return NotFound("complaint", id);
  return ComplaintOf(r, 0, c.now);
}

absl::StatusOr<Listed<v1::Complaint>> Store::ListComplaints(const Call& c, bool overdue_only,
                                                            int page_size,
                                                            const std::string& page_token) {
  return listing::ReadPage<v1::Complaint>(
      *pool_, c, sql::kListComplaints, absl::StrCat("complaints|", overdue_only), page_size,
      page_token, {P(c.principal.organisation_id), P(overdue_only), P(c.now)},
      [&c](const Result& r, int i) { return ComplaintOf(r, i, c.now); },
      [](const Result& r, int i, const v1::Complaint& m) {
        return std::pair(r.String(i, "received_time"), m.id());
      });
}

absl::StatusOr<v1::Complaint> Store::AcknowledgeComplaint(const Call& c, const std::string& id,
                                                          const std::string& etag) {
  v1::Complaint out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectComplaintForUpdate, {P(id)}));
    if (cur.rows() == 0) return NotFound("complaint", id);
    v1::Complaint before = ComplaintOf(cur, 0, c.now);
    if (before.etag() != etag) return StaleEtag("complaint");
    RETURN_IF_ERROR(domain::CheckComplaintVerb(v1::Complaint::State_Name(before.state()),
                                               domain::ComplaintVerb::kAcknowledge, before.id()));
    RETURN_IF_ERROR(
        tx.Exec(sql::kAcknowledgeComplaint, {P(id), P(c.now), P(c.principal.user_id)}).status());
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectComplaint, {P(id)}));
    out = ComplaintOf(r, 0, c.now);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Complaint> Store::AnswerComplaint(const Call& c, const std::string& id,
                                                     const std::string& etag,
                                                     v1::Complaint::Outcome outcome,
                                                     const std::string& learning) {
  v1::Complaint out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectComplaintForUpdate, {P(id)}));
    if (cur.rows() == 0) return NotFound("complaint", id);
    v1::Complaint before = ComplaintOf(cur, 0, c.now);
    if (before.etag() != etag) return StaleEtag("complaint");
    RETURN_IF_ERROR(domain::CheckComplaintVerb(v1::Complaint::State_Name(before.state()),
                                               domain::ComplaintVerb::kAnswer, before.id()));
    RETURN_IF_ERROR(tx.Exec(sql::kAnswerComplaint, {P(id), P(v1::Complaint::Outcome_Name(outcome)),
                                                    P(learning), P(c.now), P(c.principal.user_id)})
                        .status());
    const bool upheld = domain::IsUpheld(v1::Complaint::Outcome_Name(outcome));
    if (before.safeguarding() && upheld) {
      ASSIGN_OR_RETURN(domain::SuspensionRules rules, FrameworkRules(tx, before.framework_id()));
      if (rules.upheld_safeguarding_complaints > 0) {
        const Day today = dates::TodayInLondon(c.now);
        const domain::Period window = domain::SafeguardingWindow(rules, today);
        ASSIGN_OR_RETURN(Result n, tx.Exec(sql::kCountUpheldSafeguarding,
                                           {P(before.provider_id()), P(before.framework_id()),
                                            P(dates::StartOfDay(window.first)),
                                            P(dates::StartOfDay(window.last + 1))}));
        const Day received = dates::TodayInLondon(protoutil::FromTimestamp(before.received_time()));
        RETURN_IF_ERROR(Trip(tx,
                             domain::OnUpheldSafeguardingComplaint(
                                 rules, today, received, static_cast<int>(n.Int64(0, "n"))),
                             today, before.provider_id(), before.framework_id(), before.lot_id(),
                             id));
      }
    }
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectComplaint, {P(id)}));
    out = ComplaintOf(r, 0, c.now);
    return absl::OkStatus();
  }));
  return out;
}

// ------------------------------------------------------- quality monitoring ---

absl::StatusOr<v1::MonitoringVisit> Store::CreateVisit(const Call& c, const v1::MonitoringVisit& v,
                                                       const std::string& request_id) {
  v1::MonitoringVisit out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      RETURN_IF_ERROR(
          tx.Exec(sql::kInsertVisit,
                  {P(id), P(v.provider_id()), P(v.framework_id()), db::OrNull(v.lot_id()),
                   P(v.visit_date().value()), P(v.findings()), P(v1::Rating_Name(v.rating())),
                   P(c.now), P(c.principal.user_id), P(c.principal.organisation_id)})
              .status());
      ASSIGN_OR_RETURN(domain::SuspensionRules rules, FrameworkRules(tx, v.framework_id()));
      ASSIGN_OR_RETURN(std::optional<Day> later, LatestDay(tx, sql::kLatestOtherVisit,
                                                           {P(v.provider_id()), P(v.framework_id()),
                                                            db::OrNull(v.lot_id()), P(id)}));
      RETURN_IF_ERROR(Trip(tx,
                           domain::OnVisit(rules, domain::RatingOf(v.rating()),
                                           *domain::DayOf(v.visit_date()), later),
                           dates::TodayInLondon(c.now), Lower(v.provider_id()),
                           Lower(v.framework_id()), Lower(v.lot_id()), id));
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id, ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                                        "CreateMonitoringVisit",
                                                        idempotency::Fingerprint(v), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectVisit, {P(id)}));
    if (r.rows() == 0) return NotFound("monitoring visit", id);
    out = VisitOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::MonitoringVisit>> Store::ListVisits(const Call& c,
                                                              const std::string& provider_id,
                                                              int page_size,
                                                              const std::string& page_token) {
  return listing::ReadPage<v1::MonitoringVisit>(
      *pool_, c, sql::kListVisits, absl::StrCat("visits|", provider_id), page_size, page_token,
      {db::OrNull(provider_id)}, [](const Result& r, int i) { return VisitOf(r, i); },
      [](const Result&, int, const v1::MonitoringVisit& m) {
        return std::pair(m.visit_date().value(), m.id());
      });
}

absl::StatusOr<v1::ActionPlan> Store::CreatePlan(const Call& c, const v1::ActionPlan& p,
                                                 const std::string& request_id) {
  v1::ActionPlan out;
  Day today = dates::TodayInLondon(c.now);
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      if (!p.visit_id().empty()) {
        ASSIGN_OR_RETURN(Result v, tx.Exec(sql::kSelectVisit, {P(p.visit_id())}));
        if (v.rows() == 0 || v.String(0, "provider_id") != Lower(p.provider_id()) ||
            v.String(0, "create_organisation") != Lower(c.principal.organisation_id)) {
          return NotFound("monitoring visit", p.visit_id());
        }
      }
      RETURN_IF_ERROR(tx.Exec(sql::kInsertPlan,
                              {P(id), P(p.provider_id()), P(p.framework_id()),
                               db::OrNull(p.visit_id()), P(p.title()), P(NewItemsJson(p)), P(c.now),
                               P(c.principal.user_id), P(c.principal.organisation_id)})
                          .status());
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id,
                     ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                        "CreateActionPlan", idempotency::Fingerprint(p), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectPlan, {P(id)}));
    if (r.rows() == 0) return NotFound("action plan", id);
    out = PlanOf(r, 0, today);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::ActionPlan>> Store::ListPlans(const Call& c,
                                                        const std::string& provider_id,
                                                        int page_size,
                                                        const std::string& page_token) {
  const Day today = dates::TodayInLondon(c.now);
  return listing::ReadPage<v1::ActionPlan>(
      *pool_, c, sql::kListPlans, absl::StrCat("plans|", provider_id), page_size, page_token,
      {db::OrNull(provider_id)}, [today](const Result& r, int i) { return PlanOf(r, i, today); },
      [](const Result& r, int i, const v1::ActionPlan& m) {
        return std::pair(r.String(i, "create_time"), m.id());
      });
}

absl::StatusOr<v1::ActionPlan> Store::CompleteItem(const Call& c, const std::string& id,
                                                   const std::string& etag, int index, Day day) {
  v1::ActionPlan out;
  Day today = dates::TodayInLondon(c.now);
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectPlanForUpdate, {P(id)}));
    if (cur.rows() == 0) return NotFound("action plan", id);
    v1::ActionPlan plan = PlanOf(cur, 0, today);
    if (plan.etag() != etag) return StaleEtag("action plan");
    if (index < 0 || index >= plan.items_size()) {
      return InvalidField("item_index", absl::StrCat("must be from 0 to ", plan.items_size() - 1));
    }
    // Its items were all given when the plan was made: none existed before that day.
    const action_plan::ItemState item{dates::TodayInLondon(cur.Time(0, "create_time")),
                                      dates::ParseDay(plan.items(index).completed_on().value())};
    RETURN_IF_ERROR(action_plan::CheckCompletion(
        item, day, today, "completed_on",
        Subject("action_plan", absl::StrCat(plan.id(), "/items/", index))));
    plan.mutable_items(index)->mutable_completed_on()->set_value(dates::FormatDay(day));
    RETURN_IF_ERROR(tx.Exec(sql::kUpdatePlanItems,
                            {P(id), P(ItemsJson(plan)), P(c.now), P(c.principal.user_id)})
                        .status());
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectPlan, {P(id)}));
    out = PlanOf(r, 0, today);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::FinancialAccounts> Store::RecordAccounts(const Call& c,
                                                            const v1::FinancialAccounts& a,
                                                            const std::string& request_id) {
  v1::FinancialAccounts out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      RETURN_IF_ERROR(
          db::InsertUnique(
              tx,
              {sql::kInsertAccounts,
               {P(id), P(a.provider_id()), P(a.framework_id()), P(a.year_end().value()),
                P(a.current_assets().pence()), P(a.current_liabilities().pence()),
                P(a.operating_profit().pence()), P(a.capital_employed().pence()),
                P(a.net_assets().pence()), P(c.now), P(c.principal.user_id),
                P(c.principal.organisation_id)}},
              {sql::kSelectAccountsByKey,
               {P(a.provider_id()), P(a.framework_id()), P(a.year_end().value())}},
              absl::StrCat("accounts of this provider for the year ending ", a.year_end().value(),
                           " on this framework are already recorded; a framework keeps one set "
                           "a year, which its rules read"),
              v1::FinancialAccounts::descriptor()->full_name())
              .status());
      ASSIGN_OR_RETURN(domain::SuspensionRules rules, FrameworkRules(tx, a.framework_id()));
      ASSIGN_OR_RETURN(std::optional<Day> latest,
                       LatestDay(tx, sql::kLatestOtherAccounts,
                                 {P(a.provider_id()), P(a.framework_id()), P(id)}));
      RETURN_IF_ERROR(Trip(tx,
                           domain::OnAccounts(rules, domain::AssessAccounts(domain::AccountsOf(a)),
                                              *domain::DayOf(a.year_end()), latest),
                           dates::TodayInLondon(c.now), Lower(a.provider_id()),
                           Lower(a.framework_id()), "", id));
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(std::string id, ledger_.CreateOnce(tx, c.principal.organisation_id, request_id,
                                                        "RecordFinancialAccounts",
                                                        idempotency::Fingerprint(a), insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectAccounts, {P(id)}));
    if (r.rows() == 0) return NotFound("financial accounts", id);
    out = AccountsFromRow(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::FinancialAccounts> Store::GetAccounts(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r, pool_->Read(c.actor(), c.deadline, sql::kSelectAccounts, {P(id)}));
  if (r.rows() == 0) return NotFound("financial accounts", id);
  return AccountsFromRow(r, 0);
}

absl::StatusOr<v1::FinancialAccounts> Store::ReviseAccounts(const Call& c,
                                                            const v1::FinancialAccounts& a,
                                                            const std::string& reason) {
  v1::FinancialAccounts out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    // Row-level security lets only the recorder lock (and so revise) the accounts.
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectAccountsForUpdate, {P(a.id())}));
    if (cur.rows() == 0) return NotFound("financial accounts", a.id());
    const v1::FinancialAccounts before = AccountsFromRow(cur, 0);
    if (before.etag() != a.etag()) return StaleEtag("financial accounts");
    RETURN_IF_ERROR(domain::ValidateSameAccounts(before, a));
    if (domain::SameFigures(before, a)) {
      out = before;
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(tx.Exec(sql::kReviseAccounts,
                            {P(before.id()), P(a.current_assets().pence()),
                             P(a.current_liabilities().pence()), P(a.operating_profit().pence()),
                             P(a.capital_employed().pence()), P(a.net_assets().pence()),
                             P(RevisionsJson(before, reason, c)), P(c.now), P(c.principal.user_id)})
                        .status());
    ASSIGN_OR_RETURN(domain::SuspensionRules rules, FrameworkRules(tx, before.framework_id()));
    ASSIGN_OR_RETURN(
        std::optional<Day> latest,
        LatestDay(tx, sql::kLatestOtherAccounts,
                  {P(before.provider_id()), P(before.framework_id()), P(before.id())}));
    RETURN_IF_ERROR(Trip(
        tx,
        domain::OnRevisedAccounts(rules, domain::AssessAccounts(domain::AccountsOf(before)),
                                  domain::AssessAccounts(domain::AccountsOf(a)),
                                  *domain::DayOf(before.year_end()), latest),
        dates::TodayInLondon(c.now), before.provider_id(), before.framework_id(), "", before.id()));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectAccounts, {P(before.id())}));
    out = AccountsFromRow(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::FinancialAccounts>> Store::ListAccounts(const Call& c,
                                                                  const std::string& provider_id,
                                                                  int page_size,
                                                                  const std::string& page_token) {
  return listing::ReadPage<v1::FinancialAccounts>(
      *pool_, c, sql::kListAccounts, absl::StrCat("accounts|", provider_id), page_size, page_token,
      {db::OrNull(provider_id)}, [](const Result& r, int i) { return AccountsFromRow(r, i); },
      [](const Result&, int, const v1::FinancialAccounts& m) {
        return std::pair(m.year_end().value(), m.id());
      });
}

// --------------------------------------------------------- suspension rules ---

absl::StatusOr<v1::SuspensionRules> Store::SetRules(const Call& c, const v1::SuspensionRules& in) {
  v1::SuspensionRules out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    // Read first without a lock: row-level security lets only the owner lock the row.
    ASSIGN_OR_RETURN(Result seen, tx.Exec(sql::kSelectRules, {P(in.framework_id())}));
    if (seen.rows() > 0 &&
        seen.String(0, "owner_organisation") != Lower(c.principal.organisation_id)) {
      return absl::PermissionDeniedError(
          "this framework's suspension rules are kept by another organisation");
    }
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectRulesForUpdate, {P(in.framework_id())}));
    std::vector<db::Param> params = {P(in.framework_id()),
                                     P(c.principal.organisation_id),
                                     P(in.suspend_on_inadequate_visit()),
                                     P(in.upheld_safeguarding_complaints()),
                                     P(in.complaint_window_months()),
                                     P(in.suspend_on_financial_breach()),
                                     P(c.now),
                                     P(c.principal.user_id),
                                     P(in.suspend_on_ineligible_package_worker()),
                                     P(in.min_trained_staff_percent()),
                                     P(in.action_plan_due_working_days()),
                                     P(in.complaint_answer_working_days()),
                                     P(in.turnover_target_percent()),
                                     P(in.trained_staff_induction_weeks())};
    std::optional<std::string> stored;
    if (cur.rows() > 0) stored = RulesOf(cur, 0).etag();
    RETURN_IF_ERROR(domain::CheckRulesEtag(stored, in.etag()));
    RETURN_IF_ERROR(tx.Exec(stored ? sql::kUpdateRules : sql::kInsertRules, params).status());
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectRules, {P(in.framework_id())}));
    out = RulesOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::SuspensionRules> Store::GetRules(const Call& c,
                                                    const std::string& framework_id) {
  ASSIGN_OR_RETURN(Result r,
                   pool_->Read(c.actor(), c.deadline, sql::kSelectRules, {P(framework_id)}));
  if (r.rows() == 0) return NotFound("suspension rules of framework", framework_id);
  return RulesOf(r, 0);
}

// ---------------------------------------------------------------- packages ---

absl::Status Store::ApplyReferralAwarded(Tx& tx, const pdps::common::v1::Event& e) {
  pdps::referrals::v1::ReferralAwarded a;
  if (!e.payload().UnpackTo(&a)) {
    return absl::DataLossError(absl::StrCat("event ", e.position(), " is not a ReferralAwarded"));
  }
  std::string extras = absl::StrJoin(a.extra_competencies(), ",");
  std::vector<std::string> funders;
  for (const auto& share : a.funding()) {
    if (IsUuid(share.organisation_id())) funders.push_back(Lower(share.organisation_id()));
  }
  absl::Time awarded = protoutil::FromTimestamp(a.award_time());
  return tx
      .Exec(
          sql::kInsertPackage,
          {P(Lower(a.referral_id())), P(Lower(a.provider_id())), P(Lower(a.framework_id())),
           P(Lower(a.lot_id())), P(Lower(a.partnership_id())), P(extras), P(a.start_date().value()),
           DateOrNull(a.end_date()), P(awarded), P(absl::StrJoin(funders, ","))})
      .status();
}

absl::StatusOr<v1::Package> Store::GetPackage(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result r,
                   pool_->Read(ServiceActor(c), c.deadline, sql::kSelectPackage, {P(Lower(id))}));
  if (r.rows() == 0) return NotFound("package", id);
  return PackageOf(r, 0);
}

absl::StatusOr<Listed<v1::Package>> Store::ListPackages(const Call& c,
                                                        const std::string& provider_id,
                                                        int page_size,
                                                        const std::string& page_token) {
  return listing::ReadPage<v1::Package>(
      *pool_, c, sql::kListPackages, absl::StrCat("packages|", provider_id), page_size, page_token,
      {db::OrNull(provider_id)}, [](const Result& r, int i) { return PackageOf(r, i); },
      [](const Result&, int, const v1::Package& p) {
        return std::pair(p.start_date().value(), p.id());
      });
}

absl::StatusOr<v1::PackageAssignment> Store::CreateAssignment(const Call& c,
                                                              const std::string& package_id,
                                                              const std::string& staff_id,
                                                              std::optional<Day> given,
                                                              const std::string& request_id) {
  v1::PackageAssignment out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      // Row-level security shows a provider only its own packages and workers.
      ASSIGN_OR_RETURN(Result pr, tx.Exec(sql::kSelectPackage, {P(Lower(package_id))}));
      if (pr.rows() == 0) return NotFound("package", package_id);
      v1::Package pkg = PackageOf(pr, 0);
      ASSIGN_OR_RETURN(Result sr, tx.Exec(sql::kSelectStaff, {P(Lower(staff_id))}));
      if (sr.rows() == 0) return NotFound("staff member", staff_id);
      v1::StaffMember staff = StaffOf(sr, 0);
      const Day from =
          given ? *given : std::max(dates::TodayInLondon(c.now), *domain::DayOf(pkg.start_date()));
      std::string dates_problem = domain::PackageDatesProblem(*domain::DayOf(pkg.start_date()),
                                                              domain::DayOf(pkg.end_date()), from);
      if (!dates_problem.empty()) {
        return FailedPrecondition(
            absl::StrCat("from_date ", dates::FormatDay(from), ": ", dates_problem),
            "OUTSIDE_PACKAGE_DATES", Subject("package", pkg.id()));
      }
      ASSIGN_OR_RETURN(Result running,
                       tx.Exec(sql::kSelectRunningAssignment, {P(pkg.id()), P(staff.id())}));
      if (running.rows() > 0) {
        return AlreadyExists(
            absl::StrCat("the worker is already named on this package (assignment ",
                         running.String(0, "id"), "); end it first to change its dates"),
            v1::PackageAssignment::descriptor()->full_name(), running.String(0, "id"));
      }
      // Nor twice for the same day: a new assignment starts after the last day of the
      // worker's earlier ones on the package.
      ASSIGN_OR_RETURN(Result ended,
                       tx.Exec(sql::kSelectEndedAssignments, {P(pkg.id()), P(staff.id())}));
      std::vector<domain::EndedAssignment> earlier;
      for (int i = 0; i < ended.rows(); ++i) {
        earlier.push_back({ended.String(i, "id"), *dates::ParseDay(ended.String(i, "from_date")),
                           *dates::ParseDay(ended.String(i, "to_date"))});
      }
      if (const auto* overlap = domain::OverlappedAssignment(earlier, from)) {
        return AlreadyExists(
            absl::StrCat("from_date ", dates::FormatDay(from),
                         ": the worker is named on this package until ",
                         dates::FormatDay(overlap->to), "; the earliest from_date is ",
                         dates::FormatDay(overlap->to + 1), " (assignment ", overlap->id, ")"),
            v1::PackageAssignment::descriptor()->full_name(), overlap->id);
      }
      ASSIGN_OR_RETURN(domain::Matrix m, MatrixInForce(tx, pkg.lot_id(), from));
      ASSIGN_OR_RETURN(auto reasons, GateReasons(tx, staff, m, ExtrasOf(pkg), from));
      if (!reasons.empty()) {
        return FailedPrecondition(
            absl::StrCat("the worker is not eligible for this package on ", dates::FormatDay(from),
                         ": ", domain::DescribeReasons(reasons),
                         " (CheckWorkerEligibility with the package's lot and extra "
                         "competencies lists the same)"),
            domain::ReasonViolations(reasons, staff.id()));
      }
      RETURN_IF_ERROR(tx.Exec(sql::kInsertAssignment,
                              {P(id), P(pkg.id()), P(c.principal.organisation_id), P(staff.id()),
                               P(dates::FormatDay(from)), P(c.now), P(c.principal.user_id)})
                          .status());
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(
        std::string id,
        ledger_.CreateOnce(
            tx, c.principal.organisation_id, request_id, "CreatePackageAssignment",
            idempotency::Fingerprint({package_id, staff_id, given ? dates::FormatDay(*given) : ""}),
            insert));
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectAssignment, {P(id)}));
    if (r.rows() == 0) return NotFound("package assignment", id);
    out = AssignmentOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::PackageAssignment> Store::EndAssignment(const Call& c, const std::string& id,
                                                           const std::string& etag, Day last_day,
                                                           const std::string& reason) {
  v1::PackageAssignment out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result cur, tx.Exec(sql::kSelectAssignmentForUpdate, {P(Lower(id))}));
    if (cur.rows() == 0) return NotFound("package assignment", id);
    v1::PackageAssignment a = AssignmentOf(cur, 0);
    if (a.etag() != etag) return StaleEtag("package assignment");
    if (!a.to_date().value().empty()) {
      return FailedPrecondition(
          absl::StrCat("the assignment already ended on ", a.to_date().value()), "ASSIGNMENT_STATE",
          Subject("package_assignment", a.id()));
    }
    const Day to = domain::AssignmentEnd(*domain::DayOf(a.from_date()), last_day);
    RETURN_IF_ERROR(tx.Exec(sql::kEndAssignment, {P(a.id()), P(dates::FormatDay(to)), P(reason),
                                                  P(c.now), P(c.principal.user_id)})
                        .status());
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectAssignment, {P(a.id())}));
    out = AssignmentOf(r, 0);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::NamedWorker>> Store::ListPackageWorkers(const Call& c,
                                                                  const v1::Package& pkg, Day day,
                                                                  bool include_ended, int page_size,
                                                                  const std::string& page_token) {
  std::string fp =
      absl::StrCat("package-workers|", pkg.id(), "|", dates::FormatDay(day), "|", include_ended);
  Listed<v1::NamedWorker> out;
  // Only names, roles and the gate's answer leave this transaction (the caller was
  // allowed by the handler), so it reads the provider's rows as the service.
  RETURN_IF_ERROR(pool_->InTx(ServiceActor(c), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(auto versions, LotMatrices(tx, pkg.lot_id()));
    auto worker = [&](const Result& r, int i) -> absl::StatusOr<v1::NamedWorker> {
      v1::PackageAssignment a = AssignmentOf(r, i);
      v1::StaffMember staff = protoutil::FromJson<v1::StaffMember>(r.String(i, "record"));
      staff.set_id(r.String(i, "staff_key"));
      // An upcoming worker is judged on the first day they work on the package.
      const Day on = std::max(day, *domain::DayOf(a.from_date()));
      const domain::Matrix* m = domain::InForce(versions, on);
      if (m == nullptr) return NoMatrix(pkg.lot_id(), on);
      ASSIGN_OR_RETURN(auto reasons, GateReasons(tx, staff, *m, ExtrasOf(pkg), on));
      v1::NamedWorker w;
      w.set_assignment_id(a.id());
      w.set_etag(a.etag());
      w.set_staff_id(a.staff_id());
      w.set_display_name(r.String(i, "display_name"));
      w.set_role(staff.role());
      *w.mutable_from_date() = a.from_date();
      if (a.has_to_date()) *w.mutable_to_date() = a.to_date();
      w.set_eligible(reasons.empty());
      CopyReasons(reasons, w.mutable_reasons());
      return w;
    };
    ASSIGN_OR_RETURN(out, listing::ReadPage<v1::NamedWorker>(
                              tx, sql::kListPackageWorkers, fp, page_size, page_token,
                              {P(pkg.id()), P(include_ended), P(dates::FormatDay(day))}, worker,
                              [](const Result&, int, const v1::NamedWorker& w) {
                                return std::pair(w.from_date().value(), w.assignment_id());
                              }));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> Store::CheckPackageWorkers(absl::Time now, absl::Time deadline) {
  const Day today = dates::TodayInLondon(now);
  int tripped = 0;
  RETURN_IF_ERROR(
      pool_->InTx(db::Actor::Internal(server::kSystemUser), deadline, [&](Tx& tx) -> absl::Status {
        tripped = 0;
        ASSIGN_OR_RETURN(Result on, tx.Exec(sql::kSelectPackageWorkerRuleFrameworks));
        std::set<std::string> frameworks;
        for (int i = 0; i < on.rows(); ++i) frameworks.insert(on.String(i, "framework_id"));
        if (frameworks.empty()) return absl::OkStatus();
        ASSIGN_OR_RETURN(Result running,
                         tx.Exec(sql::kSelectRunningAssignments, {P(dates::FormatDay(today))}));
        std::map<std::string, domain::SuspensionRules> rules_of;
        MatricesOnDay matrices(tx, today);
        for (int i = 0; i < running.rows(); ++i) {
          v1::Package pkg = PackageOf(running, i);
          if (frameworks.count(pkg.framework_id()) == 0) continue;
          if (rules_of.count(pkg.framework_id()) == 0) {
            ASSIGN_OR_RETURN(rules_of[pkg.framework_id()], FrameworkRules(tx, pkg.framework_id()));
          }
          ASSIGN_OR_RETURN(const domain::Matrix* m, matrices.For(pkg.lot_id()));
          if (m == nullptr) continue;  // nothing to check against
          ASSIGN_OR_RETURN(Result sr,
                           tx.Exec(sql::kSelectStaff, {P(running.String(i, "staff_id"))}));
          if (sr.rows() == 0) continue;
          ASSIGN_OR_RETURN(auto reasons, GateReasons(tx, StaffOf(sr, 0), *m, ExtrasOf(pkg), today));
          auto trip =
              domain::OnPackageWorkerCheck(rules_of[pkg.framework_id()], pkg.id(), reasons, today);
          if (!trip) continue;
          const std::string assignment = running.String(i, "assignment_id");
          ASSIGN_OR_RETURN(
              Result first,
              tx.Exec(sql::kInsertRuleTrip, {P(pkg.framework_id()), P("INELIGIBLE_PACKAGE_WORKER"),
                                             P(assignment), P(domain::ReasonsSignature(reasons))}));
          if (first.rows() == 0) continue;
          RETURN_IF_ERROR(Trip(tx, trip, today, pkg.provider_id(), pkg.framework_id(), pkg.lot_id(),
                               assignment));
          ++tripped;
        }
        return absl::OkStatus();
      }));
  return tripped;
}

absl::StatusOr<std::vector<std::string>> Store::TrainedStaffRuleFrameworks(absl::Time deadline) {
  std::vector<std::string> out;
  ASSIGN_OR_RETURN(Result r, pool_->Read(db::Actor::Internal(server::kSystemUser), deadline,
                                         sql::kSelectTrainedStaffRuleFrameworks, {}));
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.String(i, "framework_id"));
  return out;
}

absl::StatusOr<int> Store::CheckTrainedStaff(absl::Time now, const std::string& framework,
                                             const std::vector<registry::ActiveOnLot>& admissions,
                                             absl::Time deadline) {
  const Day today = dates::TodayInLondon(now);
  const domain::Quarter quarter = domain::QuarterOf(today);
  int tripped = 0;
  RETURN_IF_ERROR(
      pool_->InTx(db::Actor::Internal(server::kSystemUser), deadline, [&](Tx& tx) -> absl::Status {
        tripped = 0;
        ASSIGN_OR_RETURN(domain::SuspensionRules rules, FrameworkRules(tx, framework));
        MatricesOnDay matrices(tx, today);
        std::map<std::string, Workforce> staff_of;
        for (const auto& a : admissions) {
          ASSIGN_OR_RETURN(const domain::Matrix* m, matrices.For(a.lot_id));
          if (m == nullptr) continue;  // no matrix: nothing to measure against
          auto it = staff_of.find(a.provider_id);
          if (it == staff_of.end()) {
            ASSIGN_OR_RETURN(Workforce w, LoadWorkforce(tx, a.provider_id));
            it = staff_of.emplace(a.provider_id, std::move(w)).first;
          }
          auto trip =
              domain::OnTrainedShare(rules,
                                     domain::TrainedStaff(it->second.workers, it->second.done, *m,
                                                          today, a.lot_id, rules.induction_weeks),
                                     today);
          if (!trip) continue;
          ASSIGN_OR_RETURN(
              Result first,
              tx.Exec(sql::kInsertRuleTrip,
                      {P(framework), P("TRAINED_STAFF_BELOW_TARGET"), P(a.provider_id),
                       P(absl::StrCat(a.lot_id, "@", dates::FormatQuarter(quarter)))}));
          if (first.rows() == 0) continue;  // tripped already this quarter
          RETURN_IF_ERROR(Trip(tx, trip, today, a.provider_id, framework, a.lot_id, a.provider_id));
          ++tripped;
        }
        return absl::OkStatus();
      }));
  return tripped;
}

}  // namespace pdps::workforce
