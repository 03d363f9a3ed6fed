// Calendar dates and months as the APIs carry them ("YYYY-MM-DD", "YYYY-MM"), and
// "today" in Europe/London, where every business date of the platform lives.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace pdps::dates {

// Years a date may have: anything else is a typing error (a date of birth can be a
// hundred years back; a contract or an expiry rarely looks more than a century ahead).
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2199;
// "YYYY-MM-DD" within kFirstYear..kLastYear, or nothing.
// The field violation for a text ParseDay refuses.
inline constexpr char kNotADay[] = "must be a date YYYY-MM-DD from 1900-01-01 to 2199-12-31";
std::optional<absl::CivilDay> ParseDay(absl::string_view text);
std::optional<absl::CivilMonth> ParseMonth(absl::string_view text);
std::string FormatDay(absl::CivilDay day);
// An instant as Europe/London reads it, to the minute when it falls on one ("2026-11-24
// 12:00 GMT", an office-hours deadline) and to the second otherwise ("2026-12-03
// 07:55:14 GMT", an emergency window's), so that no shown deadline hides seconds.
std::string FormatLondonTime(absl::Time t);
std::string FormatMonth(absl::CivilMonth month);

// Europe/London (tzdata). Aborts at start-up if tzdata is missing, as nothing else
// could be right without it.
const absl::TimeZone& London();
absl::CivilDay TodayInLondon(absl::Time now);

// ------------------------------------------------------- quarterly returns ---
// Workforce's and referrals' quarterly returns (DOMAIN.md §7) share one quarter form.

// The days a return covers, first and last inclusive.
struct Period {
  absl::CivilDay first, last;
};
struct Quarter {
  int year = 0;
  int q = 0;  // 1..4, Q1 = January-March
  absl::CivilDay first() const { return absl::CivilDay(year, (q - 1) * 3 + 1, 1); }
  absl::CivilDay last() const { return absl::CivilDay(absl::CivilMonth(year, q * 3 + 1, 1)) - 1; }
  Period period() const { return {first(), last()}; }
};
// "2026-Q3" (four digits, -Q, 1 to 4); std::nullopt if not of that form, whatever the
// year: whether a return can be asked for it (from kFirstQuarterYear's Q1, not in the
// future) is Violations::Quarter's to say, in its own words (decision 69).
std::optional<Quarter> ParseQuarter(const std::string& text);
inline constexpr int kFirstQuarterYear = 1990;
std::string FormatQuarter(Quarter q);
// The quarter `day` falls in.
Quarter QuarterOf(absl::CivilDay day);
// What a return for `q` covers on `today`: a quarter that has ended, all of it; the
// quarter in progress, its days up to today (a return "to date"); std::nullopt for a
// quarter that has not started (nothing has happened in it to count).
std::optional<Period> ReturnPeriod(Quarter q, absl::CivilDay today);
// Midnight opening `day` in Europe/London, BST or GMT as the clocks say: a return over a
// Period counts what happened from StartOfDay(first) until StartOfDay(last + 1).
absl::Time StartOfDay(absl::CivilDay day);

}  // namespace pdps::dates
