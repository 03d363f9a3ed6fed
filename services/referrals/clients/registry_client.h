// What referrals asks the registry, over gRPC with a deadline and the service's own
// identity: the lot, its framework and partnership when a referral is raised or opened,
// the eligible providers, and whether a provider is active on a lot (direct award).
// Transport failures become UNAVAILABLE ("nothing was changed; retry") so that no
// referral is ever half-opened.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/service_identity.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"

namespace pdps::referrals {

// The registry facts a referral needs, read together.
struct LotContext {
  pdps::registry::v1::Lot lot;
  pdps::registry::v1::Framework framework;
  std::set<std::string> members;  // organisations of the owning partnership (lower case)
  // The lot's MAXIMUM_PRICE in force on the day asked for; 0 if none.
  int64_t maximum_hourly_rate_pence = 0;
};

struct EligibleProvider {
  std::string provider_id;
  std::string admission_id;
};

class RegistryClient {
 public:
  virtual ~RegistryClient() = default;
  // NOT_FOUND if the lot does not exist; UNAVAILABLE if the registry cannot answer.
  virtual absl::StatusOr<LotContext> GetLotContext(const std::string& lot_id, absl::CivilDay day) = 0;
  // Every eligible provider (all pages).
  virtual absl::StatusOr<std::vector<EligibleProvider>> ListEligible(const std::string& lot_id,
                                                                     const std::string& area,
                                                                     absl::CivilDay day) = 0;
  // The provider's ACTIVE admission id on the lot, or "" if none.
  virtual absl::StatusOr<std::string> ActiveAdmission(const std::string& provider_id,
                                                      const std::string& lot_id) = 0;
};

class GrpcRegistryClient final : public RegistryClient {
 public:
  GrpcRegistryClient(std::shared_ptr<grpc::Channel> channel, auth::ServiceTokenSource* tokens,
                     absl::Duration timeout);
  absl::StatusOr<LotContext> GetLotContext(const std::string& lot_id, absl::CivilDay day) override;
  absl::StatusOr<std::vector<EligibleProvider>> ListEligible(const std::string& lot_id,
                                                             const std::string& area,
                                                             absl::CivilDay day) override;
  absl::StatusOr<std::string> ActiveAdmission(const std::string& provider_id,
                                              const std::string& lot_id) override;

 private:
  void Prepare(grpc::ClientContext* ctx) const;
  std::unique_ptr<pdps::registry::v1::RegistryService::Stub> stub_;
  auth::ServiceTokenSource* tokens_;
  absl::Duration timeout_;
};

}  // namespace pdps::referrals
