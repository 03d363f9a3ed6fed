// Workforce rules.
#include "services/workforce/domain/rules.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"

namespace pdps::workforce::domain {

Day AddMonths(Day day, int months) {
  absl::CivilMonth m = absl::CivilMonth(day) + months;
  Day last = Day(m + 1) - 1;
  return Day(m.year(), m.month(), std::min<int>(day.day(), last.day()));
}

const Matrix* InForce(const std::vector<Matrix>& versions, Day day) {
  const Matrix* best = nullptr;
  for (const auto& m : versions) {
    if (m.effective_from > day) continue;
    if (best == nullptr || m.effective_from > best->effective_from) best = &m;
  }
  return best;
}

absl::Status CheckNewMatrixVersion(std::optional<Day> latest, Day from, Day today,
                                   absl::string_view lot_id) {
  if (!latest) return absl::OkStatus();
  if (from <= *latest) {
    return FailedPrecondition(absl::StrCat("effective_from must be after the latest version's (",
                                           dates::FormatDay(*latest), "); versions apply in order"),
                              "MATRIX_VERSION_ORDER", Subject("lot", lot_id));
  }
  if (from < today) {
    return FailedPrecondition(
        absl::StrCat("effective_from ", dates::FormatDay(from), " is in the past (today is ",
                     dates::FormatDay(today), "); a new version applies from today or later"),
        "MATRIX_VERSION_ORDER", Subject("lot", lot_id));
  }
  return absl::OkStatus();
}

const char* ReasonName(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::kNotInPost: return "NOT_IN_POST";
    case ReasonKind::kDbsMissing: return "DBS_MISSING";
    case ReasonKind::kDbsExpired: return "DBS_EXPIRED";
    case ReasonKind::kBarredListMissing: return "BARRED_LIST_CHECK_MISSING";
    case ReasonKind::kRightToWorkMissing: return "RIGHT_TO_WORK_MISSING";
    case ReasonKind::kRightToWorkLapsed: return "RIGHT_TO_WORK_LAPSED";
    case ReasonKind::kRegistrationMissing: return "REGISTRATION_MISSING";
    case ReasonKind::kRegistrationExpired: return "REGISTRATION_EXPIRED";
    case ReasonKind::kCompetencyMissing: return "COMPETENCY_MISSING";
    case ReasonKind::kCompetencyExpired: return "COMPETENCY_EXPIRED";
    case ReasonKind::kCompetencyOverdue: return "COMPETENCY_OVERDUE";
  }
  return "KIND_UNSPECIFIED";
}

bool InPost(const Worker& w, Day day) {
  return w.start <= day && (!w.leave || *w.leave >= day);
}

std::vector<CompetencyRule> Required(const Matrix& m, const std::vector<std::string>& extras) {
  std::set<std::string> named(extras.begin(), extras.end());
  std::vector<CompetencyRule> out;
  for (const auto& c : m.competencies) {
    if (!c.conditional || named.count(c.code) > 0) out.push_back(c);
    named.erase(c.code);
  }
  for (const auto& code : named) {
    CompetencyRule extra;
    extra.code = code;
    extra.name = code;
    out.push_back(extra);
  }
  return out;
}

std::optional<Day> CompetencyValidUntil(const CompetencyRule& rule,
                                        const std::vector<Completion>& done, Day day) {
  std::optional<Day> latest;
  for (const auto& c : done) {
    if (c.code != rule.code || c.completed_on > day) continue;
    if (!latest || c.completed_on > *latest) latest = c.completed_on;
  }
  if (!latest) return std::nullopt;
  if (rule.renewal_months <= 0) return Day::max();
  return AddMonths(*latest, rule.renewal_months);
}

std::optional<Day> CompletionExpires(const Matrix& m, const std::string& code, Day completed_on) {
  for (const auto& rule : m.competencies) {
    if (rule.code != code) continue;
    auto until = CompetencyValidUntil(rule, {{code, completed_on}}, completed_on);
    return until == Day::max() ? std::nullopt : until;
  }
  return std::nullopt;
}

