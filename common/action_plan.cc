#include "common/action_plan.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status.h"

namespace pdps::action_plan {

absl::Status CheckCompletion(const ItemState& item, absl::CivilDay completed, absl::CivilDay today,
                             const char* field, absl::string_view subject) {
  if (item.completed_on) {
    return FailedPrecondition(
        absl::StrCat("the action plan item was already completed on ",
                     dates::FormatDay(*item.completed_on), "; a completion is not changed"),
        "ACTION_ITEM_STATE", subject);
  }
  if (completed > today || completed < item.added_on) {
    return InvalidField(field, absl::StrCat("must be from ", dates::FormatDay(item.added_on),
                                            " (the day the item was added) to today (",
                                            dates::FormatDay(today), ")"));
  }
  return absl::OkStatus();
}

}  // namespace pdps::action_plan
