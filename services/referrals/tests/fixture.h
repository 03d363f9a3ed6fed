// Test fixture: a real registry and one or more real referrals replicas (same wiring as
// main) on one fresh database, served over real gRPC on 127.0.0.1, with real signed
// tokens and one injected clock shared by both services.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "pdps/referrals/v1/referrals_service.grpc.pb.h"
#include "services/referrals/referrals.h"
#include "services/registry/tests/fixture.h"

namespace pdps::referrals::testing {

namespace rv1 = ::pdps::registry::v1;
using registry::testing::Caller;
using registry::testing::MakeCaller;
using registry::testing::RegistryServer;
using registry::testing::World;
using Stub = v1::ReferralsService::Stub;

// One referrals process: its own pool, gate and workers on the shared database.
class ReferralsServer {
 public:
  ReferralsServer(RegistryServer* registry, Options options);
  ~ReferralsServer();
  Stub& stub() { return *stub_; }
  pdps::common::v1::EventFeedService::Stub& feed() { return *feed_; }
  Referrals& referrals() { return *referrals_; }
  Store& store() { return *referrals_->store; }
  // Stops serving and the workers, as SIGTERM would.
  void Shutdown();

 private:
  std::unique_ptr<service::Base> base_;
  std::unique_ptr<Referrals> referrals_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<pdps::common::v1::EventFeedService::Stub> feed_;
  bool stopped_ = false;
};

// Options for tests: workers off (the test drives them), no registry timeout surprises.
Options TestOptions(const std::string& registry_addr, const std::string& workforce_addr);

// Runs an RPC with a caller's token: `Call(stub, caller, &Stub::Method, request, &response)`.
template <typename Req, typename Resp>
grpc::Status Call(Stub& stub, const Caller& who,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                  const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  who.Prepare(&ctx);
  return (stub.*method)(&ctx, req, resp);
}

// A valid referral for `lot` in `area`, funded wholly by `funder`.
v1::Referral SampleReferral(const std::string& lot, const std::string& area,
                            const std::string& funder);
v1::PersonDetails SamplePerson();

}  // namespace pdps::referrals::testing
