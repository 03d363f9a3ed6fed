// Referrals access policy.
#include "services/referrals/api/access.h"

namespace pdps::referrals {

const auth::AccessPolicy& ReferralsAccessPolicy() {
  using R = auth::Role;
  static const auth::AccessPolicy* policy = [] {
    const std::set<R>& kOfficers = auth::OfficerRoles();
    const std::set<R>& kProviders = auth::ProviderRoles();
    const std::set<R> kOfficersAndProviders = auth::RolesOf({kOfficers, kProviders});
    auto* p = new auth::AccessPolicy();
    p->Allow("CreateReferral", kOfficers)
        .Allow("GetReferral", kOfficersAndProviders)
        .Allow("ListReferrals", kOfficersAndProviders)
        .Allow("UpdateReferral", kOfficers)
        .Allow("OpenReferral", kOfficers)
        .Allow("ReopenReferral", kOfficers)
        .Allow("AwardReferral", kOfficers)
        .Allow("WithdrawReferral", kOfficers)
        .Allow("GetPersonDetails", kOfficersAndProviders)
        .Allow("UpdatePersonDetails", kOfficers)
        .Allow("ListPersonDetailsAccess", kOfficers)
        .Allow("GetOffer", kOfficersAndProviders)
        .Allow("ListOffers", kOfficersAndProviders)
        .Allow("AcceptOffer", kProviders)
        .Allow("DeclineOffer", kProviders)
        .Allow("SubmitProposal", kProviders)
        .Allow("SubmitBid", kProviders)
        .Allow("ReviewProposal", kOfficers)
        .Allow("EvaluateBid", kOfficers)
        .Allow("GetBrokerageReturn", kOfficersAndProviders)
        .Allow("ListEvents", {R::kService});
    return p;
  }();
  return *policy;
}

}  // namespace pdps::referrals