namespace {

// A new starter's deadline for a competency, if the matrix gives one: the last day of
// the period that begins on the start day. "Within the first 12 weeks of employment"
// (seed 002 para 65) is start .. start + 83, so a Monday starter's ends on the Sunday
// of week 12 and it is overdue from start + 84. "Within 3 months" ends the day before
// the start's date three months on (1 April: 30 June), or on the last day of that
// month if it has no such date (30 November: 28 February).
std::optional<Day> InductionDue(const CompetencyRule& c, Day start) {
  if (c.due_within_weeks > 0) return start + (7 * c.due_within_weeks - 1);
  if (c.due_within_months > 0) {
    const absl::CivilMonth month = absl::CivilMonth(start) + c.due_within_months;
    const Day last = Day(month + 1) - 1;
    if (start.day() > last.day()) return last;
    return Day(month.year(), month.month(), start.day()) - 1;
  }
  return std::nullopt;
}

Day DbsValidUntil(const Worker& w, int months) {
  return AddMonths(*w.dbs_date, months > 0 ? months : kDefaultDbsRenewalMonths);
}

Day SupervisionDue(const Worker& w, int months) {
  return AddMonths(w.last_supervision.value_or(w.start),
                   months > 0 ? months : kDefaultSupervisionMonths);
}

Day AppraisalDue(const Worker& w, int months) {
  return AddMonths(w.last_appraisal.value_or(w.start),
                   months > 0 ? months : kDefaultAppraisalMonths);
}

}  // namespace

std::vector<Reason> CheckEligibility(const Worker& w, const Matrix& m,
                                     const std::vector<Completion>& done,
                                     const std::vector<std::string>& extras, Day day) {
  std::vector<Reason> out;
  if (!InPost(w, day)) out.push_back({ReasonKind::kNotInPost, "", std::nullopt});
  if (!w.dbs_date) {
    out.push_back({ReasonKind::kDbsMissing, "", std::nullopt});
  } else if (Day until = DbsValidUntil(w, m.dbs_renewal_months); until < day) {
    out.push_back({ReasonKind::kDbsExpired, "", until});
  }
  if (!w.barred_list_checked) out.push_back({ReasonKind::kBarredListMissing, "", std::nullopt});
  if (w.right_to_work == RightToWork::kNone ||
      (w.right_to_work == RightToWork::kTimeLimited && !w.right_to_work_expiry)) {
    out.push_back({ReasonKind::kRightToWorkMissing, "", std::nullopt});
  } else if (w.right_to_work == RightToWork::kTimeLimited && *w.right_to_work_expiry < day) {
    out.push_back({ReasonKind::kRightToWorkLapsed, "", w.right_to_work_expiry});
  }
  if (!m.required_registration_body.empty()) {
    // Registers are named by their initials; "nmc" is the NMC.
    if (!absl::EqualsIgnoreCase(w.registration_body, m.required_registration_body) ||
        !w.registration_expiry) {
      out.push_back({ReasonKind::kRegistrationMissing, "", std::nullopt});
    } else if (*w.registration_expiry < day) {
      out.push_back({ReasonKind::kRegistrationExpired, "", w.registration_expiry});
    }
  }
  for (const auto& c : Required(m, extras)) {
    std::optional<Day> until = CompetencyValidUntil(c, done, day);
    if (until && *until >= day) continue;
    std::optional<Day> due = InductionDue(c, w.start);
    if (!until) {
      if (!due) {
        out.push_back({ReasonKind::kCompetencyMissing, c.code, std::nullopt});
      } else if (*due < day) {
        out.push_back({ReasonKind::kCompetencyOverdue, c.code, due});
      }  // still within the new starter's grace
    } else {
      out.push_back({ReasonKind::kCompetencyExpired, c.code, until});
    }
  }
  return out;
}

