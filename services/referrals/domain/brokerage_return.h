// The quarterly brokerage return (DOMAIN.md §7, decision 66): what became of the offers
// made to one provider in a quarter, and the 24-hour and 4-hour response KPIs, counted
// from the offers' recorded facts. No gRPC, no SQL: the store reads the facts, the
// handler fills in who and when.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "pdps/referrals/v1/referrals.pb.h"
#include "services/referrals/domain/calloff.h"

namespace pdps::referrals::domain {

// Why an offer was withdrawn, as the store records it (Offer.state_reason), so that the
// return can tell the causes apart.
inline constexpr char kWithdrawnAnotherAccepted[] = "another provider accepted first";
inline constexpr char kWithdrawnAwardedToAnother[] = "the referral was awarded to another provider";
inline constexpr char kWithdrawnAwardedToThis[] =
    "the referral was awarded to this provider directly";
inline constexpr char kWithdrawnReferralWithdrawn[] = "the referral was withdrawn";
inline constexpr char kWithdrawnReopened[] = "the referral was re-opened";
// Followed by "suspended: " or "terminated: " and the registry's reason.
inline constexpr char kWithdrawnAdmissionPrefix[] = "the provider's admission was ";
// The recorded reason of an admission suspended or terminated with `reason`.
std::string AdmissionWithdrawal(bool terminated, absl::string_view reason);

v1::WithdrawalCount::Cause WithdrawalCause(absl::string_view state_reason);

// One offer as the return counts it.
struct OfferFacts {
  OfferState state = OfferState::kOpen;
  bool emergency = false;  // the referral's urgency is EMERGENCY
  // Offer to answer (or to the deadline when it lapsed), as recorded when the provider
  // answered (or the offer timed out); kept when a submitted offer is later withdrawn.
  int64_t response_working_seconds = 0;
  int64_t response_elapsed_seconds = 0;
  // WITHDRAWN after the provider had answered (a proposal or bid submitted, then the
  // admission suspended or terminated): still the provider's answer (decision 67).
  bool withdrawn_after_answer = false;
  // OPEN, or WITHDRAWN before an answer: offer to withdrawal (or to now while open), in
  // working seconds of the referral's office hours and in elapsed seconds; -1 when the
  // withdrawal time was not recorded (offers withdrawn before it was, migration 0008).
  int64_t unanswered_working_seconds = -1;
  int64_t unanswered_elapsed_seconds = -1;
  std::string decline_reason;  // DeclineReason name; DECLINED only
  std::string state_reason;    // WITHDRAWN: why
};

// One referral awarded to the provider in the period, by `method` (CallOffMethod name,
// DIRECT_AWARD included).
struct AwardFacts {
  std::string method;
};

// A framework's target from a day (registry ResponseTarget).
struct DatedTarget {
  absl::CivilDay from;
  int percent = 0;
};
// The target in force on `day`: the one with the latest `from` not after it; 0 (none)
// when there is none yet or no target at all.
int TargetOn(const std::vector<DatedTarget>& targets, absl::CivilDay day);

// The provider's own answer: accepted, declined, a proposal or bid submitted (whatever
// became of it after: selected, not selected or withdrawn).
bool Answered(const OfferFacts& o);

// The clock a KPI of `hours` reads an offer on (decision 67): the 24-hour KPI counts
// clock hours for every referral ("within 24 hours", seed 000 App. 2); the 4-hour KPI
// counts working hours of the referral's office hours for a routine referral (seed 002
// KPI 2.1 beside its 2-working-hour windows) and clock hours for an emergency.
bool OnTheClock(const OfferFacts& o, int hours);
v1::ResponseMeasure::Clock ClockOf(int hours);

// Answered within `hours` on the KPI's clock (OnTheClock): at most hours × 3600 seconds
// (exactly 4h00m00s is within 4 hours).
bool AnsweredWithin(const OfferFacts& o, int hours);

// Whether the KPI of `hours` judges the offer: every answer and every offer timed out;
// an offer left unanswered (withdrawn, or still open) once more than hours × 3600
// seconds had passed on the KPI's clock, as a miss; not one withdrawn or still open
// within the threshold, nor one withdrawn at a time not recorded.
bool Measured(const OfferFacts& o, int hours);

// The return's counts and KPIs over `offers` (those made to the provider in the period)
// and `awards` (referrals awarded to it in the period). `target_24_percent` and
// `target_4_percent` are the framework's (TargetOn period_end); 0: none. Who, which
// framework and which period are left for the caller to fill in.
v1::BrokerageReturn ComputeBrokerageReturn(const std::vector<OfferFacts>& offers,
                                           const std::vector<AwardFacts>& awards,
                                           int target_24_percent, int target_4_percent);

}  // namespace pdps::referrals::domain
