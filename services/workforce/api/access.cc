// Workforce access policy.
#include "services/workforce/api/access.h"

namespace pdps::workforce {

const auth::AccessPolicy& WorkforceAccessPolicy() {
  using R = auth::Role;
  static const auth::AccessPolicy* policy = [] {
    const std::set<R>& kProviders = auth::ProviderRoles();
    const std::set<R> kCommissioners = {R::kCommissioner};
    const std::set<R> kProvidersAndCommissioners = auth::RolesOf({kProviders, kCommissioners});
    const std::set<R> kProvidersAndServices = auth::RolesOf({kProviders, {R::kService}});
    const std::set<R> kProvidersCommissionersAndServices =
        auth::RolesOf({kProviders, kCommissioners, {R::kService}});
    // Officers: commissioners and brokerage officers.
    const std::set<R> kProvidersOfficersAndServices =
        auth::RolesOf({kProviders, auth::OfficerRoles(), {R::kService}});
    auto* p = new auth::AccessPolicy();
    p->Allow("CreateStaffMember", kProviders)
        .Allow("GetStaffMember", kProviders)
        .Allow("ListStaffMembers", kProviders)
        .Allow("UpdateStaffMember", kProviders)
        .Allow("CreateTrainingMatrix", kCommissioners)
        .Allow("GetTrainingMatrix", kProvidersCommissionersAndServices)
        .Allow("ListTrainingMatrices", kProvidersCommissionersAndServices)
        .Allow("CreateTrainingRecord", kProviders)
        .Allow("ListTrainingRecords", kProviders)
        .Allow("VoidTrainingRecord", kProviders)
        .Allow("CheckWorkerEligibility", kProvidersAndServices)
        .Allow("GetWorkforceCompliance", kProvidersCommissionersAndServices)
        .Allow("ListExpiries", kProviders)
        .Allow("CreateComplaint", kProviders)
        .Allow("GetComplaint", kProviders)
        .Allow("ListComplaints", kProviders)
        .Allow("AcknowledgeComplaint", kProviders)
        .Allow("AnswerComplaint", kProviders)
        .Allow("CreateMonitoringVisit", kCommissioners)
        .Allow("ListMonitoringVisits", kProvidersAndCommissioners)
        .Allow("CreateActionPlan", kCommissioners)
        .Allow("ListActionPlans", kProvidersAndCommissioners)
        .Allow("CompleteActionItem", kProvidersAndCommissioners)
        .Allow("RecordFinancialAccounts", kCommissioners)
        .Allow("ReviseFinancialAccounts", kCommissioners)
        .Allow("GetFinancialAccounts", kProvidersAndCommissioners)
        .Allow("ListFinancialAccounts", kProvidersAndCommissioners)
        .Allow("SetSuspensionRules", kCommissioners)
        .Allow("GetSuspensionRules", kProvidersCommissionersAndServices)
        .Allow("GetWorkforceReturn", kProvidersCommissionersAndServices)
        .Allow("GetPackage", kProvidersOfficersAndServices)
        .Allow("ListPackages", kProvidersAndServices)
        .Allow("CreatePackageAssignment", kProviders)
        .Allow("EndPackageAssignment", kProviders)
        .Allow("ListPackageWorkers", kProvidersOfficersAndServices)
        .Allow("ListEvents", {R::kService});
    return p;
  }();
  return *policy;
}

}  // namespace pdps::workforce
