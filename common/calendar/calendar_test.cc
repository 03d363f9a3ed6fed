// Tests bank holidays against gov.uk and deadlines across weekends, holidays, clock changes.
#include "common/calendar/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

namespace pdps::calendar {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using D = absl::CivilDay;

std::vector<D> Days(const std::vector<Holiday>& holidays) {
  std::vector<D> out;
  for (const Holiday& h : holidays) out.push_back(h.day);
  return out;
}

std::string NameOn(const HolidayCalendar& calendar, D day) {
  for (const Holiday& h : calendar.HolidaysInYear(static_cast<int>(day.year()))) {
    if (h.day == day) return h.name;
  }
  return "";
}

// ---------------------------------------------------------------------------------
// Bank holidays

struct YearCase {
  int year;
  std::vector<D> days;
};

void PrintTo(const YearCase& c, std::ostream* os) { *os << c.year; }

class GovUkYearTest : public ::testing::TestWithParam<YearCase> {};

TEST_P(GovUkYearTest, MatchesPublishedList) {
  const YearCase& c = GetParam();
  const HolidayCalendar calendar = HolidayCalendar::EnglandAndWales();
  EXPECT_THAT(Days(calendar.HolidaysInYear(c.year)), ElementsAreArray(c.days));
  for (D day = D(c.year, 1, 1); day.year() == c.year; ++day) {
    const bool listed = std::find(c.days.begin(), c.days.end(), day) != c.days.end();
    EXPECT_EQ(calendar.IsBankHoliday(day), listed) << day;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Years, GovUkYearTest,
    ::testing::Values(
        YearCase{2024,
                 {D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
                  D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)}},
        YearCase{2025,
                 {D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
                  D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)}},
        YearCase{2026,
                 {D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
                  D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)}},
        YearCase{2027,
                 {D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
                  D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)}},
        // VE day: early May moved from Monday 4 to Friday 8 May.
        YearCase{2020,
                 {D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25),
                  D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28)}},
        // Platinum Jubilee (spring bank moved, extra 3 June) and the State Funeral.
        YearCase{2022,
                 {D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
                  D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)}},
        YearCase{2023,
                 {D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8),
                  D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)}},
        YearCase{2012,
                 {D(2012, 1, 2), D(2012, 4, 6), D(2012, 4, 9), D(2012, 5, 7), D(2012, 6, 4),
                  D(2012, 6, 5), D(2012, 8, 27), D(2012, 12, 25), D(2012, 12, 26)}},
        YearCase{2011,
                 {D(2011, 1, 3), D(2011, 4, 22), D(2011, 4, 25), D(2011, 4, 29), D(2011, 5, 2),
                  D(2011, 5, 30), D(2011, 8, 29), D(2011, 12, 26), D(2011, 12, 27)}},
        YearCase{2002,
                 {D(2002, 1, 1), D(2002, 3, 29), D(2002, 4, 1), D(2002, 5, 6), D(2002, 6, 3),
                  D(2002, 6, 4), D(2002, 8, 26), D(2002, 12, 25), D(2002, 12, 26)}},
        YearCase{1999,
                 {D(1999, 1, 1), D(1999, 4, 2), D(1999, 4, 5), D(1999, 5, 3), D(1999, 5, 31),
                  D(1999, 8, 30), D(1999, 12, 27), D(1999, 12, 28), D(1999, 12, 31)}},
        YearCase{1995,
                 {D(1995, 1, 2), D(1995, 4, 14), D(1995, 4, 17), D(1995, 5, 8), D(1995, 5, 29),
                  D(1995, 8, 28), D(1995, 12, 25), D(1995, 12, 26)}}),
    [](const ::testing::TestParamInfo<YearCase>& param_info) {
      return std::to_string(param_info.param.year);
    });

TEST(EasterSunday, KnownDates) {
  const struct {
    int year;
    D easter;
  } cases[] = {
      {1990, D(1990, 4, 15)}, {2000, D(2000, 4, 23)}, {2008, D(2008, 3, 23)},
      {2011, D(2011, 4, 24)}, {2019, D(2019, 4, 21)}, {2024, D(2024, 3, 31)},
      {2025, D(2025, 4, 20)}, {2026, D(2026, 4, 5)},  {2027, D(2027, 3, 28)},
      {2038, D(2038, 4, 25)}, {2100, D(2100, 3, 28)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EasterSunday(c.year), c.easter) << c.year;
    EXPECT_EQ(absl::GetWeekday(c.easter), absl::Weekday::sunday) << c.year;
  }
}

