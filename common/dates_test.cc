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

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(Dates, LondonTimesShowSecondsOnlyWhenTheyHaveThem) {
  const absl::Time noon = absl::FromCivil(absl::CivilSecond(2026, 11, 24, 12, 0, 0), London());
  EXPECT_EQ(FormatLondonTime(noon), "2026-11-24 12:00 GMT");
  EXPECT_EQ(FormatLondonTime(noon + absl::Seconds(14) + absl::Milliseconds(346)),
            "2026-11-24 12:00:14 GMT");
  const absl::Time summer = absl::FromCivil(absl::CivilSecond(2026, 6, 16, 9, 30, 5), London());
  EXPECT_EQ(FormatLondonTime(summer), "2026-06-16 09:30:05 BST");
}

TEST(ParseQuarter, Forms) {
  auto q = ParseQuarter("2026-Q3");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->first(), D(2026, 7, 1));
  EXPECT_EQ(q->last(), D(2026, 9, 30));
  EXPECT_EQ(ParseQuarter("2026-Q4")->last(), D(2026, 12, 31));
  EXPECT_EQ(ParseQuarter("2026-Q1")->last(), D(2026, 3, 31));
  // Of the form, whatever the year: the range is Violations::Quarter's to say.
  EXPECT_EQ(ParseQuarter("1899-Q1")->year, 1899);
  for (const char* bad : {"2026-Q0", "2026-Q5", "2026Q3", "26-Q3", "2026-q3", "", "2026-Q3x",
                          "+202-Q1", "20 6-Q1"}) {
    EXPECT_FALSE(ParseQuarter(bad)) << bad;
  }
}

// A return covers a quarter that has ended, or the one in progress to date; a quarter
// that has not started has nothing to count.
TEST(ReturnPeriod, EndedInProgressAndNotStarted) {
  const Quarter q3{2026, 3};
  auto ended = ReturnPeriod(q3, D(2026, 11, 24));
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->first, D(2026, 7, 1));
  EXPECT_EQ(ended->last, D(2026, 9, 30));
  auto to_date = ReturnPeriod(Quarter{2026, 4}, D(2026, 11, 24));
  ASSERT_TRUE(to_date);
  EXPECT_EQ(to_date->first, D(2026, 10, 1));
  EXPECT_EQ(to_date->last, D(2026, 11, 24));
  auto first_day = ReturnPeriod(Quarter{2026, 4}, D(2026, 10, 1));
  ASSERT_TRUE(first_day);
  EXPECT_EQ(first_day->last, D(2026, 10, 1));
  EXPECT_FALSE(ReturnPeriod(Quarter{2027, 1}, D(2026, 12, 31)));
  EXPECT_FALSE(ReturnPeriod(Quarter{2030, 1}, D(2026, 11, 24)));
  EXPECT_EQ(QuarterOf(D(2026, 11, 24)).q, 4);
  EXPECT_EQ(QuarterOf(D(2026, 1, 1)).q, 1);
  EXPECT_EQ(QuarterOf(D(2026, 3, 31)).q, 1);
}

// A quarter's edges are London midnights: 1 April is in BST (23:00 UTC the day before),
// 1 January in GMT.
TEST(StartOfDay, FollowsTheClocks) {
  EXPECT_EQ(StartOfDay(D(2026, 4, 1)),
            absl::FromCivil(absl::CivilSecond(2026, 3, 31, 23, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(StartOfDay(D(2027, 1, 1)),
            absl::FromCivil(absl::CivilSecond(2027, 1, 1, 0, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(FormatQuarter(Quarter{2026, 4}), "2026-Q4");
}

}  // namespace
}  // namespace pdps::dates
