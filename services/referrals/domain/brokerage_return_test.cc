// The brokerage return's counting rules over hand-computed fixtures (decisions 66 and 67):
// what counts as an answer in time, the 4-hour boundary, the 24-hour KPI on the clock and
// the 4-hour one in working hours, offers left unanswered past a threshold, answers later
// withdrawn, awards by any method, and the framework's target in force.
#include "services/referrals/domain/brokerage_return.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace pdps::referrals::domain {
namespace {

constexpr int64_t kHour = 3600;

OfferFacts Routine(OfferState s, int64_t working, int64_t elapsed = -1,
                   const char* decline_reason = "") {
  OfferFacts o;
  o.state = s;
  o.response_working_seconds = working;
  o.response_elapsed_seconds = elapsed < 0 ? working : elapsed;
  o.decline_reason = decline_reason;
  return o;
}

OfferFacts Emergency(OfferState s, int64_t working, int64_t elapsed,
                     const char* decline_reason = "") {
  OfferFacts o = Routine(s, working, elapsed, decline_reason);
  o.emergency = true;
  return o;
}

// Withdrawn before an answer, at a time not recorded (before migration 0008).
OfferFacts Withdrawn(const std::string& why) {
  OfferFacts o;
  o.state = OfferState::kWithdrawn;
  o.state_reason = why;
  return o;
}

// Left unanswered (OPEN, or WITHDRAWN with `why`) for `working` seconds of office time and
// `elapsed` of the clock, to its withdrawal or to now.
OfferFacts Unanswered(OfferState s, int64_t working, int64_t elapsed, const std::string& why = "") {
  OfferFacts o = Withdrawn(why);
  o.state = s;
  o.unanswered_working_seconds = working;
  o.unanswered_elapsed_seconds = elapsed;
  return o;
}

// Thirteen offers, each figure worked out by hand in the comments.
std::vector<OfferFacts> Quarter() {
  return {
      // 1. Accepted after an office hour: within 4 and 24.
      Routine(OfferState::kAccepted, 1 * kHour),
      // 2. Accepted at exactly 4h00m of office time, made on a Friday afternoon and
      //    answered on Monday (66 clock hours): within 4 (working hours for a routine
      //    referral) but not 24 (clock hours for every referral).
      Routine(OfferState::kAccepted, 4 * kHour, 66 * kHour),
      // 3. Declined one second after 4h (office and clock alike): within 24 only.
      Routine(OfferState::kDeclined, 4 * kHour + 1, -1, "NO_CAPACITY"),
      // 4. Declined in half an hour: within both (a decline is an answer).
      Routine(OfferState::kDeclined, kHour / 2, -1, "NO_CAPACITY"),
      // 5. Declined after 25 office hours: within neither.
      Routine(OfferState::kDeclined, 25 * kHour, -1, "AREA_NOT_COVERED"),
      // 6. Timed out after its 2-hour window: measured, within neither.
      Routine(OfferState::kTimedOut, 2 * kHour),
      // 7, 8. Withdrawn before an answer, at a time not recorded: left out of both KPIs.
      Withdrawn(kWithdrawnAnotherAccepted),
      Withdrawn(AdmissionWithdrawal(false, "action plan overdue")),
      // 9. Open for half an hour so far: left out.
      Unanswered(OfferState::kOpen, kHour / 2, kHour / 2),
      // 10. An emergency accepted at night: no office time passed, 30 clock minutes;
      //     within both.
      Emergency(OfferState::kAccepted, 0, kHour / 2),
      // 11. An emergency declined after 5 clock hours (1 office hour): within 24 only,
      //     its clock being elapsed time.
      Emergency(OfferState::kDeclined, kHour, 5 * kHour, "CANNOT_MEET_NEEDS"),
      // 12. A bid submitted after 20 office and clock hours and selected: within 24 only.
      Routine(OfferState::kSelected, 20 * kHour),
      // 13. A bid submitted after 27h46m40s and not selected: within neither.
      Routine(OfferState::kNotSelected, 100000),
  };
}

TEST(ComputeBrokerageReturn, CountsEveryOfferOnceByWhatBecameOfIt) {
  v1::BrokerageReturn r = ComputeBrokerageReturn(Quarter(), {}, 0, 95);
  EXPECT_EQ(r.offers_made(), 13);
  EXPECT_EQ(r.emergency_offers(), 2);
  EXPECT_EQ(r.accepted(), 3);   // 1, 2, 10
  EXPECT_EQ(r.submitted(), 2);  // 12, 13
  EXPECT_EQ(r.selected(), 1);   // 12
  EXPECT_EQ(r.declined(), 4);   // 3, 4, 5, 11
  EXPECT_EQ(r.timed_out(), 1);
  EXPECT_EQ(r.withdrawn(), 2);
  EXPECT_EQ(r.withdrawn_after_answer(), 0);
  EXPECT_EQ(r.open(), 1);
  EXPECT_EQ(r.answered(), 9);
  EXPECT_EQ(r.awarded(), 0);
  EXPECT_EQ(r.accepted() + r.submitted() + r.declined() + r.timed_out() + r.withdrawn() + r.open(),
            r.offers_made());

  ASSERT_EQ(r.declines_by_reason_size(), 3);  // in the enum's order
  EXPECT_EQ(r.declines_by_reason(0).reason(), v1::NO_CAPACITY);
  EXPECT_EQ(r.declines_by_reason(0).count(), 2);
  EXPECT_EQ(r.declines_by_reason(1).reason(), v1::AREA_NOT_COVERED);
  EXPECT_EQ(r.declines_by_reason(1).count(), 1);
  EXPECT_EQ(r.declines_by_reason(2).reason(), v1::CANNOT_MEET_NEEDS);
  EXPECT_EQ(r.declines_by_reason(2).count(), 1);
  ASSERT_EQ(r.withdrawals_size(), 2);
  EXPECT_EQ(r.withdrawals(0).cause(), v1::WithdrawalCount::ANOTHER_PROVIDER_ACCEPTED);
  EXPECT_EQ(r.withdrawals(1).cause(), v1::WithdrawalCount::ADMISSION_SUSPENDED);
}

TEST(ComputeBrokerageReturn, ResponseKpisOverDecidedOffersWithTheirNumbers) {
  v1::BrokerageReturn r = ComputeBrokerageReturn(Quarter(), {}, 0, 95);
  // Measured: the 9 answers and the time-out; not the 2 withdrawn nor the open one.
  const auto& four = r.answered_within_4_hours();
  EXPECT_EQ(four.hours(), 4);
  EXPECT_EQ(four.clock(), v1::ResponseMeasure::WORKING_HOURS);
  EXPECT_EQ(four.measured(), 10);
  EXPECT_EQ(four.within(), 4);  // 1, 2, 4, 10
  EXPECT_DOUBLE_EQ(four.within_percent(), 40);
  EXPECT_EQ(four.target_percent(), 95);
  EXPECT_EQ(four.verdict(), v1::ResponseMeasure::NOT_MET);
  const auto& day = r.answered_within_24_hours();
  EXPECT_EQ(day.hours(), 24);
  EXPECT_EQ(day.clock(), v1::ResponseMeasure::CLOCK_HOURS);
  EXPECT_EQ(day.measured(), 10);
  EXPECT_EQ(day.within(), 6);  // 1, 3, 4, 10, 11, 12 (not 2: 66 clock hours)
  EXPECT_DOUBLE_EQ(day.within_percent(), 60);
  EXPECT_EQ(day.target_percent(), 0);
  EXPECT_EQ(day.verdict(), v1::ResponseMeasure::NO_TARGET);
}

TEST(AnsweredWithin, FourHoursExactlyIsWithinAndOnlyAnswersCount) {
  EXPECT_TRUE(AnsweredWithin(Routine(OfferState::kAccepted, 4 * kHour), 4));
  EXPECT_FALSE(AnsweredWithin(Routine(OfferState::kAccepted, 4 * kHour + 1), 4));
  EXPECT_TRUE(AnsweredWithin(Routine(OfferState::kSubmitted, 24 * kHour), 24));
  // A time-out is never an answer in time, however short its window.
  EXPECT_FALSE(AnsweredWithin(Routine(OfferState::kTimedOut, kHour), 4));
  EXPECT_FALSE(AnsweredWithin(Withdrawn(kWithdrawnReferralWithdrawn), 4));
  // Emergencies on the clock: 3h59m of night with no office time is within, 4h01m not.
  EXPECT_TRUE(AnsweredWithin(Emergency(OfferState::kAccepted, 0, 4 * kHour - 60), 4));
  EXPECT_FALSE(AnsweredWithin(Emergency(OfferState::kAccepted, 0, 4 * kHour + 60), 4));
}

TEST(ComputeBrokerageReturn, TargetMetAtItNotBelowAndNoVerdictWithNothingMeasured) {
  std::vector<OfferFacts> offers(19, Routine(OfferState::kAccepted, kHour));
  offers.push_back(Routine(OfferState::kTimedOut, 2 * kHour));  // 19 of 20 = 95 %
  auto met = ComputeBrokerageReturn(offers, {}, 0, 95).answered_within_4_hours();
  EXPECT_DOUBLE_EQ(met.within_percent(), 95);
  EXPECT_EQ(met.verdict(), v1::ResponseMeasure::MET);
  EXPECT_EQ(ComputeBrokerageReturn(offers, {}, 0, 96).answered_within_4_hours().verdict(),
            v1::ResponseMeasure::NOT_MET);
  // Only offers withdrawn or open within the threshold: nothing to judge the provider on.
  auto none = ComputeBrokerageReturn({Withdrawn(kWithdrawnReopened),
                                      Unanswered(OfferState::kOpen, 3 * kHour, 3 * kHour)},
                                     {}, 0, 95)
                  .answered_within_4_hours();
  EXPECT_EQ(none.measured(), 0);
  EXPECT_EQ(none.within_percent(), 0);
  EXPECT_EQ(none.verdict(), v1::ResponseMeasure::NOTHING_TO_MEASURE);
  auto empty = ComputeBrokerageReturn({}, {}, 0, 0);
  EXPECT_EQ(empty.offers_made(), 0);
  EXPECT_EQ(empty.answered_within_24_hours().verdict(), v1::ResponseMeasure::NO_TARGET);
}

// D3: an offer left unanswered counts once the KPI's threshold has passed on its clock.
// A routine offer made Monday 09:00 (office hours 09:00-17:00) and withdrawn at 12:59
// has waited 3h59m of office time; withdrawn at 13:01, 4h01m. Both are within 24 clock
// hours.
TEST(Measured, WithdrawnUnansweredAt3h59OutAt4h01AMiss) {
  const OfferFacts early = Unanswered(OfferState::kWithdrawn, 3 * kHour + 59 * 60,
                                      3 * kHour + 59 * 60, kWithdrawnAwardedToAnother);
  const OfferFacts late = Unanswered(OfferState::kWithdrawn, 4 * kHour + 60, 4 * kHour + 60,
                                     kWithdrawnAwardedToAnother);
  EXPECT_FALSE(Measured(early, 4));
  EXPECT_TRUE(Measured(late, 4));
  EXPECT_FALSE(AnsweredWithin(late, 4));
  EXPECT_FALSE(Measured(early, 24));
  EXPECT_FALSE(Measured(late, 24));
  // Exactly 4h00m00s: the provider still had its time (as an answer then is within).
  EXPECT_FALSE(Measured(Unanswered(OfferState::kWithdrawn, 4 * kHour, 4 * kHour), 4));
  // Withdrawn at a time never recorded: left out, as before the time was kept.
  EXPECT_FALSE(Measured(Withdrawn(kWithdrawnAwardedToAnother), 4));

  v1::BrokerageReturn r = ComputeBrokerageReturn({early, late}, {}, 90, 95);
  EXPECT_EQ(r.withdrawn(), 2);
  EXPECT_EQ(r.answered(), 0);
  EXPECT_EQ(r.answered_within_4_hours().measured(), 1);  // late
  EXPECT_EQ(r.answered_within_4_hours().within(), 0);
  EXPECT_EQ(r.answered_within_4_hours().verdict(), v1::ResponseMeasure::NOT_MET);
  EXPECT_EQ(r.answered_within_24_hours().measured(), 0);
  EXPECT_EQ(r.answered_within_24_hours().verdict(), v1::ResponseMeasure::NOTHING_TO_MEASURE);
}

// The audit's Lewisham case: an invitation made Thursday 09:00 and withdrawn (awarded to
// another) the next Thursday 09:00 after 40 office hours, 168 clock hours; and an open
// one made Monday 09:00, now Tuesday 14:00: 13 office hours, 29 clock hours. Both are
// misses on both KPIs.
TEST(Measured, IgnoredInvitationAndOpenOfferPastThresholdAreMisses) {
  const OfferFacts ignored =
      Unanswered(OfferState::kWithdrawn, 40 * kHour, 168 * kHour, kWithdrawnAwardedToAnother);
  const OfferFacts open = Unanswered(OfferState::kOpen, 13 * kHour, 29 * kHour);
  const OfferFacts answered = Routine(OfferState::kSubmitted, 2 * kHour);
  v1::BrokerageReturn r = ComputeBrokerageReturn({ignored, open, answered}, {}, 90, 95);
  EXPECT_EQ(r.open(), 1);
  EXPECT_EQ(r.withdrawn(), 1);
  EXPECT_EQ(r.answered(), 1);
  for (const auto& m : {r.answered_within_24_hours(), r.answered_within_4_hours()}) {
    EXPECT_EQ(m.measured(), 3) << m.hours();
    EXPECT_EQ(m.within(), 1) << m.hours();
    EXPECT_NEAR(m.within_percent(), 100.0 / 3, 1e-9);
    EXPECT_EQ(m.verdict(), v1::ResponseMeasure::NOT_MET);
  }
  // An emergency is on the clock for the 4-hour KPI too: withdrawn after 4h01m of night
  // (no office time) is a miss, after 3h59m not measured.
  OfferFacts night = Unanswered(OfferState::kWithdrawn, 0, 4 * kHour + 60);
  night.emergency = true;
  EXPECT_TRUE(Measured(night, 4));
  night.unanswered_elapsed_seconds = 4 * kHour - 60;
  EXPECT_FALSE(Measured(night, 4));
}

// D4: "within 24 hours" on the clock across a weekend. A routine offer made Friday
// 16:00 (office hours 09:00-17:00): answered Saturday 16:00 is 24h00m00s of the clock
// (1 office hour): within 24; answered one second later, not. Answered Monday 09:30:
// 65h30m of the clock, 1h30m of office time: a miss on 24 hours, within 4.
TEST(AnsweredWithin, TwentyFourClockHoursAcrossAWeekend) {
  EXPECT_TRUE(AnsweredWithin(Routine(OfferState::kAccepted, kHour, 24 * kHour), 24));
  EXPECT_FALSE(AnsweredWithin(Routine(OfferState::kAccepted, kHour, 24 * kHour + 1), 24));
  const OfferFacts monday = Routine(OfferState::kDeclined, 90 * 60, 65 * kHour + 30 * 60);
  EXPECT_FALSE(AnsweredWithin(monday, 24));
  EXPECT_TRUE(AnsweredWithin(monday, 4));
  EXPECT_EQ(ClockOf(24), v1::ResponseMeasure::CLOCK_HOURS);
  EXPECT_EQ(ClockOf(4), v1::ResponseMeasure::WORKING_HOURS);
}

// D5: Blackmore Vale's case. A bid submitted after 3 office hours (3 clock hours), then
// withdrawn when the admission was suspended, is still the provider's answer: answered,
// measured, and within both KPIs.
TEST(ComputeBrokerageReturn, BidSubmittedThenWithdrawnOnSuspensionIsAnswered) {
  OfferFacts bid = Routine(OfferState::kWithdrawn, 3 * kHour);
  bid.withdrawn_after_answer = true;
  bid.state_reason = AdmissionWithdrawal(false, "audit suspension");
  EXPECT_TRUE(Answered(bid));
  EXPECT_TRUE(Measured(bid, 4));
  v1::BrokerageReturn r = ComputeBrokerageReturn({bid}, {}, 90, 95);
  EXPECT_EQ(r.answered(), 1);
  EXPECT_EQ(r.submitted(), 0);  // its state now is WITHDRAWN
  EXPECT_EQ(r.withdrawn(), 1);
  EXPECT_EQ(r.withdrawn_after_answer(), 1);
  ASSERT_EQ(r.withdrawals_size(), 1);
  EXPECT_EQ(r.withdrawals(0).cause(), v1::WithdrawalCount::ADMISSION_SUSPENDED);
  EXPECT_EQ(r.answered_within_4_hours().within(), 1);
  EXPECT_EQ(r.answered_within_4_hours().measured(), 1);
  EXPECT_EQ(r.answered_within_24_hours().within(), 1);
  EXPECT_EQ(r.answered_within_24_hours().verdict(), v1::ResponseMeasure::MET);
}

// D6: seed 003 R1 under mini-competition. The provider's bid was selected (its offer
// SELECTED, the referral awarded by MINI_COMPETITION) and another referral was awarded
// to it directly with no offer at all: awarded 2, of them 1 directly; accepted stays 0.
TEST(ComputeBrokerageReturn, AwardedByDirectAwardAndBySelectedBid) {
  v1::BrokerageReturn r = ComputeBrokerageReturn({Routine(OfferState::kSelected, 5 * kHour)},
                                                 {{"MINI_COMPETITION"}, {"DIRECT_AWARD"}}, 0, 0);
  EXPECT_EQ(r.awarded(), 2);
  EXPECT_EQ(r.awarded_directly(), 1);
  EXPECT_EQ(r.accepted(), 0);
  EXPECT_EQ(r.selected(), 1);
  EXPECT_EQ(r.offers_made(), 1);
}

// Southwark's KPI 2.1 schedule: 95 % in year 1, then 96, 97 and 99 %.
TEST(TargetOn, TheLatestTargetFromADayNotAfterIt) {
  const std::vector<DatedTarget> southwark = {{absl::CivilDay(2027, 4, 1), 96},
                                              {absl::CivilDay(2026, 4, 1), 95},
                                              {absl::CivilDay(2029, 4, 1), 99},
                                              {absl::CivilDay(2028, 4, 1), 97}};
  EXPECT_EQ(TargetOn(southwark, absl::CivilDay(2026, 3, 31)), 0);
  EXPECT_EQ(TargetOn(southwark, absl::CivilDay(2026, 4, 1)), 95);
  EXPECT_EQ(TargetOn(southwark, absl::CivilDay(2027, 3, 31)), 95);
  EXPECT_EQ(TargetOn(southwark, absl::CivilDay(2027, 6, 30)), 96);
  EXPECT_EQ(TargetOn(southwark, absl::CivilDay(2030, 12, 31)), 99);
  EXPECT_EQ(TargetOn({}, absl::CivilDay(2026, 12, 31)), 0);
}

TEST(WithdrawalCause, EveryRecordedReasonHasItsCause) {
  using W = v1::WithdrawalCount;
  EXPECT_EQ(WithdrawalCause(kWithdrawnAnotherAccepted), W::ANOTHER_PROVIDER_ACCEPTED);
  EXPECT_EQ(WithdrawalCause(kWithdrawnAwardedToAnother), W::AWARDED_TO_ANOTHER_PROVIDER);
  EXPECT_EQ(WithdrawalCause(kWithdrawnAwardedToThis), W::AWARDED_TO_THIS_PROVIDER);
  EXPECT_EQ(WithdrawalCause(kWithdrawnReferralWithdrawn), W::REFERRAL_WITHDRAWN);
  EXPECT_EQ(WithdrawalCause(kWithdrawnReopened), W::REFERRAL_REOPENED);
  EXPECT_EQ(WithdrawalCause(AdmissionWithdrawal(false, "x")), W::ADMISSION_SUSPENDED);
  EXPECT_EQ(WithdrawalCause(AdmissionWithdrawal(true, "contract ended")), W::ADMISSION_TERMINATED);
  EXPECT_EQ(AdmissionWithdrawal(true, "contract ended"),
            "the provider's admission was terminated: contract ended");
  EXPECT_EQ(WithdrawalCause("something else"), W::OTHER_CAUSE);
}

}  // namespace
}  // namespace pdps::referrals::domain
