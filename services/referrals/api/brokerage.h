// The brokerage use cases that need a peer as well as the store: raising and updating a
// referral, and correcting its person's details (lot, framework and partnership from the
// registry), opening a round (settings and eligible providers), direct award (is the
// provider active on the lot?), a competitive offer's proposal (the proposed worker,
// through workforce's compliance gate) and the brokerage return (the framework's lots).
// The request's shape and the referral's state and etag are checked first, so those
// answers do not depend on the peer; it is asked before any transaction starts, so an
// outage changes nothing.
#pragma once

#include "common/server.h"
#include "pdps/referrals/v1/referrals_service.pb.h"
#include "pdps/registry/v1/registry.pb.h"
#include "services/registry/client/registry_client.h"
#include "services/referrals/store/store.h"
#include "services/workforce/client/workforce_client.h"

namespace pdps::referrals {

using ::pdps::workforce::GrpcWorkforceClient;
using ::pdps::workforce::WorkforceClient;

class Brokerage {
 public:
  using Call = server::Call;
  Brokerage(Store* store, RegistryClient* registry, WorkforceClient* workforce)
      : store_(store), registry_(registry), workforce_(workforce) {}

  absl::StatusOr<v1::Referral> Raise(const Call& c, const v1::CreateReferralRequest& req);
  absl::StatusOr<v1::Referral> Update(const Call& c, const v1::UpdateReferralRequest& req);
  // Open (DRAFT) or re-open (UNCOVERED, optionally with another method).
  absl::StatusOr<v1::Referral> StartRound(const Call& c, const std::string& id,
                                          const std::string& etag, domain::Verb verb,
                                          v1::CallOffMethod method, const std::string& reason);
  absl::StatusOr<v1::Referral> Award(const Call& c, const v1::AwardReferralRequest& req);
  // New identifying details (request shape already checked): state and etag first; the
  // registry is asked for the lot's age range only when the date of birth changes.
  absl::StatusOr<v1::Referral> UpdatePersonDetails(const Call& c,
                                                   const v1::UpdatePersonDetailsRequest& req);
  // A proposal, its named worker checked with workforce's compliance gate first.
  absl::StatusOr<v1::Offer> SubmitProposal(const Call& c, const v1::SubmitProposalRequest& req);
  // The quarterly brokerage return (api/brokerage_return.cc): the request's shape, then
  // who may see it and the framework's targets from the registry, then the offers read
  // as the caller and counted by domain::ComputeBrokerageReturn.
  absl::StatusOr<v1::BrokerageReturn> BrokerageReturn(const Call& c,
                                                      const v1::GetBrokerageReturnRequest& req);

 private:
  Store* store_;
  RegistryClient* registry_;
  WorkforceClient* workforce_;
};

}  // namespace pdps::referrals
