// The call-off engine.
#include "services/referrals/domain/calloff.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/dates.h"
#include "common/status.h"

namespace pdps::referrals::domain {
namespace {

template <typename E, size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, absl::string_view>, N>& names,
                         absl::string_view name) {
  for (const auto& [e, n] : names) {
    if (n == name) return e;
  }
  return std::nullopt;
}

template <typename E, size_t N>
absl::string_view NameIn(const std::array<std::pair<E, absl::string_view>, N>& names, E e) {
  for (const auto& [v, n] : names) {
    if (v == e) return n;
  }
  return "";
}

constexpr std::array<std::pair<Method, absl::string_view>, 5> kMethods = {{
    {Method::kRotational, "ROTATIONAL_FIRST_REFUSAL"},
    {Method::kBroadcast, "BROADCAST_FIRST_RESPONDER"},
    {Method::kCompetitive, "COMPETITIVE_OFFERS"},
    {Method::kMiniCompetition, "MINI_COMPETITION"},
    {Method::kDirect, "DIRECT_AWARD"},
}};
constexpr std::array<std::pair<ReferralState, absl::string_view>, 6> kStates = {{
    {ReferralState::kDraft, "DRAFT"},
    {ReferralState::kOpen, "OPEN"},
    {ReferralState::kEvaluating, "EVALUATING"},
    {ReferralState::kAwarded, "AWARDED"},
    {ReferralState::kUncovered, "UNCOVERED"},
    {ReferralState::kWithdrawn, "WITHDRAWN"},
}};
constexpr std::array<std::pair<OfferKind, absl::string_view>, 4> kKinds = {{
    {OfferKind::kExclusive, "EXCLUSIVE"},
    {OfferKind::kBroadcast, "BROADCAST"},
    {OfferKind::kProposal, "PROPOSAL_INVITATION"},
    {OfferKind::kBid, "BID_INVITATION"},
}};
constexpr std::array<std::pair<OfferState, absl::string_view>, 8> kOfferStates = {{
    {OfferState::kOpen, "OPEN"},
    {OfferState::kAccepted, "ACCEPTED"},
    {OfferState::kDeclined, "DECLINED"},
    {OfferState::kTimedOut, "TIMED_OUT"},
    {OfferState::kSubmitted, "SUBMITTED"},
    {OfferState::kWithdrawn, "WITHDRAWN"},
    {OfferState::kNotSelected, "NOT_SELECTED"},
    {OfferState::kSelected, "SELECTED"},
}};

// Every candidate not removed and not yet offered anything in this round, in rota order.
std::vector<const Candidate*> NotYetOffered(const Round& r) {
  std::set<std::string> offered;
  for (const auto& o : r.offers) offered.insert(o.provider_id);
  std::vector<const Candidate*> out;
  for (const auto& c : r.candidates) {
    if (!c.removed && offered.count(c.provider_id) == 0) out.push_back(&c);
  }
  std::sort(out.begin(), out.end(),
            [](const Candidate* a, const Candidate* b) { return a->position < b->position; });
  return out;
}

void Close(Plan* p, ReferralState s, std::string reason) {
  p->new_state = s;
  p->reason = std::move(reason);
  p->next_due = absl::InfiniteFuture();
  // Only a round in progress has a hold; only OPEN and EVALUATING show a stage deadline.
  p->held_until = absl::InfinitePast();
  if (!ShowsStageDeadline(s)) p->stage_deadline = absl::InfinitePast();
}

Plan StepRotational(const Round& r, const CallOff& c, const calendar::WorkingTime& wt,
                    absl::Time now, std::vector<OfferSnapshot> offers, Plan p) {
  bool broadcast_started = false;
  int exclusive_made = 0;
  absl::Time waiting_until = absl::InfiniteFuture();
  bool waiting = false;
  for (const auto& o : offers) {
    if (o.kind == OfferKind::kBroadcast) broadcast_started = true;
    // An exclusive offer WITHDRAWN in an open round was withdrawn because its provider
    // was suspended or terminated: nobody had the chance to refuse, so it is not one of
    // the exclusive windows (seed 002 para 45 gives two providers that chance).
    if (o.kind == OfferKind::kExclusive && o.state != OfferState::kWithdrawn) ++exclusive_made;
    if (o.state == OfferState::kOpen) {
      waiting = true;
      waiting_until = std::min(waiting_until, o.deadline);
    }
  }
  if (waiting) {
    p.next_due = waiting_until;
    return p;
  }
  if (broadcast_started) {
    Close(&p, ReferralState::kUncovered,
          "no provider accepted: first refusal and the broadcast were declined or not answered");
    return p;
  }
  std::vector<const Candidate*> rest = NotYetOffered(r);
  // Held by the Friday rule: the first-refusal provider has answered, nobody else yet.
  // With nobody left to offer it to, the brokerage team hears now rather than on Monday.
  if (exclusive_made > 0 && now < r.held_until && !rest.empty()) {
    p.next_due = r.held_until;
    return p;
  }
  absl::Time window_end = OfferWindowEnd(c, wt, now);
  if (exclusive_made < c.exclusive_rounds && !rest.empty()) {
    NewOffer o{rest.front()->provider_id, OfferKind::kExclusive, exclusive_made + 1, window_end};
    if (exclusive_made == 0 && FridayRuleApplies(c, now, wt.time_zone())) {
      p.held_until = wt.StartOfNextWorkingDay(now);
      o.deadline = std::max(o.deadline, p.held_until);
    }
    p.make.push_back(o);
    p.stage_deadline = o.deadline;
    p.next_due = o.deadline;
    return p;
  }
  if (rest.empty()) {
    Close(&p, ReferralState::kUncovered,
          exclusive_made == 0 ? "no eligible provider to offer it to"
                              : "no provider accepted and no other eligible provider remains");
    return p;
  }
  for (const Candidate* cand : rest) {
    p.make.push_back({cand->provider_id, OfferKind::kBroadcast, 0, window_end});
  }
  p.stage_deadline = window_end;
  p.next_due = window_end;
  return p;
}

Plan StepBroadcast(const Round& r, const CallOff& c, const calendar::WorkingTime& wt,
                   absl::Time now, std::vector<OfferSnapshot> offers, Plan p) {
  if (offers.empty()) {
    std::vector<const Candidate*> rest = NotYetOffered(r);
    if (rest.empty()) {
      Close(&p, ReferralState::kUncovered, "no eligible provider to offer it to");
      return p;
    }
    absl::Time end = OfferWindowEnd(c, wt, now);
    for (const Candidate* cand : rest) {
      p.make.push_back({cand->provider_id, OfferKind::kBroadcast, 0, end});
    }
    p.stage_deadline = end;
    p.next_due = end;
    return p;
  }
  absl::Time until = absl::InfiniteFuture();
  bool waiting = false;
  for (const auto& o : offers) {
    if (o.state == OfferState::kOpen) {
      waiting = true;
      until = std::min(until, o.deadline);
    }
  }
  if (waiting) {
    p.next_due = until;
    return p;
  }
  Close(&p, ReferralState::kUncovered, "no provider accepted the broadcast");
  return p;
}

Plan StepInvitations(const Round& r, const CallOff& c, const calendar::WorkingTime& wt,
                     absl::Time now, std::vector<OfferSnapshot> offers, Plan p) {
  OfferKind kind = c.method == Method::kCompetitive ? OfferKind::kProposal : OfferKind::kBid;
  if (offers.empty()) {
    std::vector<const Candidate*> rest = NotYetOffered(r);
    if (rest.empty()) {
      Close(&p, ReferralState::kUncovered, "no eligible provider to invite");
      return p;
    }
    // An emergency's proposals are awarded as they come (competitive offers need no
    // deadline for that); the deadline only bounds the wait.
    absl::Time end = c.emergency && kind == OfferKind::kProposal
                         ? OfferWindowEnd(c, wt, now)
                         : wt.AddWorkingDays(now, c.bid_window_working_days);
    for (const Candidate* cand : rest) p.make.push_back({cand->provider_id, kind, 0, end});
    p.stage_deadline = end;
    p.next_due = end;
    return p;
  }
  bool open = false, submitted = false;
  for (const auto& o : offers) {
    if (o.state == OfferState::kOpen) open = true;
    if (o.state == OfferState::kSubmitted) submitted = true;
  }
  const char* what = kind == OfferKind::kProposal ? "proposal" : "bid";
  if (now >= r.stage_deadline) {
    if (submitted) {
      Close(&p, ReferralState::kEvaluating,
            absl::StrCat("the ", what, " deadline has passed; evaluate and award"));
    } else {
      Close(&p, ReferralState::kUncovered, absl::StrCat("no ", what, " was submitted"));
    }
    return p;
  }
  if (!open && !submitted) {
    Close(&p, ReferralState::kUncovered,
          absl::StrCat("every invited provider declined; no ", what, " was submitted"));
    return p;
  }
  p.next_due = r.stage_deadline;
  return p;
}

}  // namespace

