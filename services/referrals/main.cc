// The referrals and brokerage service: `referrals serve` (default) or `referrals migrate`.
#include "common/service.h"
#include "common/status.h"
#include "services/referrals/api/access.h"
#include "services/referrals/referrals.h"

int main(int argc, char** argv) {
  using namespace pdps;
  referrals::Options options;
  return service::Main(
      argc, argv, "referrals", referrals::kGrpcPort, referrals::kMetricsPort,
      &referrals::ReferralsAccessPolicy(),
      [&options](service::Base& base) -> absl::StatusOr<std::shared_ptr<void>> {
        ASSIGN_OR_RETURN(auto r, referrals::Assemble(base, options));
        return std::shared_ptr<void>(std::move(r));
      },
      [&options](Settings& s) { options = referrals::ReadOptions(s); });
}
