// Test fixture: a real workforce service (same wiring as main) on a fresh database,
// served over real gRPC on 127.0.0.1 port 0, with real signed tokens and an injected
// clock. The service has no peers, so nothing else runs.
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
#include "services/workforce/workforce.h"

namespace pdps::workforce::testing {

using Stub = v1::WorkforceService::Stub;
using auth::Role;

// 2026-11-24 10:00 in London (GMT): a Tuesday.
absl::Time DefaultNow();
// A London civil time as an instant.
absl::Time London(int y, int mo, int d, int h, int mi);

class WorkforceServer {
 public:
  explicit WorkforceServer(const std::string& db_prefix);
  // On a database and clock shared with other services (cross-service tests); the
  // database must hold the workforce schema.
  WorkforceServer(pdps::testing::TestDatabase* db, FakeClock* clock);
  ~WorkforceServer();
  Stub& stub() { return *stub_; }
  pdps::common::v1::EventFeedService::Stub& feed() { return *feed_; }
  FakeClock& clock() { return *clock_; }
  pdps::testing::TestDatabase& db() { return *db_; }
  std::string address() const;
  Store& store() { return *workforce_->store; }
  // Applies a ReferralAwarded as the referrals feed consumer does, in a transaction as
  // the service (the feed itself between real processes is the system test's).
  void Award(const pdps::referrals::v1::ReferralAwarded& award);

 private:
  void Start();
  FakeClock own_clock_;
  FakeClock* clock_;
  std::unique_ptr<pdps::testing::TestDatabase> own_db_;
  pdps::testing::TestDatabase* db_;
  std::unique_ptr<service::Base> base_;
  std::unique_ptr<Workforce> workforce_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<pdps::common::v1::EventFeedService::Stub> feed_;
};

// A caller: an organisation and roles, with a token.
struct Caller {
  std::string org;
  std::string token;
  void Prepare(grpc::ClientContext* ctx) const;
};
Caller MakeCaller(const std::string& org, std::vector<Role> roles);
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

// Field names of the BadRequest violations in a status.
std::vector<std::string> ViolationFields(const grpc::Status& st);

// A staff member with every check in date on DefaultNow().
v1::StaffMember SampleStaff(const std::string& name);

}  // namespace pdps::workforce::testing