TEST(RuleHolidays, SubstituteDays) {
  const struct {
    int year;
    std::vector<Holiday> want;  // the New Year or Christmas holidays to find
    const char* why;
  } cases[] = {
      {2021,
       {{D(2021, 12, 27), "Christmas Day (substitute day)"},
        {D(2021, 12, 28), "Boxing Day (substitute day)"}},
       "Christmas on Saturday"},
      {2010,
       {{D(2010, 12, 27), "Christmas Day (substitute day)"},
        {D(2010, 12, 28), "Boxing Day (substitute day)"}},
       "Christmas on Saturday"},
      {2022,
       {{D(2022, 12, 26), "Boxing Day"}, {D(2022, 12, 27), "Christmas Day (substitute day)"}},
       "Christmas on Sunday"},
      {2016,
       {{D(2016, 12, 26), "Boxing Day"}, {D(2016, 12, 27), "Christmas Day (substitute day)"}},
       "Christmas on Sunday"},
      {2026,
       {{D(2026, 12, 25), "Christmas Day"}, {D(2026, 12, 28), "Boxing Day (substitute day)"}},
       "Boxing Day on Saturday"},
      {2022, {{D(2022, 1, 3), "New Year's Day (substitute day)"}}, "New Year on Saturday"},
      {2023, {{D(2023, 1, 2), "New Year's Day (substitute day)"}}, "New Year on Sunday"},
  };
  for (const auto& c : cases) {
    const std::vector<Holiday> rules = RuleHolidays(c.year);
    for (const Holiday& want : c.want) {
      auto it = std::find_if(rules.begin(), rules.end(),
                             [&](const Holiday& h) { return h.day == want.day; });
      ASSERT_NE(it, rules.end()) << c.why << ": " << want.day;
      EXPECT_EQ(it->name, want.name) << c.why << ": " << want.day;
    }
  }
}

TEST(RuleHolidays, EveryCoveredYearHasEightDistinctWeekdays) {
  for (int year = kFirstYear; year <= kLastYear; ++year) {
    const std::vector<Holiday> rules = RuleHolidays(year);
    ASSERT_EQ(rules.size(), 8u) << year;
    for (size_t i = 0; i < rules.size(); ++i) {
      EXPECT_EQ(rules[i].day.year(), year) << rules[i].day;
      EXPECT_LT(static_cast<int>(absl::GetWeekday(rules[i].day)), 5) << rules[i].day;
      if (i > 0) {
        EXPECT_LT(rules[i - 1].day, rules[i].day) << year;
      }
    }
  }
}

TEST(HolidayCalendar, EmptyCalendarHasNoHolidays) {
  const HolidayCalendar empty;
  EXPECT_FALSE(empty.IsBankHoliday(D(2026, 12, 25)));
  EXPECT_TRUE(empty.HolidaysInYear(2026).empty());
}

TEST(HolidayCalendar, OperatorChangesApply) {
  HolidayCalendar calendar = HolidayCalendar::EnglandAndWales();
  // A move: summer bank holiday 2027 to the following Monday, plus an extra day.
  ASSERT_TRUE(calendar.AddChange({D(2027, 8, 30), false, "Summer bank holiday (moved)"}).ok());
  ASSERT_TRUE(calendar.AddChange({D(2027, 9, 6), true, "Summer bank holiday"}).ok());
  ASSERT_TRUE(calendar.AddChange({D(2027, 6, 7), true, "Extra day"}).ok());
  EXPECT_FALSE(calendar.IsBankHoliday(D(2027, 8, 30)));
  EXPECT_TRUE(calendar.IsBankHoliday(D(2027, 9, 6)));
  EXPECT_TRUE(calendar.IsBankHoliday(D(2027, 6, 7)));
  EXPECT_EQ(NameOn(calendar, D(2027, 6, 7)), "Extra day");
  EXPECT_EQ(calendar.HolidaysInYear(2027).size(), 9u);

  // Removing twice is harmless, so a changes file can be reloaded.
  EXPECT_TRUE(calendar.AddChange({D(2027, 8, 30), false, ""}).ok());
  // An added day can be removed again, and a removed rule day restored.
  ASSERT_TRUE(calendar.AddChange({D(2027, 6, 7), false, ""}).ok());
  EXPECT_FALSE(calendar.IsBankHoliday(D(2027, 6, 7)));
  ASSERT_TRUE(calendar.AddChange({D(2027, 8, 30), true, "Summer bank holiday"}).ok());
  EXPECT_TRUE(calendar.IsBankHoliday(D(2027, 8, 30)));
  // Renaming a rule day keeps it once.
  ASSERT_TRUE(calendar.AddChange({D(2027, 5, 3), true, "Early May (renamed)"}).ok());
  EXPECT_EQ(NameOn(calendar, D(2027, 5, 3)), "Early May (renamed)");
  EXPECT_EQ(calendar.HolidaysInYear(2027).size(), 9u);
}