absl::string_view MethodName(Method m) { return NameIn(kMethods, m); }
std::optional<Method> ParseMethod(absl::string_view n) { return ParseIn(kMethods, n); }
absl::string_view StateName(ReferralState s) { return NameIn(kStates, s); }
std::optional<ReferralState> ParseState(absl::string_view n) { return ParseIn(kStates, n); }
absl::string_view OfferKindName(OfferKind k) { return NameIn(kKinds, k); }
std::optional<OfferKind> ParseOfferKind(absl::string_view n) { return ParseIn(kKinds, n); }
absl::string_view OfferStateName(OfferState s) { return NameIn(kOfferStates, s); }
std::optional<OfferState> ParseOfferState(absl::string_view n) { return ParseIn(kOfferStates, n); }

bool ShowsStageDeadline(ReferralState s) {
  return s == ReferralState::kOpen || s == ReferralState::kEvaluating;
}

bool FridayRuleApplies(const CallOff& c, absl::Time opened, const absl::TimeZone& tz) {
  if (!c.friday_afternoon_rule || c.emergency) return false;
  absl::CivilSecond cs = absl::ToCivilSecond(opened, tz);
  if (absl::GetWeekday(absl::CivilDay(cs)) != absl::Weekday::friday) return false;
  return cs.hour() * 60 + cs.minute() >= c.friday_cutoff_minute;
}

