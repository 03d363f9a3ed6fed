// The rules every action plan keeps, a registry suspension's and a workforce quality
// plan's alike (seed 001 13.6; decision 56): an item is completed once, on a day from
// the day it was added to today. Each item's own shape is Violations::ActionItem.
#pragma once

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace pdps::action_plan {

// An item as the verb that completes it finds it.
struct ItemState {
  absl::CivilDay added_on;                     // London day the item was added
  std::optional<absl::CivilDay> completed_on;  // set once completed
};

// Whether the item may be marked done on `completed`, `today` being the London date of
// the call: FAILED_PRECONDITION (ACTION_ITEM_STATE, `subject` the item) if it already
// was (a completion is never rewritten); INVALID_ARGUMENT on `field`, naming both days,
// if `completed` is after today or before the day the item was added.
absl::Status CheckCompletion(const ItemState& item, absl::CivilDay completed, absl::CivilDay today,
                             const char* field, absl::string_view subject);

}  // namespace pdps::action_plan
