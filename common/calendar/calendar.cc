// Working-time calendar.
#include "common/calendar/calendar.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace pdps::calendar {
namespace {

// Loops scan at most this many days, so a bad calendar cannot hang a caller.
constexpr int kMaxScanDays = 2000;

int WeekdayIndex(absl::CivilDay d) {
  switch (absl::GetWeekday(d)) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

bool IsWeekend(absl::CivilDay d) { return WeekdayIndex(d) >= 5; }

absl::CivilDay FirstMonday(int year, int month) {
  absl::CivilDay d(year, month, 1);
  while (WeekdayIndex(d) != 0) ++d;
  return d;
}

absl::CivilDay LastMonday(int year, int month) {
  absl::CivilDay d = absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
  while (WeekdayIndex(d) != 0) --d;
  return d;
}

// The next weekday not already taken, for substitute days.
absl::CivilDay Substitute(absl::CivilDay d, const std::vector<Holiday>& taken) {
  auto is_taken = [&](absl::CivilDay x) {
    return std::any_of(taken.begin(), taken.end(), [&](const Holiday& h) { return h.day == x; });
  };
  while (IsWeekend(d) || is_taken(d)) ++d;
  return d;
}

const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int DayIndex(absl::string_view name) {
  std::string n = absl::AsciiStrToLower(name);
  for (int i = 0; i < 7; ++i) {
    if (n == kDays[i]) return i;
  }
  return -1;
}

bool ParseClock(absl::string_view s, int* minute) {
  std::vector<absl::string_view> hm = absl::StrSplit(s, ':');
  int h = 0, m = 0;
  if (hm.size() != 2 || hm[0].size() != 2 || hm[1].size() != 2 || !absl::SimpleAtoi(hm[0], &h) ||
      !absl::SimpleAtoi(hm[1], &m) || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
    return false;
  }
  *minute = h * 60 + m;
  return true;
}

}  // namespace

absl::CivilDay EasterSunday(int year) {
  int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = ((h + l - 7 * m + 114) % 31) + 1;
  return absl::CivilDay(year, month, day);
}

std::vector<Holiday> RuleHolidays(int year) {
  std::vector<Holiday> out;
  absl::CivilDay ny(year, 1, 1);
  out.push_back({IsWeekend(ny) ? Substitute(ny, out) : ny, "New Year's Day"});
  absl::CivilDay easter = EasterSunday(year);
  out.push_back({easter - 2, "Good Friday"});
  out.push_back({easter + 1, "Easter Monday"});
  out.push_back({FirstMonday(year, 5), "Early May bank holiday"});
  out.push_back({LastMonday(year, 5), "Spring bank holiday"});
  out.push_back({LastMonday(year, 8), "Summer bank holiday"});
  // Christmas first, then Boxing Day, each moved to the next free weekday.
  absl::CivilDay xmas(year, 12, 25);
  absl::CivilDay xmas_day = IsWeekend(xmas) ? Substitute(xmas, out) : xmas;
  absl::CivilDay boxing(year, 12, 26);
  if (WeekdayIndex(xmas) == 6) {
    // Christmas on Sunday: Boxing Day (Monday) keeps its day, Christmas moves to Tuesday.
    out.push_back({boxing, "Boxing Day"});
    out.push_back({absl::CivilDay(year, 12, 27), "Christmas Day (substitute day)"});
  } else {
    out.push_back({xmas_day, xmas_day == xmas ? "Christmas Day" : "Christmas Day (substitute day)"});
    absl::CivilDay box = IsWeekend(boxing) || boxing == xmas_day ? Substitute(boxing, out) : boxing;
    out.push_back({box, box == boxing ? "Boxing Day" : "Boxing Day (substitute day)"});
  }
  std::sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
  return out;
}

HolidayCalendar HolidayCalendar::EnglandAndWales() {
  HolidayCalendar c;
  const HolidayChange known[] = {
      {absl::CivilDay(1995, 5, 1), false, "Early May bank holiday (moved)"},
      {absl::CivilDay(1995, 5, 8), true, "VE Day 50th anniversary"},
      {absl::CivilDay(1999, 12, 31), true, "Millennium celebrations"},
      {absl::CivilDay(2002, 5, 27), false, "Spring bank holiday (moved)"},
      {absl::CivilDay(2002, 6, 3), true, "Golden Jubilee"},
      {absl::CivilDay(2002, 6, 4), true, "Spring bank holiday"},
      {absl::CivilDay(2011, 4, 29), true, "Royal wedding"},
      {absl::CivilDay(2012, 5, 28), false, "Spring bank holiday (moved)"},
      {absl::CivilDay(2012, 6, 4), true, "Spring bank holiday"},
      {absl::CivilDay(2012, 6, 5), true, "Diamond Jubilee"},
      {absl::CivilDay(2020, 5, 4), false, "Early May bank holiday (moved)"},
      {absl::CivilDay(2020, 5, 8), true, "Early May bank holiday (VE day)"},
      {absl::CivilDay(2022, 5, 30), false, "Spring bank holiday (moved)"},
      {absl::CivilDay(2022, 6, 2), true, "Spring bank holiday"},
      {absl::CivilDay(2022, 6, 3), true, "Platinum Jubilee"},
      {absl::CivilDay(2022, 9, 19), true, "State Funeral of Queen Elizabeth II"},
      {absl::CivilDay(2023, 5, 8), true, "Coronation of King Charles III"},
  };
  for (const auto& k : known) (void)c.AddChange(k);
  return c;
}

absl::Status HolidayCalendar::AddChange(const HolidayChange& ch) {
  if (ch.holiday) {
    removed_.erase(ch.day);
    added_[ch.day] = ch.name;
  } else {
    added_.erase(ch.day);
    removed_[ch.day] = true;
  }
  return absl::OkStatus();
}

bool HolidayCalendar::IsBankHoliday(absl::CivilDay day) const {
  if (added_.count(day) > 0) return true;
  if (removed_.count(day) > 0) return false;
  for (const auto& h : RuleHolidays(static_cast<int>(day.year()))) {
    if (h.day == day) return true;
  }
  return false;
}

std::vector<Holiday> HolidayCalendar::HolidaysInYear(int year) const {
  std::vector<Holiday> out;
  for (auto& h : RuleHolidays(year)) {
    if (removed_.count(h.day) == 0 && added_.count(h.day) == 0) out.push_back(h);
  }
  for (const auto& [day, name] : added_) {
    if (day.year() == year) out.push_back({day, name});
  }
  std::sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
  return out;
}

absl::StatusOr<std::vector<HolidayChange>> HolidayCalendar::ParseChanges(absl::string_view text) {
  std::vector<HolidayChange> out;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(',', 2));
    absl::CivilDay day;
    if (f.size() != 3 || !absl::ParseCivilTime(absl::StripAsciiWhitespace(f[0]), &day)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "calendar changes line ", line_no, ": expected YYYY-MM-DD,add|remove,Name"));
    }
    std::string verb = absl::AsciiStrToLower(absl::StripAsciiWhitespace(f[1]));
    if (verb != "add" && verb != "remove") {
      return absl::InvalidArgumentError(
          absl::StrCat("calendar changes line ", line_no, ": second field must be add or remove"));
    }
    out.push_back({day, verb == "add", std::string(absl::StripAsciiWhitespace(f[2]))});
  }
  return out;
}

