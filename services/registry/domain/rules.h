// The provider registry's rules (DOMAIN.md §2) over plain types: no gRPC, no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/viability.h"

namespace pdps::registry::domain {

// ------------------------------------------------------------- admission ---

enum class AdmissionState { kApplied, kActive, kRejected, kSuspended, kTerminated };
enum class AdmissionVerb { kAdmit, kReject, kSuspend, kReinstate, kTerminate };

absl::string_view StateName(AdmissionState s);
std::optional<AdmissionState> ParseState(absl::string_view name);
absl::string_view VerbName(AdmissionVerb v);

// The state after `verb`, or FAILED_PRECONDITION (ADMISSION_STATE, subject
// "admission/<id>") naming what is allowed from `from`.
//   APPLIED → ACTIVE (admit) | REJECTED (reject)
//   ACTIVE → SUSPENDED (suspend) | TERMINATED (terminate)
//   SUSPENDED → ACTIVE (reinstate) | TERMINATED (terminate)
absl::StatusOr<AdmissionState> Transition(AdmissionState from, AdmissionVerb verb,
                                          absl::string_view admission_id);

// ----------------------------------------------------------- action plans ---

// What may be done to a suspension's action plan.
enum class PlanChange { kAddItems, kCompleteItem };
// A suspension's action plan changes only while the admission is SUSPENDED: once it is
// reinstated or terminated the plan is the closed record of that suspension, on which
// the commissioner decided (decision 0056). FAILED_PRECONDITION (ADMISSION_STATE) naming
// the state otherwise, e.g. "the admission is ACTIVE; action plan items are added to a
// suspension (SuspendAdmission sets the first)".
absl::Status RequirePlanOpen(AdmissionState state, PlanChange change,
                             absl::string_view admission_id);

// Completing an item of the current suspension's plan: action_plan::CheckCompletion
// (common/action_plan.h), the rule workforce's quality plans keep too.

// ------------------------------------------------------ application windows ---

struct Window {
  absl::CivilDay open;
  absl::CivilDay close;  // inclusive
};

bool IsOpenOn(const std::vector<Window>& windows, absl::CivilDay day);
// Windows must not overlap; returns the index of the first window overlapping an earlier
// one, or -1.
int FirstOverlap(std::vector<Window> windows);

// ---------------------------------------------------------- compliance ---

enum class DocumentStatus { kCurrent, kExpiringSoon, kExpired };
inline constexpr int kExpiringSoonDays = 30;

// A document with no expiry date is always current. A document is expired the day
// after its expiry date (it is valid on the date itself).
DocumentStatus StatusOn(std::optional<absl::CivilDay> expiry, absl::CivilDay today);

// An ANNUAL_ACCOUNTS document's figures, assessed by seed 004 Appendix A's tests with
// viability::Assess (common/viability.h), as workforce's accounts are.
using Accounts = viability::Accounts;

// The kinds that block the provider's compliance when they lapse, whatever the provider
// files: CQC and Ofsted registrations, employer's and public liability (decision 0006).
// A provider holds one of each at a time, so a later one renews an earlier one: an expired
// registration or policy does not count against a provider holding another of its kind in
// date (decision 0081), as a document of another kind, kept as one, is renewed by updating
// it.
const std::vector<std::string>& AlwaysMandatoryKinds();
bool AlwaysMandatory(absl::string_view kind);

// What is stored as ComplianceDocument.mandatory, on create and on every update alike: a
// kind that is always mandatory stays so, whatever the provider sends; any other kind,
// OTHER_INSURANCE among them, blocks compliance only when filed with mandatory set.
bool Mandatory(absl::string_view kind, bool filed);

// Insurance a provider must hold to apply to a framework (seed 004 3.26: employer's
// liability £5m, public liability £10m, or the framework's own minimums): the greatest
// in-date cover of each kind filed, against the framework's minimums.
struct Cover {
  int64_t employers_pence = 0;
  int64_t public_pence = 0;
};
// One sentence per kind of cover that falls short, e.g. "employer's liability cover in
// date is £1,000,000.00; the framework requires at least £5,000,000.00" ("is none" when
// nothing in date is filed); empty when both meet the minimums.
std::vector<std::string> CoverShortfalls(const Cover& held, const Cover& required);
// A liability policy filed as a document (`kind`, the proto's name: EMPLOYERS_LIABILITY
// or PUBLIC_LIABILITY) must cover its kind's minimum in `minimums`, the greatest of the
// frameworks the provider has applied to or is admitted to, by the comparison
// CoverShortfalls makes at application, so that filing or changing a policy cannot leave
// an admission short. INVALID_ARGUMENT on document.cover otherwise ("is below the minimum
// of £10,000,000.00 required by a framework you are admitted to"). A document of any
// other kind: OK, whatever cover it states.
absl::Status CheckDocumentCover(absl::string_view kind, int64_t cover_pence, const Cover& minimums);
// Whether a document of `kind` is a liability policy CheckDocumentCover holds to a
// minimum (so that filing any other needs no minimums read).
bool IsLiabilityPolicy(absl::string_view kind);

// ------------------------------------------------------------ capacity ---

// The day a return for `month` is due: `due_day` of the following month.
absl::CivilDay CapacityReturnDueDate(absl::CivilMonth month, int due_day);
// Who owes the return for a month (decision 0055): an admission made ACTIVE on or before
// `admitted_by` (the month's last day) and not terminated before `due` (the due date).
// A suspension does not excuse it: the provider still holds the contract and its
// current packages. So nothing is owed for a month before the provider was admitted,
// nor, therefore, before the framework existed.
struct CapacityReturnOwed {
  absl::CivilDay admitted_by;
  absl::CivilDay due;
};
CapacityReturnOwed WhoOwesCapacityReturn(absl::CivilMonth month, int due_day);
// A return is made for a month the provider was on the framework in: OK when `month`
// ends on or after `first_active` (the London day its first admission on the framework
// was made ACTIVE, whatever has happened since), as ListLateCapacityReturns counts who
// owes it (decision 0055); else FAILED_PRECONDITION (PreconditionViolation
// RETURN_BEFORE_ADMISSION framework/<id>) saying from which month returns are owed
// (decision 69).
absl::Status CheckReturnMonthAdmitted(absl::CivilMonth month, absl::CivilDay first_active,
                                      const std::string& framework_id);
// Submitted (London date) after the due date.
bool IsLate(absl::CivilMonth month, int due_day, absl::CivilDay submitted_on);
// Weekly hours per worker to one decimal place; 0 with no workers.
double AverageWeeklyHours(int total_weekly_hours, int workers);
// A provider has declared capacity on `day` when its latest return is for this month or
// one of the two before it and offers some hours: the eligibility statement
// (store/sql.h kListEligible) reads returns from EarliestCapacityMonth(day) on.
inline constexpr int kCapacityReturnMaxAgeMonths = 2;
inline absl::CivilMonth EarliestCapacityMonth(absl::CivilDay day) {
  return absl::CivilMonth(day) - kCapacityReturnMaxAgeMonths;
}

}  // namespace pdps::registry::domain
