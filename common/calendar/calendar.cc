// Bank holiday rules, office hours parsing and working-time arithmetic in London civil time.
#include "common/calendar/calendar.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace pdps::calendar {
namespace {

// Working-day walks stop after this many days in total, so that an absurd duration or
// day count cannot keep a caller busy for long (a century is far beyond any deadline).
constexpr int kMaxHorizonDays = 100 * 366;

// Outside these years the Gregorian rules (and int arithmetic on the year) mean nothing.
constexpr int64_t kFirstRuleYear = 1583;
constexpr int64_t kLastRuleYear = 9999;

int WeekdayIndex(absl::CivilDay day) {
  // absl::Weekday counts from Monday = 0, as OfficeHours::working_days does.
  return static_cast<int>(absl::GetWeekday(day));
}

bool IsWeekend(absl::CivilDay day) { return WeekdayIndex(day) >= 5; }

absl::CivilDay NextWeekday(absl::CivilDay day) {
  while (IsWeekend(day)) ++day;
  return day;
}

absl::CivilDay FirstMonday(int year, int month) {
  return absl::NextWeekday(absl::CivilDay(year, month, 1) - 1, absl::Weekday::monday);
}

absl::CivilDay LastMonday(int year, int month) {
  const absl::CivilDay first_of_next(absl::CivilMonth(year, month) + 1);
  return absl::PrevWeekday(first_of_next, absl::Weekday::monday);
}

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// Strict YYYY-MM-DD: absl::ParseCivilTime would also take other forms, and an operator
// typo such as 2027-02-30 must not silently become 2 March.
bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int fields[3] = {0, 0, 0};
  const std::pair<int, int> spans[3] = {{0, 4}, {5, 2}, {8, 2}};
  for (int i = 0; i < 3; ++i) {
    for (int j = spans[i].first; j < spans[i].first + spans[i].second; ++j) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(text[j]))) return false;
      fields[i] = fields[i] * 10 + (text[j] - '0');
    }
  }
  const absl::CivilDay parsed(fields[0], fields[1], fields[2]);
  if (parsed.year() != fields[0] || parsed.month() != fields[1] || parsed.day() != fields[2]) {
    return false;
  }
  *day = parsed;
  return true;
}

bool InCoveredYears(absl::CivilDay day) {
  return day.year() >= kFirstYear && day.year() <= kLastYear;
}

// Rule holidays for the covered years, built once and shared by every calendar copy so
// that lookups in working-day loops are a map find rather than a recomputation.
const std::map<absl::CivilDay, std::string>& RuleTable() {
  static const auto* const table = [] {
    auto* t = new std::map<absl::CivilDay, std::string>;
    for (int year = kFirstYear; year <= kLastYear; ++year) {
      for (auto& h : RuleHolidays(year)) t->emplace(h.day, std::move(h.name));
    }
    return t;
  }();
  return *table;
}

// One-off changes to the England & Wales rules since 1990, as gov.uk names them.
const HolidayChange kKnownChanges[] = {
    {absl::CivilDay(1995, 5, 1), false, "Early May bank holiday (moved to VE Day)"},
    {absl::CivilDay(1995, 5, 8), true, "Early May bank holiday (VE Day)"},
    {absl::CivilDay(1999, 12, 31), true, "Millennium celebrations"},
    {absl::CivilDay(2002, 5, 27), false, "Spring bank holiday (moved for Golden Jubilee)"},
    {absl::CivilDay(2002, 6, 3), true, "Queen's Golden Jubilee"},
    {absl::CivilDay(2002, 6, 4), true, "Spring bank holiday"},
    {absl::CivilDay(2011, 4, 29), true, "Royal wedding"},
    {absl::CivilDay(2012, 5, 28), false, "Spring bank holiday (moved for Diamond Jubilee)"},
    {absl::CivilDay(2012, 6, 4), true, "Spring bank holiday"},
    {absl::CivilDay(2012, 6, 5), true, "Queen's Diamond Jubilee"},
    {absl::CivilDay(2020, 5, 4), false, "Early May bank holiday (moved to VE day)"},
    {absl::CivilDay(2020, 5, 8), true, "Early May bank holiday (VE day)"},
    {absl::CivilDay(2022, 5, 30), false, "Spring bank holiday (moved for Platinum Jubilee)"},
    {absl::CivilDay(2022, 6, 2), true, "Spring bank holiday"},
    {absl::CivilDay(2022, 6, 3), true, "Platinum Jubilee bank holiday"},
    {absl::CivilDay(2022, 9, 19), true, "Bank Holiday for the State Funeral of Queen Elizabeth II"},
    {absl::CivilDay(2023, 5, 8), true, "Bank holiday for the coronation of King Charles III"},
};

