// Working-time calendar: bank holidays by rule and one-off change, office hours, and
// deadlines across weekends, bank holidays and both daylight-saving changes.
#include "common/calendar/calendar.h"

#include <gtest/gtest.h>

namespace pdps::calendar {
namespace {

using D = absl::CivilDay;

std::vector<D> Days(int year) {
  std::vector<D> out;
  for (const auto& h : HolidayCalendar::EnglandAndWales().HolidaysInYear(year)) {
    out.push_back(h.day);
  }
  return out;
}

TEST(BankHolidays, MatchTheGovUkListsFor2024To2027) {
  EXPECT_EQ(Days(2024), (std::vector<D>{D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1),
                                        D(2024, 5, 6), D(2024, 5, 27), D(2024, 8, 26),
                                        D(2024, 12, 25), D(2024, 12, 26)}));
  EXPECT_EQ(Days(2025), (std::vector<D>{D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21),
                                        D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 25),
                                        D(2025, 12, 25), D(2025, 12, 26)}));
  EXPECT_EQ(Days(2026), (std::vector<D>{D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6),
                                        D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31),
                                        D(2026, 12, 25), D(2026, 12, 28)}));
  EXPECT_EQ(Days(2027), (std::vector<D>{D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29),
                                        D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30),
                                        D(2027, 12, 27), D(2027, 12, 28)}));
}

TEST(BankHolidays, EasterAndSubstituteDays) {
  EXPECT_EQ(EasterSunday(2024), D(2024, 3, 31));
  EXPECT_EQ(EasterSunday(2025), D(2025, 4, 20));
  EXPECT_EQ(EasterSunday(2038), D(2038, 4, 25));
  EXPECT_EQ(EasterSunday(2008), D(2008, 3, 23));
  auto cal = HolidayCalendar::EnglandAndWales();
  // Christmas on Saturday (2021, 2010): Monday 27 and Tuesday 28.
  for (int y : {2021, 2010}) {
    EXPECT_TRUE(cal.IsBankHoliday(D(y, 12, 27))) << y;
    EXPECT_TRUE(cal.IsBankHoliday(D(y, 12, 28))) << y;
    EXPECT_FALSE(cal.IsBankHoliday(D(y, 12, 25))) << y;
  }
  // Christmas on Sunday (2022, 2016): Monday 26 and Tuesday 27.
  for (int y : {2022, 2016}) {
    EXPECT_TRUE(cal.IsBankHoliday(D(y, 12, 26))) << y;
    EXPECT_TRUE(cal.IsBankHoliday(D(y, 12, 27))) << y;
  }
  // New Year's Day on Saturday 2022 → Monday 3 January.
  EXPECT_TRUE(cal.IsBankHoliday(D(2022, 1, 3)));
  EXPECT_FALSE(cal.IsBankHoliday(D(2022, 1, 1)));
}

TEST(BankHolidays, OneOffChanges) {
  auto cal = HolidayCalendar::EnglandAndWales();
  EXPECT_FALSE(cal.IsBankHoliday(D(2020, 5, 4)));
  EXPECT_TRUE(cal.IsBankHoliday(D(2020, 5, 8)));
  EXPECT_FALSE(cal.IsBankHoliday(D(2022, 5, 30)));
  EXPECT_TRUE(cal.IsBankHoliday(D(2022, 6, 2)));
  EXPECT_TRUE(cal.IsBankHoliday(D(2022, 6, 3)));
  EXPECT_TRUE(cal.IsBankHoliday(D(2022, 9, 19)));
  EXPECT_TRUE(cal.IsBankHoliday(D(2023, 5, 8)));
  // An operator adds and removes days.
  auto changes = HolidayCalendar::ParseChanges(
      "# operator changes\n\n2027-06-07,add,Extra day\n2027-08-30, remove ,Moved\n");
  ASSERT_TRUE(changes.ok()) << changes.status();
  for (const auto& c : *changes) ASSERT_TRUE(cal.AddChange(c).ok());
  EXPECT_TRUE(cal.IsBankHoliday(D(2027, 6, 7)));
  EXPECT_FALSE(cal.IsBankHoliday(D(2027, 8, 30)));
}

TEST(BankHolidays, BadChangeLinesNameTheLine) {
  for (const char* text : {"2027-13-01,add,X", "2027-06-07,maybe,X", "2027-06-07"}) {
    auto r = HolidayCalendar::ParseChanges(std::string("# c\n") + text);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(r.status().message().find("line 2"), absl::string_view::npos) << text;
  }
}

TEST(OfficeHours, Parse) {
  auto h = OfficeHours::Parse("08:00-20:00,Mon-Sat");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->open_minute, 480);
  EXPECT_EQ(h->close_minute, 1200);
  EXPECT_TRUE(h->working_days[5]);
  EXPECT_FALSE(h->working_days[6]);
  auto days = OfficeHours::Parse("09:00-17:00,Mon,Wed");
  ASSERT_TRUE(days.ok());
  EXPECT_TRUE(days->working_days[0]);
  EXPECT_FALSE(days->working_days[1]);
  EXPECT_TRUE(days->working_days[2]);
  for (const char* bad : {"", "9-5", "17:00-09:00", "09:00-17:00,Funday", "25:00-26:00"}) {
    EXPECT_FALSE(OfficeHours::Parse(bad).ok()) << bad;
  }
}

