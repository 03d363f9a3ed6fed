// The defaults of a framework's call-off settings (pdps.registry.v1.CallOffSettings, each
// documented on its field): the registry fills them in when a framework is written
// (domain::ApplyFrameworkDefaults), and the referrals service, which runs the call-off,
// reads a setting left at 0 by an older framework as the same value. One header, so the
// two cannot drift.
#pragma once

namespace pdps::registry::defaults {

inline constexpr int kOfferWindowWorkingHours = 2;
inline constexpr int kExclusiveRounds = 2;
inline constexpr char kFridayCutoff[] = "12:00";
inline constexpr int kBidWindowWorkingDays = 5;
// An hour: two exclusive windows and the broadcast reach every provider within three
// hours of an emergency referral opening, whatever the time of day (decision 58).
inline constexpr int kEmergencyOfferWindowMinutes = 60;

}  // namespace pdps::registry::defaults
