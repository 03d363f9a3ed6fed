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

}  // namespace
}  // namespace pdps::viability
