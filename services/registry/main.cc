// The provider registry service: `registry serve` (default) or `registry migrate`.
#include "common/service.h"
#include "common/status.h"
#include "services/registry/api/access.h"
#include "services/registry/registry.h"

int main(int argc, char** argv) {
  using namespace pdps;
  registry::Options options;
  return service::Main(
      argc, argv, "registry", registry::kGrpcPort, registry::kMetricsPort,
      &registry::RegistryAccessPolicy(),
      [&options](service::Base& base) -> absl::StatusOr<std::shared_ptr<void>> {
        ASSIGN_OR_RETURN(auto r, registry::Assemble(base, options));
        return std::shared_ptr<void>(std::move(r));
      },
      [&options](Settings& s) { options = registry::ReadOptions(s); });
}
