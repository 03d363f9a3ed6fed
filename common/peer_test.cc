// One mapping of a peer's answer to ours: what a retry may cure is UNAVAILABLE, what it
// cannot is never dressed up as an outage.
#include "common/peer.h"

#include <gtest/gtest.h>

#include "common/server.h"
#include "common/status.h"

namespace pdps::peer {
namespace {

absl::StatusCode Mapped(grpc::StatusCode code) {
  return FromPeer(grpc::Status(code, "peer says no"), "workforce service", "staff member", "s-1")
      .code();
}

TEST(FromPeer, EachPeerAnswerBecomesTheRightOneOfOurs) {
  EXPECT_EQ(Mapped(grpc::StatusCode::OK), absl::StatusCode::kOk);
  EXPECT_EQ(Mapped(grpc::StatusCode::NOT_FOUND), absl::StatusCode::kNotFound);
  EXPECT_EQ(Mapped(grpc::StatusCode::FAILED_PRECONDITION), absl::StatusCode::kFailedPrecondition);
  // Retrying cannot cure a request the peer refuses: our bug, not "retry".
  for (auto code : {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::OUT_OF_RANGE,
                    grpc::StatusCode::ALREADY_EXISTS}) {
    EXPECT_EQ(Mapped(code), absl::StatusCode::kInternal) << static_cast<int>(code);
  }
  for (auto code : {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::DEADLINE_EXCEEDED,
                    grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::INTERNAL,
                    grpc::StatusCode::UNAUTHENTICATED, grpc::StatusCode::PERMISSION_DENIED}) {
    EXPECT_EQ(Mapped(code), absl::StatusCode::kUnavailable) << static_cast<int>(code);
  }
  EXPECT_EQ(FromPeer(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "no matrix in force"),
                     "workforce service", "lot", "l-1")
                .message(),
            "no matrix in force");
}

// A peer's refusal keeps its reason (decision 77): the caller switches on it as on ours.
TEST(FromPeer, AFailedPreconditionKeepsThePeersViolations) {
  const absl::Status refused = FailedPrecondition(
      "lot l-1 has no training matrix in force on 2026-12-01", "TRAINING_MATRIX_MISSING", "lot/l-1");
  // The same code, message and PreconditionFailure payload.
  EXPECT_EQ(FromPeer(server::ToGrpc(refused, "req-1"), "workforce service", "lot", "l-1"), refused);
}

}  // namespace
}  // namespace pdps::peer
