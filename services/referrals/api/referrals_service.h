// gRPC handlers of pdps.referrals.v1.ReferralsService: validate, call the brokerage use
// case or the store, copy the result. Authentication, authorisation, deadlines, logging,
// metrics and error mapping happen in server::Gate.
#pragma once

#include "common/server.h"
#include "pdps/referrals/v1/referrals_service.grpc.pb.h"
#include "services/referrals/api/brokerage.h"
#include "services/referrals/store/store.h"

namespace pdps::referrals {

class ReferralsServiceImpl final : public v1::ReferralsService::Service {
 public:
  ReferralsServiceImpl(const server::Gate* gate, Store* store, Brokerage* brokerage)
      : gate_(gate), store_(store), brokerage_(brokerage) {}

#define PDPS_RPC(Name, Req, Resp) \
  grpc::Status Name(grpc::ServerContext* ctx, const v1::Req* req, v1::Resp* resp) override;
  PDPS_RPC(CreateReferral, CreateReferralRequest, Referral)
  PDPS_RPC(GetReferral, GetReferralRequest, Referral)
  PDPS_RPC(ListReferrals, ListReferralsRequest, ListReferralsResponse)
  PDPS_RPC(UpdateReferral, UpdateReferralRequest, Referral)
  PDPS_RPC(OpenReferral, OpenReferralRequest, Referral)
  PDPS_RPC(ReopenReferral, ReopenReferralRequest, Referral)
  PDPS_RPC(AwardReferral, AwardReferralRequest, Referral)
  PDPS_RPC(WithdrawReferral, WithdrawReferralRequest, Referral)
  PDPS_RPC(GetPersonDetails, GetPersonDetailsRequest, PersonDetails)
  PDPS_RPC(UpdatePersonDetails, UpdatePersonDetailsRequest, Referral)
  PDPS_RPC(ListPersonDetailsAccess, ListPersonDetailsAccessRequest,
           ListPersonDetailsAccessResponse)
  PDPS_RPC(GetOffer, GetOfferRequest, Offer)
  PDPS_RPC(ListOffers, ListOffersRequest, ListOffersResponse)
  PDPS_RPC(AcceptOffer, AcceptOfferRequest, Offer)
  PDPS_RPC(DeclineOffer, DeclineOfferRequest, Offer)
  PDPS_RPC(SubmitProposal, SubmitProposalRequest, Offer)
  PDPS_RPC(SubmitBid, SubmitBidRequest, Offer)
  PDPS_RPC(ReviewProposal, ReviewProposalRequest, Offer)
  PDPS_RPC(EvaluateBid, EvaluateBidRequest, Offer)
  PDPS_RPC(GetBrokerageReturn, GetBrokerageReturnRequest, BrokerageReturn)
#undef PDPS_RPC

 private:
  const server::Gate* gate_;
  Store* store_;
  Brokerage* brokerage_;
};

}  // namespace pdps::referrals