bool BaseTrainingInDate(const Worker& w, const Matrix& m, const std::vector<Completion>& done,
                        Day day) {
  for (const auto& reason : CheckEligibility(w, m, done, {}, day)) {
    if (reason.kind == ReasonKind::kCompetencyMissing ||
        reason.kind == ReasonKind::kCompetencyExpired ||
        reason.kind == ReasonKind::kCompetencyOverdue) {
      return false;
    }
  }
  return true;
}

bool WorksOnLot(const Worker& w, const std::string& lot) {
  return lot.empty() || w.lots.empty() ||
         std::find(w.lots.begin(), w.lots.end(), lot) != w.lots.end();
}

bool InInduction(const Worker& w, Day day, int weeks) {
  return day >= w.start && day < w.start + 7 * (weeks > 0 ? weeks : kDefaultInductionWeeks);
}

TrainedShare TrainedStaff(const std::vector<Worker>& workers,
                          const std::vector<std::vector<Completion>>& done, const Matrix& m,
                          Day day, const std::string& lot, int induction_weeks) {
  static const std::vector<Completion> kNone;
  TrainedShare s;
  for (size_t i = 0; i < workers.size(); ++i) {
    if (!InPost(workers[i], day) || !WorksOnLot(workers[i], lot)) continue;
    if (InInduction(workers[i], day, induction_weeks)) {
      ++s.in_induction;
      continue;
    }
    ++s.in_post;
    if (BaseTrainingInDate(workers[i], m, i < done.size() ? done[i] : kNone, day)) ++s.trained;
  }
  return s;
}

// ------------------------------------------------------------- expiry watch ---

const char* ExpiryName(ExpiryKind kind) {
  switch (kind) {
    case ExpiryKind::kDbs: return "DBS";
    case ExpiryKind::kRegistration: return "REGISTRATION";
    case ExpiryKind::kRightToWork: return "RIGHT_TO_WORK";
    case ExpiryKind::kTraining: return "TRAINING";
    case ExpiryKind::kSupervision: return "SUPERVISION";
    case ExpiryKind::kAppraisal: return "APPRAISAL";
    case ExpiryKind::kBusinessInsurance: return "BUSINESS_INSURANCE";
    case ExpiryKind::kDbsCheck:
      return "DBS_CHECK";
  }
  return "KIND_UNSPECIFIED";
}

namespace {

void SortExpiries(std::vector<Expiry>* out) {
  std::sort(out->begin(), out->end(), [](const Expiry& a, const Expiry& b) {
    return std::tie(a.due, a.kind, a.code, a.matrix_version) <
           std::tie(b.due, b.kind, b.code, b.matrix_version);
  });
}

}  // namespace

std::optional<Day> DbsCheckDue(const Worker& w, const Matrix& m) {
  if (m.dbs_check_months <= 0 || !w.dbs_date) return std::nullopt;
  const Day last = std::max(*w.dbs_date, w.dbs_status_checked.value_or(*w.dbs_date));
  return AddMonths(last, m.dbs_check_months);
}

