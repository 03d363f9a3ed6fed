// Peer calls.
#include "common/peer.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/server.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pdps::peer {

namespace {

// The google.rpc.PreconditionFailure violations of a peer's error details.
std::vector<PreconditionViolation> PreconditionViolationsOfPeer(const grpc::Status& st) {
  std::vector<PreconditionViolation> out;
  google::rpc::Status details;
  if (!details.ParseFromString(st.error_details())) return out;
  for (const auto& any : details.details()) {
    google::rpc::PreconditionFailure failure;
    if (!any.UnpackTo(&failure)) continue;
    for (const auto& v : failure.violations()) {
      out.push_back({v.type(), v.subject(), v.description()});
    }
  }
  return out;
}

}  // namespace

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 250);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
              static_cast<int>(absl::ToInt64Milliseconds(kMaxReconnectBackoff)));
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

void Prepare(grpc::ClientContext* ctx, auth::ServiceTokenSource* tokens, absl::Duration timeout) {
  ctx->AddMetadata("authorization", "Bearer " + tokens->Token());
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

absl::Status FromPeer(const grpc::Status& st, absl::string_view peer, absl::string_view what,
                      const std::string& id) {
  switch (st.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND:
      return NotFound(what, id);
    case grpc::StatusCode::FAILED_PRECONDITION:
      return FailedPrecondition(st.error_message(), PreconditionViolationsOfPeer(st));
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::ALREADY_EXISTS:
      // We asked the peer for something it refuses whatever the moment: a retry cannot
      // cure it, so it is our fault, not an outage (the caller gets INTERNAL and the
      // request id; the log keeps the peer's answer).
      return absl::InternalError(absl::StrCat("the ", peer, " refused ", what, " ", id, " (",
                                              server::CodeName(st.error_code()),
                                              "): ", st.error_message()));
    default:
      log::Warning("peer call failed", {{"peer", std::string(peer)},
                                        {"call", std::string(what)},
                                        {"code", server::CodeName(st.error_code())},
                                        {"error", st.error_message()}});
      return absl::UnavailableError(
          absl::StrCat("the ", peer, " cannot be reached just now; nothing was changed, retry"));
  }
}

}  // namespace pdps::peer
