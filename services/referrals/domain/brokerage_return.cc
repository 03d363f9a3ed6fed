// The quarterly brokerage return's rules.
#include "services/referrals/domain/brokerage_return.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/proto_util.h"

namespace pdps::referrals::domain {
namespace {

using Cause = v1::WithdrawalCount::Cause;

bool IsAnswerState(OfferState s) {
  switch (s) {
    case OfferState::kAccepted:
    case OfferState::kDeclined:
    case OfferState::kSubmitted:
    case OfferState::kSelected:
    case OfferState::kNotSelected:
      return true;
    default:
      return false;
  }
}

int64_t Threshold(int hours) { return int64_t{hours} * 3600; }

v1::ResponseMeasure Measure(const std::vector<OfferFacts>& offers, int hours, int target) {
  v1::ResponseMeasure m;
  m.set_hours(hours);
  m.set_clock(ClockOf(hours));
  int within = 0, measured = 0;
  for (const auto& o : offers) {
    if (!Measured(o, hours)) continue;
    ++measured;
    if (AnsweredWithin(o, hours)) ++within;
  }
  m.set_within(within);
  m.set_measured(measured);
  m.set_within_percent(measured == 0 ? 0 : 100.0 * within / measured);
  m.set_target_percent(target);
  if (target == 0) {
    m.set_verdict(v1::ResponseMeasure::NO_TARGET);
  } else if (measured == 0) {
    m.set_verdict(v1::ResponseMeasure::NOTHING_TO_MEASURE);
  } else {
    // In whole offers, so that 95 of 100 meets 95 % without a rounding question.
    m.set_verdict(100LL * within >= static_cast<int64_t>(target) * measured
                      ? v1::ResponseMeasure::MET
                      : v1::ResponseMeasure::NOT_MET);
  }
  return m;
}

}  // namespace

std::string AdmissionWithdrawal(bool terminated, absl::string_view reason) {
  return absl::StrCat(kWithdrawnAdmissionPrefix, terminated ? "terminated" : "suspended", ": ",
                      reason);
}

Cause WithdrawalCause(absl::string_view r) {
  if (r == kWithdrawnAnotherAccepted) return v1::WithdrawalCount::ANOTHER_PROVIDER_ACCEPTED;
  if (r == kWithdrawnAwardedToAnother) return v1::WithdrawalCount::AWARDED_TO_ANOTHER_PROVIDER;
  if (r == kWithdrawnAwardedToThis) return v1::WithdrawalCount::AWARDED_TO_THIS_PROVIDER;
  if (r == kWithdrawnReferralWithdrawn) return v1::WithdrawalCount::REFERRAL_WITHDRAWN;
  if (r == kWithdrawnReopened) return v1::WithdrawalCount::REFERRAL_REOPENED;
  if (absl::StartsWith(r, absl::StrCat(kWithdrawnAdmissionPrefix, "suspended:"))) {
    return v1::WithdrawalCount::ADMISSION_SUSPENDED;
  }
  if (absl::StartsWith(r, absl::StrCat(kWithdrawnAdmissionPrefix, "terminated:"))) {
    return v1::WithdrawalCount::ADMISSION_TERMINATED;
  }
  return v1::WithdrawalCount::OTHER_CAUSE;
}

int TargetOn(const std::vector<DatedTarget>& targets, absl::CivilDay day) {
  const DatedTarget* best = nullptr;
  for (const auto& t : targets) {
    if (t.from <= day && (best == nullptr || t.from > best->from)) best = &t;
  }
  return best == nullptr ? 0 : best->percent;
}

bool Answered(const OfferFacts& o) {
  return IsAnswerState(o.state) || (o.state == OfferState::kWithdrawn && o.withdrawn_after_answer);
}

bool OnTheClock(const OfferFacts& o, int hours) { return hours >= 24 || o.emergency; }

v1::ResponseMeasure::Clock ClockOf(int hours) {
  return hours >= 24 ? v1::ResponseMeasure::CLOCK_HOURS : v1::ResponseMeasure::WORKING_HOURS;
}

bool AnsweredWithin(const OfferFacts& o, int hours) {
  if (!Answered(o)) return false;
  const int64_t took =
      OnTheClock(o, hours) ? o.response_elapsed_seconds : o.response_working_seconds;
  return took <= Threshold(hours);
}

bool Measured(const OfferFacts& o, int hours) {
  if (Answered(o) || o.state == OfferState::kTimedOut) return true;
  if (o.state != OfferState::kOpen && o.state != OfferState::kWithdrawn) return false;
  const int64_t waited =
      OnTheClock(o, hours) ? o.unanswered_elapsed_seconds : o.unanswered_working_seconds;
  // -1: withdrawn at a time not recorded; otherwise judged once the threshold has passed.
  return waited > Threshold(hours);
}

v1::BrokerageReturn ComputeBrokerageReturn(const std::vector<OfferFacts>& offers,
                                           const std::vector<AwardFacts>& awards,
                                           int target_24_percent, int target_4_percent) {
  v1::BrokerageReturn r;
  for (const auto& a : awards) {
    r.set_awarded(r.awarded() + 1);
    if (a.method == "DIRECT_AWARD") r.set_awarded_directly(r.awarded_directly() + 1);
  }
  std::map<v1::DeclineReason, int> declines;
  std::map<Cause, int> withdrawals;
  for (const auto& o : offers) {
    r.set_offers_made(r.offers_made() + 1);
    if (o.emergency) r.set_emergency_offers(r.emergency_offers() + 1);
    if (Answered(o)) r.set_answered(r.answered() + 1);
    switch (o.state) {
      case OfferState::kOpen:
        r.set_open(r.open() + 1);
        break;
      case OfferState::kAccepted:
        r.set_accepted(r.accepted() + 1);
        break;
      case OfferState::kDeclined: {
        r.set_declined(r.declined() + 1);
        // Every decline carries a reason; one that could not be read stays unspecified.
        ++declines[protoutil::EnumFromName<v1::DeclineReason>(o.decline_reason)];
        break;
      }
      case OfferState::kTimedOut:
        r.set_timed_out(r.timed_out() + 1);
        break;
      case OfferState::kSelected:
        r.set_selected(r.selected() + 1);
        [[fallthrough]];
      case OfferState::kSubmitted:
      case OfferState::kNotSelected:
        r.set_submitted(r.submitted() + 1);
        break;
      case OfferState::kWithdrawn:
        r.set_withdrawn(r.withdrawn() + 1);
        if (o.withdrawn_after_answer) {
          r.set_withdrawn_after_answer(r.withdrawn_after_answer() + 1);
        }
        ++withdrawals[WithdrawalCause(o.state_reason)];
        break;
    }
  }
  for (const auto& [reason, n] : declines) {
    auto* d = r.add_declines_by_reason();
    d->set_reason(reason);
    d->set_count(n);
  }
  for (const auto& [cause, n] : withdrawals) {
    auto* w = r.add_withdrawals();
    w->set_cause(cause);
    w->set_count(n);
  }
  *r.mutable_answered_within_24_hours() = Measure(offers, 24, target_24_percent);
  *r.mutable_answered_within_4_hours() = Measure(offers, 4, target_4_percent);
  return r;
}

}  // namespace pdps::referrals::domain