absl::Time OfferWindowEnd(const CallOff& c, const calendar::WorkingTime& wt, absl::Time now) {
  if (c.emergency) return now + absl::Minutes(c.emergency_offer_window_minutes);
  return wt.AddWorkingHours(now, c.offer_window_working_hours);
}

absl::Status CheckMethodForUrgency(bool emergency, Method method, const std::string& referral_id,
                                   bool reopening) {
  if (!emergency || method != Method::kMiniCompetition) return absl::OkStatus();
  std::string message = absl::StrCat(
      "an EMERGENCY referral (under 24 hours' notice) cannot be offered by mini-competition: "
      "sealed bids are opened and awarded only after their deadline and marking; award it "
      "directly (AwardReferral with provider_id)",
      reopening ? ", or re-open it with another method" : "");
  return FailedPrecondition(message,
                            {{"EMERGENCY_REFERRAL", Subject("referral", referral_id), message}});
}

Plan Step(const Round& round, const CallOff& c, const calendar::WorkingTime& wt, absl::Time now) {
  Plan p;
  p.stage_deadline = round.stage_deadline;
  p.held_until = round.held_until;
  // Lapsed offers first: they count as answered (timed out) for what follows.
  std::vector<OfferSnapshot> offers = round.offers;
  for (auto& o : offers) {
    if (o.state == OfferState::kOpen && now >= o.deadline) {
      p.time_out.push_back(o.id);
      o.state = OfferState::kTimedOut;
    }
  }
  switch (c.method) {
    case Method::kRotational:
      return StepRotational(round, c, wt, now, std::move(offers), std::move(p));
    case Method::kBroadcast:
      return StepBroadcast(round, c, wt, now, std::move(offers), std::move(p));
    case Method::kCompetitive:
    case Method::kMiniCompetition:
      return StepInvitations(round, c, wt, now, std::move(offers), std::move(p));
    case Method::kDirect:
      break;
  }
  return p;
}