std::vector<Expiry> Expiries(const Worker& w, const Matrix* m, const std::vector<Completion>& done,
                             Day day, int within_days) {
  std::vector<Expiry> out;
  if (!InPost(w, day)) return out;
  const Day horizon = day + within_days;
  auto add = [&](ExpiryKind kind, const std::string& code, Day due, int version = 0) {
    if (due <= horizon) out.push_back({w.id, kind, code, due, due < day, version, ""});
  };
  if (w.dbs_date) add(ExpiryKind::kDbs, "", DbsValidUntil(w, m ? m->dbs_renewal_months : 0));
  if (std::optional<Day> check = m ? DbsCheckDue(w, *m) : std::nullopt) {
    add(ExpiryKind::kDbsCheck, "", *check);
  }
  if (w.registration_expiry) add(ExpiryKind::kRegistration, "", *w.registration_expiry);
  if (w.right_to_work == RightToWork::kTimeLimited && w.right_to_work_expiry) {
    add(ExpiryKind::kRightToWork, "", *w.right_to_work_expiry);
  }
  if (w.drives && w.business_insurance_expiry) {
    add(ExpiryKind::kBusinessInsurance, "", *w.business_insurance_expiry);
  }
  if (m != nullptr) {
    auto training = [&](const std::string& code, Day due) {
      add(ExpiryKind::kTraining, code, due, m->version);
    };
    for (const auto& c : Required(*m, {})) {
      std::optional<Day> until = CompetencyValidUntil(c, done, day);
      if (until) {
        if (*until != Day::max()) training(c.code, *until);
      } else if (std::optional<Day> due = InductionDue(c, w.start)) {
        training(c.code, *due);
      } else {
        training(c.code, w.start);  // never done: lapsed since start
      }
    }
  }
  add(ExpiryKind::kSupervision, "", SupervisionDue(w, m ? m->supervision_months : 0));
  add(ExpiryKind::kAppraisal, "", AppraisalDue(w, m ? m->appraisal_months : 0));
  SortExpiries(&out);
  return out;
}

std::vector<Expiry> LotExpiries(const Worker& w, const std::vector<Matrix>& versions,
                                const std::vector<Completion>& done, Day day, int within_days) {
  std::vector<Expiry> out = Expiries(w, InForce(versions, day), done, day, within_days);
  if (!InPost(w, day)) return out;
  const Day horizon = day + within_days;
  std::vector<const Matrix*> coming;
  for (const auto& v : versions) {
    if (v.effective_from > day && v.effective_from <= horizon &&
        (!w.leave || *w.leave >= v.effective_from)) {
      coming.push_back(&v);
    }
  }
  std::sort(coming.begin(), coming.end(),
            [](const Matrix* a, const Matrix* b) { return a->effective_from < b->effective_from; });
  for (const Matrix* v : coming) {
    const Day from = v->effective_from;
    for (const auto& c : Required(*v, {})) {
      std::optional<Day> until = CompetencyValidUntil(c, done, from);
      Day due = from;  // lacking it when the version takes effect
      if (until && *until >= from) {
        if (*until == Day::max()) continue;
        due = *until;  // held then; lapses under the version's renewal period
      } else if (!until) {
        if (std::optional<Day> grace = InductionDue(c, w.start); grace && *grace > from) {
          due = *grace;
        }
      }
      if (due <= horizon) {
        out.push_back({w.id, ExpiryKind::kTraining, c.code, due, false, v->version, ""});
      }
    }
  }
  // One training item a competency, the earliest.
  SortExpiries(&out);
  std::set<std::string> listed;
  std::vector<Expiry> first;
  for (auto& e : out) {
    if (e.kind == ExpiryKind::kTraining && !listed.insert(e.code).second) continue;
    first.push_back(std::move(e));
  }
  return first;
}

std::vector<Expiry> WatchedExpiries(const Worker& w, const std::vector<WatchedLot>& lots,
                                    const std::vector<Completion>& done, Day day, int within_days) {
  std::vector<Expiry> out;
  std::set<std::tuple<ExpiryKind, std::string, Day>> seen;
  auto keep = [&](std::vector<Expiry> items, const std::string& lot_id) {
    for (auto& e : items) {
      if (!seen.insert({e.kind, e.code, e.due}).second) continue;
      e.lot_id = lot_id;
      out.push_back(std::move(e));
    }
  };
  keep(Expiries(w, nullptr, done, day, within_days), "");
  for (const WatchedLot& lot : lots) {
    if (lot.versions == nullptr || lot.versions->empty()) continue;
    keep(LotExpiries(w, *lot.versions, done, day, within_days), lot.lot_id);
  }
  SortExpiries(&out);
  return out;
}

// ------------------------------------------------------------------ returns ---