TEST(HolidayCalendar, OperatorMistakesAreRejected) {
  HolidayCalendar calendar = HolidayCalendar::EnglandAndWales();
  const struct {
    HolidayChange change;
    const char* message;
  } cases[] = {
      {{D(2027, 6, 8), false, "typo"}, "not a bank holiday"},
      {{D(2101, 1, 3), true, "Far future"}, "outside the years covered"},
      {{D(1989, 5, 1), false, ""}, "outside the years covered"},
      {{D(2027, 6, 8), true, "  "}, "needs a name"},
  };
  for (const auto& c : cases) {
    const absl::Status status = calendar.AddChange(c.change);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.change.day;
    EXPECT_THAT(std::string(status.message()), HasSubstr(c.message)) << c.change.day;
  }
  EXPECT_FALSE(calendar.IsBankHoliday(D(2027, 6, 8)));
}

TEST(HolidayCalendar, CopiesAreIndependent) {
  const HolidayCalendar original = HolidayCalendar::EnglandAndWales();
  HolidayCalendar copy = original;
  ASSERT_TRUE(copy.AddChange({D(2027, 6, 7), true, "Extra"}).ok());
  EXPECT_TRUE(copy.IsBankHoliday(D(2027, 6, 7)));
  EXPECT_FALSE(original.IsBankHoliday(D(2027, 6, 7)));
}

TEST(ParseChanges, GoodFile) {
  const auto changes = HolidayCalendar::ParseChanges(
      "# Operator-maintained bank holiday changes\n"
      "\n"
      "2027-06-07,add,Extra day, with a comma\r\n"
      "  2027-08-30 , REMOVE , Summer bank holiday (moved)  \n"
      "2027-09-06,add,Summer bank holiday\n"
      "2028-05-01,remove\n"
      "   # indented comment\n");
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[0].day, D(2027, 6, 7));
  EXPECT_TRUE((*changes)[0].holiday);
  EXPECT_EQ((*changes)[0].name, "Extra day, with a comma");
  EXPECT_EQ((*changes)[1].day, D(2027, 8, 30));
  EXPECT_FALSE((*changes)[1].holiday);
  EXPECT_EQ((*changes)[1].name, "Summer bank holiday (moved)");
  EXPECT_EQ((*changes)[3].day, D(2028, 5, 1));
  EXPECT_FALSE((*changes)[3].holiday);
  EXPECT_EQ((*changes)[3].name, "");

  EXPECT_TRUE(HolidayCalendar::ParseChanges("").ok());
  EXPECT_TRUE(HolidayCalendar::ParseChanges("# only a comment\n\n")->empty());
}

TEST(ParseChanges, BadLinesNameTheLineAndTheProblem) {
  const struct {
    const char* line;
    const char* message;
  } cases[] = {
      {"2027-06-07", "is not YYYY-MM-DD,add|remove,Name"},
      {"2027-13-01,add,X", "\"2027-13-01\" is not a date"},
      {"2027-02-30,add,X", "\"2027-02-30\" is not a date"},
      {"27-06-07,add,X", "is not a date"},
      {"2027/06/07,add,X", "is not a date"},
      {"2027-6-7,add,X", "is not a date"},
      {"2027-06-07,maybe,X", "action \"maybe\" must be add or remove"},
      {"2027-06-07,add,", "needs a name"},
      {"2027-06-07,add", "needs a name"},
      {"2150-06-07,add,X", "outside the years covered"},
  };
  for (const auto& c : cases) {
    const auto result =
        HolidayCalendar::ParseChanges(std::string("# header\n2027-01-04,add,Fine\n") + c.line);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.line;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr("line 3: ")) << c.line;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(c.message)) << c.line;
  }
}

TEST(LoadChangesFile, AppliesAllOrNothing) {
  const std::string dir = ::testing::TempDir();
  const std::string good = dir + "/calendar_test_good.csv";
  const std::string bad = dir + "/calendar_test_bad.csv";
  std::ofstream(good) << "# test\n2027-08-30,remove,Moved\n2027-09-06,add,Summer bank holiday\n";
  std::ofstream(bad) << "2027-06-07,add,Extra\n2027-06-08,remove,Not a holiday\n";

  HolidayCalendar calendar = HolidayCalendar::EnglandAndWales();
  ASSERT_TRUE(calendar.LoadChangesFile(good).ok());
  EXPECT_FALSE(calendar.IsBankHoliday(D(2027, 8, 30)));
  EXPECT_TRUE(calendar.IsBankHoliday(D(2027, 9, 6)));
  // Loading the same file again changes nothing and does not fail.
  ASSERT_TRUE(calendar.LoadChangesFile(good).ok());

  const absl::Status status = calendar.LoadChangesFile(bad);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr(bad));
  EXPECT_FALSE(calendar.IsBankHoliday(D(2027, 6, 7))) << "first line of a bad file applied";

  EXPECT_EQ(calendar.LoadChangesFile(dir + "/no_such_calendar_file.csv").code(),
            absl::StatusCode::kNotFound);
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

// ---------------------------------------------------------------------------------
// Office hours

