// Registry access policy.
#include "services/registry/api/access.h"

#include "absl/strings/ascii.h"

namespace pdps::registry {

const auth::AccessPolicy& RegistryAccessPolicy() {
  using R = auth::Role;
  static const auth::AccessPolicy* policy = [] {
    const std::vector<R> all = auth::AllRoles();
    const std::set<R> kEveryone(all.begin(), all.end());
    const std::set<R> kAllButPlatformOperators = auth::RolesOf(
        {auth::OfficerRoles(), {R::kFinanceOfficer}, auth::ProviderRoles(), {R::kService}});
    const std::set<R> kOfficersAndServices = auth::RolesOf({auth::OfficerRoles(), {R::kService}});
    auto* p = new auth::AccessPolicy();
    p->Allow("CreateOrganisation", {R::kPlatformOperator})
        .Allow("GetOrganisation", kEveryone)
        .Allow("ListOrganisations", kEveryone)
        .Allow("CreatePartnership", {R::kPlatformOperator})
        .Allow("GetPartnership", kEveryone)
        .Allow("ListPartnerships", kEveryone)
        .Allow("CreateFramework", {R::kCommissioner})
        .Allow("GetFramework", kEveryone)
        .Allow("ListFrameworks", kEveryone)
        .Allow("UpdateFramework", {R::kCommissioner})
        .Allow("CreateLot", {R::kCommissioner})
        .Allow("GetLot", kEveryone)
        .Allow("ListLots", kEveryone)
        .Allow("UpdateLot", {R::kCommissioner})
        .Allow("ApplyForAdmission", {R::kProviderAdmin})
        .Allow("GetAdmission", kAllButPlatformOperators)
        .Allow("ListAdmissions", kAllButPlatformOperators)
        .Allow("AdmitProvider", {R::kCommissioner})
        .Allow("RejectApplication", {R::kCommissioner})
        .Allow("SuspendAdmission", {R::kCommissioner, R::kService})
        .Allow("ReinstateAdmission", {R::kCommissioner})
        .Allow("TerminateAdmission", {R::kCommissioner})
        .Allow("AddActionPlanItems", {R::kCommissioner})
        .Allow("CompleteActionPlanItem", {R::kCommissioner})
        .Allow("GetProvider", kAllButPlatformOperators)
        .Allow("UpdateProvider", {R::kProviderAdmin})
        .Allow("CreateComplianceDocument", {R::kProviderAdmin})
        .Allow("GetComplianceDocument", kAllButPlatformOperators)
        .Allow("ListComplianceDocuments", kAllButPlatformOperators)
        .Allow("UpdateComplianceDocument", {R::kProviderAdmin})
        .Allow("CreateCapacityReturn", auth::ProviderRoles())
        .Allow("ListCapacityReturns", kAllButPlatformOperators)
        .Allow("ListLateCapacityReturns", {R::kCommissioner})
        .Allow("ListEligibleProviders", kOfficersAndServices)
        .Allow("ListEvents", {R::kService});
    return p;
  }();
  return *policy;
}

void ShapeOrganisation(const auth::Principal& caller, pdps::registry::v1::Organisation* org) {
  if (caller.Has(auth::Role::kPlatformOperator) || caller.IsService()) return;
  if (absl::AsciiStrToLower(caller.organisation_id) == org->id()) return;
  org->clear_etag();
  org->clear_audit();
}

}  // namespace pdps::registry