const char* const kDayNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int DayIndex(absl::string_view name) {
  for (int i = 0; i < 7; ++i) {
    if (absl::EqualsIgnoreCase(name, kDayNames[i])) return i;
  }
  return -1;
}

// "HH:MM" with 24:00 allowed so that an office can close at midnight.
bool ParseClock(absl::string_view text, int* minute) {
  if (text.size() != 5 || text[2] != ':') return false;
  for (int i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
  *minute = h * 60 + m;
  return true;
}

std::string FormatClock(int minute) {
  return absl::StrFormat("%02d:%02d", minute / 60, minute % 60);
}

absl::TimeZone LondonOrDie() {
  absl::StatusOr<absl::TimeZone> tz = WorkingTime::London();
  if (!tz.ok()) {
    std::fprintf(stderr, "pdps::calendar: %s\n", std::string(tz.status().message()).c_str());
    std::abort();
  }
  return *tz;
}

}  // namespace

absl::CivilDay EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, month, day);
}

std::vector<Holiday> RuleHolidays(int year) {
  const absl::CivilDay new_year(year, 1, 1);
  const absl::CivilDay easter = EasterSunday(year);
  std::vector<Holiday> out = {
      {NextWeekday(new_year),
       IsWeekend(new_year) ? "New Year's Day (substitute day)" : "New Year's Day"},
      {easter - 2, "Good Friday"},
      {easter + 1, "Easter Monday"},
      {FirstMonday(year, 5), "Early May bank holiday"},
      {LastMonday(year, 5), "Spring bank holiday"},
      {LastMonday(year, 8), "Summer bank holiday"},
  };
  // Christmas and Boxing Day each need a weekday of their own; one on a weekend moves
  // to the first weekday the other has not taken.
  const absl::CivilDay christmas(year, 12, 25);
  const absl::CivilDay boxing = christmas + 1;
  switch (WeekdayIndex(christmas)) {
    case 4:  // Friday: Boxing Day on Saturday moves to Monday 28.
      out.push_back({christmas, "Christmas Day"});
      out.push_back({christmas + 3, "Boxing Day (substitute day)"});
      break;
    case 5:  // Saturday: Monday 27 and Tuesday 28.
      out.push_back({christmas + 2, "Christmas Day (substitute day)"});
      out.push_back({christmas + 3, "Boxing Day (substitute day)"});
      break;
    case 6:  // Sunday: Boxing Day keeps Monday 26, Christmas moves to Tuesday 27.
      out.push_back({boxing, "Boxing Day"});
      out.push_back({christmas + 2, "Christmas Day (substitute day)"});
      break;
    default:
      out.push_back({christmas, "Christmas Day"});
      out.push_back({boxing, "Boxing Day"});
      break;
  }
  std::sort(out.begin(), out.end(),
            [](const Holiday& x, const Holiday& y) { return x.day < y.day; });
  return out;
}

HolidayCalendar HolidayCalendar::EnglandAndWales() {
  HolidayCalendar calendar;
  calendar.rules_ = true;
  for (const HolidayChange& change : kKnownChanges) {
    // The table is fixed and tested; a failure here would be a bug in it, and leaving
    // the rule day in place is the least surprising fallback.
    (void)calendar.AddChange(change);
  }
  return calendar;
}

bool HolidayCalendar::IsRuleHoliday(absl::CivilDay day) const {
  if (!rules_) return false;
  if (InCoveredYears(day)) return RuleTable().count(day) > 0;
  if (day.year() < kFirstRuleYear || day.year() > kLastRuleYear) return false;
  for (const Holiday& h : RuleHolidays(static_cast<int>(day.year()))) {
    if (h.day == day) return true;
  }
  return false;
}

