// Test fixture: a real workforce service (same wiring as main) and the real registry it
// asks who commissions what, on one fresh database, served over real gRPC on 127.0.0.1
// port 0, with real signed tokens and one injected clock. The referrals feed is not
// followed: tests apply awarded packages with Award().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/auth.h"
#include "common/clock.h"
#include "common/service.h"
#include "common/testing/pg_harness.h"
#include "pdps/common/v1/events.grpc.pb.h"
#include "pdps/referrals/v1/referrals_events.pb.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"
#include "services/registry/tests/fixture.h"
#include "services/workforce/workforce.h"

namespace pdps::workforce::testing {

using Stub = v1::WorkforceService::Stub;
using auth::Role;
using registry::testing::Caller;
using registry::testing::DefaultNow;  // 2026-11-24 10:00 in London (GMT): a Tuesday
using registry::testing::MakeCaller;
using registry::testing::RegistryServer;
using registry::testing::ViolationFields;
using registry::testing::ViolationTexts;
using registry::testing::World;
namespace rv1 = ::pdps::registry::v1;
class WorkforceServer {
 public:
  // With its own registry on a fresh database.
  explicit WorkforceServer(const std::string& db_prefix);
  // Beside a registry whose database holds the workforce schema too (cross-service
  // tests), on its clock.
  explicit WorkforceServer(RegistryServer* registry);
  ~WorkforceServer();
  Stub& stub() { return *stub_; }
  pdps::common::v1::EventFeedService::Stub& feed() { return *feed_; }
  RegistryServer& registry() { return *registry_; }
  FakeClock& clock() { return registry_->clock(); }
  pdps::testing::TestDatabase& db() { return registry_->db(); }
  std::string address() const;
  Store& store() { return *workforce_->store; }
  // The service's own registry client (as its sweeps use it).
  registry::RegistryClient& registry_client() { return *workforce_->registry; }
  // Applies a ReferralAwarded as the referrals feed consumer does, in a transaction as
  // the service (the feed itself between real processes is the system test's).
  void Award(const pdps::referrals::v1::ReferralAwarded& award);

 private:
  void Start();
  std::unique_ptr<RegistryServer> own_registry_;
  RegistryServer* registry_;
  std::unique_ptr<service::Base> base_;
  std::unique_ptr<Workforce> workforce_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<pdps::common::v1::EventFeedService::Stub> feed_;
};

// A framework commissioned in the registry: a council's commissioner, its partnership's
// framework with one lot, and a provider admitted to it (ACTIVE).
struct Commissioned {
  Caller commissioner;
  // A commissioner of the NHS member of the same partnership.
  Caller nhs_commissioner;
  rv1::Framework framework;
  rv1::Lot lot;
  World::Provider provider;
};
Commissioned Commission(World& world, const std::string& provider_name);

// A PDPS service identity (care planning, the registry's feed consumer).
Caller ServiceCaller();

// Runs an RPC with a caller's token: `Call(stub, caller, &Stub::Method, request, &response)`.
template <typename S, typename Req, typename Resp>
grpc::Status Call(S& stub, const Caller& who,
                  grpc::Status (S::*method)(grpc::ClientContext*, const Req&, Resp*),
                  const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  who.Prepare(&ctx);
  return (stub.*method)(&ctx, req, resp);
}

// A staff member with every check in date on DefaultNow().
v1::StaffMember SampleStaff(const std::string& name);

}  // namespace pdps::workforce::testing