absl::Status HolidayCalendar::LoadChangesFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("calendar changes file ", path, " not found"));
  std::stringstream ss;
  ss << in.rdbuf();
  auto changes = ParseChanges(ss.str());
  if (!changes.ok()) return changes.status();
  for (const auto& c : *changes) {
    auto st = AddChange(c);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status OfficeHours::Validate() const {
  if (open_minute < 0 || close_minute > 24 * 60 || open_minute >= close_minute) {
    return absl::InvalidArgumentError("office hours must open before they close, within the day");
  }
  if (std::none_of(working_days.begin(), working_days.end(), [](bool b) { return b; })) {
    return absl::InvalidArgumentError("office hours need at least one working day");
  }
  return absl::OkStatus();
}

absl::StatusOr<OfficeHours> OfficeHours::Parse(absl::string_view text) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "office hours \"", text, "\": ", why,
        " (expected e.g. \"09:00-17:00\" or \"08:00-20:00,Mon-Sat\" or \"09:00-17:00,Mon,Wed\")"));
  };
  OfficeHours h;
  std::vector<absl::string_view> parts = absl::StrSplit(text, ',');
  std::vector<absl::string_view> times = absl::StrSplit(parts[0], '-');
  if (times.size() != 2 || !ParseClock(absl::StripAsciiWhitespace(times[0]), &h.open_minute) ||
      !ParseClock(absl::StripAsciiWhitespace(times[1]), &h.close_minute)) {
    return bad("times must be HH:MM-HH:MM");
  }
  if (parts.size() > 1) {
    h.working_days.fill(false);
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view p = absl::StripAsciiWhitespace(parts[i]);
      std::vector<absl::string_view> range = absl::StrSplit(p, '-');
      int from = DayIndex(range[0]);
      int to = range.size() == 2 ? DayIndex(range[1]) : from;
      if (range.size() > 2 || from < 0 || to < 0 || to < from) return bad("unknown day list");
      for (int d = from; d <= to; ++d) h.working_days[d] = true;
    }
  }
  auto st = h.Validate();
  if (!st.ok()) return bad(st.message());
  return h;
}