absl::Status HolidayCalendar::AddChange(const HolidayChange& change) {
  const std::string day = FormatDay(change.day);
  if (!InCoveredYears(change.day)) {
    return absl::InvalidArgumentError(absl::StrCat("holiday change ", day,
                                                   " is outside the years covered (", kFirstYear,
                                                   "..", kLastYear, ")"));
  }
  if (change.holiday) {
    if (absl::StripAsciiWhitespace(change.name).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("holiday change adding ", day, " needs a name"));
    }
    removed_.erase(change.day);
    added_[change.day] = change.name;
    return absl::OkStatus();
  }
  const bool was_added = added_.erase(change.day) > 0;
  if (IsRuleHoliday(change.day)) {
    removed_.insert(change.day);
  } else if (!was_added && removed_.count(change.day) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("holiday change removes ", day, ", which is not a bank holiday"));
  }
  return absl::OkStatus();
}

bool HolidayCalendar::IsBankHoliday(absl::CivilDay day) const {
  if (added_.count(day) > 0) return true;
  return removed_.count(day) == 0 && IsRuleHoliday(day);
}

std::vector<Holiday> HolidayCalendar::HolidaysInYear(int year) const {
  std::vector<Holiday> out;
  if (rules_ && year >= kFirstRuleYear && year <= kLastRuleYear) {
    for (Holiday& h : RuleHolidays(year)) {
      if (removed_.count(h.day) == 0 && added_.count(h.day) == 0) out.push_back(std::move(h));
    }
  }
  for (auto it = added_.lower_bound(absl::CivilDay(year, 1, 1));
       it != added_.end() && it->first.year() == year; ++it) {
    out.push_back({it->first, it->second});
  }
  std::sort(out.begin(), out.end(),
            [](const Holiday& x, const Holiday& y) { return x.day < y.day; });
  return out;
}

absl::StatusOr<std::vector<HolidayChange>> HolidayCalendar::ParseChanges(absl::string_view text) {
  std::vector<HolidayChange> out;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const auto bad = [line_number](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("holiday changes line ", line_number, ": ", why));
    };
    line = absl::StripAsciiWhitespace(line);  // also drops a Windows '\r'
    if (line.empty() || line[0] == '#') continue;

    std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits(',', 2));
    if (fields.size() < 2) {
      return bad(absl::StrCat("\"", line, "\" is not YYYY-MM-DD,add|remove,Name"));
    }
    HolidayChange change;
    const absl::string_view date = absl::StripAsciiWhitespace(fields[0]);
    if (!ParseDay(date, &change.day)) {
      return bad(absl::StrCat("\"", date, "\" is not a date in YYYY-MM-DD form"));
    }
    if (!InCoveredYears(change.day)) {
      return bad(
          absl::StrCat(date, " is outside the years covered (", kFirstYear, "..", kLastYear, ")"));
    }
    const absl::string_view action = absl::StripAsciiWhitespace(fields[1]);
    if (absl::EqualsIgnoreCase(action, "add")) {
      change.holiday = true;
    } else if (absl::EqualsIgnoreCase(action, "remove")) {
      change.holiday = false;
    } else {
      return bad(absl::StrCat("action \"", action, "\" must be add or remove"));
    }
    if (fields.size() == 3) change.name = std::string(absl::StripAsciiWhitespace(fields[2]));
    if (change.holiday && change.name.empty()) {
      return bad(absl::StrCat("adding ", date, " needs a name"));
    }
    out.push_back(std::move(change));
  }
  return out;
}

absl::Status HolidayCalendar::LoadChangesFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return absl::NotFoundError(absl::StrCat("holiday changes file ", path, " not found"));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  if (!in || in.bad()) {
    return absl::FailedPreconditionError(
        absl::StrCat("holiday changes file ", path, " cannot be read"));
  }
  absl::StatusOr<std::vector<HolidayChange>> changes = ParseChanges(contents.str());
  if (!changes.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", changes.status().message()));
  }
  HolidayCalendar updated = *this;
  for (const HolidayChange& change : *changes) {
    absl::Status status = updated.AddChange(change);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", status.message()));
    }
  }
  *this = std::move(updated);
  return absl::OkStatus();
}

absl::Status OfficeHours::Validate() const {
  if (open_minute < 0 || open_minute > 24 * 60 || close_minute < 0 || close_minute > 24 * 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("office hours must lie within 0..1440 minutes of midnight, got open ",
                     open_minute, " and close ", close_minute));
  }
  if (open_minute >= close_minute) {
    return absl::InvalidArgumentError(
        absl::StrCat("office hours open at ", FormatClock(open_minute), " but close at ",
                     FormatClock(close_minute), "; opening must come first"));
  }
  if (std::none_of(working_days.begin(), working_days.end(), [](bool b) { return b; })) {
    return absl::InvalidArgumentError("office hours need at least one working day");
  }
  return absl::OkStatus();
}

