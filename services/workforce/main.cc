// The workforce and compliance service: `workforce serve` (default) or `workforce migrate`.
#include "common/service.h"
#include "common/status.h"
#include "services/workforce/api/access.h"
#include "services/workforce/workforce.h"

int main(int argc, char** argv) {
  using namespace pdps;
  workforce::Options options;
  return service::Main(
      argc, argv, "workforce", workforce::kGrpcPort, workforce::kMetricsPort,
      &workforce::WorkforceAccessPolicy(),
      [&options](service::Base& base) -> absl::StatusOr<std::shared_ptr<void>> {
        ASSIGN_OR_RETURN(auto w, workforce::Assemble(base, options));
        return std::shared_ptr<void>(std::move(w));
      },
      [&options](Settings& s) { options = workforce::ReadOptions(s); });
}