namespace {

double Percent(int part, int whole) { return whole == 0 ? 0 : 100.0 * part / whole; }

}  // namespace

Return ComputeReturn(const std::vector<Worker>& workers,
                     const std::vector<std::vector<Completion>>& done, const Matrix* m, Period p,
                     const std::string& lot, int turnover_target_percent, int induction_weeks,
                     const Matrix* periods) {
  if (periods == nullptr) periods = m;
  Return r;
  const Day first = p.first, last = p.last;
  int dbs_ok = 0, supervised = 0, trained = 0, on_lot = 0;
  for (size_t i = 0; i < workers.size(); ++i) {
    const Worker& w = workers[i];
    // In post when the quarter opens: started before it, not left before it.
    if (w.start < first && (!w.leave || *w.leave >= first)) ++r.headcount_start;
    if (w.start >= first && w.start <= last) ++r.starters;
    if (w.leave && *w.leave >= first && *w.leave <= last) ++r.leavers;
    // In post when it closes: started by its last day, not left by it.
    if (w.start > last || (w.leave && *w.leave <= last)) continue;
    ++r.headcount_end;
    if (w.dbs_date && w.barred_list_checked &&
        DbsValidUntil(w, periods ? periods->dbs_renewal_months : 0) >= last) {
      const std::optional<Day> check = periods ? DbsCheckDue(w, *periods) : std::nullopt;
      if (!check || *check >= last) ++dbs_ok;
    }
    // A new starter's first supervision falls due one period after the start date, as
    // in the expiry watch.
    if (SupervisionDue(w, periods ? periods->supervision_months : 0) >= last) {
      ++supervised;
    }
    // Measured as the trained staff rule measures: past induction on the last day.
    if (m != nullptr && WorksOnLot(w, lot) && !InInduction(w, last, induction_weeks)) {
      static const std::vector<Completion> kNone;
      ++on_lot;
      if (BaseTrainingInDate(w, *m, i < done.size() ? done[i] : kNone, last)) ++trained;
    }
  }
  r.average_headcount = (r.headcount_start + r.headcount_end) / 2.0;
  r.turnover_percent = r.average_headcount > 0 ? 100.0 * r.leavers / r.average_headcount : 0;
  r.turnover_target_percent = turnover_target_percent;
  r.turnover_within_target = turnover_target_percent > 0 && r.average_headcount > 0 &&
                             r.turnover_percent < turnover_target_percent;
  r.dbs_percent = Percent(dbs_ok, r.headcount_end);
  r.supervision_percent = Percent(supervised, r.headcount_end);
  r.training_percent = Percent(trained, on_lot);
  r.training_measured = on_lot;
  return r;
}

Matrix StrictestPeriods(const std::vector<const Matrix*>& matrices) {
  Matrix out;
  out.dbs_check_months = 0;
  // Each period starts unset: the first matrix's (or its default) is taken as it is, a
  // longer one included (a lot may renew DBS every 5 years), then only shorter ones.
  bool any = false;
  auto shortest = [&any](int& held, int period, int fallback) {
    const int value = period > 0 ? period : fallback;
    held = any ? std::min(held, value) : value;
  };
  for (const Matrix* m : matrices) {
    if (m == nullptr) continue;
    shortest(out.dbs_renewal_months, m->dbs_renewal_months, kDefaultDbsRenewalMonths);
    shortest(out.supervision_months, m->supervision_months, kDefaultSupervisionMonths);
    shortest(out.appraisal_months, m->appraisal_months, kDefaultAppraisalMonths);
    if (m->dbs_check_months > 0 &&
        (out.dbs_check_months == 0 || m->dbs_check_months < out.dbs_check_months)) {
      out.dbs_check_months = m->dbs_check_months;
    }
    any = true;
  }
  return out;
}