absl::StatusOr<OfficeHours> OfficeHours::Parse(absl::string_view text) {
  const auto bad = [text](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "office hours \"", text, "\": ", why,
        " (want e.g. \"09:00-17:00\", \"08:00-20:00,Mon-Sat\" or \"09:00-17:00,Mon,Wed\")"));
  };
  OfficeHours hours;
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  const std::vector<absl::string_view> times =
      absl::StrSplit(absl::StripAsciiWhitespace(parts[0]), '-');
  if (times.size() != 2) return bad("times must be HH:MM-HH:MM");
  if (!ParseClock(absl::StripAsciiWhitespace(times[0]), &hours.open_minute)) {
    return bad(absl::StrCat("opening time \"", times[0], "\" is not HH:MM"));
  }
  if (!ParseClock(absl::StripAsciiWhitespace(times[1]), &hours.close_minute)) {
    return bad(absl::StrCat("closing time \"", times[1], "\" is not HH:MM"));
  }
  if (parts.size() > 1) {
    hours.working_days.fill(false);
    for (size_t i = 1; i < parts.size(); ++i) {
      const absl::string_view item = absl::StripAsciiWhitespace(parts[i]);
      if (item.empty()) return bad("empty day in the list");
      const std::vector<absl::string_view> range = absl::StrSplit(item, '-');
      if (range.size() > 2) return bad(absl::StrCat("\"", item, "\" is not a day or range"));
      const int from = DayIndex(absl::StripAsciiWhitespace(range.front()));
      const int to = DayIndex(absl::StripAsciiWhitespace(range.back()));
      if (from < 0 || to < 0) {
        return bad(absl::StrCat("\"", item, "\" is not a day (Mon..Sun) or range of days"));
      }
      if (to < from) {
        return bad(absl::StrCat("day range \"", item, "\" runs backwards; weeks run Mon..Sun"));
      }
      for (int d = from; d <= to; ++d) hours.working_days[d] = true;
    }
  }
  if (absl::Status status = hours.Validate(); !status.ok()) return bad(status.message());
  return hours;
}

std::string OfficeHours::ToString() const {
  std::string out = absl::StrCat(FormatClock(open_minute), "-", FormatClock(close_minute));
  for (int d = 0; d < 7;) {
    if (!working_days[d]) {
      ++d;
      continue;
    }
    int end = d;
    while (end + 1 < 7 && working_days[end + 1]) ++end;
    absl::StrAppend(&out, ",", kDayNames[d]);
    if (end > d) absl::StrAppend(&out, "-", kDayNames[end]);
    d = end + 1;
  }
  return out;
}

WorkingTime::WorkingTime(const HolidayCalendar& holidays, const OfficeHours& hours)
    : WorkingTime(holidays, hours, LondonOrDie()) {}

WorkingTime::WorkingTime(const HolidayCalendar& holidays, const OfficeHours& hours,
                         absl::TimeZone tz)
    : holidays_(holidays), hours_(hours), hours_valid_(hours.Validate().ok()), tz_(tz) {}

absl::StatusOr<WorkingTime> WorkingTime::Create(const HolidayCalendar& holidays,
                                                const OfficeHours& hours) {
  if (absl::Status status = hours.Validate(); !status.ok()) return status;
  absl::StatusOr<absl::TimeZone> tz = London();
  if (!tz.ok()) return tz.status();
  return WorkingTime(holidays, hours, *tz);
}

absl::StatusOr<absl::TimeZone> WorkingTime::London() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/London", &tz)) {
    return absl::FailedPreconditionError("time zone Europe/London not found; install tzdata");
  }
  return tz;
}

absl::Time WorkingTime::At(absl::CivilDay day, int minute) const {
  // Via CivilMinute so that 24:00 becomes the next midnight; in a skipped or repeated
  // hour FromCivil picks the instant using the offset in force before the change.
  return absl::FromCivil(absl::CivilMinute(day) + minute, tz_);
}

bool WorkingTime::IsWorkingDay(absl::CivilDay day) const {
  return hours_valid_ && hours_.working_days[WeekdayIndex(day)] && !holidays_.IsBankHoliday(day);
}

