// Test support: a service's process wiring (service::Base) on a test database, served on
// 127.0.0.1 port 0 with the test token verifier and an injected clock — the same Build
// main() uses. Failures abort the test binary with the reason, as nothing can follow.
// A FAILED_PRECONDITION a handler returns without a google.rpc.PreconditionFailure fails
// the running test (decision 77).
#pragma once

#include <memory>
#include <string>

#include "common/auth.h"
#include "common/clock.h"
#include "common/service.h"
#include "common/service_identity.h"

namespace pdps::testing {

std::unique_ptr<service::Base> TestBase(const std::string& service,
                                        const std::string& database_url,
                                        const auth::AccessPolicy* policy, const Clock* clock);

// The identity `service` calls its peers under in tests: a fixed token with the service
// role, user "pdps-service:<service>", of the platform's organisation.
std::unique_ptr<auth::ServiceTokenSource> TestServiceTokens(const std::string& service);

// Starts the base's runner (gRPC, metrics, workers).
void StartOrDie(service::Base& base);

// Fails the test and aborts the binary, naming what failed and why.
[[noreturn]] void Die(const char* what, const absl::Status& status);

// The value of `v`, or aborts with its status.
template <typename T>
T OrDie(absl::StatusOr<T> v, const char* what) {
  if (!v.ok()) Die(what, v.status());
  return std::move(v).value();
}

// "127.0.0.1:<port>" of the base's gRPC listener.
std::string Address(const service::Base& base);

}  // namespace pdps::testing
