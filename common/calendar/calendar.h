// Working time for deadlines: England & Wales bank holidays (computed from their rules
// plus one-off changes an operator can extend), office hours per framework, and
// Europe/London civil time so that daylight-saving changes are handled.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace pdps::calendar {

struct Holiday {
  absl::CivilDay day;
  std::string name;
};

// A one-off change to the computed holidays: add a day, or remove a computed one (a move
// is a remove plus an add).
struct HolidayChange {
  absl::CivilDay day;
  bool holiday = true;
  std::string name;
};

class HolidayCalendar {
 public:
  // The rules of England & Wales and the known one-off changes since 1995.
  static HolidayCalendar EnglandAndWales();

  absl::Status AddChange(const HolidayChange& change);
  bool IsBankHoliday(absl::CivilDay day) const;
  std::vector<Holiday> HolidaysInYear(int year) const;

  // Parses "YYYY-MM-DD,add|remove,Name" lines; '#' comments and blank lines allowed.
  static absl::StatusOr<std::vector<HolidayChange>> ParseChanges(absl::string_view text);
  // Reads such a file and applies it.
  absl::Status LoadChangesFile(const std::string& path);

 private:
  std::map<absl::CivilDay, std::string> added_;
  std::map<absl::CivilDay, bool> removed_;
};

// Easter Sunday (Gregorian), by the anonymous algorithm.
absl::CivilDay EasterSunday(int year);
// The holidays the statutory rules give, before one-off changes.
std::vector<Holiday> RuleHolidays(int year);

struct OfficeHours {
  int open_minute = 9 * 60;
  int close_minute = 17 * 60;
  std::array<bool, 7> working_days = {true, true, true, true, true, false, false};  // Mon..Sun

  absl::Status Validate() const;
  // "09:00-17:00", optionally followed by ",Mon-Fri", ",Mon-Sat" or ",Mon,Tue,...".
  static absl::StatusOr<OfficeHours> Parse(absl::string_view text);
};

class WorkingTime {
 public:
  WorkingTime(HolidayCalendar holidays, OfficeHours hours, absl::TimeZone tz);
  // Europe/London, or an error if tzdata is missing.
  static absl::StatusOr<absl::TimeZone> London();

  bool IsWorkingDay(absl::CivilDay day) const;
  bool IsWorkingMoment(absl::Time t) const;
  // `t` itself when inside office hours, else the next opening.
  absl::Time NextWorkingMoment(absl::Time t) const;
  // Counts only time inside office hours; a sum landing exactly on a close stays there.
  absl::Time AddWorkingDuration(absl::Time start, absl::Duration d) const;
  absl::Time AddWorkingHours(absl::Time start, int hours) const {
    return AddWorkingDuration(start, absl::Hours(hours));
  }
  // The n-th working day after `day` (n >= 1), not counting `day` itself.
  absl::CivilDay AddWorkingDaysToDay(absl::CivilDay day, int n) const;
  // Close of office hours on `day` in this time zone.
  absl::Time EndOfWorkingDay(absl::CivilDay day) const;
  // Deadline "within N working days" of `start`: close of the N-th working day after the
  // London day of `start`.
  absl::Time AddWorkingDays(absl::Time start, int days) const;
  absl::Duration WorkingDurationBetween(absl::Time a, absl::Time b) const;
  // Opening on the first working day strictly after the London day of `t`.
  absl::Time StartOfNextWorkingDay(absl::Time t) const;

  const absl::TimeZone& zone() const { return tz_; }

 private:
  absl::Time At(absl::CivilDay day, int minute) const;
  int Weekday(absl::CivilDay day) const;  // 0 = Monday

  HolidayCalendar holidays_;
  OfficeHours hours_;
  absl::TimeZone tz_;
};

}  // namespace pdps::calendar
