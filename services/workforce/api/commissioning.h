// Who may write a framework's workforce rules and findings: commissioner writes scoped to
// a framework (training matrices, suspension rules, monitoring visits, action plans,
// accounts) need the caller's organisation in the partnership that owns it, and a named
// provider admitted to it. The registry decides, over gRPC, before the transaction.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "common/server.h"
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

 private:
  registry::RegistryClient* registry_;
};

}  // namespace pdps::workforce