TEST(OfficeHours, ParseGood) {
  using Days = std::array<bool, 7>;
  const struct {
    const char* text;
    int open;
    int close;
    Days days;
    const char* canonical;
  } cases[] = {
      {"09:00-17:00", 540, 1020, {1, 1, 1, 1, 1, 0, 0}, "09:00-17:00,Mon-Fri"},
      {"09:00-17:00,Mon-Fri", 540, 1020, {1, 1, 1, 1, 1, 0, 0}, "09:00-17:00,Mon-Fri"},
      {"08:00-20:00,Mon-Sat", 480, 1200, {1, 1, 1, 1, 1, 1, 0}, "08:00-20:00,Mon-Sat"},
      {"08:30-16:45,Mon,Tue,Wed", 510, 1005, {1, 1, 1, 0, 0, 0, 0}, "08:30-16:45,Mon-Wed"},
      {" 10:00 - 12:00 , mon , THU-fri ",
       600,
       720,
       {1, 0, 0, 1, 1, 0, 0},
       "10:00-12:00,Mon,Thu-Fri"},
      {"00:00-24:00,Mon-Sun", 0, 1440, {1, 1, 1, 1, 1, 1, 1}, "00:00-24:00,Mon-Sun"},
      {"09:00-17:00,Sun", 540, 1020, {0, 0, 0, 0, 0, 0, 1}, "09:00-17:00,Sun"},
  };
  for (const auto& c : cases) {
    const auto hours = OfficeHours::Parse(c.text);
    ASSERT_TRUE(hours.ok()) << c.text << ": " << hours.status();
    EXPECT_EQ(hours->open_minute, c.open) << c.text;
    EXPECT_EQ(hours->close_minute, c.close) << c.text;
    EXPECT_EQ(hours->working_days, c.days) << c.text;
    EXPECT_EQ(hours->ToString(), c.canonical) << c.text;
    const auto again = OfficeHours::Parse(hours->ToString());
    ASSERT_TRUE(again.ok()) << hours->ToString();
    EXPECT_EQ(again->ToString(), c.canonical);
  }
}

TEST(OfficeHours, ParseBad) {
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {"", "times must be HH:MM-HH:MM"},
      {"9-5", "opening time \"9\" is not HH:MM"},
      {"09:00-5pm", "closing time \"5pm\" is not HH:MM"},
      {"09:00", "times must be HH:MM-HH:MM"},
      {"25:00-26:00", "is not HH:MM"},
      {"09:60-17:00", "is not HH:MM"},
      {"17:00-09:00", "opening must come first"},
      {"09:00-09:00", "opening must come first"},
      {"09:00-17:00,Funday", "\"Funday\" is not a day"},
      {"09:00-17:00,Fri-Mon", "runs backwards"},
      {"09:00-17:00,Mon-Tue-Wed", "is not a day or range"},
      {"09:00-17:00,", "empty day"},
  };
  for (const auto& c : cases) {
    const auto hours = OfficeHours::Parse(c.text);
    EXPECT_EQ(hours.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(std::string(hours.status().message()), HasSubstr(c.message)) << c.text;
  }
}

TEST(OfficeHours, Validate) {
  EXPECT_TRUE(OfficeHours().Validate().ok());
  OfficeHours no_days;
  no_days.working_days.fill(false);
  EXPECT_THAT(std::string(no_days.Validate().message()), HasSubstr("at least one working day"));
  OfficeHours late;
  late.close_minute = 1441;
  EXPECT_FALSE(late.Validate().ok());
  OfficeHours early;
  early.open_minute = -1;
  EXPECT_FALSE(early.Validate().ok());
}

// ---------------------------------------------------------------------------------
// Working time

class WorkingTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<absl::TimeZone> london = WorkingTime::London();
    ASSERT_TRUE(london.ok()) << london.status();
    london_ = *london;
  }

  // A London wall-clock time.
  absl::Time L(int y, int mo, int d, int h, int mi = 0) const {
    return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), london_);
  }
  // A UTC time, to check London conversions independently.
  static absl::Time U(int y, int mo, int d, int h, int mi = 0) {
    return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone());
  }
  std::string Show(absl::Time t) const {
    return absl::FormatTime("%Y-%m-%d %a %H:%M %Z", t, london_);
  }
  WorkingTime Standard() const {
    return WorkingTime(HolidayCalendar::EnglandAndWales(), OfficeHours(), london_);
  }
  WorkingTime WithHours(const char* hours, HolidayCalendar holidays = HolidayCalendar()) const {
    auto parsed = OfficeHours::Parse(hours);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return WorkingTime(holidays, *parsed, london_);
  }

  absl::TimeZone london_;
};