class WorkingTimeTest : public ::testing::Test {
 protected:
  void SetUp() override { tz_ = *WorkingTime::London(); }
  absl::Time L(int y, int mo, int d, int h, int mi = 0) {
    return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), tz_);
  }
  WorkingTime Standard() { return WorkingTime(HolidayCalendar::EnglandAndWales(), {}, tz_); }
  absl::TimeZone tz_;
};

TEST_F(WorkingTimeTest, AddWorkingHoursTable) {
  WorkingTime w = Standard();
  struct Row {
    absl::Time start;
    int hours;
    absl::Time want;
    const char* why;
  };
  const Row rows[] = {
      {L(2026, 11, 24, 10), 2, L(2026, 11, 24, 12), "inside a day"},
      {L(2026, 11, 27, 16), 2, L(2026, 11, 30, 10), "Friday afternoon into Monday"},
      {L(2026, 11, 28, 11), 2, L(2026, 11, 30, 11), "from Saturday"},
      {L(2026, 11, 24, 7), 2, L(2026, 11, 24, 11), "from before opening"},
      {L(2026, 11, 24, 15), 2, L(2026, 11, 24, 17), "lands exactly on close"},
      {L(2026, 4, 2, 16), 2, L(2026, 4, 7, 10), "Thursday before Easter into Tuesday"},
      {L(2026, 3, 27, 16), 2, L(2026, 3, 30, 10), "across the spring clock change (BST)"},
      {L(2026, 10, 23, 16), 2, L(2026, 10, 26, 10), "across the autumn clock change (GMT)"},
      {L(2026, 12, 24, 16), 3, L(2026, 12, 29, 11), "across Christmas and Boxing Day"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(w.AddWorkingHours(r.start, r.hours), r.want) << r.why;
  }
  // The two instants either side of a change have different UTC offsets.
  EXPECT_NE(tz_.At(L(2026, 3, 27, 16)).offset, tz_.At(L(2026, 3, 30, 10)).offset);
  EXPECT_NE(tz_.At(L(2026, 10, 23, 16)).offset, tz_.At(L(2026, 10, 26, 10)).offset);
}

TEST_F(WorkingTimeTest, NextWorkingMoment) {
  WorkingTime w = Standard();
  EXPECT_EQ(w.NextWorkingMoment(L(2026, 11, 28, 12)), L(2026, 11, 30, 9));  // Saturday
  EXPECT_EQ(w.NextWorkingMoment(L(2026, 8, 31, 12)), L(2026, 9, 1, 9));     // bank holiday
  EXPECT_EQ(w.NextWorkingMoment(L(2026, 11, 24, 8)), L(2026, 11, 24, 9));
  EXPECT_EQ(w.NextWorkingMoment(L(2026, 11, 24, 17)), L(2026, 11, 25, 9));  // at close
  EXPECT_EQ(w.NextWorkingMoment(L(2026, 11, 24, 12)), L(2026, 11, 24, 12));
  EXPECT_TRUE(w.IsWorkingMoment(L(2026, 11, 24, 16, 59)));
  EXPECT_FALSE(w.IsWorkingMoment(L(2026, 11, 24, 17)));
  EXPECT_EQ(w.StartOfNextWorkingDay(L(2026, 11, 27, 13)), L(2026, 11, 30, 9));
  EXPECT_EQ(w.StartOfNextWorkingDay(L(2026, 8, 28, 13)), L(2026, 9, 1, 9));
}

TEST_F(WorkingTimeTest, AddWorkingDaysAcrossHolidays) {
  WorkingTime w = Standard();
  // Complaint received Monday 14 Dec 2026: 15 working days skip 25 and 28 Dec, 1 Jan.
  EXPECT_EQ(w.AddWorkingDaysToDay(D(2026, 12, 14), 15), D(2027, 1, 7));
  EXPECT_EQ(w.AddWorkingDays(L(2026, 12, 14, 11), 15), L(2027, 1, 7, 17));
  // Across Easter 2027 (Good Friday 26 March, Easter Monday 29 March).
  EXPECT_EQ(w.AddWorkingDaysToDay(D(2027, 3, 22), 5), D(2027, 3, 31));
  // Received on a Saturday: counting starts the next working day.
  EXPECT_EQ(w.AddWorkingDaysToDay(D(2026, 11, 28), 1), D(2026, 11, 30));
}

TEST_F(WorkingTimeTest, WorkingDurationBetween) {
  WorkingTime w = Standard();
  EXPECT_EQ(w.WorkingDurationBetween(L(2026, 11, 27, 16), L(2026, 11, 30, 10)), absl::Hours(2));
  EXPECT_EQ(w.WorkingDurationBetween(L(2026, 11, 24, 10), L(2026, 11, 24, 9)),
            absl::ZeroDuration());
  EXPECT_EQ(w.WorkingDurationBetween(L(2026, 11, 23, 0), L(2026, 11, 28, 0)), absl::Hours(40));
}

TEST_F(WorkingTimeTest, CustomOfficeHours) {
  WorkingTime w(HolidayCalendar::EnglandAndWales(), *OfficeHours::Parse("08:00-20:00,Mon-Sat"),
                tz_);
  EXPECT_EQ(w.AddWorkingHours(L(2026, 11, 27, 19), 2), L(2026, 11, 28, 9));  // into Saturday
  EXPECT_EQ(w.AddWorkingHours(L(2026, 11, 28, 19), 2), L(2026, 11, 30, 9));  // skips Sunday
}

}  // namespace
}  // namespace pdps::calendar
