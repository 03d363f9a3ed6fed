// One mapping of a peer's answer to ours: what a retry may cure is UNAVAILABLE, what it
// cannot is never dressed up as an outage.
#include "common/peer.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace pdps::peer
