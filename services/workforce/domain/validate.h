// Input rules for the workforce API's messages, and their reading into the plain
// structs of rules.h. Plain functions over the API messages: no gRPC, no SQL. Every
// check names the wrong field (google.rpc.BadRequest), so a bad request changes nothing.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pdps/workforce/v1/workforce.pb.h"
#include "services/workforce/domain/rules.h"

namespace pdps::workforce::domain {

namespace v1 = ::pdps::workforce::v1;

// The input fields of a staff record (output-only fields are ignored). `today` bounds
// supervision and appraisal dates; a DBS status check is of an issued certificate, so not
// before dbs.certificate_date. `prefix` names the request field, "staff_member".
absl::Status ValidateStaff(const v1::StaffMember& s, Day today,
                           const std::string& prefix = "staff_member");
// Each of a staff record's lot_ids is a lot the provider works on (`working`, lower case:
// its ACTIVE and SUSPENDED admissions), or one the record already names (`kept`: a lot
// whose admission ended stays until the provider drops it). Otherwise INVALID_ARGUMENT on
// its index: a lot the registry does not know, or one the provider does not work on,
// would take the worker out of every figure for the provider's lots (decision 73).
absl::Status ValidateStaffLots(const v1::StaffMember& s, const std::set<std::string>& working,
                               const std::set<std::string>& kept,
                               const std::string& prefix = "staff_member");
absl::Status ValidateMatrix(const v1::TrainingMatrix& m,
                            const std::string& prefix = "training_matrix");
absl::Status ValidateTrainingRecord(const v1::TrainingRecord& r, Day today,
                                    const std::string& prefix = "training_record");
// The longest complaint window a framework's rules may set (complaint_window_months).
inline constexpr int kMaxComplaintWindowMonths = 60;
// received_time: not in the future, and not more than kMaxComplaintWindowMonths before
// today (from the start of that day, Europe/London): an older complaint counts towards no
// rule, and a 1970 one would only sit overdue in every list (decision 69).
absl::Status ValidateComplaint(const v1::Complaint& c, absl::Time now,
                               const std::string& prefix = "complaint");
absl::Status ValidateAnswer(v1::Complaint::Outcome outcome, const std::string& learning);
// How far back a visit or a year's accounts may be dated: as far as complaints, the
// longest a rule looks back. A 1901 visit or a "2016" typed for 2026 is refused rather
// than stored where a rule would read it (decision 73).
inline constexpr int kOldestRecordMonths = kMaxComplaintWindowMonths;
// visit_date: not in the future, not more than kOldestRecordMonths before today.
absl::Status ValidateVisit(const v1::MonitoringVisit& v, Day today,
                           const std::string& prefix = "visit");
// Every item due today or later (Europe/London), as the registry's suspension plans.
absl::Status ValidateActionPlan(const v1::ActionPlan& p, Day today,
                                const std::string& prefix = "action_plan");
// year_end: not in the future, not more than kOldestRecordMonths before today.
absl::Status ValidateAccounts(const v1::FinancialAccounts& a, Day today,
                              const std::string& prefix = "accounts");
// A revision: id, etag, the five amounts as for recording, and a reason; provider_id,
// framework_id and year_end optional (ValidateSameAccounts checks them).
absl::Status ValidateAccountsRevision(const v1::FinancialAccounts& a, const std::string& reason,
                                      const std::string& prefix = "accounts");
// What names recorded accounts never changes: each of provider_id, framework_id and
// year_end a revision sets must be the recorded one.
absl::Status ValidateSameAccounts(const v1::FinancialAccounts& recorded,
                                  const v1::FinancialAccounts& revised,
                                  const std::string& prefix = "accounts");
// The five amounts are equal.
bool SameFigures(const v1::FinancialAccounts& a, const v1::FinancialAccounts& b);
absl::Status ValidateRules(const v1::SuspensionRules& r, const std::string& prefix = "rules");
// The rules as stored and read back: a field whose 0 (unset) means a default gets that
// default (complaint_window_months 12, action_plan_due_working_days 10), so what a caller
// reads is what applies. A 0 that turns a rule off stays 0.
v1::SuspensionRules WithDefaults(v1::SuspensionRules r);

// Readings of validated messages.
std::optional<Day> DayOf(const pdps::common::v1::Date& d);
Worker WorkerOf(const v1::StaffMember& s);
Matrix MatrixOf(const v1::TrainingMatrix& m);
SuspensionRules RulesOf(const v1::SuspensionRules& r);
Accounts AccountsOf(const v1::FinancialAccounts& a);
Rating RatingOf(v1::Rating r);

}  // namespace pdps::workforce::domain
