// The call-off engine (DOMAIN.md §3) over plain types: given a referral's current round
// (candidates in rota order, offers made so far) and the time, it decides what happens
// next. The store applies the plan in one transaction; the scheduler calls Step again
// at plan.next_due. No gRPC, no SQL, no clock: everything is an argument.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "services/registry/client/call_off_defaults.h"

namespace pdps::referrals::domain {

enum class Method { kRotational, kBroadcast, kCompetitive, kMiniCompetition, kDirect };
enum class ReferralState { kDraft, kOpen, kEvaluating, kAwarded, kUncovered, kWithdrawn };
enum class OfferKind { kExclusive, kBroadcast, kProposal, kBid };
enum class OfferState {
  kOpen,
  kAccepted,
  kDeclined,
  kTimedOut,
  kSubmitted,
  kWithdrawn,
  kNotSelected,
  kSelected
};

// Names as stored and as in the proto enums ("ROTATIONAL_FIRST_REFUSAL", "OPEN", ...).
absl::string_view MethodName(Method m);
std::optional<Method> ParseMethod(absl::string_view name);
absl::string_view StateName(ReferralState s);
std::optional<ReferralState> ParseState(absl::string_view name);
absl::string_view OfferKindName(OfferKind k);
std::optional<OfferKind> ParseOfferKind(absl::string_view name);
absl::string_view OfferStateName(OfferState s);
std::optional<OfferState> ParseOfferState(absl::string_view name);

// The framework's call-off settings for one round (a snapshot taken when it opens).
// Each setting defaults as the registry's do (call_off_defaults.h).
struct CallOff {
  Method method = Method::kRotational;
  int offer_window_working_hours = registry::defaults::kOfferWindowWorkingHours;
  int exclusive_rounds = registry::defaults::kExclusiveRounds;
  bool friday_afternoon_rule = true;
  int friday_cutoff_minute = 12 * 60;  // kFridayCutoff, minutes after midnight, Europe/London
  int bid_window_working_days = registry::defaults::kBidWindowWorkingDays;
  // An EMERGENCY referral (under 24 hours' notice, seed 001 4.3; decision 58): offer
  // windows, and competitive offers' proposal deadline, are this many minutes of clock
  // time, not working time, and the Friday-afternoon rule does not hold it.
  bool emergency = false;
  int emergency_offer_window_minutes = registry::defaults::kEmergencyOfferWindowMinutes;
  // Mini-competition: the framework's published weights (no default: a round does not
  // start without them, domain::CheckMiniCompetitionTerms).
  int price_weight_percent = 0;
  int quality_weight_percent = 0;
};

struct Candidate {
  std::string provider_id;
  int position = 0;  // rota order, from 1
  bool removed = false;  // suspended or terminated since the round opened
};

struct OfferSnapshot {
  std::string id;
  std::string provider_id;
  OfferKind kind = OfferKind::kExclusive;
  OfferState state = OfferState::kOpen;
  absl::Time deadline;
};

struct Round {
  absl::Time opened;
  absl::Time held_until = absl::InfinitePast();  // Friday rule; InfinitePast if none
  absl::Time stage_deadline = absl::InfinitePast();
  std::vector<Candidate> candidates;  // in rota order
  std::vector<OfferSnapshot> offers;  // of this round
};

struct NewOffer {
  std::string provider_id;
  OfferKind kind = OfferKind::kExclusive;
  int rota_position = 0;  // exclusive offers only
  absl::Time deadline;
};

struct Plan {
  std::vector<std::string> time_out;  // ids of OPEN offers whose deadline has passed
  std::vector<NewOffer> make;
  // Set when the referral leaves OPEN: kUncovered or kEvaluating, with a reason.
  std::optional<ReferralState> new_state;
  std::string reason;
  absl::Time stage_deadline = absl::InfinitePast();
  absl::Time held_until = absl::InfinitePast();
  // When Step must run again if nobody answers first; InfiniteFuture for never.
  absl::Time next_due = absl::InfiniteFuture();
};

// Whether a referral in state `s` keeps its stage_deadline. OPEN: the deadline of the
// stage under way (the exclusive or broadcast window, the proposal or bid deadline).
// EVALUATING: the proposal or bid deadline that closed the round, which is when the bids
// were unsealed. Every other state has none: a deadline nothing waits for any more is
// not shown (an UNCOVERED referral with a future deadline looked as if it were still
// being offered). held_until is kept only while OPEN.
bool ShowsStageDeadline(ReferralState s);

// Whether the Friday-afternoon rule holds a round opened at `opened`: a Friday at or
// after the cut-off, Europe/London (seed 002 para 45). Never for an emergency: holding
// care needed tonight until Monday would defeat it.
bool FridayRuleApplies(const CallOff& c, absl::Time opened, const absl::TimeZone& tz);

// When an exclusive or broadcast offer made at `now` closes: the framework's offer
// window in working hours, or for an emergency its emergency window in clock minutes
// (evenings, weekends and bank holidays included).
absl::Time OfferWindowEnd(const CallOff& c, const calendar::WorkingTime& wt, absl::Time now);

// Whether a round may start with `method` for a referral of this urgency:
// FAILED_PRECONDITION with a PreconditionViolation (type "EMERGENCY_REFERRAL", subject
// "referral/<id>") for an emergency by mini-competition, whose sealed bids can be
// neither opened nor awarded before their deadline and marking. It says to award it
// directly (AwardReferral with provider_id) or, on a re-opening, to pick another method.
absl::Status CheckMethodForUrgency(bool emergency, Method method, const std::string& referral_id,
                                   bool reopening);

// Whether a provider that declared `declared_weekly_hours` available (its capacity
// return, per week) falls short of a referral's `planned_weekly_hours`. A negative
// figure (no return known) is no shortfall: nothing was declared to compare.
bool BelowPlannedHours(int declared_weekly_hours, double planned_weekly_hours);

// The next step of an OPEN round at `now`.
//   Windows: OfferWindowEnd (working hours; clock minutes for an emergency).
//   Rotational: exclusive offers one at a time in rota order, up to exclusive_rounds,
//   each open for the offer window (one withdrawn by a suspension or termination does
//   not count: the next provider gets its place); then one broadcast to every remaining
//   candidate;
//   nothing taken → UNCOVERED. Opened on a Friday afternoon (rule on), the first offer
//   stays open and nothing goes further until the next working day's opening.
//   Broadcast: every candidate at once; nothing taken by the window's end, or every
//   offer declined → UNCOVERED.
//   Competitive offers / mini-competition: invitations to every candidate, open until
//   the close of the bid_window_working_days-th working day after the day of opening
//   (WorkingTime::AddWorkingDays: whole working days), or for an emergency by
//   competitive offers until the emergency window's end; at the deadline the round
//   is EVALUATING if anything was submitted, else UNCOVERED (also early, once every
//   invitation is declined with nothing submitted).
// Removed candidates are never offered anything new.
Plan Step(const Round& round, const CallOff& c, const calendar::WorkingTime& wt, absl::Time now);

// Whether an EVALUATING round (competitive offers, mini-competition) still has a submitted
// proposal or bid to award. A suspension or termination withdraws the provider's; once
// the last one is gone the referral is UNCOVERED, not left EVALUATING for ever.
bool AnythingToAward(const std::vector<OfferSnapshot>& offers);

// How long the scheduler leaves a referral whose step has failed `failures` times in a
// row before trying it again: one minute, doubling with each failure, at most an hour.
// Bounded, so a referral that is repaired is picked up again within the hour.
absl::Duration StepRetryDelay(int failures);

// Whether a provider may still answer `offer` at `now` (referral must be OPEN):
// FAILED_PRECONDITION with a message the provider can act on otherwise, its type
// OFFER_DEADLINE_PASSED, OFFER_STATE (withdrawn or answered; subject "offer/<offer_id>")
// or REFERRAL_STATE ("referral/<referral_id>"). An offer past its deadline, or already
// TIMED_OUT by the scheduler, says when the deadline passed (London time). The store runs this
// before it compares etags, so a provider sending the etag it read is told why, not ABORTED. A
// WITHDRAWN offer's message carries `withdrawn_because` (the offer's state_reason: "another
// provider accepted first").
absl::Status CheckAnswerable(ReferralState referral, OfferState offer, absl::Time deadline,
                             absl::Time now, absl::string_view offer_id,
                             absl::string_view referral_id,
                             absl::string_view withdrawn_because = "");

// How a provider answers an offer (AcceptOffer, DeclineOffer, SubmitProposal, SubmitBid).
enum class AnswerKind { kAccept, kDecline, kProposal, kBid };
// Whether `answer` fits an offer of `kind`: an invitation to propose or bid cannot be
// accepted outright, a proposal answers only a proposal invitation and a bid only a bid
// invitation; a decline fits every offer. FAILED_PRECONDITION OFFER_KIND
// "offer/<offer_id>" otherwise, naming the verb to use.
absl::Status CheckAnswerKind(AnswerKind answer, OfferKind kind, absl::string_view offer_id);

// Whether an officer may award the referral (`state`, `method`, `referral_id`, its
// current `round`) to the offer `offer_id` of `offer_round` in `offer`: only a submitted
// proposal or bid of the current round (FAILED_PRECONDITION OFFER_STATE "offer/<id>"); a
// mini-competition's only once its bid deadline has passed, in EVALUATING (BIDS_SEALED
// "referral/<id>"); and only on a call-off an officer awards, competitive offers or a
// mini-competition (CALL_OFF_METHOD: the others award themselves on acceptance; a direct
// award names the provider instead). A mini-competition's bid must then also pass
// CheckBidAward (scoring.h).
absl::Status CheckOfferAward(ReferralState state, Method method, absl::string_view referral_id,
                             int round, absl::string_view offer_id, int offer_round,
                             OfferState offer);

// Whether officers may review the offer `offer_id` (`kind`, `state`) on a referral in
// `referral` state: a submitted proposal (OFFER_STATE "offer/<id>") while the referral
// is OPEN or EVALUATING (REFERRAL_STATE "referral/<id>").
absl::Status CheckReviewable(OfferKind kind, OfferState state, absl::string_view offer_id,
                             ReferralState referral, absl::string_view referral_id);
// Whether officers may mark the bid `offer_id` (`kind`, `state`, `offer_round`) of a
// referral whose round is `round`: a submitted bid of the current round (OFFER_STATE);
// the referral's own state is CheckVerb's (Verb::kEvaluate).
absl::Status CheckEvaluable(OfferKind kind, OfferState state, int offer_round, int round,
                            absl::string_view offer_id);

// The rota for a new round: eligible provider ids (any order) rotated so that the first
// is the one after `last_first` in id order (wrapping), so first refusal passes to each
// provider on the lot in turn. An empty or unknown `last_first` starts from the lowest id
// after it in order.
std::vector<std::string> RotaOrder(std::vector<std::string> eligible, const std::string& last_first);

// ------------------------------------------------------------ verbs ---

enum class Verb { kOpen, kReopen, kAward, kWithdraw, kUpdate, kUpdatePerson, kEvaluate };
// FAILED_PRECONDITION (REFERRAL_STATE, subject "referral/<referral_id>") naming the
// allowed states if `verb` is not allowed in `from`.
//   open: DRAFT; reopen: EVALUATING (nothing acceptable was submitted) or UNCOVERED;
//   update: DRAFT;
//   update the person's details: every state but WITHDRAWN (final; nobody uses them);
//   award: DRAFT, OPEN, EVALUATING, UNCOVERED (what may be awarded is checked apart);
//   withdraw: DRAFT, OPEN, EVALUATING, UNCOVERED.
absl::Status CheckVerb(ReferralState from, Verb verb, absl::string_view referral_id);

}  // namespace pdps::referrals::domain
