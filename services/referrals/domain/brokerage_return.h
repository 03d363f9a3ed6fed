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
  // Offer to answer (or to the deadline when it lapsed), as recorded.
  int64_t response_working_seconds = 0;
  int64_t response_elapsed_seconds = 0;
  std::string decline_reason;  // DeclineReason name; DECLINED only
  std::string state_reason;    // WITHDRAWN: why
};

// A framework's target from a day (registry ResponseTarget).
struct DatedTarget {
  absl::CivilDay from;
  int percent = 0;
};
// The target in force on `day`: the one with the latest `from` not after it; 0 (none)
// when there is none yet or no target at all.
int TargetOn(const std::vector<DatedTarget>& targets, absl::CivilDay day);

// Answered within `hours`: by the provider (accepted, declined, a proposal or bid
// submitted), in working seconds for a routine referral or elapsed seconds for an
// emergency, at most hours × 3600 (exactly 4h00m00s is within 4 hours).
bool AnsweredWithin(const OfferFacts& o, int hours);

// The return's counts and KPIs over `offers` (those made to the provider in the period).
// `target_24_percent` and `target_4_percent` are the framework's (TargetOn period_end);
// 0: none. Who, which framework and which period are left for the caller to fill in.
v1::BrokerageReturn ComputeBrokerageReturn(const std::vector<OfferFacts>& offers,
                                           int target_24_percent, int target_4_percent);

}  // namespace pdps::referrals::domain
