// Dates as every API takes them: "YYYY-MM-DD", real days, within the years care uses.
#include "common/dates.h"

#include <gtest/gtest.h>

namespace pdps::dates {
namespace {

TEST(Dates, OnlyRealDaysWithinTheYearsCareUses) {
  EXPECT_EQ(ParseDay("2026-12-07"), absl::CivilDay(2026, 12, 7));
  EXPECT_EQ(ParseDay("1900-01-01"), absl::CivilDay(1900, 1, 1));
  EXPECT_EQ(ParseDay("2199-12-31"), absl::CivilDay(2199, 12, 31));
  for (const char* bad : {"0000-01-01", "1899-12-31", "2200-01-01", "9999-12-31", "2026-02-30",
                          "2026-13-01", "20261207", "2026-12-7", "", "x"}) {
    EXPECT_FALSE(ParseDay(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace pdps::dates