absl::Status CheckAnswerable(ReferralState referral, OfferState offer, absl::Time deadline,
                             absl::Time now, absl::string_view offer_id,
                             absl::string_view referral_id, absl::string_view withdrawn_because) {
  const std::string offer_subject = Subject("offer", offer_id);
  // London time, as the provider's office reads it: "2026-11-24 12:00 GMT" (seconds shown
  // when the deadline has them).
  auto deadline_passed = [&] {
    return FailedPrecondition(
        absl::StrCat("the offer's deadline passed at ", dates::FormatLondonTime(deadline),
                     "; it can no longer be answered"),
        "OFFER_DEADLINE_PASSED", offer_subject);
  };
  if (offer == OfferState::kWithdrawn) {
    return FailedPrecondition(
        absl::StrCat("the offer was withdrawn",
                     withdrawn_because.empty() ? "" : absl::StrCat(" (", withdrawn_because, ")"),
                     "; it can no longer be answered"),
        "OFFER_STATE", offer_subject);
  }
  // Timed out by the scheduler: nobody answered it, so say when the deadline was.
  if (offer == OfferState::kTimedOut) return deadline_passed();
  if (offer != OfferState::kOpen) {
    return FailedPrecondition(
        absl::StrCat("the offer was already answered (", OfferStateName(offer), ")"), "OFFER_STATE",
        offer_subject);
  }
  if (referral != ReferralState::kOpen) {
    return FailedPrecondition(
        absl::StrCat("the referral is no longer open (", StateName(referral), ")"),
        "REFERRAL_STATE", Subject("referral", referral_id));
  }
  if (now >= deadline) return deadline_passed();
  return absl::OkStatus();
}

