// Seed 004 Appendix A's thresholds, at and either side of each boundary.
#include "common/viability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pdps::viability {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Viability, EachTestAtItsBoundary) {
  const Accounts good{120000, 100000, 6000, 100000, 50000};  // 1.2, 6 %, positive
  EXPECT_THAT(Assess(good).breaches, IsEmpty());
  EXPECT_DOUBLE_EQ(Assess(good).liquidity, 1.2);
  EXPECT_DOUBLE_EQ(Assess(good).roce_percent, 6.0);

  Accounts a = good;
  a.current_assets = 100000;  // exactly 1 is not above 1
  EXPECT_THAT(Assess(a).breaches, ElementsAre(Breach::kLiquidity));
  a.current_assets = 100001;
  EXPECT_THAT(Assess(a).breaches, IsEmpty());

  a = good;
  a.operating_profit = 5000;  // exactly 5 % is not above 5 %
  EXPECT_THAT(Assess(a).breaches, ElementsAre(Breach::kRoce));
  a.operating_profit = 5001;
  EXPECT_THAT(Assess(a).breaches, IsEmpty());
  a.capital_employed = 0;  // no capital employed: ROCE cannot be shown above 5 %
  EXPECT_THAT(Assess(a).breaches, ElementsAre(Breach::kRoce));
  EXPECT_EQ(Assess(a).roce_percent, 0);

  a = good;
  a.net_assets = 0;
  EXPECT_THAT(Assess(a).breaches, ElementsAre(Breach::kNetAssets));

  a = good;
  a.current_liabilities = 0;  // nothing owed: no liquidity test to fail
  EXPECT_THAT(Assess(a).breaches, IsEmpty());
  EXPECT_EQ(Assess(a).liquidity, 0);

  EXPECT_THAT(Assess({50, 100, -10, -5, -1}).breaches,
              ElementsAre(Breach::kLiquidity, Breach::kRoce, Breach::kNetAssets));
  EXPECT_STREQ(Describe(Breach::kRoce), "return on capital employed is not above 5%");
}

// The audit's pair: one penny above each threshold must not print as the threshold.
TEST(Viability, AValueBesideItsThresholdShowsWhichSide) {
  const Accounts at{10000000, 10000000, 1000000, 20000000, 0};     // 1.00, 5.00 %
  const Accounts above{10000001, 10000000, 1000001, 20000000, 1};  // a penny more
  EXPECT_EQ(FormatLiquidity(Assess(at).liquidity), "1.00");
  EXPECT_EQ(FormatRocePercent(Assess(at).roce_percent), "5.00");
  EXPECT_EQ(FormatLiquidity(Assess(above).liquidity), "1.0000001");
  EXPECT_EQ(FormatRocePercent(Assess(above).roce_percent), "5.000005");
  EXPECT_THAT(Assess(above).breaches, IsEmpty());
  EXPECT_EQ(FormatLiquidity(0.9999999), "0.9999999");
  // Far from the threshold, two decimals as everywhere.
  EXPECT_EQ(FormatLiquidity(1.2), "1.20");
  EXPECT_EQ(FormatRocePercent(-3), "-3.00");
  EXPECT_EQ(FormatLiquidity(0.996), "0.996");  // "1.00" would hide the breach
  // Closer than ten decimals show: the threshold and the side.
  EXPECT_EQ(FormatLiquidity(1 + 1e-12), "1.00 (just above 1)");
  EXPECT_EQ(FormatRocePercent(5 - 1e-12), "5.00 (just below 5)");
}

}  // namespace
}  // namespace pdps::viability
