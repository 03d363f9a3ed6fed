// Request validation for the registry: every wrong field is reported at once as a field
// violation (AIP-193), before anything is written. Also fills documented defaults.
// Works on the API messages (plain data) and calls no service or database.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/status.h"
#include "pdps/registry/v1/registry.pb.h"

namespace pdps::registry::domain {

namespace v1 = ::pdps::registry::v1;

// Defaults of a framework's optional settings (documented on the proto fields).
inline constexpr int64_t kDefaultEmployersLiabilityPence = 5'000'000'00;   // £5m
inline constexpr int64_t kDefaultPublicLiabilityPence = 10'000'000'00;     // £10m
inline constexpr char kDefaultOfficeHours[] = "09:00-17:00,Mon-Fri";
// The call-off settings' defaults are in services/registry/client/call_off_defaults.h,
// which the referrals service reads too.

void ApplyFrameworkDefaults(v1::Framework* f);

absl::Status ValidateOrganisation(const v1::Organisation& o);
absl::Status ValidatePartnership(const v1::Partnership& p);
// `create`: partnership_id is required; otherwise id and etag are.
absl::Status ValidateFramework(const v1::Framework& f, bool create);
absl::Status ValidateLot(const v1::Lot& l, bool create);
absl::Status ValidateProvider(const v1::Provider& p);
absl::Status ValidateDocument(const v1::ComplianceDocument& d, bool create);
// An update against the stored resource: the immutable fields (a lot's framework_id and
// code, a framework's partnership_id, a document's kind) may be left unset, keeping their
// value, but a different value is INVALID_ARGUMENT ("cannot change; ..."), not ignored.
// Output-only fields (ids, etags, audit, computed values) are ignored as everywhere.
absl::Status ValidateLotChange(const v1::Lot& given, const v1::Lot& stored);
absl::Status ValidateFrameworkChange(const v1::Framework& given, const v1::Framework& stored);
absl::Status ValidateDocumentChange(const v1::ComplianceDocument& given,
                                    const v1::ComplianceDocument& stored);
// A capacity return's figures: every count and weekly-hours figure from 0 to
// kMaxCapacityFigure, and each weekly-hours figure at most kHoursInAWeek for each care
// worker employed when any are (decision 69); the month not in the future.
inline constexpr int kMaxCapacityFigure = 100'000;
inline constexpr int kHoursInAWeek = 168;
absl::Status ValidateCapacityReturn(const v1::CapacityReturn& r, absl::CivilDay today);

// A suspension's action plan (SuspendAdmission, AddActionPlanItems): 1 to
// Violations::kMaxActionPlanItems items, each as Violations::ActionItem says (a
// description, a due date not before `today`: a date already past is a typing mistake,
// not a timescale). Violations, naming `action_plan[i]`, go to `v`; the items when none.
struct ActionItem {
  std::string description;
  absl::CivilDay due;
};
std::vector<ActionItem> ValidateActionPlan(
    const google::protobuf::RepeatedPtrField<v1::ActionPlanItem>& items, absl::CivilDay today,
    Violations& v);

}  // namespace pdps::registry::domain
