// The provider registry service: `registry serve` (default) or `registry migrate`.
#include "common/service.h"
#include "services/registry/api/access.h"
#include "services/registry/registry.h"

int main(int argc, char** argv) {
  using namespace pdps;
  return service::Main(argc, argv, "registry", registry::kGrpcPort, registry::kMetricsPort,
                       &registry::RegistryAccessPolicy(),
                       [](service::Base& base) -> absl::StatusOr<std::shared_ptr<void>> {
                         return std::shared_ptr<void>(registry::Assemble(base));
                       });
}