WorkingTime::WorkingTime(HolidayCalendar holidays, OfficeHours hours, absl::TimeZone tz)
    : holidays_(std::move(holidays)), hours_(hours), tz_(tz) {}

absl::StatusOr<absl::TimeZone> WorkingTime::London() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone("Europe/London", &tz)) {
    return absl::FailedPreconditionError("time zone Europe/London not found: install tzdata");
  }
  return tz;
}

int WorkingTime::Weekday(absl::CivilDay day) const { return WeekdayIndex(day); }

absl::Time WorkingTime::At(absl::CivilDay day, int minute) const {
  return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), minute / 60,
                                           minute % 60),
                         tz_);
}

bool WorkingTime::IsWorkingDay(absl::CivilDay day) const {
  return hours_.working_days[Weekday(day)] && !holidays_.IsBankHoliday(day);
}

bool WorkingTime::IsWorkingMoment(absl::Time t) const {
  absl::CivilDay day = absl::ToCivilDay(t, tz_);
  return IsWorkingDay(day) && t >= At(day, hours_.open_minute) && t < At(day, hours_.close_minute);
}

absl::Time WorkingTime::NextWorkingMoment(absl::Time t) const {
  absl::CivilDay day = absl::ToCivilDay(t, tz_);
  for (int i = 0; i < kMaxScanDays; ++i, ++day) {
    if (!IsWorkingDay(day)) continue;
    absl::Time open = At(day, hours_.open_minute);
    absl::Time close = At(day, hours_.close_minute);
    if (t < open) return open;
    if (t < close) return t;
  }
  return absl::InfiniteFuture();
}

absl::Time WorkingTime::AddWorkingDuration(absl::Time start, absl::Duration d) const {
  if (d <= absl::ZeroDuration()) return start;
  absl::Time t = NextWorkingMoment(start);
  for (int i = 0; i < kMaxScanDays && t != absl::InfiniteFuture(); ++i) {
    absl::CivilDay day = absl::ToCivilDay(t, tz_);
    absl::Time close = At(day, hours_.close_minute);
    if (t + d <= close) return t + d;
    d -= close - t;
    t = NextWorkingMoment(close);
  }
  return absl::InfiniteFuture();
}

absl::CivilDay WorkingTime::AddWorkingDaysToDay(absl::CivilDay day, int n) const {
  for (int i = 0; i < kMaxScanDays && n > 0; ++i) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

absl::Time WorkingTime::EndOfWorkingDay(absl::CivilDay day) const {
  return At(day, hours_.close_minute);
}

absl::Time WorkingTime::AddWorkingDays(absl::Time start, int days) const {
  return EndOfWorkingDay(AddWorkingDaysToDay(absl::ToCivilDay(start, tz_), days));
}

absl::Duration WorkingTime::WorkingDurationBetween(absl::Time a, absl::Time b) const {
  absl::Duration total;
  absl::Time t = NextWorkingMoment(a);
  for (int i = 0; i < kMaxScanDays && t < b; ++i) {
    absl::Time close = At(absl::ToCivilDay(t, tz_), hours_.close_minute);
    total += std::min(close, b) - t;
    t = NextWorkingMoment(close);
  }
  return total;
}

absl::Time WorkingTime::StartOfNextWorkingDay(absl::Time t) const {
  absl::CivilDay day = absl::ToCivilDay(t, tz_);
  for (int i = 0; i < kMaxScanDays; ++i) {
    ++day;
    if (IsWorkingDay(day)) return At(day, hours_.open_minute);
  }
  return absl::InfiniteFuture();
}

}  // namespace pdps::calendar
