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
std::optional<absl::CivilDay> ParseDay(absl::string_view text);
std::optional<absl::CivilMonth> ParseMonth(absl::string_view text);
std::string FormatDay(absl::CivilDay day);
std::string FormatMonth(absl::CivilMonth month);

// Europe/London (tzdata). Aborts at start-up if tzdata is missing, as nothing else
// could be right without it.
const absl::TimeZone& London();
absl::CivilDay TodayInLondon(absl::Time now);

}  // namespace pdps::dates
