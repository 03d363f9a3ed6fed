// A framework's published call-off settings (the registry's CallOffSettings) as the
// call-off engine's (CallOff), checked: the one place referrals reads them.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pdps/registry/v1/registry.pb.h"
#include "services/referrals/domain/calloff.h"
#include "services/registry/client/call_off_defaults.h"

namespace pdps::referrals::domain {

// Minutes after midnight of a Friday cut-off "HH:MM", as the registry accepts it.
using registry::defaults::ParseCutoffMinute;

// The engine's settings for a round. `method` is the officer's choice when re-opening
// with another method, else the framework's. The registry fills every default when a
// framework is written; a setting left at 0 (or an empty cut-off) by a framework written
// before it existed takes the same default (registry/client/call_off_defaults.h).
// Price and quality weights are taken as published, never defaulted: a mini-competition
// refuses to start without them (CheckMiniCompetitionTerms). A method or cut-off the
// engine cannot read is INTERNAL naming the setting: the stored framework is wrong, and
// a guess would offer the referral to the wrong providers or at the wrong time.
absl::StatusOr<CallOff> CallOffFor(const registry::v1::CallOffSettings& s,
                                   std::optional<Method> method);

}  // namespace pdps::referrals::domain
