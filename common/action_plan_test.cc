// An action plan item is completed once, from the day it was added to today.
#include "common/action_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/status.h"

namespace pdps::action_plan {
namespace {

TEST(ActionPlan, CompletedOnceFromTheDayAddedUntilToday) {
  const absl::CivilDay added(2026, 11, 20), today(2026, 12, 2);
  ItemState open{added, std::nullopt};
  EXPECT_TRUE(CheckCompletion(open, added, today, "completed_date", "action_plan_item/i1").ok());
  EXPECT_TRUE(CheckCompletion(open, today, today, "completed_date", "action_plan_item/i1").ok());
  auto field = [](const absl::Status& st) {
    auto v = FieldViolationsOf(st);
    return v.size() == 1 ? v[0].field + ": " + v[0].description : std::string(st.message());
  };
  EXPECT_EQ(field(CheckCompletion(open, today + 1, today, "completed_date", "action_plan_item/i1")),
            "completed_date: must be from 2026-11-20 (the day the item was added) to today "
            "(2026-12-02)");
  EXPECT_EQ(field(CheckCompletion(open, added - 1, today, "completed_on", "action_plan_item/i1")),
            "completed_on: must be from 2026-11-20 (the day the item was added) to today "
            "(2026-12-02)");
  // Done is done: neither another date nor the same one rewrites it.
  ItemState done{added, absl::CivilDay(2026, 11, 30)};
  for (absl::CivilDay d : {absl::CivilDay(2026, 11, 30), today, today + 5}) {
    absl::Status st = CheckCompletion(done, d, today, "completed_date", "action_plan_item/i1");
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(st.message()), ::testing::HasSubstr("already completed on 2026-11-30"));
    auto reason = PreconditionViolationsOf(st);
    ASSERT_EQ(reason.size(), 1u);
    EXPECT_EQ(reason[0].type, "ACTION_ITEM_STATE");
    EXPECT_EQ(reason[0].subject, "action_plan_item/i1");
  }
}

}  // namespace
}  // namespace pdps::action_plan
