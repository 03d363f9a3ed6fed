// The workforce service's persistence: each method is one transaction as the calling
// organisation (row-level security decides what it may see), applying the rules of
// domain/ and appending events to the outbox in the same transaction.
//
// Commissioners never read staff rows: GetWorkforceCompliance reads a provider's staff
// with the service's own authority and returns counts only (decision 0030), and
// ListPackageWorkers returns a package's named workers' display name, role and gate
// answer only (decision 0041).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "common/db.h"
#include "common/events.h"
#include "common/idempotency.h"
#include "common/paging.h"
#include "common/server.h"
#include "pdps/common/v1/events.pb.h"
#include "pdps/workforce/v1/workforce_service.pb.h"
#include "services/registry/client/registry_client.h"
#include "services/workforce/domain/rules.h"

namespace pdps::workforce {

namespace v1 = ::pdps::workforce::v1;

template <typename T>
using Listed = paging::Listed<T>;

class Store {
 public:
  using Call = server::Call;
  using Day = domain::Day;

  Store(db::Pool* pool, calendar::HolidayCalendar holidays);

  // Staff (the caller's organisation is the provider).
  absl::StatusOr<v1::StaffMember> CreateStaff(const Call& c, const v1::StaffMember& s,
                                              const std::string& request_id);
  absl::StatusOr<v1::StaffMember> GetStaff(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::StaffMember>> ListStaff(const Call& c, bool include_leavers,
                                                    int page_size, const std::string& page_token);
  absl::StatusOr<v1::StaffMember> UpdateStaff(const Call& c, const v1::StaffMember& s);

  // Training matrices.
  absl::StatusOr<v1::TrainingMatrix> CreateMatrix(const Call& c, const v1::TrainingMatrix& m,
                                                  const std::string& request_id);
  absl::StatusOr<v1::TrainingMatrix> GetMatrix(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::TrainingMatrix>> ListMatrices(const Call& c, const std::string& lot_id,
                                                          const std::string& framework_id,
                                                          int page_size,
                                                          const std::string& page_token);

  // Training records.
  absl::StatusOr<v1::TrainingRecord> CreateTraining(const Call& c, const v1::TrainingRecord& r,
                                                    const std::string& request_id);
  // Voids one of the caller's records: listed still, counted by no rule.
  absl::StatusOr<v1::TrainingRecord> VoidTraining(const Call& c, const std::string& id,
                                                  const std::string& reason);
  // With `lot_id`, each record's expires_on under the lot's matrix in force on `day`.
  absl::StatusOr<Listed<v1::TrainingRecord>> ListTraining(const Call& c,
                                                          const std::string& staff_id,
                                                          const std::string& lot_id, Day day,
                                                          int page_size,
                                                          const std::string& page_token);

  // Compliance.
  // `provider_id` non-empty: NOT_FOUND unless the worker is that provider's.
  absl::StatusOr<v1::CheckWorkerEligibilityResponse> CheckEligibility(
      const Call& c, const std::string& staff_id, const std::string& provider_id,
      const std::string& lot_id, const std::vector<std::string>& extras, domain::Day day);
  absl::StatusOr<v1::WorkforceCompliance> Compliance(const Call& c, const std::string& provider_id,
                                                     const std::string& lot_id, domain::Day day);
  absl::StatusOr<Listed<v1::ExpiryItem>> ListExpiries(const Call& c, const std::string& lot_id,
                                                      domain::Day day, int within_days,
                                                      int page_size, const std::string& page_token);
  // The return for quarter `q` over `period` (domain::ReturnPeriod).
  // `working_lots`: without `lot_id`, the lots the provider is admitted to (the registry's),
  // whose strictest periods judge DBS and supervision with its packages' lots.
  absl::StatusOr<v1::WorkforceReturn> WorkforceReturn(const Call& c, const std::string& provider_id,
                                                      domain::Quarter q, domain::Period period,
                                                      const std::string& lot_id,
                                                      const std::set<std::string>& working_lots);

  // Complaints.
  absl::StatusOr<v1::Complaint> CreateComplaint(const Call& c, const v1::Complaint& in,
                                                const std::string& request_id);
  absl::StatusOr<v1::Complaint> GetComplaint(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::Complaint>> ListComplaints(const Call& c, bool overdue_only,
                                                       int page_size,
                                                       const std::string& page_token);
  absl::StatusOr<v1::Complaint> AcknowledgeComplaint(const Call& c, const std::string& id,
                                                     const std::string& etag);
  absl::StatusOr<v1::Complaint> AnswerComplaint(const Call& c, const std::string& id,
                                                const std::string& etag,
                                                v1::Complaint::Outcome outcome,
                                                const std::string& learning);

  // Quality monitoring.
  absl::StatusOr<v1::MonitoringVisit> CreateVisit(const Call& c, const v1::MonitoringVisit& v,
                                                  const std::string& request_id);
  absl::StatusOr<Listed<v1::MonitoringVisit>> ListVisits(const Call& c,
                                                         const std::string& provider_id,
                                                         int page_size,
                                                         const std::string& page_token);
  absl::StatusOr<v1::ActionPlan> CreatePlan(const Call& c, const v1::ActionPlan& p,
                                            const std::string& request_id);
  absl::StatusOr<Listed<v1::ActionPlan>> ListPlans(const Call& c, const std::string& provider_id,
                                                   int page_size, const std::string& page_token);
  absl::StatusOr<v1::ActionPlan> CompleteItem(const Call& c, const std::string& id,
                                              const std::string& etag, int index, domain::Day day);
  absl::StatusOr<v1::FinancialAccounts> RecordAccounts(const Call& c,
                                                       const v1::FinancialAccounts& a,
                                                       const std::string& request_id);
  absl::StatusOr<v1::FinancialAccounts> GetAccounts(const Call& c, const std::string& id);
  // Replaces the figures of accounts the caller recorded, keeping the ones replaced with
  // `reason`; equal figures change nothing. May trip the viability rule
  // (domain::OnRevisedAccounts).
  absl::StatusOr<v1::FinancialAccounts> ReviseAccounts(const Call& c,
                                                       const v1::FinancialAccounts& a,
                                                       const std::string& reason);
  absl::StatusOr<Listed<v1::FinancialAccounts>> ListAccounts(const Call& c,
                                                             const std::string& provider_id,
                                                             int page_size,
                                                             const std::string& page_token);

  // Suspension rules, stored as given: `r` carries its defaults (domain::WithDefaults).
  absl::StatusOr<v1::SuspensionRules> SetRules(const Call& c, const v1::SuspensionRules& r);
  absl::StatusOr<v1::SuspensionRules> GetRules(const Call& c, const std::string& framework_id);

  // The expiry watch's events: every item of a worker in post that lapses within 60
  // days, within 30, or has lapsed is announced once per stage (ComplianceLapsing), as
  // the service, safe with several replicas; training and the lot's periods for the lots
  // of the packages the worker is named on. Returns how many were announced.
  absl::StatusOr<int> AnnounceExpiries(absl::Time now, absl::Time deadline);

  // Packages (copied from the referrals feed) and their named workers.
  // The feed consumer's handler for pdps.referrals.v1.ReferralAwarded: a replay is a
  // no-op.
  absl::Status ApplyReferralAwarded(db::Tx& tx, const pdps::common::v1::Event& e);
  // Read as the service (a package holds no personal data); the handler decides who
  // may see it.
  absl::StatusOr<v1::Package> GetPackage(const Call& c, const std::string& id);
  // As the caller: a provider sees its own.
  absl::StatusOr<Listed<v1::Package>> ListPackages(const Call& c, const std::string& provider_id,
                                                   int page_size, const std::string& page_token);
  // The caller (a provider) names one of its workers on one of its packages, from
  // `from` (none: today, or the package's start date if later), if the compliance gate
  // passes.
  absl::StatusOr<v1::PackageAssignment> CreateAssignment(const Call& c,
                                                         const std::string& package_id,
                                                         const std::string& staff_id,
                                                         std::optional<Day> from,
                                                         const std::string& request_id);
  absl::StatusOr<v1::PackageAssignment> EndAssignment(const Call& c, const std::string& id,
                                                      const std::string& etag, Day last_day,
                                                      const std::string& reason);
  // Read as the service after the handler has allowed the caller: names, roles and the
  // gate's answer only.
  absl::StatusOr<Listed<v1::NamedWorker>> ListPackageWorkers(const Call& c, const v1::Package& p,
                                                             Day day, bool include_ended,
                                                             int page_size,
                                                             const std::string& page_token);
  // The package-worker suspension rule: every running assignment on a live package of a
  // framework whose rule is on is put through the gate; a worker not eligible trips the
  // rule for the package's lot, once per assignment and set of reasons. Returns how
  // many tripped.
  absl::StatusOr<int> CheckPackageWorkers(absl::Time now, absl::Time deadline);
  // Frameworks whose rules set a trained staff target (min_trained_staff_percent).
  absl::StatusOr<std::vector<std::string>> TrainedStaffRuleFrameworks(absl::Time deadline);
  // The trained staff rule of `framework` for its ACTIVE admissions (from the registry):
  // each provider's in-post staff against the matrix of the lot in force today; trips
  // once per provider, lot and calendar quarter. Returns the rules tripped.
  absl::StatusOr<int> CheckTrainedStaff(absl::Time now, const std::string& framework,
                                        const std::vector<registry::ActiveOnLot>& admissions,
                                        absl::Time deadline);

  const events::Outbox& outbox() const { return outbox_; }

 private:
  // Publishes SuspensionRuleTripped when `trip` is set.
  // `today`: the day (Europe/London) the rule tripped, from which the first item of the
  // suspension's action plan runs.
  absl::Status Trip(db::Tx& tx, const std::optional<domain::Trip>& trip, domain::Day today,
                    const std::string& provider_id, const std::string& framework_id,
                    const std::string& lot_id, const std::string& source_id);

  db::Pool* pool_;
  calendar::WorkingTime working_time_;
  events::Outbox outbox_;
  idempotency::Ledger ledger_;
};

}  // namespace pdps::workforce
