// One mapping of a peer's answer to ours: what a retry may cure is UNAVAILABLE, what it
// cannot is never dressed up as an outage.
#include "common/peer.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/health_client.h"
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

// A bare server with gRPC's health service on 127.0.0.1 (`port` 0: any free one).
std::unique_ptr<grpc::Server> HealthServer(int port, int* bound) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder b;
  b.AddListeningPort(absl::StrCat("127.0.0.1:", port), grpc::InsecureServerCredentials(), bound);
  return b.BuildAndStart();
}

// After a peer was away for several seconds, calls succeed again within moments of its
// return, not after gRPC's default reconnect backoff (up to two minutes; operations.md).
TEST(Channel, ReconnectsWithinTheMaximumBackoffAfterAnOutage) {
  int port = 0;
  auto server = HealthServer(0, &port);
  ASSERT_NE(server, nullptr);
  auto channel = Channel(absl::StrCat("127.0.0.1:", port));
  ASSERT_TRUE(health::Check(channel, "", absl::Seconds(5)).ok());
  server->Shutdown(absl::ToChronoTime(absl::Now()));
  server.reset();
  // Away for twelve seconds, called all the while: gRPC's default backoff would next try
  // about four seconds after the return; ours is at its two-second maximum.
  const absl::Time back = absl::Now() + absl::Seconds(12);
  while (absl::Now() < back) {
    EXPECT_FALSE(health::Check(channel, "", absl::Milliseconds(200)).ok());
    absl::SleepFor(absl::Milliseconds(100));
  }
  int again = 0;
  server = HealthServer(port, &again);
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(again, port);
  const absl::Time returned = absl::Now();
  while (!health::Check(channel, "", absl::Milliseconds(200)).ok() &&
         absl::Now() - returned < absl::Seconds(30)) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_LT(absl::Now() - returned, kMaxReconnectBackoff + absl::Seconds(1))
      << "calls failed for " << absl::FormatDuration(absl::Now() - returned) << " after the return";
}

}  // namespace
}  // namespace pdps::peer
