// Referrals handlers. Each one: check the request's shape, call one use case or store
// operation, copy the result into the response.
#include "services/referrals/api/referrals_service.h"

#include "common/api.h"
#include "common/dates.h"
#include "common/status.h"
#include "services/referrals/domain/validate.h"

namespace pdps::referrals {
namespace {

using api::CopyPage;
using api::OptionalId;
using api::RequireId;
using api::RequireReason;
using server::Call;

// Provider answers share their checks; the store decides whether the offer can still be
// answered.
absl::Status Answer(Store* store, const Call& c, const std::string& id, AnswerInput in,
                    v1::Offer* resp) {
  RETURN_IF_ERROR(RequireId("id", id));
  ASSIGN_OR_RETURN(*resp, store->Answer(c, id, in));
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReferralsServiceImpl::CreateReferral(grpc::ServerContext* ctx,
                                                  const v1::CreateReferralRequest* req,
                                                  v1::Referral* resp) {
  return gate_->Run(ctx, "CreateReferral", *req, [&](const Call& c) -> absl::Status {
    ASSIGN_OR_RETURN(*resp, brokerage_->Raise(c, *req));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::GetReferral(grpc::ServerContext* ctx,
                                               const v1::GetReferralRequest* req,
                                               v1::Referral* resp) {
  return gate_->Run(ctx, "GetReferral", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetReferral(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::ListReferrals(grpc::ServerContext* ctx,
                                                 const v1::ListReferralsRequest* req,
                                                 v1::ListReferralsResponse* resp) {
  return gate_->Run(ctx, "ListReferrals", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(OptionalId("lot_id", req->lot_id()));
    RETURN_IF_ERROR(OptionalId("framework_id", req->framework_id()));
    ReferralFilter f;
    if (req->state() != v1::Referral::STATE_UNSPECIFIED) {
      f.state = v1::Referral::State_Name(req->state());
    }
    f.lot_id = req->lot_id();
    f.framework_id = req->framework_id();
    ASSIGN_OR_RETURN(auto page, store_->ListReferrals(c, f, req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_referrals(); });
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::UpdateReferral(grpc::ServerContext* ctx,
                                                  const v1::UpdateReferralRequest* req,
                                                  v1::Referral* resp) {
  return gate_->Run(ctx, "UpdateReferral", *req, [&](const Call& c) -> absl::Status {
    ASSIGN_OR_RETURN(*resp, brokerage_->Update(c, *req));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::OpenReferral(grpc::ServerContext* ctx,
                                                const v1::OpenReferralRequest* req,
                                                v1::Referral* resp) {
  return gate_->Run(ctx, "OpenReferral", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "referral"));
    ASSIGN_OR_RETURN(*resp, brokerage_->StartRound(c, req->id(), req->etag(), domain::Verb::kOpen,
                                                   v1::CALL_OFF_METHOD_UNSPECIFIED, ""));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::ReopenReferral(grpc::ServerContext* ctx,
                                                  const v1::ReopenReferralRequest* req,
                                                  v1::Referral* resp) {
  return gate_->Run(ctx, "ReopenReferral", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "referral"));
    RETURN_IF_ERROR(RequireReason(req->reason()));
    ASSIGN_OR_RETURN(*resp, brokerage_->StartRound(c, req->id(), req->etag(), domain::Verb::kReopen,
                                                   req->method(), req->reason()));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::AwardReferral(grpc::ServerContext* ctx,
                                                 const v1::AwardReferralRequest* req,
                                                 v1::Referral* resp) {
  return gate_->Run(ctx, "AwardReferral", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "referral"));
    RETURN_IF_ERROR(domain::ValidateAward(req->offer_id(), req->provider_id(), req->rationale()));
    ASSIGN_OR_RETURN(*resp, brokerage_->Award(c, *req));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::WithdrawReferral(grpc::ServerContext* ctx,
                                                    const v1::WithdrawReferralRequest* req,
                                                    v1::Referral* resp) {
  return gate_->Run(ctx, "WithdrawReferral", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "referral"));
    RETURN_IF_ERROR(RequireReason(req->reason()));
    ASSIGN_OR_RETURN(*resp, store_->Withdraw(c, req->id(), req->etag(), req->reason()));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::GetPersonDetails(grpc::ServerContext* ctx,
                                                    const v1::GetPersonDetailsRequest* req,
                                                    v1::PersonDetails* resp) {
  return gate_->Run(ctx, "GetPersonDetails", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("referral_id", req->referral_id()));
    RETURN_IF_ERROR(domain::ValidateAccessPurpose(req->purpose()));
    ASSIGN_OR_RETURN(*resp, store_->ReadPerson(c, req->referral_id(), req->purpose()));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::UpdatePersonDetails(grpc::ServerContext* ctx,
                                                       const v1::UpdatePersonDetailsRequest* req,
                                                       v1::Referral* resp) {
  return gate_->Run(ctx, "UpdatePersonDetails", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("referral_id", req->referral_id()));
    RETURN_IF_ERROR(api::RequireEtag("etag", req->etag(), "referral"));
    // Every bad field at once: the details as on create, and the reason, which the
    // access log keeps as "update: <reason>" (at most 500 characters there).
    Violations v;
    v.Merge(domain::ValidatePerson(req->person(), dates::TodayInLondon(c.now)));
    v.Merge(domain::ValidateUpdateReason(req->reason()));
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(*resp, brokerage_->UpdatePersonDetails(c, *req));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::ListPersonDetailsAccess(
    grpc::ServerContext* ctx, const v1::ListPersonDetailsAccessRequest* req,
    v1::ListPersonDetailsAccessResponse* resp) {
  return gate_->Run(ctx, "ListPersonDetailsAccess", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("referral_id", req->referral_id()));
    ASSIGN_OR_RETURN(
        auto page, store_->ListAccess(c, req->referral_id(), req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_accesses(); });
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::GetOffer(grpc::ServerContext* ctx,
                                            const v1::GetOfferRequest* req, v1::Offer* resp) {
  return gate_->Run(ctx, "GetOffer", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->GetOffer(c, req->id()));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::ListOffers(grpc::ServerContext* ctx,
                                              const v1::ListOffersRequest* req,
                                              v1::ListOffersResponse* resp) {
  return gate_->Run(ctx, "ListOffers", *req, [&](const Call& c) -> absl::Status {
    if (c.principal.IsOfficer()) {
      RETURN_IF_ERROR(RequireId("referral_id", req->referral_id()));
    } else {
      RETURN_IF_ERROR(OptionalId("referral_id", req->referral_id()));
    }
    ASSIGN_OR_RETURN(auto page, store_->ListOffers(c, req->referral_id(), req->live_only(),
                                                   req->page_size(), req->page_token()));
    CopyPage(std::move(page), resp, [](auto* r) { return r->add_offers(); });
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::AcceptOffer(grpc::ServerContext* ctx,
                                               const v1::AcceptOfferRequest* req, v1::Offer* resp) {
  return gate_->Run(ctx, "AcceptOffer", *req, [&](const Call& c) -> absl::Status {
    AnswerInput in;
    in.kind = AnswerKind::kAccept;
    in.etag = req->etag();
    return Answer(store_, c, req->id(), in, resp);
  });
}

grpc::Status ReferralsServiceImpl::DeclineOffer(grpc::ServerContext* ctx,
                                                const v1::DeclineOfferRequest* req,
                                                v1::Offer* resp) {
  return gate_->Run(ctx, "DeclineOffer", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    RETURN_IF_ERROR(domain::ValidateDecline(req->reason(), req->rationale()));
    AnswerInput in;
    in.kind = AnswerKind::kDecline;
    in.etag = req->etag();
    in.reason = req->reason();
    in.rationale = req->rationale();
    return Answer(store_, c, req->id(), in, resp);
  });
}

grpc::Status ReferralsServiceImpl::SubmitProposal(grpc::ServerContext* ctx,
                                                  const v1::SubmitProposalRequest* req,
                                                  v1::Offer* resp) {
  return gate_->Run(ctx, "SubmitProposal", *req, [&](const Call& c) -> absl::Status {
    ASSIGN_OR_RETURN(*resp, brokerage_->SubmitProposal(c, *req));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::SubmitBid(grpc::ServerContext* ctx,
                                             const v1::SubmitBidRequest* req, v1::Offer* resp) {
  return gate_->Run(ctx, "SubmitBid", *req, [&](const Call& c) -> absl::Status {
    AnswerInput in;
    in.kind = AnswerKind::kBid;
    in.etag = req->etag();
    in.bid = req->bid();
    return Answer(store_, c, req->id(), in, resp);
  });
}

grpc::Status ReferralsServiceImpl::ReviewProposal(grpc::ServerContext* ctx,
                                                  const v1::ReviewProposalRequest* req,
                                                  v1::Offer* resp) {
  return gate_->Run(ctx, "ReviewProposal", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    Violations v;
    v.Text("family_view", req->family_view(), 4000, /*required=*/false);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(*resp, store_->ReviewProposal(c, req->id(), req->etag(), req->shortlisted(),
                                                   req->family_view(), req->family_met_worker()));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::EvaluateBid(grpc::ServerContext* ctx,
                                               const v1::EvaluateBidRequest* req, v1::Offer* resp) {
  return gate_->Run(ctx, "EvaluateBid", *req, [&](const Call& c) -> absl::Status {
    RETURN_IF_ERROR(RequireId("id", req->id()));
    ASSIGN_OR_RETURN(*resp, store_->EvaluateBid(c, req->id(), req->etag(),
                                                {req->marks().begin(), req->marks().end()}));
    return absl::OkStatus();
  });
}

grpc::Status ReferralsServiceImpl::GetBrokerageReturn(grpc::ServerContext* ctx,
                                                      const v1::GetBrokerageReturnRequest* req,
                                                      v1::BrokerageReturn* resp) {
  return gate_->Run(ctx, "GetBrokerageReturn", *req, [&](const Call& c) -> absl::Status {
    ASSIGN_OR_RETURN(*resp, brokerage_->BrokerageReturn(c, *req));
    return absl::OkStatus();
  });
}

}  // namespace pdps::referrals
