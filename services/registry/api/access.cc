// Registry access policy.
#include "services/registry/api/access.h"

#include "absl/strings/ascii.h"

namespace pdps::registry {

const auth::AccessPolicy& RegistryAccessPolicy() {
  using R = auth::Role;
  static const auth::AccessPolicy* policy = [] {
    const std::set<R> everyone = {R::kPlatformOperator, R::kCommissioner,  R::kBrokerageOfficer,
                                  R::kFinanceOfficer,   R::kProviderAdmin, R::kProviderCoordinator,
                                  R::kService};
    const std::set<R> parties = {R::kCommissioner,  R::kBrokerageOfficer,    R::kFinanceOfficer,
                                 R::kProviderAdmin, R::kProviderCoordinator, R::kService};
    auto* p = new auth::AccessPolicy();
    p->Allow("CreateOrganisation", {R::kPlatformOperator})
        .Allow("GetOrganisation", everyone)
        .Allow("ListOrganisations", everyone)
        .Allow("CreatePartnership", {R::kPlatformOperator})
        .Allow("GetPartnership", everyone)
        .Allow("ListPartnerships", everyone)
        .Allow("CreateFramework", {R::kCommissioner})
        .Allow("GetFramework", everyone)
        .Allow("ListFrameworks", everyone)
        .Allow("UpdateFramework", {R::kCommissioner})
        .Allow("CreateLot", {R::kCommissioner})
        .Allow("GetLot", everyone)
        .Allow("ListLots", everyone)
        .Allow("UpdateLot", {R::kCommissioner})
        .Allow("ApplyForAdmission", {R::kProviderAdmin})
        .Allow("GetAdmission", parties)
        .Allow("ListAdmissions", parties)
        .Allow("AdmitProvider", {R::kCommissioner})
        .Allow("RejectApplication", {R::kCommissioner})
        .Allow("SuspendAdmission", {R::kCommissioner, R::kService})
        .Allow("ReinstateAdmission", {R::kCommissioner})
        .Allow("TerminateAdmission", {R::kCommissioner})
        .Allow("AddActionPlanItems", {R::kCommissioner})
        .Allow("CompleteActionPlanItem", {R::kCommissioner})
        .Allow("GetProvider", parties)
        .Allow("UpdateProvider", {R::kProviderAdmin})
        .Allow("CreateComplianceDocument", {R::kProviderAdmin})
        .Allow("GetComplianceDocument", parties)
        .Allow("ListComplianceDocuments", parties)
        .Allow("UpdateComplianceDocument", {R::kProviderAdmin})
        .Allow("CreateCapacityReturn", {R::kProviderAdmin, R::kProviderCoordinator})
        .Allow("ListCapacityReturns", parties)
        .Allow("ListLateCapacityReturns", {R::kCommissioner})
        .Allow("ListEligibleProviders", {R::kService, R::kCommissioner, R::kBrokerageOfficer})
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
