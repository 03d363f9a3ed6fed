// Registry rules.
#include "services/registry/domain/rules.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/money.h"
#include "common/status.h"

namespace pdps::registry::domain {

absl::string_view StateName(AdmissionState s) {
  switch (s) {
    case AdmissionState::kApplied:
      return "APPLIED";
    case AdmissionState::kActive:
      return "ACTIVE";
    case AdmissionState::kRejected:
      return "REJECTED";
    case AdmissionState::kSuspended:
      return "SUSPENDED";
    case AdmissionState::kTerminated:
      return "TERMINATED";
  }
  return "";
}

std::optional<AdmissionState> ParseState(absl::string_view name) {
  for (auto s : {AdmissionState::kApplied, AdmissionState::kActive, AdmissionState::kRejected,
                 AdmissionState::kSuspended, AdmissionState::kTerminated}) {
    if (StateName(s) == name) return s;
  }
  return std::nullopt;
}

absl::string_view VerbName(AdmissionVerb v) {
  switch (v) {
    case AdmissionVerb::kAdmit:
      return "admit";
    case AdmissionVerb::kReject:
      return "reject";
    case AdmissionVerb::kSuspend:
      return "suspend";
    case AdmissionVerb::kReinstate:
      return "reinstate";
    case AdmissionVerb::kTerminate:
      return "terminate";
  }
  return "";
}

absl::StatusOr<AdmissionState> Transition(AdmissionState from, AdmissionVerb verb,
                                          absl::string_view admission_id) {
  using S = AdmissionState;
  using V = AdmissionVerb;
  switch (verb) {
    case V::kAdmit:
      if (from == S::kApplied) return S::kActive;
      break;
    case V::kReject:
      if (from == S::kApplied) return S::kRejected;
      break;
    case V::kSuspend:
      if (from == S::kActive) return S::kSuspended;
      break;
    case V::kReinstate:
      if (from == S::kSuspended) return S::kActive;
      break;
    case V::kTerminate:
      if (from == S::kActive || from == S::kSuspended) return S::kTerminated;
      break;
  }
  return FailedPrecondition(
      absl::StrCat("cannot ", VerbName(verb), " an admission that is ", StateName(from)),
      "ADMISSION_STATE", Subject("admission", admission_id));
}

absl::Status RequirePlanOpen(AdmissionState state, PlanChange change,
                             absl::string_view admission_id) {
  if (state == AdmissionState::kSuspended) return absl::OkStatus();
  return FailedPrecondition(
      absl::StrCat("the admission is ", StateName(state), "; ",
                   change == PlanChange::kAddItems
                       ? "action plan items are added to a suspension (SuspendAdmission sets "
                         "the first)"
                       : "action plan items are completed while the suspension lasts (once it "
                         "ended, its plan is the record the decision was made on)"),
      "ADMISSION_STATE", Subject("admission", admission_id));
}

bool IsOpenOn(const std::vector<Window>& windows, absl::CivilDay day) {
  return std::any_of(windows.begin(), windows.end(),
                     [&](const Window& w) { return w.open <= day && day <= w.close; });
}

int FirstOverlap(std::vector<Window> windows) {
  std::vector<size_t> order(windows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return windows[a].open < windows[b].open; });
  for (size_t k = 1; k < order.size(); ++k) {
    if (windows[order[k]].open <= windows[order[k - 1]].close) {
      return static_cast<int>(std::max(order[k], order[k - 1]));
    }
  }
  return -1;
}

DocumentStatus StatusOn(std::optional<absl::CivilDay> expiry, absl::CivilDay today) {
  if (!expiry.has_value()) return DocumentStatus::kCurrent;
  if (*expiry < today) return DocumentStatus::kExpired;
  if (*expiry - today <= kExpiringSoonDays) return DocumentStatus::kExpiringSoon;
  return DocumentStatus::kCurrent;
}

const std::vector<std::string>& AlwaysMandatoryKinds() {
  static const auto* kinds = new std::vector<std::string>{
      "CQC_REGISTRATION", "OFSTED_REGISTRATION", "EMPLOYERS_LIABILITY", "PUBLIC_LIABILITY"};
  return *kinds;
}

bool AlwaysMandatory(absl::string_view kind) {
  const auto& kinds = AlwaysMandatoryKinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

bool Mandatory(absl::string_view kind, bool filed) { return filed || AlwaysMandatory(kind); }

namespace {

// Cover meets a minimum when it is at least that much: at application and when a policy
// is filed alike.
bool MeetsMinimum(int64_t cover_pence, int64_t minimum_pence) {
  return cover_pence >= minimum_pence;
}

}  // namespace

std::vector<std::string> CoverShortfalls(const Cover& held, const Cover& required) {
  std::vector<std::string> out;
  auto check = [&](const char* what, int64_t have, int64_t need) {
    if (MeetsMinimum(have, need)) return;
    out.push_back(absl::StrCat(what, " cover in date is ",
                               have == 0 ? "none" : money::FormatPounds(have),
                               "; the framework requires at least ", money::FormatPounds(need)));
  };
  check("employer's liability", held.employers_pence, required.employers_pence);
  check("public liability", held.public_pence, required.public_pence);
  return out;
}

bool IsLiabilityPolicy(absl::string_view kind) {
  return kind == "EMPLOYERS_LIABILITY" || kind == "PUBLIC_LIABILITY";
}

absl::Status CheckDocumentCover(absl::string_view kind, int64_t cover_pence,
                                const Cover& minimums) {
  if (!IsLiabilityPolicy(kind)) return absl::OkStatus();
  const int64_t minimum =
      kind == "EMPLOYERS_LIABILITY" ? minimums.employers_pence : minimums.public_pence;
  if (MeetsMinimum(cover_pence, minimum)) return absl::OkStatus();
  return InvalidField("document.cover",
                      absl::StrCat("is below the minimum of ", money::FormatPounds(minimum),
                                   " required by a framework you are admitted to"));
}

absl::CivilDay CapacityReturnDueDate(absl::CivilMonth month, int due_day) {
  absl::CivilMonth next = month + 1;
  return absl::CivilDay(next.year(), next.month(), due_day);
}

CapacityReturnOwed WhoOwesCapacityReturn(absl::CivilMonth month, int due_day) {
  return {absl::CivilDay(month + 1) - 1, CapacityReturnDueDate(month, due_day)};
}

absl::Status CheckReturnMonthAdmitted(absl::CivilMonth month, absl::CivilDay first_active,
                                      const std::string& framework_id) {
  const absl::CivilMonth first(first_active);
  if (month >= first) return absl::OkStatus();
  const std::string since =
      absl::StrCat("first admitted to the framework on ", dates::FormatDay(first_active),
                   ": returns are owed from ", dates::FormatMonth(first));
  return FailedPrecondition(
      absl::StrCat("no capacity return is owed for ", dates::FormatMonth(month),
                   ", a month before you were on this framework (", since,
                   "); make the return for ", dates::FormatMonth(first), " or later"),
      {{"RETURN_BEFORE_ADMISSION", Subject("framework", framework_id), since}});
}

bool IsLate(absl::CivilMonth month, int due_day, absl::CivilDay submitted_on) {
  return submitted_on > CapacityReturnDueDate(month, due_day);
}

double AverageWeeklyHours(int total_weekly_hours, int workers) {
  if (workers <= 0) return 0;
  return std::round(10.0 * total_weekly_hours / workers) / 10.0;
}

}  // namespace pdps::registry::domain
