// The registry's client for its peers, over gRPC with a deadline and the caller's
// service identity: lots, frameworks and partnerships, eligible providers, admissions.
// Referrals asks it when a referral is raised, opened or directly awarded; workforce
// asks whether the caller commissions a framework and the provider is admitted to it.
// Failures become UNAVAILABLE ("nothing was changed; retry"), asked before any
// transaction, so nothing is ever half-done.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/service_identity.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"

namespace pdps::registry {

// The registry facts a referral needs, read together.
struct LotContext {
  pdps::registry::v1::Lot lot;
  pdps::registry::v1::Framework framework;
  std::set<std::string> members;  // organisations of the owning partnership (lower case)
  // The lot's MAXIMUM_PRICE in force on the day asked for; 0 if none.
  int64_t maximum_hourly_rate_pence = 0;
};

// A framework (its settings as published) and its owning partnership's organisations.
struct FrameworkContext {
  pdps::registry::v1::Framework framework;
  std::set<std::string> members;  // lower case
};

struct EligibleProvider {
  std::string provider_id;
  std::string admission_id;
  // Hours a week the provider's latest capacity return says it could take on (-1: none).
  int weekly_hours_available = -1;
};

// An ACTIVE admission: a provider on a lot.
struct ActiveOnLot {
  std::string provider_id;
  std::string lot_id;
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
  // The organisations (lower case) of the partnership owning the framework.
  // NOT_FOUND if the framework does not exist.
  virtual absl::StatusOr<std::set<std::string>> FrameworkMembers(
      const std::string& framework_id) = 0;
  // The framework and those organisations. NOT_FOUND if the framework does not exist.
  virtual absl::StatusOr<FrameworkContext> GetFrameworkContext(const std::string& framework_id) = 0;
  // Whether the provider holds an admission on the framework, in any state.
  virtual absl::StatusOr<bool> HasAdmission(const std::string& provider_id,
                                            const std::string& framework_id) = 0;
  // The ACTIVE admissions on the framework (all pages).
  virtual absl::StatusOr<std::vector<ActiveOnLot>> ActiveAdmissions(
      const std::string& framework_id) = 0;
  // The lots (lower case) the provider works on: its ACTIVE and SUSPENDED admissions (a
  // suspension stops new referrals, not the packages it runs), every framework, all pages.
  virtual absl::StatusOr<std::set<std::string>> WorkingLots(const std::string& provider_id) = 0;
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
  absl::StatusOr<std::set<std::string>> FrameworkMembers(const std::string& framework_id) override;
  absl::StatusOr<FrameworkContext> GetFrameworkContext(const std::string& framework_id) override;
  absl::StatusOr<bool> HasAdmission(const std::string& provider_id,
                                    const std::string& framework_id) override;
  absl::StatusOr<std::vector<ActiveOnLot>> ActiveAdmissions(
      const std::string& framework_id) override;
  absl::StatusOr<std::set<std::string>> WorkingLots(const std::string& provider_id) override;

 private:
  void Prepare(grpc::ClientContext* ctx) const;
  absl::StatusOr<std::set<std::string>> PartnershipMembers(const std::string& partnership_id);
  // Every admission `req` lists, page by page, to `each`; errors name `what`/`id`.
  absl::Status EachAdmission(pdps::registry::v1::ListAdmissionsRequest req, const char* what,
                             const std::string& id,
                             const std::function<void(const pdps::registry::v1::Admission&)>& each);
  std::unique_ptr<pdps::registry::v1::RegistryService::Stub> stub_;
  auth::ServiceTokenSource* tokens_;
  absl::Duration timeout_;
};

}  // namespace pdps::registry
