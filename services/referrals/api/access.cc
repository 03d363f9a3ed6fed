// Referrals access policy.
#include "services/referrals/api/access.h"

namespace pdps::referrals {

const auth::AccessPolicy& ReferralsAccessPolicy() {
  using R = auth::Role;
  static const auth::AccessPolicy* policy = [] {
    const std::set<R> officers = {R::kBrokerageOfficer, R::kCommissioner};
    const std::set<R> providers = {R::kProviderAdmin, R::kProviderCoordinator};
    const std::set<R> parties = {R::kBrokerageOfficer, R::kCommissioner, R::kProviderAdmin,
                                 R::kProviderCoordinator};
    auto* p = new auth::AccessPolicy();
    p->Allow("CreateReferral", officers)
        .Allow("GetReferral", parties)
        .Allow("ListReferrals", parties)
        .Allow("UpdateReferral", officers)
        .Allow("OpenReferral", officers)
        .Allow("ReopenReferral", officers)
        .Allow("AwardReferral", officers)
        .Allow("WithdrawReferral", officers)
        .Allow("GetPersonDetails", parties)
        .Allow("UpdatePersonDetails", officers)
        .Allow("ListPersonDetailsAccess", officers)
        .Allow("GetOffer", parties)
        .Allow("ListOffers", parties)
        .Allow("AcceptOffer", providers)
        .Allow("DeclineOffer", providers)
        .Allow("SubmitProposal", providers)
        .Allow("SubmitBid", providers)
        .Allow("ReviewProposal", officers)
        .Allow("EvaluateBid", officers)
        .Allow("GetBrokerageReturn", parties)
        .Allow("ListEvents", {R::kService});
    return p;
  }();
  return *policy;
}

}  // namespace pdps::referrals