absl::Status CheckAnswerKind(AnswerKind answer, OfferKind kind, absl::string_view offer_id) {
  auto refused = [&](absl::string_view message) {
    return FailedPrecondition(message, "OFFER_KIND", Subject("offer", offer_id));
  };
  switch (answer) {
    case AnswerKind::kAccept:
      if (kind == OfferKind::kBid) {
        return refused("this offer invites a bid: use SubmitBid (or DeclineOffer)");
      }
      if (kind == OfferKind::kProposal) {
        return refused("this offer invites a proposal: use SubmitProposal (or DeclineOffer)");
      }
      return absl::OkStatus();
    case AnswerKind::kProposal:
      if (kind != OfferKind::kProposal) return refused("this offer does not invite a proposal");
      return absl::OkStatus();
    case AnswerKind::kBid:
      if (kind != OfferKind::kBid) return refused("this offer does not invite a bid");
      return absl::OkStatus();
    case AnswerKind::kDecline:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status CheckOfferAward(ReferralState state, Method method, absl::string_view referral_id,
                             int round, absl::string_view offer_id, int offer_round,
                             OfferState offer) {
  if (offer_round != round || offer != OfferState::kSubmitted) {
    return FailedPrecondition(
        absl::StrCat("only a submitted proposal or bid of the current round can be awarded "
                     "(the offer is ",
                     OfferStateName(offer), ")"),
        "OFFER_STATE", Subject("offer", offer_id));
  }
  if (method == Method::kMiniCompetition) {
    if (state != ReferralState::kEvaluating) {
      return FailedPrecondition(
          "bids are sealed until the deadline; award after it, once every bid is evaluated",
          "BIDS_SEALED", Subject("referral", referral_id));
    }
    return absl::OkStatus();
  }
  if (method != Method::kCompetitive) {
    return FailedPrecondition(
        "this call-off awards itself on acceptance; give provider_id for a direct award",
        "CALL_OFF_METHOD", Subject("referral", referral_id));
  }
  return absl::OkStatus();
}

absl::Status CheckReviewable(OfferKind kind, OfferState state, absl::string_view offer_id,
                             ReferralState referral, absl::string_view referral_id) {
  if (kind != OfferKind::kProposal || state != OfferState::kSubmitted) {
    return FailedPrecondition("only a submitted proposal can be reviewed", "OFFER_STATE",
                              Subject("offer", offer_id));
  }
  if (referral != ReferralState::kOpen && referral != ReferralState::kEvaluating) {
    return FailedPrecondition(absl::StrCat("the referral is ", StateName(referral)),
                              "REFERRAL_STATE", Subject("referral", referral_id));
  }
  return absl::OkStatus();
}

absl::Status CheckEvaluable(OfferKind kind, OfferState state, int offer_round, int round,
                            absl::string_view offer_id) {
  if (kind != OfferKind::kBid || state != OfferState::kSubmitted || offer_round != round) {
    return FailedPrecondition("only a submitted bid of the current round can be evaluated",
                              "OFFER_STATE", Subject("offer", offer_id));
  }
  return absl::OkStatus();
}

bool BelowPlannedHours(int declared_weekly_hours, double planned_weekly_hours) {
  return declared_weekly_hours >= 0 && declared_weekly_hours < planned_weekly_hours;
}

bool AnythingToAward(const std::vector<OfferSnapshot>& offers) {
  return std::any_of(offers.begin(), offers.end(),
                     [](const OfferSnapshot& o) { return o.state == OfferState::kSubmitted; });
}

absl::Duration StepRetryDelay(int failures) {
  constexpr absl::Duration kFirst = absl::Minutes(1);
  constexpr absl::Duration kMost = absl::Hours(1);
  absl::Duration d = kFirst;
  for (int i = 1; i < failures && d < kMost; ++i) d *= 2;
  return std::min(d, kMost);
}

std::vector<std::string> RotaOrder(std::vector<std::string> eligible,
                                   const std::string& last_first) {
  std::sort(eligible.begin(), eligible.end());
  eligible.erase(std::unique(eligible.begin(), eligible.end()), eligible.end());
  auto start = std::upper_bound(eligible.begin(), eligible.end(), last_first);
  std::rotate(eligible.begin(), start, eligible.end());
  return eligible;
}

absl::Status CheckVerb(ReferralState from, Verb verb, absl::string_view referral_id) {
  using S = ReferralState;
  std::vector<S> allowed;
  const char* name = "";
  switch (verb) {
    case Verb::kOpen:
      allowed = {S::kDraft};
      name = "opened";
      break;
    case Verb::kUpdate:
      allowed = {S::kDraft};
      name = "changed";
      break;
    case Verb::kUpdatePerson:
      allowed = {S::kDraft, S::kOpen, S::kEvaluating, S::kAwarded, S::kUncovered};
      name = "given new person details";
      break;
    case Verb::kReopen:
      allowed = {S::kEvaluating, S::kUncovered};
      name = "re-opened";
      break;
    case Verb::kEvaluate:
      allowed = {S::kEvaluating};
      name = "evaluated";
      break;
    case Verb::kAward:
      allowed = {S::kDraft, S::kOpen, S::kEvaluating, S::kUncovered};
      name = "awarded";
      break;
    case Verb::kWithdraw:
      allowed = {S::kDraft, S::kOpen, S::kEvaluating, S::kUncovered};
      name = "withdrawn";
      break;
  }
  if (std::find(allowed.begin(), allowed.end(), from) != allowed.end()) return absl::OkStatus();
  std::string list;
  for (size_t i = 0; i < allowed.size(); ++i) {
    absl::StrAppend(&list, i == 0 ? "" : (i + 1 == allowed.size() ? " or " : ", "),
                    StateName(allowed[i]));
  }
  return FailedPrecondition(
      absl::StrCat("the referral is ", StateName(from), "; it can be ", name, " only when ", list),
      "REFERRAL_STATE", Subject("referral", referral_id));
}

}  // namespace pdps::referrals::domain
