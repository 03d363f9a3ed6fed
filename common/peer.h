// Calling a peer service: the service identity's token, a deadline, and one mapping of
// the peer's answer to ours. A failure that a retry may cure (or that is the peer's own
// fault) is UNAVAILABLE for our caller with "nothing was changed; retry": peers are
// asked before any transaction starts, so nothing is ever half-done.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/service_identity.h"

namespace pdps::peer {

// The channel to a peer service at `address` (plaintext inside the cluster; NetworkPolicy
// decides who may call whom). It retries a lost connection at most kMaxReconnectBackoff
// apart, not gRPC's default two minutes, so that calls stop failing within seconds of the
// peer coming back (operations.md, "A peer is down").
inline constexpr absl::Duration kMaxReconnectBackoff = absl::Seconds(2);
std::shared_ptr<grpc::Channel> Channel(const std::string& address);

// Bearer token and deadline on a client context.
void Prepare(grpc::ClientContext* ctx, auth::ServiceTokenSource* tokens, absl::Duration timeout);

// The peer's status as ours: OK stays OK; NOT_FOUND becomes our NOT_FOUND for (`what`,
// `id`); FAILED_PRECONDITION keeps the peer's message (our own services' messages are
// written for users) and its google.rpc.PreconditionFailure violations; INVALID_ARGUMENT,
// OUT_OF_RANGE and ALREADY_EXISTS, which no retry cures, are our own bug: INTERNAL, logged with the
// peer's message; anything else is logged and becomes UNAVAILABLE naming `peer`.
absl::Status FromPeer(const grpc::Status& st, absl::string_view peer, absl::string_view what,
                      const std::string& id);

}  // namespace pdps::peer
