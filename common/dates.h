// Calendar dates and months as the APIs carry them ("YYYY-MM-DD", "YYYY-MM"), and
// "today" in Europe/London, where every business date of the platform lives.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace pdps::dates {

std::optional<absl::CivilDay> ParseDay(absl::string_view text);
std::optional<absl::CivilMonth> ParseMonth(absl::string_view text);
std::string FormatDay(absl::CivilDay day);
std::string FormatMonth(absl::CivilMonth month);

// Europe/London (tzdata). Aborts at start-up if tzdata is missing, as nothing else
// could be right without it.
const absl::TimeZone& London();
absl::CivilDay TodayInLondon(absl::Time now);

}  // namespace pdps::dates