ComplaintFigures ComplaintsInPeriod(const std::vector<ComplaintFacts>& complaints,
                                    absl::Time from, absl::Time to) {
  ComplaintFigures f;
  for (const auto& c : complaints) {
    if (c.received >= from && c.received < to) ++f.received;
    const bool answered_before_end = c.answered && *c.answered < to;
    if (answered_before_end && *c.answered >= from) {
      ++f.answered;
      if (*c.answered <= c.due) ++f.answered_in_time;
      if (c.upheld) ++f.upheld;
    }
    if (c.received < to && c.due < to && !answered_before_end) ++f.overdue_at_end;
  }
  return f;
}

absl::Time ReturnCountedUntil(Period p, absl::Time now) {
  return std::min(dates::StartOfDay(p.last + 1), now);
}

QuarterlyReturn ComputeQuarterlyReturn(const ReturnFacts& f, Period p, absl::Time now) {
  QuarterlyReturn out;
  std::vector<const Matrix*> matrices;
  for (const auto& [lot, m] : f.period_matrices) {
    matrices.push_back(&m);
    out.period_lots.push_back(lot);
  }
  out.periods = StrictestPeriods(matrices);
  const Matrix* m = f.lot_matrix ? &*f.lot_matrix : nullptr;
  out.figures = ComputeReturn(f.workers, f.done, m, p, f.lot, f.turnover_target_percent,
                              f.induction_weeks, &out.periods);
  out.training_computed = m != nullptr && out.figures.training_measured > 0;
  out.complaints =
      ComplaintsInPeriod(f.complaints, dates::StartOfDay(p.first), ReturnCountedUntil(p, now));
  return out;
}

// ------------------------------------------------------------- complaints ---

absl::Time ComplaintAnswerDue(const calendar::WorkingTime& wt, absl::Time received,
                              int working_days) {
  return wt.AddWorkingDays(received, working_days);
}

absl::Status CheckComplaintVerb(absl::string_view state, ComplaintVerb verb,
                                absl::string_view complaint_id) {
  const std::string subject = Subject("complaint", complaint_id);
  switch (verb) {
    case ComplaintVerb::kAcknowledge:
      if (state == "RECEIVED") return absl::OkStatus();
      return FailedPrecondition(absl::StrCat("the complaint is ", state,
                                             "; only a RECEIVED complaint can be acknowledged"),
                                "COMPLAINT_STATE", subject);
    case ComplaintVerb::kAnswer:
      if (state == "RECEIVED" || state == "ACKNOWLEDGED") return absl::OkStatus();
      if (state == "ANSWERED") {
        return FailedPrecondition("the complaint has already been answered", "COMPLAINT_STATE",
                                  subject);
      }
      return FailedPrecondition(
          absl::StrCat("the complaint is ", state,
                       "; only a RECEIVED or ACKNOWLEDGED complaint can be answered"),
          "COMPLAINT_STATE", subject);
  }
  return absl::InternalError("unknown complaint verb");
}

bool IsUpheld(absl::string_view outcome) {
  return outcome == "UPHELD" || outcome == "PARTLY_UPHELD";
}

// ------------------------------------------------------- suspension rules ---

namespace {

Trip Tripped(const SuspensionRules& r, Rule rule, std::string reason) {
  return Trip{rule, std::move(reason), r.action_plan_working_days};
}

}  // namespace

ActionItem FirstActionItem(const Trip& trip, Day tripped_on, const calendar::WorkingTime& wt) {
  int days = trip.action_plan_working_days > 0 ? trip.action_plan_working_days
                                               : kDefaultActionPlanWorkingDays;
  return ActionItem{absl::StrCat("Agree an action plan with timescales with the contract "
                                 "manager and the brokerage team (automatic suspension: ",
                                 trip.reason, ")"),
                    wt.AddWorkingDaysToDay(tripped_on, days)};
}

