// The workforce rules of DOMAIN.md §5 and §7 as plain functions over plain structs: the
// compliance gate, expiry watch, the quarterly return, the complaint deadline,
// financial viability and the automatic suspension rules. No gRPC, no SQL.
//
// Dates are civil days in Europe/London. A check is valid up to and including its
// expiry day (expires today: valid today, lapsed tomorrow).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "common/dates.h"
#include "common/status.h"
#include "common/viability.h"

namespace pdps::workforce::domain {

using Day = absl::CivilDay;

// `day` plus `months` calendar months, clamped to the month's last day (31 Jan + 1
// month = 28 or 29 Feb).
Day AddMonths(Day day, int months);

inline constexpr int kDefaultDbsRenewalMonths = 36;     // seed 002 para 58
inline constexpr int kDefaultSupervisionMonths = 3;     // seed 001 9.5, 002 para 66
inline constexpr int kDefaultAppraisalMonths = 12;      // seed 002 para 68
// A framework's commissioners may set their own (SuspensionRules, decision 60); this is
// the default when they have not. A turnover target has none: only a framework that sets
// one (Southwark's 5 %, seed 002 KPI 4.1) has one (decision 63).
inline constexpr int kDefaultComplaintAnswerWorkingDays = 15;  // seed 002 para 92
inline constexpr int kDefaultComplaintWindowMonths = 12;
// Seed 001 13.6 asks for an action plan with timescales but gives no number (decision 47).
inline constexpr int kDefaultActionPlanWorkingDays = 10;
// How long a new starter is left out of the trained staff share (decision 62): the Care
// Certificate's 12 weeks (Skills for Care; seed 002 para 65).
inline constexpr int kDefaultInductionWeeks = 12;

struct CompetencyRule {
  std::string code;
  std::string name;
  int renewal_months = 0;  // 0: no renewal
  bool conditional = false;
  int due_within_weeks = 0;   // a new starter's grace from start_date
  int due_within_months = 0;
};

// One version of a lot's training matrix.
struct Matrix {
  std::string id;
  std::string framework_id;  // the lot's framework
  int version = 0;
  Day effective_from;
  std::vector<CompetencyRule> competencies;
  int dbs_renewal_months = kDefaultDbsRenewalMonths;  // the gate's
  int dbs_check_months = 0;  // a status check the provider keeps up; 0: none asked
  int supervision_months = kDefaultSupervisionMonths;
  int appraisal_months = kDefaultAppraisalMonths;
  std::string required_registration_body;  // e.g. "NMC"; empty: none
};

// The version in force on `day`: the latest effective_from on or before it; nullptr if
// none. `versions` in any order.
const Matrix* InForce(const std::vector<Matrix>& versions, Day day);

// Whether a new version of a lot's matrix may apply from `from`, given the latest
// version's effective_from (`latest`; std::nullopt when this is the first). The first
// applies from any day: there was nothing required before it. A later one applies after
// the latest, so that versions apply in order, and from `today` or later: a new version
// changes what is required from its date on, never what was, so the gate's past answers
// and the quarterly returns already made stay as they were. FAILED_PRECONDITION
// (MATRIX_VERSION_ORDER, subject "lot/<lot_id>") saying which otherwise.
absl::Status CheckNewMatrixVersion(std::optional<Day> latest, Day from, Day today,
                                   absl::string_view lot_id);

enum class RightToWork { kNone, kUnlimited, kTimeLimited };

// The facts of a staff record the rules read.
struct Worker {
  std::string id;
  Day start;
  std::optional<Day> leave;
  std::optional<Day> dbs_date;
  std::optional<Day> barred_list_checked;
  std::optional<Day> dbs_status_checked;  // e.g. DBS Update Service; none: the certificate's
  RightToWork right_to_work = RightToWork::kNone;
  std::optional<Day> right_to_work_expiry;  // time-limited only
  std::string registration_body;
  std::optional<Day> registration_expiry;
  bool drives = false;
  std::optional<Day> business_insurance_expiry;
  std::optional<Day> last_supervision;
  std::optional<Day> last_appraisal;
  std::vector<std::string> lots;  // the lots the worker works on; empty: all
};

// Whether `w` counts in the figures of `lot`: it names the lot, or names none. An empty
// `lot` (no lot asked) counts everyone.
bool WorksOnLot(const Worker& w, const std::string& lot);

struct Completion {
  std::string code;
  Day completed_on;
};

enum class ReasonKind {
  kNotInPost,
  kDbsMissing,
  kDbsExpired,
  kBarredListMissing,
  kRightToWorkMissing,
  kRightToWorkLapsed,
  kRegistrationMissing,
  kRegistrationExpired,
  kCompetencyMissing,
  kCompetencyExpired,
  kCompetencyOverdue,
};
// "DBS_EXPIRED" etc., as the API names them.
const char* ReasonName(ReasonKind kind);

struct Reason {
  ReasonKind kind;
  std::string code;        // competency, for kCompetency*
  std::optional<Day> date;  // lapsed on (expired) or due (overdue)
  bool operator==(const Reason& o) const {
    return kind == o.kind && code == o.code && date == o.date;
  }
};

// In post on `day`: started on or before it and not left before it.
bool InPost(const Worker& w, Day day);

// The competencies required of a package: the matrix's unconditional ones, its
// conditional ones named by `extras`, and any extra the matrix does not know (no
// renewal).
std::vector<CompetencyRule> Required(const Matrix& m, const std::vector<std::string>& extras);

// The last valid day of a competency for a worker: from the latest completion on or
// before `day` (std::nullopt if none; Day::max() when it never needs renewal).
std::optional<Day> CompetencyValidUntil(const CompetencyRule& rule,
                                        const std::vector<Completion>& done, Day day);

// The last day one completion of `code` counts under `m`: completed_on plus the
// competency's renewal period; std::nullopt when `m` does not name it or it never needs
// renewing.
std::optional<Day> CompletionExpires(const Matrix& m, const std::string& code, Day completed_on);

// The compliance gate (DOMAIN.md §5): every reason the worker may not work a package
// on the lot of `m` with `extras` on `day`; empty means eligible.
std::vector<Reason> CheckEligibility(const Worker& w, const Matrix& m,
                                     const std::vector<Completion>& done,
                                     const std::vector<std::string>& extras, Day day);

// Whether every base competency of `m` (its unconditional ones; a new starter's still in
// grace counts) is in date for the worker on `day`.
bool BaseTrainingInDate(const Worker& w, const Matrix& m, const std::vector<Completion>& done,
                        Day day);

// Still in the induction of `weeks` weeks on `day`: the period starts on the start day,
// its first (12 weeks from Monday 2 November 2026 end on Sunday 24 January 2027).
bool InInduction(const Worker& w, Day day, int weeks);

// In-post staff past their induction on `day` and how many of them have the base
// training of `m` in date; those still in it are counted apart and measured by nothing.
struct TrainedShare {
  int in_post = 0;  // in post and past induction: the staff measured
  int trained = 0;
  int in_induction = 0;
  double percent() const { return in_post > 0 ? 100.0 * trained / in_post : 0; }
};
// Only workers on `lot` count (WorksOnLot). A new starter is left out for the first
// `induction_weeks` weeks (InInduction): it is expected to be training then (seed 004
// 3.16 d, "before working unsupervised"), and the gate still keeps it off packages it
// lacks the training for.
TrainedShare TrainedStaff(const std::vector<Worker>& workers,
                          const std::vector<std::vector<Completion>>& done, const Matrix& m,
                          Day day, const std::string& lot,
                          int induction_weeks = kDefaultInductionWeeks);

// ------------------------------------------------------------- expiry watch ---

enum class ExpiryKind {
  kDbs,
  kRegistration,
  kRightToWork,
  kTraining,
  kSupervision,
  kAppraisal,
  kBusinessInsurance,
  kDbsCheck
};
const char* ExpiryName(ExpiryKind kind);

struct Expiry {
  std::string staff_id;
  ExpiryKind kind;
  std::string code;  // training only
  Day due;           // last valid day, or the day due
  bool lapsed = false;  // due < day
  // Training only: the matrix version requiring it. A version not yet in force on the
  // day asked about means the worker will lack the competency when it takes effect.
  int matrix_version = 0;
  // The lot whose matrix gives it (WatchedExpiries); empty under the default periods.
  std::string lot_id;
};

// The day a worker's next DBS status check is due under `m`: `m.dbs_check_months` after
// the later of the certificate and the last status check (Lewisham's 6-monthly check);
// std::nullopt when `m` asks for none or there is no certificate.
std::optional<Day> DbsCheckDue(const Worker& w, const Matrix& m);

// What of a worker in post lapses on or before `day + within_days` (already lapsed
// included). Training and the DBS status check only when `m` is given (its base set);
// periods from `m` or the defaults. Sorted by due day, then kind, then code.
std::vector<Expiry> Expiries(const Worker& w, const Matrix* m, const std::vector<Completion>& done,
                             Day day, int within_days);

// The expiry watch on a lot with every version of its matrix: Expiries under the
// version in force on `day` (none: no training), plus, for each later version taking
// effect on or before `day + within_days`, each base competency it requires that the
// worker will not hold on its effective_from (no record, or one that will have expired
// by then), due on that effective_from; a new starter still in grace then is due at the
// end of the grace instead, and one held then but lapsing in the window under the
// version's renewal period is due on its last valid day. One training item a
// competency, the earliest; nothing for a version taking effect after the worker's
// last day. Sorted as Expiries.
std::vector<Expiry> LotExpiries(const Worker& w, const std::vector<Matrix>& versions,
                                const std::vector<Completion>& done, Day day, int within_days);

// A lot a worker is named on (a running package assignment) and its matrix's versions.
struct WatchedLot {
  std::string lot_id;
  const std::vector<Matrix>* versions;
};

// What the expiry watch follows for one worker: the default periods (Expiries without a
// matrix), and for each lot the worker is named on, that lot's training and periods
// (LotExpiries over its versions; a lot without a matrix adds nothing), each item
// tagged with its lot. An item the same in kind, competency and due day as one before it
// is dropped, so a worker named on two lots with one rule hears of it once: the default
// periods come first, then the lots in the order given. Sorted as Expiries.
std::vector<Expiry> WatchedExpiries(const Worker& w, const std::vector<WatchedLot>& lots,
                                    const std::vector<Completion>& done, Day day, int within_days);

// The stage at which an item due on `due` is announced on `today`: 0 once lapsed (due
// before today), 30 within 30 days, 60 within 60 days, -1 further off.
int AnnouncementStage(Day due, Day today);

// ------------------------------------------------------------------ returns ---

// Quarters and the days a return covers are the platform's (common/dates.h).
using Period = dates::Period;
using Quarter = dates::Quarter;
using dates::ParseQuarter;
using dates::QuarterOf;
using dates::ReturnPeriod;

struct Return {
  int headcount_start = 0, headcount_end = 0, starters = 0, leavers = 0;
  double average_headcount = 0, turnover_percent = 0;
  // Turnover below the target, a percentage a quarter ("less than 5% turn over", seed
  // 002 KPI 4.1): at the target is over it. 0: no target applies, and no verdict (false);
  // nor is there one when nobody was in post (average headcount 0).
  int turnover_target_percent = 0;
  bool turnover_within_target = false;
  // DBS: a certificate within the renewal period with a barred-list check and, where the
  // matrix asks for one (dbs_check_months), the status check not overdue on the last day.
  double dbs_percent = 0, supervision_percent = 0, training_percent = 0;
  // Workers training_percent measured (in post on the lot, past induction): 0, no figure.
  int training_measured = 0;
};

// A complaint as the quarterly figures see it.
struct ComplaintFacts {
  absl::Time received, due;
  std::optional<absl::Time> answered;
  bool upheld = false;  // wholly or partly
};
struct ComplaintFigures {
  int received = 0, answered = 0, answered_in_time = 0, upheld = 0, overdue_at_end = 0;
};
// Over [from, to): received in it; answered in it (in time: by the due time; upheld);
// received before `to`, due before `to` and not answered before `to`.
ComplaintFigures ComplaintsInPeriod(const std::vector<ComplaintFacts>& complaints,
                                    absl::Time from, absl::Time to);

// The quarterly workforce return over `p` (ReturnPeriod: the quarter, or its days to
// date). `m`: the matrix in force on p.last of `lot`, or nullptr (no training figure;
// default periods). `done` is indexed like `workers`. The training figure is of the
// workers on `lot` only, past their `induction_weeks` on p.last (InInduction, as the
// trained staff rule leaves them out); the others of all the provider's. Turnover is
// judged against `turnover_target_percent` (the lot's framework's; 0: none applies).
// DBS (renewal and status check) and supervision are judged by the periods of
// `periods`, or of `m` when it is nullptr (the defaults without either).
Return ComputeReturn(const std::vector<Worker>& workers,
                     const std::vector<std::vector<Completion>>& done, const Matrix* m, Period p,
                     const std::string& lot = "", int turnover_target_percent = 0,
                     int induction_weeks = kDefaultInductionWeeks, const Matrix* periods = nullptr);

// The strictest periods of `matrices` (nullptrs skipped), for a return over every lot a
// provider works on: the shortest DBS renewal, DBS status check and supervision and
// appraisal intervals, each matrix's unset (0) period read as its default; a status
// check only if one of them asks for it. No competencies. The defaults when none.
Matrix StrictestPeriods(const std::vector<const Matrix*>& matrices);

// What a quarterly workforce return is figured from, as read from the records.
struct ReturnFacts {
  std::vector<Worker> workers;
  std::vector<std::vector<Completion>> done;  // indexed like workers
  // The lot asked for (lower case) and its matrix in force on the period's last day;
  // empty and none for a provider-wide return.
  std::string lot;
  std::optional<Matrix> lot_matrix;
  // Each lot whose DBS and supervision periods judge the return, with its matrix in force
  // on the period's last day: the lot asked for or, provider-wide, every lot the provider
  // works on (its admissions' and its packages') that has one (decision 68).
  std::map<std::string, Matrix> period_matrices;
  // The lot's framework's turnover target and induction; provider-wide, no target
  // (decision 63).
  int turnover_target_percent = 0;
  int induction_weeks = kDefaultInductionWeeks;
  // The lot's framework's complaints, or all the provider's, received before
  // ReturnCountedUntil.
  std::vector<ComplaintFacts> complaints;
};

// A quarterly workforce return: its figures and what they were judged by.
struct QuarterlyReturn {
  Return figures;
  Matrix periods;                        // StrictestPeriods of the period matrices
  std::vector<std::string> period_lots;  // their lots, in order
  bool training_computed = false;        // a lot was asked for and somebody measured
  ComplaintFigures complaints;
};

// Complaints count up to the end of `p` or, for the quarter in progress, up to `now`:
// nothing is overdue before its time.
absl::Time ReturnCountedUntil(Period p, absl::Time now);

// The return over `p` (ReturnPeriod) from `f`, at `now`.
QuarterlyReturn ComputeQuarterlyReturn(const ReturnFacts& f, Period p, absl::Time now);

// ------------------------------------------------------------- complaints ---

// The answer deadline: close of office hours on the `working_days`th working day (the
// framework's, default 15) after the day of receipt (WorkingTime::AddWorkingDays:
// received Friday at any hour or over the weekend, Monday is day 1).
absl::Time ComplaintAnswerDue(const calendar::WorkingTime& wt, absl::Time received,
                              int working_days = kDefaultComplaintAnswerWorkingDays);

// A complaint's states and the provider's verbs on it:
//   RECEIVED → ACKNOWLEDGED (acknowledge) | ANSWERED (answer: acknowledged with it)
//   ACKNOWLEDGED → ANSWERED (answer)
// OK, or FAILED_PRECONDITION (COMPLAINT_STATE, subject "complaint/<complaint_id>")
// saying why not. `state` is the proto's name ("RECEIVED").
enum class ComplaintVerb { kAcknowledge, kAnswer };
absl::Status CheckComplaintVerb(absl::string_view state, ComplaintVerb verb,
                                absl::string_view complaint_id);
// An outcome that counts as upheld (in the return, and for the safeguarding rule):
// UPHELD or PARTLY_UPHELD, by the proto's name.
bool IsUpheld(absl::string_view outcome);

// ---------------------------------------------------------------- finances ---

// Seed 004 Appendix A, the rule the registry applies to ANNUAL_ACCOUNTS documents too.
using Accounts = viability::Accounts;
using Breach = viability::Breach;
using Viability = viability::Assessment;
inline Viability AssessAccounts(const Accounts& a) { return viability::Assess(a); }

// ------------------------------------------------------- suspension rules ---

struct SuspensionRules {
  bool inadequate_visit = false;
  int upheld_safeguarding_complaints = 0;  // 0: off
  int complaint_window_months = kDefaultComplaintWindowMonths;
  bool financial_breach = false;
  bool ineligible_package_worker = false;
  int min_trained_staff_percent = 0;  // 0: off
  int induction_weeks = kDefaultInductionWeeks;  // new starters not yet measured by it
  int action_plan_working_days = kDefaultActionPlanWorkingDays;
  // Not rules that trip, but the framework's quality targets kept with them (decision
  // 60): how long a provider has to answer a complaint, and the quarterly turnover
  // its workforce returns are judged against.
  int complaint_answer_working_days = kDefaultComplaintAnswerWorkingDays;
  int turnover_target_percent = 0;  // 0: none
};
// The etag a SetSuspensionRules must send against what is stored (`stored`: the stored
// rules' etag; std::nullopt when none are, and the defaults, which have no etag, apply):
// none while nothing is stored (another is ABORTED: it names a version that does not
// exist, so the caller read something else; read again), the stored one once rules exist
// (INVALID_ARGUMENT on rules.etag without it, ABORTED when stale).
absl::Status CheckRulesEtag(const std::optional<std::string>& stored, const std::string& sent);
enum class Rule { kInadequateVisit, kUpheldSafeguardingComplaints, kFinancialViability,
                  kIneligiblePackageWorker, kTrainedStaffBelowTarget };
struct Trip {
  Rule rule;
  std::string reason;  // no personal data
  int action_plan_working_days = kDefaultActionPlanWorkingDays;
};

// An item of the action plan an automatic suspension opens.
struct ActionItem {
  std::string description;
  Day due;
};
// Seed 001 13.6: the suspended provider, the contract manager and the brokerage team agree
// an action plan with timescales. The plan starts with that one item, naming the reason,
// due `trip.action_plan_working_days` working days after `tripped_on`.
ActionItem FirstActionItem(const Trip& trip, Day tripped_on, const calendar::WorkingTime& wt);
// Completing an item: action_plan::CheckCompletion (common/action_plan.h), the rule the
// registry's suspension plans keep too, from the day the plan was made (its items are all
// given then).

enum class Rating { kOutstanding, kGood, kRequiresImprovement, kInadequate };

// A visit rated INADEQUATE trips the rule when it is the provider's latest on the
// framework (for its lot, or framework-wide): `later` is the latest date of another such
// visit already recorded, if any. A visit dated before a later one is history, recorded
// late; the later visit's rating is the one that stands, and it was weighed when recorded.
std::optional<Trip> OnVisit(const SuspensionRules& r, Rating rating, Day visit_date,
                            std::optional<Day> later = std::nullopt);
// Repeated safeguarding concerns (seed 001 13.7) are counted by when each concern arose
// (the complaint's received day), over the window of `r.complaint_window_months` months
// that ends on the day the tripping answer is given, that day its last: 12 months on an
// answer of 2 December 2026 are 3 December 2025 .. 2 December 2026 (the first day is the
// answer's date a window earlier, plus one, as the gate's periods count their own first
// day). When the answer was given does not move a concern into or out of the window.
Period SafeguardingWindow(const SuspensionRules& r, Day answered_on);
// A safeguarding complaint received on `received_on` has just been answered upheld
// (wholly or partly) on `answered_on`. `upheld_in_window`: the provider's upheld
// safeguarding complaints under the framework received in SafeguardingWindow, this one
// included. Trips when it reaches the threshold; a concern that arose before the window
// trips nothing (it is not a repeat within it, and what is in the window was weighed when
// it was answered).
std::optional<Trip> OnUpheldSafeguardingComplaint(const SuspensionRules& r, Day answered_on,
                                                  Day received_on, int upheld_in_window);
// Accounts trip the rule when they breach a test and are the provider's latest on the
// framework: `latest_other` is the latest year end of its other accounts there, if any.
// An earlier year's accounts, recorded late, are history: the viability in force is the
// latest year's.
std::optional<Trip> OnAccounts(const SuspensionRules& r, const Viability& v, Day year_end,
                               std::optional<Day> latest_other = std::nullopt);
// Revised accounts (decision 71) trip the rule only when the revision brings a breach
// where the figures before it had none: a breach already found was acted on when it was
// found (the suspension stands, or a commissioner reinstated the admission knowing it).
// Only the latest year's, as OnAccounts.
std::optional<Trip> OnRevisedAccounts(const SuspensionRules& r, const Viability& before,
                                      const Viability& after, Day year_end,
                                      std::optional<Day> latest_other = std::nullopt);
// Expired mandatory compliance: a named worker on a live package of the framework has
// the gate's `reasons` on `day` (empty: eligible, nothing trips). NOT_IN_POST alone trips
// nothing: a leaver lapsed in nothing. The reason text names the package and the
// reasons, never the worker.
std::optional<Trip> OnPackageWorkerCheck(const SuspensionRules& r, const std::string& package_id,
                                         const std::vector<Reason>& reasons, Day day);
// Mandatory training below target: `share` of the provider's in-post staff trained on
// the lot (TrainedShare) against the framework's minimum; no staff measured (none in
// post, or all still in induction): nothing.
std::optional<Trip> OnTrainedShare(const SuspensionRules& r, const TrainedShare& share, Day day);
// The same facts give the same signature, whatever the day they are seen: a rule trips
// once for them ("DBS_EXPIRED@2026-11-30,COMPETENCY_MISSING:first_aid").
std::string ReasonsSignature(const std::vector<Reason>& reasons);
// "DBS_EXPIRED (2026-11-30), COMPETENCY_MISSING first_aid": for messages.
std::string DescribeReasons(const std::vector<Reason>& reasons);
// The reasons as a FAILED_PRECONDITION's violations: type the kind, subject the competency
// (or "staff_member/<staff_id>"), description as DescribeReasons writes that one reason.
std::vector<PreconditionViolation> ReasonViolations(const std::vector<Reason>& reasons,
                                                    const std::string& staff_id);

// ---------------------------------------------------------------- packages ---

// Why a worker cannot start on a package on `from`: outside the package's dates
// (start, end inclusive; no end: open-ended). Empty when it may.
std::string PackageDatesProblem(Day start, std::optional<Day> end, Day from);

// The stored last day of an assignment from `from` ended on `last_day`: an assignment
// ended before its first day never ran and ends the day before it began.
Day AssignmentEnd(Day from, Day last_day);

// An ended assignment of a worker on a package, as stored.
struct EndedAssignment {
  std::string id;
  Day from, to;
};
// The ended assignment of the same worker on the same package whose days a new one from
// `from` (running, so open-ended) would overlap: of those that ran (an assignment ended
// before its first day holds no days), the one that ends last, if it ends on or after
// `from`; nullptr when none does. The earliest day the worker may be named again is the
// day after its `to`.
const EndedAssignment* OverlappedAssignment(const std::vector<EndedAssignment>& ended, Day from);

}  // namespace pdps::workforce::domain
