// Seed 004 Appendix A's viability tests.
#include "common/viability.h"

namespace pdps::viability {

Assessment Assess(const Accounts& a) {
  Assessment v;
  if (a.current_liabilities > 0) {
    v.liquidity = static_cast<double>(a.current_assets) / static_cast<double>(a.current_liabilities);
    if (a.current_assets <= a.current_liabilities) v.breaches.push_back(Breach::kLiquidity);
  }
  if (a.capital_employed > 0) {
    v.roce_percent =
        100.0 * static_cast<double>(a.operating_profit) / static_cast<double>(a.capital_employed);
  }
  if (a.capital_employed <= 0 || a.operating_profit * 20 <= a.capital_employed) {
    v.breaches.push_back(Breach::kRoce);
  }
  if (a.net_assets <= 0) v.breaches.push_back(Breach::kNetAssets);
  return v;
}

const char* Describe(Breach b) {
  switch (b) {
    case Breach::kLiquidity:
      return "liquidity ratio is not above 1";
    case Breach::kRoce:
      return "return on capital employed is not above 5%";
    case Breach::kNetAssets:
      return "net assets are not positive";
  }
  return "";
}

}  // namespace pdps::viability
