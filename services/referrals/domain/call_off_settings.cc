#include "services/referrals/domain/call_off_settings.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/registry/client/call_off_defaults.h"

namespace pdps::referrals::domain {
namespace {

namespace rv1 = ::pdps::registry::v1;

int OrDefault(int value, int fallback) { return value > 0 ? value : fallback; }

}  // namespace

absl::StatusOr<CallOff> CallOffFor(const rv1::CallOffSettings& s, std::optional<Method> method) {
  CallOff c;
  if (method) {
    c.method = *method;
  } else {
    auto published = ParseMethod(rv1::CallOffSettings::Method_Name(s.method()));
    if (!published) {
      return absl::InternalError(absl::StrCat("the framework's call_off.method (", s.method(),
                                              ") is not a call-off method"));
    }
    c.method = *published;
  }
  const std::string cutoff =
      s.friday_cutoff().empty() ? registry::defaults::kFridayCutoff : s.friday_cutoff();
  auto minute = ParseCutoffMinute(cutoff);
  if (!minute) {
    return absl::InternalError(
        absl::StrCat("the framework's call_off.friday_cutoff \"", cutoff, "\" is not HH:MM"));
  }
  c.friday_cutoff_minute = *minute;
  c.friday_afternoon_rule = !s.has_friday_afternoon_rule() || s.friday_afternoon_rule();
  c.offer_window_working_hours =
      OrDefault(s.offer_window_working_hours(), registry::defaults::kOfferWindowWorkingHours);
  c.exclusive_rounds = OrDefault(s.exclusive_rounds(), registry::defaults::kExclusiveRounds);
  c.bid_window_working_days =
      OrDefault(s.bid_window_working_days(), registry::defaults::kBidWindowWorkingDays);
  c.emergency_offer_window_minutes = OrDefault(s.emergency_offer_window_minutes(),
                                               registry::defaults::kEmergencyOfferWindowMinutes);
  c.price_weight_percent = s.price_weight_percent();
  c.quality_weight_percent = s.quality_weight_percent();
  return c;
}

}  // namespace pdps::referrals::domain
