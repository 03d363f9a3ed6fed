// Dates.
#include "common/dates.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_format.h"
#include "common/calendar/calendar.h"

namespace pdps::dates {

std::optional<absl::CivilDay> ParseDay(absl::string_view text) {
  absl::CivilDay d;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &d)) return std::nullopt;
  // Care dates live in a narrow span; 0000-01-01 or 9999-12-31 is a typing error, and
  // PostgreSQL would refuse a year 0 later, far from the request that sent it.
  if (d.year() < kFirstYear || d.year() > kLastYear) return std::nullopt;
  return d;
}

std::optional<absl::CivilMonth> ParseMonth(absl::string_view text) {
  absl::CivilMonth m;
  if (text.size() != 7 || !absl::ParseCivilTime(text, &m)) return std::nullopt;
  return m;
}

std::string FormatDay(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string FormatMonth(absl::CivilMonth m) {
  return absl::StrFormat("%04d-%02d", m.year(), m.month());
}

const absl::TimeZone& London() {
  static const absl::TimeZone* tz = [] {
    auto zone = calendar::WorkingTime::London();
    if (!zone.ok()) {
      std::fprintf(stderr, "fatal: %s\n", std::string(zone.status().message()).c_str());
      std::abort();
    }
    return new absl::TimeZone(*zone);
  }();
  return *tz;
}

absl::CivilDay TodayInLondon(absl::Time now) {
  return absl::ToCivilDay(now, London());
}

}  // namespace pdps::dates
