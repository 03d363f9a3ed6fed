// Workforce client.
#include "services/workforce/client/workforce_client.h"

#include "absl/strings/str_cat.h"
#include "common/peer.h"
#include "common/status.h"

namespace pdps::workforce {

namespace wv1 = ::pdps::workforce::v1;

GrpcWorkforceClient::GrpcWorkforceClient(std::shared_ptr<grpc::Channel> channel,
                                         auth::ServiceTokenSource* tokens, absl::Duration timeout)
    : stub_(wv1::WorkforceService::NewStub(std::move(channel))), tokens_(tokens), timeout_(timeout) {}

absl::StatusOr<WorkerCheck> GrpcWorkforceClient::CheckWorker(const std::string& staff_id,
                                                             const std::string& provider_id,
                                                             const std::string& lot_id,
                                                             const std::vector<std::string>& extras,
                                                             const std::string& date) {
  wv1::CheckWorkerEligibilityRequest req;
  req.set_staff_id(staff_id);
  req.set_provider_id(provider_id);
  req.set_lot_id(lot_id);
  for (const auto& e : extras) req.add_extra_competencies(e);
  req.mutable_date()->set_value(date);
  wv1::CheckWorkerEligibilityResponse resp;
  grpc::ClientContext ctx;
  peer::Prepare(&ctx, tokens_, timeout_);
  RETURN_IF_ERROR(peer::FromPeer(stub_->CheckWorkerEligibility(&ctx, req, &resp), "workforce service",
                                 "staff member", staff_id));
  WorkerCheck out;
  out.eligible = resp.eligible();
  for (const auto& r : resp.reasons()) {
    const std::string kind = wv1::IneligibilityReason::Kind_Name(r.kind());
    std::string text = kind;
    if (!r.competency_code().empty()) absl::StrAppend(&text, " ", r.competency_code());
    if (!r.date().value().empty()) absl::StrAppend(&text, " (", r.date().value(), ")");
    out.reasons.push_back(
        {kind,
         r.competency_code().empty() ? Subject("staff_member", staff_id) : r.competency_code(),
         text});
  }
  return out;
}

}  // namespace pdps::workforce