absl::Status CheckRulesEtag(const std::optional<std::string>& stored, const std::string& sent) {
  if (!stored) {
    if (sent.empty()) return absl::OkStatus();
    return absl::AbortedError(
        "the framework's suspension rules have never been set (the defaults apply, and "
        "have no etag), so no version has that etag; read them again and send no etag to "
        "set them");
  }
  if (sent.empty()) {
    return InvalidField("rules.etag", "is required to change existing rules (read them first)");
  }
  if (sent != *stored) return StaleEtag("suspension rules");
  return absl::OkStatus();
}

std::optional<Trip> OnVisit(const SuspensionRules& r, Rating rating, Day visit_date,
                            std::optional<Day> later) {
  if (!r.inadequate_visit || rating != Rating::kInadequate) return std::nullopt;
  if (later && *later > visit_date) return std::nullopt;
  return Tripped(r, Rule::kInadequateVisit,
              absl::StrCat("monitoring visit on ", dates::FormatDay(visit_date),
                           " rated INADEQUATE"));
}

namespace {

int WindowMonths(const SuspensionRules& r) {
  return r.complaint_window_months > 0 ? r.complaint_window_months : kDefaultComplaintWindowMonths;
}

}  // namespace

Period SafeguardingWindow(const SuspensionRules& r, Day answered_on) {
  return Period{AddMonths(answered_on, -WindowMonths(r)) + 1, answered_on};
}

std::optional<Trip> OnUpheldSafeguardingComplaint(const SuspensionRules& r, Day answered_on,
                                                  Day received_on, int upheld_in_window) {
  const Period window = SafeguardingWindow(r, answered_on);
  if (r.upheld_safeguarding_complaints <= 0 || received_on < window.first ||
      received_on > window.last || upheld_in_window < r.upheld_safeguarding_complaints) {
    return std::nullopt;
  }
  return Tripped(r, Rule::kUpheldSafeguardingComplaints,
                 absl::StrCat(upheld_in_window, " upheld safeguarding complaints received ",
                              dates::FormatDay(window.first), " to ", dates::FormatDay(window.last),
                              " (rule: ", r.upheld_safeguarding_complaints, " in ", WindowMonths(r),
                              " months)"));
}

std::optional<Trip> OnAccounts(const SuspensionRules& r, const Viability& v, Day year_end,
                               std::optional<Day> latest_other) {
  if (!r.financial_breach || v.breaches.empty()) return std::nullopt;
  if (latest_other && *latest_other > year_end) return std::nullopt;
  std::string what;
  for (Breach b : v.breaches) {
    if (!what.empty()) what += ", ";
    switch (b) {
      case Breach::kLiquidity:
        what += absl::StrCat("liquidity ", viability::FormatLiquidity(v.liquidity), " not above 1");
        break;
      case Breach::kRoce:
        what +=
            absl::StrCat("ROCE ", viability::FormatRocePercent(v.roce_percent), " % not above 5 %");
        break;
      case Breach::kNetAssets:
        what += "net assets not positive";
        break;
    }
  }
  return Tripped(r, Rule::kFinancialViability,
              absl::StrCat("accounts to ", dates::FormatDay(year_end), ": ", what));
}

std::optional<Trip> OnRevisedAccounts(const SuspensionRules& r, const Viability& before,
                                      const Viability& after, Day year_end,
                                      std::optional<Day> latest_other) {
  if (!before.breaches.empty()) return std::nullopt;
  return OnAccounts(r, after, year_end, latest_other);
}

int AnnouncementStage(Day due, Day today) {
  if (due < today) return 0;
  if (due - today <= 30) return 30;
  if (due - today <= 60) return 60;
  return -1;
}

std::string ReasonsSignature(const std::vector<Reason>& reasons) {
  std::vector<std::string> parts;
  for (const auto& r : reasons) {
    std::string part = ReasonName(r.kind);
    if (!r.code.empty()) absl::StrAppend(&part, ":", r.code);
    if (r.date) absl::StrAppend(&part, "@", dates::FormatDay(*r.date));
    parts.push_back(std::move(part));
  }
  std::sort(parts.begin(), parts.end());
  return absl::StrJoin(parts, ",");
}