bool WorkingTime::IsWorkingMoment(absl::Time t) const {
  const absl::CivilDay day = absl::ToCivilDay(t, tz_);
  return IsWorkingDay(day) && t >= Open(day) && t < Close(day);
}

absl::Time WorkingTime::NextWorkingMoment(absl::Time t) const {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return t;
  absl::CivilDay day = absl::ToCivilDay(t, tz_);
  for (int i = 0; i <= kMaxIdleDays; ++i, ++day) {
    if (!IsWorkingDay(day)) continue;
    const absl::Time open = Open(day);
    if (t < open) return open;
    if (t < Close(day)) return t;
  }
  return absl::InfiniteFuture();
}

absl::Time WorkingTime::AddWorkingDuration(absl::Time start, absl::Duration d) const {
  if (d <= absl::ZeroDuration()) return start;
  if (start == absl::InfiniteFuture() || start == absl::InfinitePast()) return start;
  if (d == absl::InfiniteDuration()) return absl::InfiniteFuture();
  absl::Time t = NextWorkingMoment(start);
  for (int i = 0; i < kMaxHorizonDays && t != absl::InfiniteFuture(); ++i) {
    const absl::Time close = Close(absl::ToCivilDay(t, tz_));
    // `<=` so that a sum ending exactly at close stays on this day.
    if (d <= close - t) return t + d;
    d -= close - t;
    t = NextWorkingMoment(close);
  }
  return absl::InfiniteFuture();
}

absl::CivilDay WorkingTime::AddWorkingDaysToDay(absl::CivilDay day, int n) const {
  const int step = n >= 0 ? 1 : -1;
  int remaining = n >= 0 ? n : -n;
  int idle = 0;
  for (int i = 0; remaining > 0; ++i) {
    if (idle > kMaxIdleDays || i > kMaxHorizonDays) {
      return step > 0 ? (absl::CivilDay::max)() : (absl::CivilDay::min)();
    }
    day += step;
    if (IsWorkingDay(day)) {
      --remaining;
      idle = 0;
    } else {
      ++idle;
    }
  }
  return day;
}

absl::Time WorkingTime::EndOfWorkingDay(absl::CivilDay day) const { return Close(day); }

absl::Time WorkingTime::AddWorkingDays(absl::Time start, int days) const {
  if (start == absl::InfiniteFuture() || start == absl::InfinitePast()) return start;
  if (!hours_valid_) return absl::InfiniteFuture();
  if (days <= 0) {
    const absl::Time receipt = NextWorkingMoment(start);
    if (receipt == absl::InfiniteFuture()) return receipt;
    return EndOfWorkingDay(absl::ToCivilDay(receipt, tz_));
  }
  // Day 1 is the first working day after the day of `start`, whatever the hour.
  const absl::CivilDay due = AddWorkingDaysToDay(absl::ToCivilDay(start, tz_), days);
  if (due == (absl::CivilDay::max)()) return absl::InfiniteFuture();
  return EndOfWorkingDay(due);
}

absl::Duration WorkingTime::WorkingDurationBetween(absl::Time a, absl::Time b) const {
  if (b <= a) return absl::ZeroDuration();
  // Valid hours give some working time every week, so an unbounded window holds
  // unbounded working time.
  if (a == absl::InfinitePast()) {
    return hours_valid_ ? absl::InfiniteDuration() : absl::ZeroDuration();
  }
  absl::Time t = NextWorkingMoment(a);
  if (t >= b) return absl::ZeroDuration();
  if (b == absl::InfiniteFuture()) return absl::InfiniteDuration();
  absl::Duration total = absl::ZeroDuration();
  for (int i = 0; i < kMaxHorizonDays && t < b; ++i) {
    const absl::Time close = Close(absl::ToCivilDay(t, tz_));
    total += std::min(close, b) - t;
    t = NextWorkingMoment(close);
  }
  return total;
}

absl::Time WorkingTime::StartOfNextWorkingDay(absl::Time t) const {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return t;
  absl::CivilDay day = absl::ToCivilDay(t, tz_);
  for (int i = 0; i <= kMaxIdleDays; ++i) {
    ++day;
    if (IsWorkingDay(day)) return Open(day);
  }
  return absl::InfiniteFuture();
}

}  // namespace pdps::calendar
