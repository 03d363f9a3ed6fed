// Test service wiring.
#include "common/testing/service_harness.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/testing/tokens.h"

namespace pdps::testing {

void Die(const char* what, const absl::Status& status) {
  ADD_FAILURE() << what << ": " << status;
  std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
  std::abort();
}

std::unique_ptr<service::Base> TestBase(const std::string& service,
                                        const std::string& database_url,
                                        const auth::AccessPolicy* policy, const Clock* clock) {
  auto settings = Settings::FromMap({});
  service::Config config = service::ReadConfig(settings, service, 0, 0);
  config.grpc_addr = "127.0.0.1:0";
  config.metrics_addr = "127.0.0.1:0";
  config.database_url = database_url;
  config.shutdown_grace = absl::Seconds(2);
  config.shutdown_drain = absl::ZeroDuration();
  auto base =
      OrDie(service::Build(config, policy, clock, Tokens::Get().Verifier()), "service start-up");
  // Every FAILED_PRECONDITION carries a reason a client can switch on (decision 77): the
  // service tests, which reach most refusals, keep it so.
  base->gate->OnReasonlessRefusal([](const char* method, const absl::Status& status) {
    ADD_FAILURE() << method << " returned FAILED_PRECONDITION without a "
                  << "google.rpc.PreconditionFailure (FailedPrecondition in common/status.h): "
                  << status;
  });
  return base;
}

std::unique_ptr<auth::ServiceTokenSource> TestServiceTokens(const std::string& service) {
  return auth::ServiceTokenSource::Fixed(Tokens::Get().For("00000000-0000-4000-8000-000000000001",
                                                           {auth::Role::kService},
                                                           NameUuid("pdps-service:" + service)));
}

void StartOrDie(service::Base& base) {
  auto st = base.runner->Start();
  if (!st.ok()) Die("runner start", st);
}

std::string Address(const service::Base& base) {
  return absl::StrCat("127.0.0.1:", base.runner->grpc_port());
}

}  // namespace pdps::testing