std::string DescribeReasons(const std::vector<Reason>& reasons) {
  std::vector<std::string> parts;
  for (const auto& r : reasons) {
    std::string part = ReasonName(r.kind);
    if (!r.code.empty()) absl::StrAppend(&part, " ", r.code);
    if (r.date) absl::StrAppend(&part, " (", dates::FormatDay(*r.date), ")");
    parts.push_back(std::move(part));
  }
  return absl::StrJoin(parts, ", ");
}

std::vector<PreconditionViolation> ReasonViolations(const std::vector<Reason>& reasons,
                                                    const std::string& staff_id) {
  std::vector<PreconditionViolation> out;
  for (const auto& r : reasons) {
    out.push_back({ReasonName(r.kind), r.code.empty() ? Subject("staff_member", staff_id) : r.code,
                   DescribeReasons({r})});
  }
  return out;
}

namespace {

// "; 1 new starter in the first 12 weeks not counted", or nothing.
std::string InductionNote(const SuspensionRules& r, const TrainedShare& share) {
  if (share.in_induction == 0) return "";
  return absl::StrCat("; ", share.in_induction,
                      share.in_induction == 1 ? " new starter" : " new starters", " in the first ",
                      r.induction_weeks > 0 ? r.induction_weeks : kDefaultInductionWeeks,
                      " weeks not counted");
}

}  // namespace

std::optional<Trip> OnTrainedShare(const SuspensionRules& r, const TrainedShare& share, Day day) {
  if (r.min_trained_staff_percent <= 0 || share.in_post == 0) return std::nullopt;
  if (share.percent() >= r.min_trained_staff_percent) return std::nullopt;
  return Tripped(r, Rule::kTrainedStaffBelowTarget,
                 absl::StrCat(share.trained, " of ", share.in_post, " staff in post (",
                              absl::StrFormat("%.1f", share.percent()),
                              " %) have the lot's mandatory training in date on ",
                              dates::FormatDay(day), " (rule: at least ",
                              r.min_trained_staff_percent, " %", InductionNote(r, share), ")"));
}

std::optional<Trip> OnPackageWorkerCheck(const SuspensionRules& r, const std::string& package_id,
                                         const std::vector<Reason>& reasons, Day day) {
  // A worker not in post (left, or not started) has lapsed in nothing: leaving ends the
  // worker's assignments, so it is not "expired mandatory compliance".
  std::vector<Reason> lapsed;
  for (const auto& reason : reasons) {
    if (reason.kind != ReasonKind::kNotInPost) lapsed.push_back(reason);
  }
  if (!r.ineligible_package_worker || lapsed.empty()) return std::nullopt;
  return Tripped(r, Rule::kIneligiblePackageWorker,
              absl::StrCat("a named worker on package ", package_id, " is not eligible on ",
                           dates::FormatDay(day), ": ", DescribeReasons(lapsed)));
}

std::string PackageDatesProblem(Day start, std::optional<Day> end, Day from) {
  if (from < start) {
    return absl::StrCat("the package starts on ", dates::FormatDay(start),
                        "; from_date may not be earlier");
  }
  if (end && from > *end) {
    return absl::StrCat("the package ended on ", dates::FormatDay(*end));
  }
  return "";
}

Day AssignmentEnd(Day from, Day last_day) { return last_day < from ? from - 1 : last_day; }

const EndedAssignment* OverlappedAssignment(const std::vector<EndedAssignment>& ended, Day from) {
  const EndedAssignment* last = nullptr;
  for (const auto& a : ended) {
    if (a.to < a.from) continue;  // never ran
    if (last == nullptr || a.to > last->to) last = &a;
  }
  return last != nullptr && last->to >= from ? last : nullptr;
}

}  // namespace pdps::workforce::domain