TEST_F(WorkingTimeTest, DefaultsToLondon) {
  const WorkingTime w(HolidayCalendar::EnglandAndWales());
  EXPECT_EQ(w.time_zone().name(), "Europe/London");
  EXPECT_EQ(w.office_hours().ToString(), "09:00-17:00,Mon-Fri");
  const auto created = WorkingTime::Create(HolidayCalendar::EnglandAndWales());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->time_zone().name(), "Europe/London");
  OfficeHours bad;
  bad.open_minute = bad.close_minute;
  EXPECT_EQ(WorkingTime::Create(HolidayCalendar(), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(WorkingTimeTest, IsWorkingDayAndMoment) {
  const WorkingTime w = Standard();
  EXPECT_TRUE(w.IsWorkingDay(D(2026, 11, 24)));
  EXPECT_FALSE(w.IsWorkingDay(D(2026, 11, 28)));  // Saturday
  EXPECT_FALSE(w.IsWorkingDay(D(2026, 8, 31)));   // Summer bank holiday
  const struct {
    absl::Time t;
    bool working;
  } cases[] = {
      {L(2026, 11, 24, 8, 59), false}, {L(2026, 11, 24, 9), true},
      {L(2026, 11, 24, 16, 59), true}, {L(2026, 11, 24, 17), false},
      {L(2026, 11, 28, 12), false},    {L(2026, 8, 31, 12), false},
  };
  for (const auto& c : cases) EXPECT_EQ(w.IsWorkingMoment(c.t), c.working) << Show(c.t);
}

TEST_F(WorkingTimeTest, NextWorkingMoment) {
  const WorkingTime w = Standard();
  const struct {
    absl::Time t;
    absl::Time want;
    const char* why;
  } cases[] = {
      {L(2026, 11, 28, 12), L(2026, 11, 30, 9), "Saturday"},
      {L(2026, 11, 29, 23, 59), L(2026, 11, 30, 9), "late Sunday"},
      {L(2026, 8, 31, 12), L(2026, 9, 1, 9), "Summer bank holiday"},
      {L(2026, 4, 3, 10), L(2026, 4, 7, 9), "Good Friday to after Easter Monday"},
      {L(2026, 11, 24, 8), L(2026, 11, 24, 9), "08:00 on a working day"},
      {L(2026, 11, 24, 17), L(2026, 11, 25, 9), "17:00 exactly is closed"},
      {L(2026, 11, 27, 17), L(2026, 11, 30, 9), "Friday close"},
      {L(2026, 11, 24, 12), L(2026, 11, 24, 12), "already working"},
      {L(2026, 11, 24, 9), L(2026, 11, 24, 9), "opening exactly"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(w.NextWorkingMoment(c.t), c.want)
        << c.why << ": got " << Show(w.NextWorkingMoment(c.t));
  }
}

TEST_F(WorkingTimeTest, StartOfNextWorkingDay) {
  const WorkingTime w = Standard();
  EXPECT_EQ(w.StartOfNextWorkingDay(L(2026, 11, 24, 8)), L(2026, 11, 25, 9));
  EXPECT_EQ(w.StartOfNextWorkingDay(L(2026, 11, 27, 13)), L(2026, 11, 30, 9));
  EXPECT_EQ(w.StartOfNextWorkingDay(L(2026, 8, 28, 13)), L(2026, 9, 1, 9));
  EXPECT_EQ(w.StartOfNextWorkingDay(L(2026, 12, 24, 23, 59)), L(2026, 12, 29, 9));
}

TEST_F(WorkingTimeTest, AddWorkingHours) {
  const WorkingTime w = Standard();
  const struct {
    absl::Time start;
    int hours;
    absl::Time want;
    const char* why;
  } cases[] = {
      {L(2026, 11, 24, 10), 2, L(2026, 11, 24, 12), "inside a day"},
      {L(2026, 11, 24, 10), 0, L(2026, 11, 24, 10), "nothing to add"},
      {L(2026, 11, 27, 16), 2, L(2026, 11, 30, 10), "Friday afternoon across the weekend"},
      {L(2026, 11, 28, 11), 2, L(2026, 11, 30, 11), "from Saturday"},
      {L(2026, 11, 24, 7), 2, L(2026, 11, 24, 11), "from before opening"},
      {L(2026, 11, 24, 18), 2, L(2026, 11, 25, 11), "from after closing"},
      {L(2026, 11, 24, 15), 2, L(2026, 11, 24, 17), "lands exactly on close"},
      {L(2026, 11, 27, 9), 8, L(2026, 11, 27, 17), "a whole Friday ends on its close"},
      {L(2026, 11, 24, 10), 16, L(2026, 11, 26, 10), "two whole days"},
      {L(2026, 4, 2, 16), 2, L(2026, 4, 7, 10), "Thursday before Easter into Tuesday"},
      {L(2026, 8, 28, 16), 2, L(2026, 9, 1, 10), "Friday before a bank holiday Monday"},
      {L(2026, 12, 24, 16), 3, L(2026, 12, 29, 11), "across Christmas and Boxing Day"},
      {L(2026, 3, 27, 16), 2, L(2026, 3, 30, 10), "across the spring clock change"},
      {L(2026, 10, 23, 16), 2, L(2026, 10, 26, 10), "across the autumn clock change"},
  };
  for (const auto& c : cases) {
    const absl::Time got = w.AddWorkingHours(c.start, c.hours);
    EXPECT_EQ(got, c.want) << c.why << ": got " << Show(got);
  }
}

TEST_F(WorkingTimeTest, ClockChangesKeepWallClockHours) {
  const WorkingTime w = Standard();
  const struct {
    absl::Time start;
    absl::Time want_london;
    absl::Time want_utc;
    const char* why;
  } cases[] = {
      // Friday 16:00 GMT (= 16:00 UTC) + 2h -> Monday 10:00 BST (= 09:00 UTC).
      {L(2026, 3, 27, 16), L(2026, 3, 30, 10), U(2026, 3, 30, 9), "spring forward"},
      // Friday 16:00 BST (= 15:00 UTC) + 2h -> Monday 10:00 GMT (= 10:00 UTC).
      {L(2026, 10, 23, 16), L(2026, 10, 26, 10), U(2026, 10, 26, 10), "fall back"},
  };
  for (const auto& c : cases) {
    const absl::Time got = w.AddWorkingDuration(c.start, absl::Hours(2));
    EXPECT_EQ(got, c.want_london) << c.why << ": got " << Show(got);
    EXPECT_EQ(got, c.want_utc) << c.why;
    EXPECT_NE(london_.At(c.start).offset, london_.At(got).offset) << c.why;
    EXPECT_EQ(w.WorkingDurationBetween(c.start, got), absl::Hours(2)) << c.why;
  }
}

TEST_F(WorkingTimeTest, WindowCountedAcrossTheSundayOfTheChange) {
  // Open round the clock every day: the change Sundays have 23 and 25 real hours, and
  // working time is real elapsed time.
  const WorkingTime always = WithHours("00:00-24:00,Mon-Sun");
  EXPECT_EQ(always.WorkingDurationBetween(L(2026, 3, 29, 0), L(2026, 3, 30, 0)), absl::Hours(23));
  EXPECT_EQ(always.WorkingDurationBetween(L(2026, 10, 25, 0), L(2026, 10, 26, 0)), absl::Hours(25));
  EXPECT_EQ(always.AddWorkingHours(L(2026, 3, 28, 12), 24), L(2026, 3, 29, 13));
  EXPECT_EQ(always.AddWorkingHours(L(2026, 3, 28, 12), 24), U(2026, 3, 29, 12));
  EXPECT_EQ(always.AddWorkingHours(L(2026, 10, 24, 12), 24), L(2026, 10, 25, 11));
  EXPECT_EQ(always.AddWorkingHours(L(2026, 10, 24, 12), 24), U(2026, 10, 25, 11));

  // Sunday working 08:00-20:00: its 12 wall-clock hours are 12 real hours either way.
  const WorkingTime weekend = WithHours("08:00-20:00,Sat-Sun");
  const struct {
    absl::Time start;
    int hours;
    absl::Time want;
    absl::Time want_utc;
  } cases[] = {
      {L(2026, 3, 28, 19), 2, L(2026, 3, 29, 9), U(2026, 3, 29, 8)},
      {L(2026, 3, 28, 19), 13, L(2026, 3, 29, 20), U(2026, 3, 29, 19)},
      {L(2026, 3, 28, 19), 14, L(2026, 4, 4, 9), U(2026, 4, 4, 8)},
      {L(2026, 10, 24, 19), 2, L(2026, 10, 25, 9), U(2026, 10, 25, 9)},
  };
  for (const auto& c : cases) {
    const absl::Time got = weekend.AddWorkingHours(c.start, c.hours);
    EXPECT_EQ(got, c.want) << Show(c.start) << " + " << c.hours << "h: got " << Show(got);
    EXPECT_EQ(got, c.want_utc) << Show(c.start) << " + " << c.hours << "h";
    EXPECT_NE(london_.At(c.start).offset, london_.At(got).offset);
  }
}

TEST_F(WorkingTimeTest, AddWorkingDays) {
  const WorkingTime w = Standard();
  const struct {
    absl::Time received;
    int days;
    absl::Time due;
    const char* why;
  } cases[] = {
      // 15 working days from Monday 14 December skip 25 and 28 December and 1 January.
      {L(2026, 12, 14, 11), 15, L(2027, 1, 7, 17), "across Christmas and New Year"},
      // From Monday 23 March 2026, skipping Good Friday and Easter Monday; the deadline
      // is in BST though receipt was in GMT.
      {L(2026, 3, 23, 10), 15, L(2026, 4, 15, 17), "across Easter"},
      {L(2026, 11, 24, 10), 1, L(2026, 11, 25, 17), "next day"},
      {L(2026, 11, 24, 8), 1, L(2026, 11, 25, 17), "before opening: the next day is day 1"},
      {L(2026, 11, 24, 18), 1, L(2026, 11, 25, 17), "after closing: the next day is day 1"},
      {L(2026, 11, 28, 12), 1, L(2026, 11, 30, 17), "Saturday: Monday is day 1"},
      {L(2026, 8, 31, 12), 1, L(2026, 9, 1, 17), "on the bank holiday: Tuesday is day 1"},
      {L(2026, 8, 28, 18), 1, L(2026, 9, 1, 17), "Friday evening before the bank holiday"},
      // Seed 002 para 92, 15 working days: Monday 30 November is day 1 for a complaint
      // received at any time on Friday 27 November or over the weekend, so each is due
      // at the close of Friday 18 December.
      {L(2026, 11, 27, 8), 15, L(2026, 12, 18, 17), "Friday before opening"},
      {L(2026, 11, 27, 10), 15, L(2026, 12, 18, 17), "Friday in hours"},
      {L(2026, 11, 27, 18, 30), 15, L(2026, 12, 18, 17), "Friday after hours"},
      {L(2026, 11, 28, 10), 15, L(2026, 12, 18, 17), "Saturday"},
      {L(2026, 11, 29, 16, 53), 15, L(2026, 12, 18, 17), "Sunday"},
      {L(2026, 11, 30, 0), 15, L(2026, 12, 21, 17), "Monday at midnight: Tuesday is day 1"},
      // Christmas Day is a Friday in 2026 and Boxing Day's substitute is Monday 28:
      // Tuesday 29 December is the first working day after the evening of the 24th or
      // after Christmas Day itself.
      {L(2026, 12, 24, 18), 1, L(2026, 12, 29, 17), "Christmas Eve evening"},
      {L(2026, 12, 25, 11), 1, L(2026, 12, 29, 17), "on Christmas Day"},
      {L(2026, 12, 24, 18), 3, L(2026, 12, 31, 17), "Christmas Eve evening, 3 days"},
      // Good Friday 26 and Easter Monday 29 March 2027; the clocks go forward on the 28th.
      {L(2027, 3, 25, 17, 30), 1, L(2027, 3, 30, 17), "Thursday evening before Easter"},
      {L(2027, 3, 27, 10), 2, L(2027, 3, 31, 17), "Easter Saturday"},
      {L(2026, 11, 24, 10), 0, L(2026, 11, 24, 17), "zero days is close of receipt"},
      {L(2026, 11, 24, 18), 0, L(2026, 11, 25, 17), "zero days after hours: the next close"},
      {L(2026, 11, 28, 10), -3, L(2026, 11, 30, 17), "negative days is close of receipt"},
  };
  for (const auto& c : cases) {
    const absl::Time got = w.AddWorkingDays(c.received, c.days);
    EXPECT_EQ(got, c.due) << c.why << ": got " << Show(got);
  }
  EXPECT_NE(london_.At(L(2026, 3, 23, 10)).offset, london_.At(L(2026, 4, 15, 17)).offset);
  EXPECT_EQ(L(2027, 3, 30, 17), U(2027, 3, 30, 16));  // BST
}

TEST_F(WorkingTimeTest, AddWorkingDaysToDay) {
  const WorkingTime w = Standard();
  const struct {
    D day;
    int n;
    D want;
  } cases[] = {
      {D(2026, 12, 14), 15, D(2027, 1, 7)},
      {D(2027, 3, 22), 5, D(2027, 3, 31)},    // Good Friday 26, Easter Monday 29 March
      {D(2026, 11, 28), 1, D(2026, 11, 30)},  // from a Saturday
      {D(2026, 11, 27), 1, D(2026, 11, 30)},
      {D(2026, 11, 27), 0, D(2026, 11, 27)},
      {D(2026, 11, 30), -1, D(2026, 11, 27)},
      {D(2027, 1, 7), -15, D(2026, 12, 14)},
      {D(2026, 12, 24), 1, D(2026, 12, 29)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(w.AddWorkingDaysToDay(c.day, c.n), c.want) << c.day << " + " << c.n;
  }
  EXPECT_EQ(w.EndOfWorkingDay(D(2026, 7, 1)), U(2026, 7, 1, 16));  // 17:00 BST
  EXPECT_EQ(w.EndOfWorkingDay(D(2026, 12, 1)), U(2026, 12, 1, 17));
}

TEST_F(WorkingTimeTest, WorkingDurationBetween) {
  const WorkingTime w = Standard();
  const struct {
    absl::Time a;
    absl::Time b;
    absl::Duration want;
    const char* why;
  } cases[] = {
      {L(2026, 11, 27, 16), L(2026, 11, 30, 10), absl::Hours(2), "across a weekend"},
      {L(2026, 11, 24, 10), L(2026, 11, 24, 9), absl::ZeroDuration(), "backwards"},
      {L(2026, 11, 24, 10), L(2026, 11, 24, 10), absl::ZeroDuration(), "empty"},
      {L(2026, 11, 28, 1), L(2026, 11, 29, 23), absl::ZeroDuration(), "all weekend"},
      {L(2026, 11, 23, 0), L(2026, 11, 28, 0), absl::Hours(40), "a whole week"},
      {L(2026, 11, 24, 12, 30), L(2026, 11, 24, 18), absl::Minutes(270), "to after close"},
      {L(2026, 4, 2, 16), L(2026, 4, 7, 10), absl::Hours(2), "across Easter"},
      {L(2026, 3, 27, 9), L(2026, 3, 30, 17), absl::Hours(16), "across the spring change"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(w.WorkingDurationBetween(c.a, c.b), c.want) << c.why;
  }
}

TEST_F(WorkingTimeTest, AddThenMeasureRoundTrips) {
  const WorkingTime w = Standard();
  for (absl::Time start = L(2026, 3, 20, 7); start < L(2026, 4, 10, 0);
       start += absl::Minutes(397)) {
    for (absl::Duration d : {absl::Minutes(1), absl::Hours(3), absl::Hours(8), absl::Hours(41)}) {
      const absl::Time end = w.AddWorkingDuration(start, d);
      EXPECT_EQ(w.WorkingDurationBetween(start, end), d) << Show(start) << " + " << d;
      EXPECT_EQ(w.WorkingDurationBetween(start, end - absl::Seconds(1)), d - absl::Seconds(1))
          << "not the earliest instant: " << Show(start) << " + " << d;
    }
  }
}

TEST_F(WorkingTimeTest, CustomOfficeHours) {
  const WorkingTime w = WithHours("08:00-20:00,Mon-Sat", HolidayCalendar::EnglandAndWales());
  const struct {
    absl::Time start;
    int hours;
    absl::Time want;
    const char* why;
  } cases[] = {
      {L(2026, 11, 27, 19), 2, L(2026, 11, 28, 9), "Friday evening into Saturday"},
      {L(2026, 11, 28, 19), 2, L(2026, 11, 30, 9), "Saturday skips Sunday"},
      {L(2026, 11, 24, 7), 12, L(2026, 11, 24, 20), "a whole day ends on close"},
      {L(2026, 8, 29, 19), 2, L(2026, 9, 1, 9), "skips Sunday and the bank holiday"},
  };
  for (const auto& c : cases) {
    const absl::Time got = w.AddWorkingHours(c.start, c.hours);
    EXPECT_EQ(got, c.want) << c.why << ": got " << Show(got);
  }
  EXPECT_TRUE(w.IsWorkingMoment(L(2026, 11, 28, 19, 59)));
  EXPECT_EQ(w.NextWorkingMoment(L(2026, 11, 29, 12)), L(2026, 11, 30, 8));
  EXPECT_EQ(w.AddWorkingDays(L(2026, 11, 27, 12), 1), L(2026, 11, 28, 20));
  // Saturday is a working day here, so from its evening Monday (not Sunday) is day 1.
  EXPECT_EQ(w.AddWorkingDays(L(2026, 11, 28, 21), 1), L(2026, 11, 30, 20));
}

TEST_F(WorkingTimeTest, NoWorkingTimeDoesNotHang) {
  OfficeHours none;
  none.working_days.fill(false);
  OfficeHours backwards;
  backwards.open_minute = 17 * 60;
  backwards.close_minute = 9 * 60;
  for (const OfficeHours& hours : {none, backwards}) {
    const WorkingTime w(HolidayCalendar::EnglandAndWales(), hours, london_);
    const absl::Time t = L(2026, 11, 24, 10);
    EXPECT_FALSE(w.IsWorkingMoment(t));
    EXPECT_EQ(w.NextWorkingMoment(t), absl::InfiniteFuture());
    EXPECT_EQ(w.StartOfNextWorkingDay(t), absl::InfiniteFuture());
    EXPECT_EQ(w.AddWorkingHours(t, 2), absl::InfiniteFuture());
    EXPECT_EQ(w.AddWorkingDays(t, 2), absl::InfiniteFuture());
    EXPECT_EQ(w.AddWorkingDaysToDay(D(2026, 11, 24), 2), (D::max)());
    EXPECT_EQ(w.WorkingDurationBetween(t, t + absl::Hours(24 * 365)), absl::ZeroDuration());
  }
}

TEST_F(WorkingTimeTest, InfiniteInputs) {
  const WorkingTime w = Standard();
  EXPECT_EQ(w.NextWorkingMoment(absl::InfiniteFuture()), absl::InfiniteFuture());
  EXPECT_EQ(w.AddWorkingDuration(L(2026, 11, 24, 10), absl::InfiniteDuration()),
            absl::InfiniteFuture());
  EXPECT_EQ(w.WorkingDurationBetween(L(2026, 11, 24, 10), absl::InfiniteFuture()),
            absl::InfiniteDuration());
  EXPECT_EQ(w.WorkingDurationBetween(absl::InfinitePast(), L(2026, 11, 24, 10)),
            absl::InfiniteDuration());
}

}  // namespace
}  // namespace pdps::calendar
