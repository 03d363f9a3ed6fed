// The gate turns whatever a handler does into one gRPC status, even a thrown exception.
#include "common/server.h"

#include <memory>
#include <stdexcept>

#include <grpcpp/test/server_context_test_spouse.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/testing/tokens.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pdps/common/v1/events.pb.h"

namespace pdps::server {
namespace {

// Any request will do where the handler does not read it.
const pdps::common::v1::ListEventsRequest kRequest;

// The field violations a status carries in its google.rpc.Status details.
google::rpc::BadRequest BadRequestOf(const grpc::Status& st) {
  google::rpc::Status details;
  google::rpc::BadRequest bad;
  EXPECT_TRUE(details.ParseFromString(st.error_details()));
  EXPECT_TRUE(details.details_size() > 0 && details.details(0).UnpackTo(&bad));
  return bad;
}

class GateTest : public ::testing::Test {
 protected:
  GateTest()
      : verifier_(pdps::testing::Tokens::Get().Verifier()),
        gate_(GateOptions{"gate-test"}, verifier_.get(), &policy_, &metrics_,
              SystemClock::Get()) {
    policy_.Allow("Throw", {auth::Role::kCommissioner});
  }

  // Gives `ctx` a commissioner's token and request id `request_id`. The spouse owns the
  // metadata strings, so it must live as long as the context is used.
  static std::unique_ptr<grpc::testing::ServerContextTestSpouse> Authenticate(
      grpc::ServerContext& ctx, const std::string& request_id) {
    auto spouse = std::make_unique<grpc::testing::ServerContextTestSpouse>(&ctx);
    spouse->AddClientMetadata(
        "authorization",
        "Bearer " + pdps::testing::Tokens::Get().For("11111111-1111-4111-8111-111111111111",
                                                     {auth::Role::kCommissioner}));
    spouse->AddClientMetadata("x-request-id", request_id);
    return spouse;
  }

