// Error handling shared by every service: absl::Status helpers, field violations, and
// the one mapping from absl::Status to grpc::Status used at the edge.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/dates.h"
#include "common/ids.h"

#define PDPS_CONCAT_INNER(a, b) a##b
#define PDPS_CONCAT(a, b) PDPS_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` yields a non-OK absl::Status.
#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    ::absl::Status pdps_status_ = (expr);        \
    if (!pdps_status_.ok()) return pdps_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F());` assigns the value of an absl::StatusOr or returns its
// error from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  PDPS_ASSIGN_OR_RETURN_IMPL(PDPS_CONCAT(pdps_statusor_, __LINE__), lhs, expr)
#define PDPS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).status();   \
  lhs = std::move(tmp).value()

namespace pdps {

// One wrong field of a request, named by its path (e.g. "framework.call_off.method").
struct FieldViolation {
  std::string field;
  std::string description;
};

// Collects field violations while validating a request.
class Violations {
 public:
  void Add(std::string field, std::string description) {
    list_.push_back({std::move(field), std::move(description)});
  }
  // Adds every violation of `validated`, another validator's answer (OK or
  // INVALID_ARGUMENT), so that one response lists them all.
  void Merge(const absl::Status& validated);
  // A free-text field: a required one must hold more than white space; none may be
  // longer than `max` characters.
  void Text(const std::string& field, const std::string& text, size_t max, bool required = true);
  // The wording every service uses for an id, a date or a month: a field left empty "is
  // required" (when it is), one holding something else "must be a UUID", "must be a
  // date YYYY-MM-DD" or "must be a month YYYY-MM". Date and Month return the value when
  // it is set and well formed.
  void Id(const std::string& field, absl::string_view id, bool required = true);
  // An update's etag (AIP-154), required: "is required (read the <what> first)".
  void Etag(const std::string& field, absl::string_view etag, absl::string_view what);
  std::optional<absl::CivilDay> Date(const std::string& field, absl::string_view text,
                                     bool required = true);
  std::optional<absl::CivilMonth> Month(const std::string& field, absl::string_view text,
                                        bool required = true);
  // The quarter of a quarterly return, "YYYY-Qn" (2026-Q3), one that has started on
  // `today` (Europe/London): "is required", "must be YYYY-Qn, e.g. 2026-Q3", "must be a
  // quarter from 1990-Q1 (1899-Q1 is before it)" (dates::kFirstQuarterYear) or "must not
  // be in the future". Returns the quarter and the days its return covers
  // (dates::ReturnPeriod: the quarter in progress to date) when it is well formed.
  struct ReturnQuarter {
    dates::Quarter quarter;
    dates::Period period;
  };
  std::optional<ReturnQuarter> Quarter(const std::string& field, const std::string& text,
                                       absl::CivilDay today);
  // A due date (an action plan's items, in the registry and in workforce): not before
  // `today`, in Europe/London; a date already past is a typing mistake, not a timescale.
  // False, with a violation naming today, when it is.
  bool NotBeforeToday(const std::string& field, absl::CivilDay day, absl::CivilDay today);
  // One item of an action plan (a registry suspension's, a workforce quality plan's),
  // `field` its path ("action_plan[2]"): a description of at most 2000 characters and a
  // due date not before `today`. Returns the due date when both are right. The plan
  // itself holds 1 to kMaxActionPlanItems items, each caller's own field.
  static constexpr int kMaxActionPlanItems = 100;
  std::optional<absl::CivilDay> ActionItem(const std::string& field, const std::string& description,
                                           absl::string_view due_date, absl::CivilDay today);
  // A list of at most `max` items: false, with a violation, when it has more.
  bool AtMost(const std::string& field, int size, int max);
  // A list of at most `max` competency codes (IsCompetencyCode), each named when wrong
  // or when it repeats an earlier one (NoRepeats).
  template <typename Codes>
  void CompetencyCodes(const std::string& field, const Codes& codes, int max) {
    if (!AtMost(field, static_cast<int>(codes.size()), max)) return;
    bool well_formed = true;
    for (int i = 0; i < static_cast<int>(codes.size()); ++i) {
      if (!IsCompetencyCode(codes[i])) {
        AddNotACompetencyCode(field, i);
        well_formed = false;
      }
    }
    if (well_formed) NoRepeats(field, codes);
  }
  // Each item of a list that equals an earlier one, on its own index and naming the
  // first: "referral.extra_competencies[2]: repeats referral.extra_competencies[0]".
  // False when there was one.
  template <typename Items>
  bool NoRepeats(const std::string& field, const Items& items) {
    bool none = true;
    for (int i = 1; i < static_cast<int>(items.size()); ++i) {
      for (int j = 0; j < i; ++j) {
        if (items[j] == items[i]) {
          AddRepeat(field, i, j);
          none = false;
          break;
        }
      }
    }
    return none;
  }
  bool empty() const { return list_.empty(); }
  const std::vector<FieldViolation>& list() const { return list_; }
  // OK when nothing was added; otherwise INVALID_ARGUMENT carrying every violation. The
  // message is `message`, or when empty the first violation ("bid.hourly_rate: is above
  // ... (and 2 more invalid fields)"), so that a client logging only the message still
  // learns which field to fix.
  absl::Status ToStatus(absl::string_view message = "") const;

 private:
  // False when `text` is empty, with "is required" added if `required`.
  bool Given(const std::string& field, absl::string_view text, bool required);
  // `value`, with `must` added when it is missing (text that did not parse).
  template <typename T>
  std::optional<T> Parsed(std::optional<T> value, const std::string& field, const char* must) {
    if (!value) Add(field, must);
    return value;
  }
  void AddNotACompetencyCode(const std::string& field, int index);
  void AddRepeat(const std::string& field, int index, int first);
  std::vector<FieldViolation> list_;
};

// Empty, or nothing but white space: what a required text field may not be.
bool IsBlank(absl::string_view text);

// The number of characters (Unicode code points) of UTF-8 text: what "at most N
// characters" counts, as PostgreSQL's length() does. "é" is one character, two bytes.
size_t Characters(absl::string_view text);

// INVALID_ARGUMENT whose payload carries google.rpc.BadRequest field violations.
absl::Status InvalidArgument(absl::string_view message, std::vector<FieldViolation> violations);
// INVALID_ARGUMENT for a single field.
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// The field violations carried by a status (empty if none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// One unmet precondition of a FAILED_PRECONDITION (google.rpc.PreconditionFailure's
// Violation): `type`, a stable upper-case name a client can switch on (a gate refusal's
// IneligibilityReason kind, "COMPETENCY_EXPIRED"); `subject`, what it is about (the
// competency code, or "staff_member/<id>" when the worker as a whole); `description`,
// for people ("expired 2026-11-30").
struct PreconditionViolation {
  std::string type;
  std::string subject;
  std::string description;
};

// FAILED_PRECONDITION whose payload carries google.rpc.PreconditionFailure violations.
absl::Status FailedPrecondition(absl::string_view message,
                                std::vector<PreconditionViolation> violations);
// FAILED_PRECONDITION for one unmet rule: `type` the reason (docs/api.md, "Errors",
// lists them: "ADMISSION_STATE", "OFFER_DEADLINE_PASSED"), `subject` what it is about
// ("admission/<id>"); the violation's description is the message. Every
// FAILED_PRECONDITION a service returns carries at least one violation (decision 77).
absl::Status FailedPrecondition(absl::string_view message, absl::string_view type,
                                absl::string_view subject);
// The precondition violations carried by a status (empty if none).
std::vector<PreconditionViolation> PreconditionViolationsOf(const absl::Status& status);
// A violation's subject: "<collection>/<id>" ("admission/<id>", "lot/<id>"), the form
// every service gives and docs/api.md lists.
std::string Subject(absl::string_view collection, absl::string_view id);
// A FAILED_PRECONDITION without a violation, which no client can switch on: a bug
// (decision 77). server::Gate logs it; the service harness fails the test.
bool LacksPreconditionReason(const absl::Status& status);

// ALREADY_EXISTS naming the resource that is already there (google.rpc.ResourceInfo:
// resource_type `type`, e.g. "pdps.workforce.v1.PackageAssignment", resource_name its
// id), so that a client can read it without parsing the message.
absl::Status AlreadyExists(absl::string_view message, absl::string_view type, absl::string_view id);
// The ResourceInfo a status carries, serialized (empty if none): for server::ToGrpc.
std::string ResourceInfoOf(const absl::Status& status);

// ABORTED for an update or verb whose etag is not the resource's current one
// (AIP-154): the caller must read again and retry.
absl::Status StaleEtag(absl::string_view kind);

// NOT_FOUND with the standard message for a resource that is missing or not visible.
absl::Status NotFound(absl::string_view kind, absl::string_view id);

}  // namespace pdps
