// A framework's published call-off settings as the engine reads them.
#include "services/referrals/domain/call_off_settings.h"

#include <gtest/gtest.h>

#include "services/registry/client/call_off_defaults.h"

namespace pdps::referrals::domain {
namespace {

namespace rv1 = ::pdps::registry::v1;

TEST(CallOffSettings, PublishedValuesAreTakenAsTheyAre) {
  rv1::CallOffSettings s;
  s.set_method(rv1::CallOffSettings::MINI_COMPETITION);
  s.set_offer_window_working_hours(3);
  s.set_exclusive_rounds(4);
  s.set_friday_afternoon_rule(false);
  s.set_friday_cutoff("13:30");
  s.set_bid_window_working_days(8);
  s.set_emergency_offer_window_minutes(15);
  s.set_price_weight_percent(40);
  s.set_quality_weight_percent(60);
  CallOff c = *CallOffFor(s, std::nullopt);
  EXPECT_EQ(c.method, Method::kMiniCompetition);
  EXPECT_EQ(c.offer_window_working_hours, 3);
  EXPECT_EQ(c.exclusive_rounds, 4);
  EXPECT_FALSE(c.friday_afternoon_rule);
  EXPECT_EQ(c.friday_cutoff_minute, 13 * 60 + 30);
  EXPECT_EQ(c.bid_window_working_days, 8);
  EXPECT_EQ(c.emergency_offer_window_minutes, 15);
  EXPECT_EQ(c.price_weight_percent, 40);
  EXPECT_EQ(c.quality_weight_percent, 60);
  EXPECT_FALSE(c.emergency) << "urgency is the referral's, set by the caller";
}

// A framework written before a setting existed reads it as 0: the registry's default.
TEST(CallOffSettings, UnsetValuesTakeTheRegistrysDefaults) {
  rv1::CallOffSettings s;
  s.set_method(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL);
  CallOff c = *CallOffFor(s, std::nullopt);
  EXPECT_EQ(c.method, Method::kRotational);
  EXPECT_EQ(c.offer_window_working_hours, registry::defaults::kOfferWindowWorkingHours);
  EXPECT_EQ(c.exclusive_rounds, registry::defaults::kExclusiveRounds);
  EXPECT_TRUE(c.friday_afternoon_rule) << "on unless the framework switches it off";
  EXPECT_EQ(c.friday_cutoff_minute, 12 * 60);
  EXPECT_EQ(c.bid_window_working_days, registry::defaults::kBidWindowWorkingDays);
  EXPECT_EQ(c.emergency_offer_window_minutes, registry::defaults::kEmergencyOfferWindowMinutes);
  EXPECT_EQ(c.price_weight_percent, 0) << "weights are never defaulted";
  EXPECT_EQ(c.quality_weight_percent, 0);
}

TEST(CallOffSettings, AnOfficersMethodReplacesTheFrameworks) {
  rv1::CallOffSettings s;
  s.set_method(rv1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL);
  EXPECT_EQ(CallOffFor(s, Method::kBroadcast)->method, Method::kBroadcast);
  // Even when the framework's own method is unreadable: it is not used.
  s.set_method(rv1::CallOffSettings::METHOD_UNSPECIFIED);
  EXPECT_EQ(CallOffFor(s, Method::kCompetitive)->method, Method::kCompetitive);
}

TEST(CallOffSettings, WhatTheEngineCannotReadIsInternalNotAGuess) {
  rv1::CallOffSettings s;
  s.set_method(rv1::CallOffSettings::METHOD_UNSPECIFIED);
  auto unknown = CallOffFor(s, std::nullopt);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(unknown.status().message().find("call_off.method"), absl::string_view::npos);
  s.set_method(rv1::CallOffSettings::BROADCAST_FIRST_RESPONDER);
  s.set_friday_cutoff("noon");
  auto cutoff = CallOffFor(s, std::nullopt);
  EXPECT_EQ(cutoff.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(cutoff.status().message().find("friday_cutoff"), absl::string_view::npos);
}

// The engine's own defaults (a round stored before a setting existed) are the registry's.
TEST(CallOffSettings, TheEnginesDefaultsAreTheRegistrys) {
  const CallOff c;
  EXPECT_EQ(c.friday_cutoff_minute, *ParseCutoffMinute(registry::defaults::kFridayCutoff));
  EXPECT_EQ(c.offer_window_working_hours, registry::defaults::kOfferWindowWorkingHours);
  EXPECT_EQ(c.emergency_offer_window_minutes, registry::defaults::kEmergencyOfferWindowMinutes);
}

TEST(CallOffSettings, CutoffIsAClockTime) {
  EXPECT_EQ(ParseCutoffMinute("00:00"), 0);
  EXPECT_EQ(ParseCutoffMinute("12:00"), 720);
  EXPECT_EQ(ParseCutoffMinute("23:59"), 23 * 60 + 59);
  for (const char* bad :
       {"", "24:00", "12:60", "9:00", "12:5", "12.00", "+1:00", "12:0a", "12:00 ", "noon"}) {
    EXPECT_EQ(ParseCutoffMinute(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace pdps::referrals::domain
