// Who commissions what, as the registry says over gRPC before any transaction.
// Commissioner writes scoped to a framework (training matrices, suspension rules,
// monitoring visits, action plans, accounts) need the caller's organisation in the
// partnership that owns it, and a named provider admitted to it. Reads about a provider
// (its workforce's compliance) and a package (its named workers) are scoped the same way.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/server.h"
#include "pdps/workforce/v1/workforce.pb.h"
#include "services/registry/client/registry_client.h"

namespace pdps::workforce {

class CommissioningCheck {
 public:
  // `registry` null: no check (a process configured without a registry; tests of this
  // service alone). The binary has one unless PDPS_REGISTRY_ADDR is set empty.
  explicit CommissioningCheck(registry::RegistryClient* registry) : registry_(registry) {}

  // PERMISSION_DENIED unless the caller commissions `framework_id`; NOT_FOUND if it does
  // not exist; FAILED_PRECONDITION if `provider_id` (optional) holds no admission on it;
  // UNAVAILABLE if the registry cannot answer (nothing changed).
  absl::Status Require(const server::Call& c, const std::string& framework_id,
                       const std::string& provider_id = "") const;

  // Who may read a provider's workforce counts on a lot: services; the provider itself
  // (another provider gets NOT_FOUND); a commissioner of the lot's framework when the
  // provider holds an admission on it (PERMISSION_DENIED otherwise, NOT_FOUND for an
  // unknown lot, UNAVAILABLE if the registry cannot answer).
  absl::Status RequireWorkforceReader(const server::Call& c, const std::string& lot_id,
                                      const std::string& provider_id) const;

  // Who may see a package and its named workers: its provider, services, and
  // commissioners or brokerage officers of the partnership owning its framework.
  // NOT_FOUND for anyone else (the package's existence is not revealed).
  absl::Status RequirePackageParty(const server::Call& c,
                                   const pdps::workforce::v1::Package& package) const;

 private:
  registry::RegistryClient* registry_;
};

}  // namespace pdps::workforce
