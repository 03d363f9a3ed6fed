// Working time for deadlines: E&W bank holidays, office hours and Europe/London civil time.
#pragma once

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace pdps::calendar {

// The years the holiday rules and the built-in table of one-off changes are kept
// right for. Outside them the rules are still applied, as a best guess.
inline constexpr int kFirstYear = 1990;
inline constexpr int kLastYear = 2100;

struct Holiday {
  absl::CivilDay day;
  std::string name;
};

// A one-off change to the holidays the rules give: `holiday` true adds `day`, false
// removes it. Governments move holidays, so a move is a remove plus an add.
struct HolidayChange {
  absl::CivilDay day;
  bool holiday = true;
  std::string name;
};

// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm).
absl::CivilDay EasterSunday(int year);

// The eight holidays the England & Wales rules give for `year`, with substitute days,
// before any one-off change. Sorted by day.
std::vector<Holiday> RuleHolidays(int year);

// Bank holidays. Cheap to copy: the rule-derived days live in a shared static table.
class HolidayCalendar {
 public:
  // A calendar with no holidays at all, for places the E&W rules don't apply and tests.
  HolidayCalendar() = default;

  // The England & Wales rules plus every one-off change made since 1990.
  static HolidayCalendar EnglandAndWales();

  // Later changes win over earlier ones for the same day. Fails (and changes nothing)
  // for a day outside kFirstYear..kLastYear, an add without a name, or a remove of a
  // day that is not a holiday, as those are operator mistakes. Removing a day twice is
  // fine so that a changes file can be loaded again.
  absl::Status AddChange(const HolidayChange& change);

  bool IsBankHoliday(absl::CivilDay day) const;
  // Sorted by day.
  std::vector<Holiday> HolidaysInYear(int year) const;

  // Parses an operator-maintained file: one `YYYY-MM-DD,add|remove,Name` a line (the
  // name may contain commas and is optional for remove); lines starting with '#' and
  // blank lines are skipped. A bad line gives InvalidArgument naming it.
  static absl::StatusOr<std::vector<HolidayChange>> ParseChanges(absl::string_view text);

  // Reads and applies such a file; all or nothing, so a bad file leaves the calendar as
  // it was. NotFound if the file does not exist.
  absl::Status LoadChangesFile(const std::string& path);

 private:
  bool IsRuleHoliday(absl::CivilDay day) const;

  bool rules_ = false;  // whether the E&W rules apply
  std::map<absl::CivilDay, std::string> added_;
  std::set<absl::CivilDay> removed_;
};

struct OfficeHours {
  // Civil wall-clock minutes since midnight; close may be 24 * 60.
  int open_minute = 9 * 60;
  int close_minute = 17 * 60;
  // Index 0 is Monday, 6 is Sunday.
  std::array<bool, 7> working_days = {true, true, true, true, true, false, false};

  // open < close, both within 0..1440, and at least one working day.
  absl::Status Validate() const;

  // "09:00-17:00", optionally followed by ",Mon-Fri", ",Mon-Sat" or a list of days and
  // ranges such as ",Mon,Tue,Thu-Fri". Days default to Mon-Fri. InvalidArgument if bad.
  static absl::StatusOr<OfficeHours> Parse(absl::string_view text);

  // The form Parse reads, e.g. "08:00-20:00,Mon-Sat", for logs and config dumps.
  std::string ToString() const;
};

// Deadline arithmetic. Every rule is in civil time of the zone (Europe/London), so
// office hours stay 09:00-17:00 on the wall clock across daylight-saving changes,
// while durations are real elapsed time.
//
// Loops give up after kMaxIdleDays days without working time (possible only with
// invalid office hours), returning absl::InfiniteFuture(), so nothing can hang.
// Invalid office hours are treated as having no working time.
class WorkingTime {
 public:
  static constexpr int kMaxIdleDays = 2000;

  // Loads Europe/London and aborts if tzdata is missing, as no deadline could be right
  // without it. Use Create or pass London() to handle that as an error instead.
  explicit WorkingTime(const HolidayCalendar& holidays, const OfficeHours& hours = OfficeHours());
  WorkingTime(const HolidayCalendar& holidays, const OfficeHours& hours, absl::TimeZone tz);

  // Validates `hours` and loads Europe/London.
  static absl::StatusOr<WorkingTime> Create(const HolidayCalendar& holidays,
                                            const OfficeHours& hours = OfficeHours());

  // Europe/London, or FailedPrecondition if tzdata is not installed.
  static absl::StatusOr<absl::TimeZone> London();

  // A working weekday that is not a bank holiday.
  bool IsWorkingDay(absl::CivilDay day) const;
  // Inside [open, close) on a working day.
  bool IsWorkingMoment(absl::Time t) const;
  // `t` itself when it is a working moment, else the next opening.
  absl::Time NextWorkingMoment(absl::Time t) const;

  // The earliest instant by which `d` of working time has passed since `start`: time
  // outside office hours does not count, so a start outside hours counts from the next
  // opening, and a sum ending exactly at a close gives that close rather than the next
  // opening. `d` <= 0 gives `start`.
  absl::Time AddWorkingDuration(absl::Time start, absl::Duration d) const;
  absl::Time AddWorkingHours(absl::Time start, int hours) const {
    return AddWorkingDuration(start, absl::Hours(hours));
  }

  // The n-th working day after `day`, not counting `day` itself, whether or not it is a
  // working day; n == 0 gives `day`, n < 0 counts back. CivilDay::max() (or min()) if
  // the calendar has no working days.
  absl::CivilDay AddWorkingDaysToDay(absl::CivilDay day, int n) const;
  // Close of office hours on `day`, in the zone.
  absl::Time EndOfWorkingDay(absl::CivilDay day) const;

  // Deadline "within `days` working days of `start`" (a complaint's receipt, a bid
  // window's opening): the close of office hours on working day `days`, where day 1 is
  // the first working day after the London day of `start`, whatever its hour. So the
  // deadline always leaves `days` whole working days: received Friday at 10:00, at 18:30
  // or on Saturday or Sunday, day 1 is Monday and 15 working days end at the close of
  // the Friday three weeks on; received on a bank holiday, day 1 is the next working
  // day. `days` <= 0 gives the close of the day of `start`, or of the next working day
  // when `start` is after its close or on a day off (decision 8).
  absl::Time AddWorkingDays(absl::Time start, int days) const;

  // Working time inside office hours between `a` and `b`; zero if b <= a.
  absl::Duration WorkingDurationBetween(absl::Time a, absl::Time b) const;

  // Opening time on the first working day strictly after the civil day of `t`.
  absl::Time StartOfNextWorkingDay(absl::Time t) const;

  const HolidayCalendar& holidays() const { return holidays_; }
  const OfficeHours& office_hours() const { return hours_; }
  const absl::TimeZone& time_zone() const { return tz_; }

 private:
  absl::Time At(absl::CivilDay day, int minute) const;
  absl::Time Open(absl::CivilDay day) const { return At(day, hours_.open_minute); }
  absl::Time Close(absl::CivilDay day) const { return At(day, hours_.close_minute); }

  HolidayCalendar holidays_;
  OfficeHours hours_;
  bool hours_valid_;
  absl::TimeZone tz_;
};

}  // namespace pdps::calendar
