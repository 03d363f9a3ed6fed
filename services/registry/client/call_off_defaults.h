// The defaults of a framework's call-off settings (pdps.registry.v1.CallOffSettings, each
// documented on its field): the registry fills them in when a framework is written
// (domain::ApplyFrameworkDefaults), and the referrals service, which runs the call-off,
// reads a setting left at 0 by an older framework as the same value. One header, so the
// two cannot drift.
#pragma once

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace pdps::registry::defaults {

inline constexpr int kOfferWindowWorkingHours = 2;
inline constexpr int kExclusiveRounds = 2;
inline constexpr char kFridayCutoff[] = "12:00";
inline constexpr int kBidWindowWorkingDays = 5;
// An hour: two exclusive windows and the broadcast reach every provider within three
// hours of an emergency referral opening, whatever the time of day (decision 58).
inline constexpr int kEmergencyOfferWindowMinutes = 60;

// Minutes after midnight of a Friday cut-off "HH:MM" (00:00 to 23:59); nullopt for
// anything else. The registry accepts a framework's friday_cutoff by it and the referrals
// service reads it by it, so that one never stores what the other cannot run.
inline std::optional<int> ParseCutoffMinute(absl::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(hhmm[i]))) return std::nullopt;
  }
  const int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  const int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

}  // namespace pdps::registry::defaults