  std::unique_ptr<auth::Verifier> verifier_;
  auth::AccessPolicy policy_;
  metrics::Registry metrics_;
  Gate gate_;
};

TEST_F(GateTest, AThrowingHandlerIsInternalNamingOnlyTheRequestId) {
  grpc::ServerContext ctx;
  auto spouse = Authenticate(ctx, "req-throw-1");
  grpc::Status st = gate_.Run(&ctx, "Throw", kRequest, [](const Call&) -> absl::Status {
    throw std::runtime_error("secret table registry.persons is locked");
  });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(st.error_message(), "internal error; quote request id req-throw-1 to support");
  EXPECT_NE(metrics_.Render().find("code=\"INTERNAL\""), std::string::npos) << metrics_.Render();
}

TEST_F(GateTest, TheGateKeepsServingAfterAThrow) {
  grpc::ServerContext first;
  auto first_spouse = Authenticate(first, "req-throw-2");
  gate_.Run(&first, "Throw", kRequest, [](const Call&) -> absl::Status { throw std::bad_alloc(); });
  grpc::ServerContext second;
  auto second_spouse = Authenticate(second, "req-ok-3");
  bool ran = false;
  grpc::Status st = gate_.Run(&second, "Throw", kRequest, [&](const Call& c) {
    ran = c.request_id == "req-ok-3";
    return absl::OkStatus();
  });
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(ran);
}

TEST_F(GateTest, AnUnauthenticatedCallNeverReachesTheHandler) {
  grpc::ServerContext ctx;
  bool ran = false;
  ::testing::internal::CaptureStdout();
  grpc::Status st = gate_.Run(&ctx, "Throw", kRequest, [&](const Call&) {
    ran = true;
    return absl::OkStatus();
  });
  std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(ran);
  // The rpc line says why, as the caller was told: what an SRE needs after a key rotation.
  EXPECT_NE(log.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << log;
  EXPECT_EQ(st.error_message().rfind("missing authorization header", 0), 0u);
  EXPECT_NE(log.find("\"reason\":\"missing authorization header"), std::string::npos) << log;
}

TEST_F(GateTest, ARequestBreakingTheCommonLimitsNeverReachesTheHandler) {
  grpc::ServerContext ctx;
  auto spouse = Authenticate(ctx, "req-nul-4");
  pdps::common::v1::ListEventsRequest req;
  req.add_event_types("ReferralOpened");
  req.add_event_types(std::string("Offer\0Made", 10));
  bool ran = false;
  grpc::Status st = gate_.Run(&ctx, "Throw", req, [&](const Call&) {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(ran);
  google::rpc::BadRequest bad = BadRequestOf(st);
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "event_types[1]");
}

// A refusal no client can switch on is a bug the gate reports (decision 77); one that
// carries its reason is not.
TEST_F(GateTest, AFailedPreconditionWithoutAReasonIsReported) {
  std::vector<std::string> reported;
  gate_.OnReasonlessRefusal([&](const char* method, const absl::Status& st) {
    reported.push_back(absl::StrCat(method, ": ", st.message()));
  });
  grpc::ServerContext bare;
  auto bare_spouse = Authenticate(bare, "req-fp-6");
  ::testing::internal::CaptureStdout();
  grpc::Status st = gate_.Run(&bare, "Throw", kRequest, [](const Call&) {
    return absl::FailedPreconditionError("the lot is closed");
  });
  std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(log.find("without a PreconditionFailure"), std::string::npos) << log;
  grpc::ServerContext reasoned;
  auto reasoned_spouse = Authenticate(reasoned, "req-fp-7");
  st = gate_.Run(&reasoned, "Throw", kRequest, [](const Call&) {
    return FailedPrecondition("the lot is closed", "LOT_STATE", "lot/l1");
  });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(reported, std::vector<std::string>{"Throw: the lot is closed"});
}

// A database failure in a call: the log lines written on its way (here libpq's reason for
// a bad conninfo) carry the call's request id; the client sees only the generic text,
// never the reason the status carries for the log (db::ReasonOf).
TEST_F(GateTest, ADatabaseFailureIsLoggedWithTheRequestIdAndNotShownToTheClient) {
  grpc::ServerContext ctx;
  auto spouse = Authenticate(ctx, "req-db-5");
  ::testing::internal::CaptureStdout();
  grpc::Status st = gate_.Run(&ctx, "Throw", kRequest, [](const Call&) -> absl::Status {
    return db::Connection::Open("notaconninfo").status();
  });
  std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(st.error_message(), "the database is unavailable; retry the call");
  EXPECT_EQ(st.error_details().find("notaconninfo"), std::string::npos);
  std::string line = log.substr(0, log.find('\n'));
  EXPECT_NE(line.find("\"msg\":\"db: connect failed\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"request_id\":\"req-db-5\""), std::string::npos) << line;
  EXPECT_NE(line.find("notaconninfo"), std::string::npos) << line;
}

// However many violations a request has and however long their text, the error fits the
// 8 KiB of trailers a client accepts by default, and says how many it left out.
TEST(ToGrpc, AHugeErrorIsCutToFitTheTrailers) {
  std::vector<FieldViolation> many;
  for (int i = 0; i < 500; ++i) {
    many.push_back({absl::StrCat("items[", i, "]"), std::string(5000, 'x')});
  }
  std::string long_message(3000, 'm');
  long_message += "\u00e9";  // a two-byte character beyond the cut
  grpc::Status st = ToGrpc(InvalidArgument(long_message, many), "req-big");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(st.error_message().size(), 1000u);
  EXPECT_LT(st.error_details().size(), 4500u);  // base64 on the wire: about 6 KiB
  google::rpc::BadRequest bad = BadRequestOf(st);
  ASSERT_GT(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "items[0]");
  EXPECT_LE(bad.field_violations(0).description().size(), 300u);
  const int kept = bad.field_violations_size() - 1;
  EXPECT_EQ(bad.field_violations(kept).description(),
            absl::StrCat("and ", 500 - kept, " more violations not listed"));
}

TEST(ToGrpc, ShortTextIsKeptWhole) {
  grpc::Status st = ToGrpc(InvalidField("referral.hours", "must be more than 0"), "req-small");
  EXPECT_EQ(st.error_message(), "referral.hours: must be more than 0");
  google::rpc::BadRequest bad = BadRequestOf(st);
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).description(), "must be more than 0");
}

}  // namespace
}  // namespace pdps::server

namespace pdps::server {
namespace {

// A second process started on ports already taken must fail to start rather than share
// them (SO_REUSEPORT would let it take a share of the traffic unnoticed).
TEST(Runner, APortAlreadyTakenIsRefusedNotShared) {
  RunnerOptions o;
  o.grpc_addr = "127.0.0.1:0";
  o.metrics_addr = "127.0.0.1:0";
  o.health_service = "runner-test";
  o.drain_delay = absl::ZeroDuration();
  o.shutdown_grace = absl::Seconds(1);
  metrics::Registry m1, m2, m3;
  Runner first(o, &m1);
  ASSERT_TRUE(first.Start().ok());

  RunnerOptions grpc_taken = o;
  grpc_taken.grpc_addr = absl::StrCat("127.0.0.1:", first.grpc_port());
  Runner second(grpc_taken, &m2);
  EXPECT_FALSE(second.Start().ok());

  RunnerOptions metrics_taken = o;
  metrics_taken.metrics_addr = absl::StrCat("127.0.0.1:", first.metrics_port());
  Runner third(metrics_taken, &m3);
  EXPECT_FALSE(third.Start().ok());
}

}  // namespace
}  // namespace pdps::server
