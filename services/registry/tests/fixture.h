// Test fixture: a real registry (same wiring as main) on a fresh database, served over
// real gRPC on 127.0.0.1, with real signed tokens and an injected clock.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "common/clock.h"
#include "common/service.h"
#include "common/testing/pg_harness.h"
#include "common/testing/tokens.h"
#include "pdps/common/v1/events.grpc.pb.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "services/registry/registry.h"

namespace pdps::registry::testing {

namespace v1 = ::pdps::registry::v1;
using auth::Role;

// 2026-11-24 10:00 in London (GMT): a Tuesday.
absl::Time DefaultNow();

class RegistryServer {
 public:
  // A fresh database holding the schemas of `services` (the registry's and, for
  // cross-service tests, its peers').
  explicit RegistryServer(const std::string& db_prefix,
                          const std::vector<std::string>& services = {"registry"});
  ~RegistryServer();

  v1::RegistryService::Stub& stub() { return *stub_; }
  pdps::common::v1::EventFeedService::Stub& feed() { return *feed_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  FakeClock& clock() { return clock_; }
  pdps::testing::TestDatabase& db() { return *db_; }
  service::Base& base() { return *base_; }
  Registry& registry() { return *registry_; }
  std::string address() const;

 private:
  FakeClock clock_;
  std::unique_ptr<pdps::testing::TestDatabase> db_;
  std::unique_ptr<service::Base> base_;
  std::unique_ptr<Registry> registry_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RegistryService::Stub> stub_;
  std::unique_ptr<pdps::common::v1::EventFeedService::Stub> feed_;
};

// A caller: an organisation and roles, with a token.
struct Caller {
  std::string org;
  std::string token;
  void Prepare(grpc::ClientContext* ctx) const;
};
Caller MakeCaller(const std::string& org, std::vector<Role> roles);

// Builds a small world through the API: a partnership of two commissioners with a
// framework and lots, and helpers to add providers.
class World {
 public:
  explicit World(RegistryServer* server);

  std::string CreateOrg(const std::string& name, v1::Organisation::Kind kind);
  std::string CreatePartnership(const std::string& name, std::vector<std::string> members);
  v1::Framework CreateFramework(const Caller& commissioner, const std::string& partnership,
                                const std::string& name);
  v1::Lot CreateLot(const Caller& commissioner, const std::string& framework,
                    const std::string& code);
  // Files the insurance a provider needs before it applies: employer's liability £5m and
  // public liability £10m, in date until the end of 2030.
  void FileInsurance(const Caller& provider_admin);
  // A provider organisation with its admin, covering `areas`, insured, ACTIVE on `lot`,
  // with a capacity return for the current month.
  struct Provider {
    std::string org;
    Caller admin;
    std::string admission_id;
  };
  Provider AdmittedProvider(const std::string& name, const Caller& commissioner,
                            const v1::Framework& framework, const v1::Lot& lot,
                            std::vector<std::string> areas, int hours_available = 20);
  // The provider applies for `lot` and the commissioner admits it: the ACTIVE admission's
  // id ("" on failure, which the test has already reported).
  std::string Admit(const Caller& provider_admin, const Caller& commissioner,
                    const std::string& framework_id, const std::string& lot_id);

  Caller platform;  // platform operator

 private:
  RegistryServer* server_;
};

// Runs an RPC with a caller's token: `Call(caller, &Stub::Method, request, &response)`.
template <typename Req, typename Resp>
grpc::Status Call(RegistryServer& s, const Caller& who,
                  grpc::Status (v1::RegistryService::Stub::*method)(grpc::ClientContext*,
                                                                    const Req&, Resp*),
                  const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  who.Prepare(&ctx);
  return (s.stub().*method)(&ctx, req, resp);
}

// Field names of the BadRequest violations in a status.
std::vector<std::string> ViolationFields(const grpc::Status& st);
// Each violation as "field: description", to assert the wording a client sees.
std::vector<std::string> ViolationTexts(const grpc::Status& st);
// "TYPE subject" of each PreconditionFailure violation in a status.
std::vector<std::string> PreconditionViolations(const grpc::Status& st);
// "resource_type resource_name" of the ResourceInfo in a status ("" if none).
std::string ResourceInfoOf(const grpc::Status& st);

}  // namespace pdps::registry::testing
