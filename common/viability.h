// Financial viability from a provider's annual accounts (seed 004 Appendix A): liquidity
// ratio above 1, return on capital employed above 5 %, positive net assets. One rule for
// every service that reads accounts: the registry's ANNUAL_ACCOUNTS documents and
// workforce's quality monitoring.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pdps::viability {

// Pence.
struct Accounts {
  int64_t current_assets = 0;
  int64_t current_liabilities = 0;
  int64_t operating_profit = 0;
  int64_t capital_employed = 0;
  int64_t net_assets = 0;
};

enum class Breach { kLiquidity, kRoce, kNetAssets };

struct Assessment {
  double liquidity = 0;     // current assets / current liabilities; 0 with no liabilities
  double roce_percent = 0;  // 100 × operating profit / capital employed; 0 with none
  std::vector<Breach> breaches;  // in the order above; empty when viable
};

// The tests are decided in integers, never on the rounded ratios: liquidity above 1 ⇔
// assets > liabilities (no current liabilities at all is no breach); ROCE above 5 % ⇔
// 20 × profit > capital employed, with capital employed positive; net assets > 0.
Assessment Assess(const Accounts& a);

// "liquidity ratio is not above 1", as shown to commissioners and providers.
const char* Describe(Breach b);

// A liquidity ratio, or a ROCE in percent, as shown beside its threshold (1; 5 %): two
// decimals, or as many more (at most ten) as it takes for a value above or below the
// threshold not to read as the threshold itself ("1.0000001", "4.999995"), so that a
// commissioner can see why one provider breaches and the next does not (decision 65).
// Closer still, the threshold and which side it is on: "1.00 (just above 1)".
std::string FormatLiquidity(double ratio);
std::string FormatRocePercent(double percent);

}  // namespace pdps::viability
