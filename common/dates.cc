// Dates.
#include "common/dates.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
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

std::string FormatLondonTime(absl::Time t) {
  const absl::CivilSecond local = absl::ToCivilSecond(t, London());
  return absl::FormatTime(local.second() == 0 ? "%Y-%m-%d %H:%M %Z" : "%Y-%m-%d %H:%M:%S %Z", t,
                          London());
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

std::optional<Quarter> ParseQuarter(const std::string& text) {
  if (text.size() != 7 || text[4] != '-' || text[5] != 'Q' ||
      !std::all_of(text.begin(), text.begin() + 4, absl::ascii_isdigit) || text[6] < '1' ||
      text[6] > '4') {
    return std::nullopt;
  }
  int year = 0;
  absl::SimpleAtoi(text.substr(0, 4), &year);
  return Quarter{year, text[6] - '0'};
}

std::string FormatQuarter(Quarter q) { return absl::StrFormat("%04d-Q%d", q.year, q.q); }

Quarter QuarterOf(absl::CivilDay day) {
  return Quarter{static_cast<int>(day.year()), (day.month() - 1) / 3 + 1};
}

std::optional<Period> ReturnPeriod(Quarter q, absl::CivilDay today) {
  if (q.first() > today) return std::nullopt;
  return Period{q.first(), std::min(q.last(), today)};
}

absl::Time StartOfDay(absl::CivilDay day) { return absl::FromCivil(day, London()); }

}  // namespace pdps::dates
