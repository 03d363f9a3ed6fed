// Seed 004 Appendix A's viability tests.
#include "common/viability.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

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

namespace {

std::string BesideThreshold(double value, double threshold, const char* name) {
  constexpr int kFewest = 2, kMost = 10;
  for (int decimals = kFewest; decimals <= kMost; ++decimals) {
    std::string shown = absl::StrFormat("%.*f", decimals, value);
    if (value == threshold || shown != absl::StrFormat("%.*f", decimals, threshold)) {
      return shown;
    }
  }
  return absl::StrCat(absl::StrFormat("%.*f", kFewest, threshold), " (just ",
                      value > threshold ? "above " : "below ", name, ")");
}

}  // namespace

std::string FormatLiquidity(double ratio) { return BesideThreshold(ratio, 1.0, "1"); }

std::string FormatRocePercent(double percent) { return BesideThreshold(percent, 5.0, "5"); }

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
