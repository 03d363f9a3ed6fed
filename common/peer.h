// Calling a peer service: the service identity's token, a deadline, and one mapping of
// the peer's answer to ours. A failure that a retry may cure (or that is the peer's own
// fault) is UNAVAILABLE for our caller with "nothing was changed; retry": peers are
// asked before any transaction starts, so nothing is ever half-done.
#pragma once

#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/service_identity.h"

namespace pdps::peer {

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
