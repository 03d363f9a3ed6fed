// Workforce access policy.
#include "services/workforce/api/access.h"

namespace pdps::workforce {

const auth::AccessPolicy& WorkforceAccessPolicy() {
  using R = auth::Role;
  static const auth::AccessPolicy* policy = [] {
    const std::set<R> providers = {R::kProviderAdmin, R::kProviderCoordinator};
    const std::set<R> commissioners = {R::kCommissioner};
    const std::set<R> parties = {R::kCommissioner, R::kProviderAdmin, R::kProviderCoordinator};
    const std::set<R> readers = {R::kCommissioner, R::kProviderAdmin, R::kProviderCoordinator,
                                 R::kService};
    const std::set<R> package_parties = {R::kCommissioner, R::kBrokerageOfficer,
                                         R::kProviderAdmin, R::kProviderCoordinator, R::kService};
    auto* p = new auth::AccessPolicy();
    p->Allow("CreateStaffMember", providers)
        .Allow("GetStaffMember", providers)
        .Allow("ListStaffMembers", providers)
        .Allow("UpdateStaffMember", providers)
        .Allow("CreateTrainingMatrix", commissioners)
        .Allow("GetTrainingMatrix", readers)
        .Allow("ListTrainingMatrices", readers)
        .Allow("CreateTrainingRecord", providers)
        .Allow("ListTrainingRecords", providers)
        .Allow("VoidTrainingRecord", providers)
        .Allow("CheckWorkerEligibility", {R::kProviderAdmin, R::kProviderCoordinator, R::kService})
        .Allow("GetWorkforceCompliance", readers)
        .Allow("ListExpiries", providers)
        .Allow("CreateComplaint", providers)
        .Allow("GetComplaint", providers)
        .Allow("ListComplaints", providers)
        .Allow("AcknowledgeComplaint", providers)
        .Allow("AnswerComplaint", providers)
        .Allow("CreateMonitoringVisit", commissioners)
        .Allow("ListMonitoringVisits", parties)
        .Allow("CreateActionPlan", commissioners)
        .Allow("ListActionPlans", parties)
        .Allow("CompleteActionItem", parties)
        .Allow("RecordFinancialAccounts", commissioners)
        .Allow("ReviseFinancialAccounts", commissioners)
        .Allow("GetFinancialAccounts", parties)
        .Allow("ListFinancialAccounts", parties)
        .Allow("SetSuspensionRules", commissioners)
        .Allow("GetSuspensionRules", readers)
        .Allow("GetWorkforceReturn", readers)
        .Allow("GetPackage", package_parties)
        .Allow("ListPackages", {R::kProviderAdmin, R::kProviderCoordinator, R::kService})
        .Allow("CreatePackageAssignment", providers)
        .Allow("EndPackageAssignment", providers)
        .Allow("ListPackageWorkers", package_parties)
        .Allow("ListEvents", {R::kService});
    return p;
  }();
  return *policy;
}

}  // namespace pdps::workforce
