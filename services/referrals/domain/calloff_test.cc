// The call-off engine as tables: every method's rounds step by step, the Friday-afternoon
// rule (seed 002 para 45), daylight-saving changes, rota fairness, answers and verbs.
// Times are Europe/London civil time; the working calendar is the real E&W one.
#include "services/referrals/domain/calloff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/dates.h"
#include "common/status.h"
#include "common/testing/london.h"
#include "pdps/referrals/v1/referrals.pb.h"

namespace pdps::referrals::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const calendar::WorkingTime& Wt() {
  static const calendar::WorkingTime* wt = new calendar::WorkingTime(
      calendar::HolidayCalendar::EnglandAndWales(), calendar::OfficeHours(), dates::London());
  return *wt;
}

// Civil time in London, short for the tables.
absl::Time L(int y, int mo, int d, int h, int mi, int s = 0) {
  return pdps::testing::London(y, mo, d, h, mi, s);
}
// Civil time in UTC, for checking absolute instants.
absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

std::string Show(absl::Time t) {
  return absl::FormatTime("%a %Y-%m-%d %H:%M %Z", t, dates::London());
}

std::vector<Candidate> Candidates(const std::vector<std::string>& ids) {
  std::vector<Candidate> out;
  for (size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], static_cast<int>(i) + 1, false});
  return out;
}

std::vector<std::string> Providers(const std::vector<NewOffer>& offers) {
  std::vector<std::string> out;
  for (const auto& o : offers) out.push_back(o.provider_id);
  return out;
}

CallOff Settings(Method m) {
  CallOff c;
  c.method = m;
  return c;
}

// Plays the store's part: applies each plan to the round, and records answers.
struct Sim {
  CallOff c;
  Round round;
  int next_id = 1;

  Sim(Method m, const std::vector<std::string>& ids) : c(Settings(m)) {
    round.candidates = Candidates(ids);
  }

  Plan Run(absl::Time now) {
    if (round.offers.empty() && round.opened == absl::Time()) round.opened = now;
    Plan p = Step(round, c, Wt(), now);
    for (const auto& id : p.time_out) {
      for (auto& o : round.offers) {
        if (o.id == id) o.state = OfferState::kTimedOut;
      }
    }
    for (const auto& n : p.make) {
      round.offers.push_back(
          {absl::StrCat("o", next_id++), n.provider_id, n.kind, OfferState::kOpen, n.deadline});
    }
    round.stage_deadline = p.stage_deadline;
    round.held_until = p.held_until;
    return p;
  }

  OfferSnapshot& OpenOffer(const std::string& provider) {
    for (auto& o : round.offers) {
      if (o.provider_id == provider && o.state == OfferState::kOpen) return o;
    }
    ADD_FAILURE() << "no open offer for " << provider;
    static OfferSnapshot none;
    return none;
  }
  void Answer(const std::string& provider, OfferState s) { OpenOffer(provider).state = s; }
  std::string IdOf(const std::string& provider) { return OpenOffer(provider).id; }
};

// ------------------------------------------------------- rotational ---

TEST(Rotational, FullRotationThenBroadcastThenUncovered) {
  Sim sim(Method::kRotational, {"p1", "p2", "p3", "p4"});

  // Tuesday 10:00: exclusive to the first on the rota for two working hours.
  Plan p = sim.Run(L(2026, 6, 16, 10, 0));
  ASSERT_EQ(p.make.size(), 1u);
  EXPECT_EQ(p.make[0].provider_id, "p1");
  EXPECT_EQ(p.make[0].kind, OfferKind::kExclusive);
  EXPECT_EQ(p.make[0].rota_position, 1);
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 16, 12, 0)) << Show(p.make[0].deadline);
  EXPECT_EQ(p.stage_deadline, L(2026, 6, 16, 12, 0));
  EXPECT_EQ(p.next_due, L(2026, 6, 16, 12, 0));
  EXPECT_EQ(p.held_until, absl::InfinitePast());
  EXPECT_FALSE(p.new_state.has_value());
  EXPECT_THAT(p.time_out, IsEmpty());

  // Nothing to do while p1 is thinking.
  p = sim.Run(L(2026, 6, 16, 10, 15));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_THAT(p.time_out, IsEmpty());
  EXPECT_EQ(p.next_due, L(2026, 6, 16, 12, 0));

  // p1 declines at 10:30 → exclusive to p2 at once, two working hours from then.
  sim.Answer("p1", OfferState::kDeclined);
  p = sim.Run(L(2026, 6, 16, 10, 30));
  ASSERT_EQ(p.make.size(), 1u);
  EXPECT_EQ(p.make[0].provider_id, "p2");
  EXPECT_EQ(p.make[0].kind, OfferKind::kExclusive);
  EXPECT_EQ(p.make[0].rota_position, 2);
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 16, 12, 30));
  EXPECT_EQ(p.next_due, L(2026, 6, 16, 12, 30));

  // One second before p2's deadline nothing lapses.
  p = sim.Run(L(2026, 6, 16, 12, 29, 59));
  EXPECT_THAT(p.time_out, IsEmpty());
  EXPECT_THAT(p.make, IsEmpty());

  // p2 lets it lapse → timed out, and a broadcast to everyone else (not p1 or p2).
  std::string p2_offer = sim.IdOf("p2");
  p = sim.Run(L(2026, 6, 16, 12, 30));
  EXPECT_THAT(p.time_out, ElementsAre(p2_offer));
  EXPECT_THAT(Providers(p.make), ElementsAre("p3", "p4"));
  for (const auto& o : p.make) {
    EXPECT_EQ(o.kind, OfferKind::kBroadcast);
    EXPECT_EQ(o.rota_position, 0);
    EXPECT_EQ(o.deadline, L(2026, 6, 16, 14, 30));
  }
  EXPECT_EQ(p.stage_deadline, L(2026, 6, 16, 14, 30));
  EXPECT_EQ(p.next_due, L(2026, 6, 16, 14, 30));
  EXPECT_FALSE(p.new_state.has_value());

  // p3 declines; p4 still may answer.
  sim.Answer("p3", OfferState::kDeclined);
  p = sim.Run(L(2026, 6, 16, 13, 0));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_FALSE(p.new_state.has_value());
  EXPECT_EQ(p.next_due, L(2026, 6, 16, 14, 30));

  // p4 times out → nobody left: UNCOVERED with a reason, never due again.
  std::string p4_offer = sim.IdOf("p4");
  p = sim.Run(L(2026, 6, 16, 14, 30));
  EXPECT_THAT(p.time_out, ElementsAre(p4_offer));
  EXPECT_THAT(p.make, IsEmpty());
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
  EXPECT_THAT(p.reason, HasSubstr("broadcast"));
  EXPECT_EQ(p.next_due, absl::InfiniteFuture());
}

TEST(StageDeadline, KeptOnlyWhileOpenOrEvaluating) {
  using RS = ReferralState;
  for (RS s :
       {RS::kDraft, RS::kOpen, RS::kEvaluating, RS::kAwarded, RS::kUncovered, RS::kWithdrawn}) {
    EXPECT_EQ(ShowsStageDeadline(s), s == RS::kOpen || s == RS::kEvaluating) << StateName(s);
  }
}

TEST(Rotational, BroadcastAllDeclinedEarlyIsUncovered) {
  Sim sim(Method::kRotational, {"p1", "p2", "p3", "p4"});
  sim.Run(L(2026, 6, 16, 10, 0));
  sim.Answer("p1", OfferState::kDeclined);
  sim.Run(L(2026, 6, 16, 10, 5));
  sim.Answer("p2", OfferState::kDeclined);
  Plan p = sim.Run(L(2026, 6, 16, 10, 10));
  ASSERT_THAT(Providers(p.make), ElementsAre("p3", "p4"));
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 16, 12, 10));
  sim.Answer("p3", OfferState::kDeclined);
  sim.Answer("p4", OfferState::kDeclined);
  p = sim.Run(L(2026, 6, 16, 10, 20));
  EXPECT_THAT(p.time_out, IsEmpty());
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
  EXPECT_FALSE(p.reason.empty());
  // The broadcast window (12:10) was still to come: it is no longer shown.
  EXPECT_EQ(p.stage_deadline, absl::InfinitePast()) << Show(p.stage_deadline);
}

TEST(Rotational, WindowCountsWorkingHoursOnly) {
  struct Row {
    const char* what;
    absl::Time opened;
    absl::Time deadline;
  };
  const Row rows[] = {
      {"Tuesday morning", L(2026, 6, 16, 9, 0), L(2026, 6, 16, 11, 0)},
      {"late Tuesday runs into Wednesday", L(2026, 6, 16, 16, 0), L(2026, 6, 17, 10, 0)},
      {"ends exactly at the close", L(2026, 6, 16, 15, 0), L(2026, 6, 16, 17, 0)},
      {"before opening counts from 09:00", L(2026, 6, 16, 7, 30), L(2026, 6, 16, 11, 0)},
      {"after closing counts from the next opening", L(2026, 6, 16, 18, 0), L(2026, 6, 17, 11, 0)},
      {"Saturday counts from Monday", L(2026, 6, 20, 10, 0), L(2026, 6, 22, 11, 0)},
      {"Thursday late runs over Good Friday and Easter Monday", L(2026, 4, 2, 16, 0),
       L(2026, 4, 7, 10, 0)},
  };
  for (const Row& r : rows) {
    Sim sim(Method::kRotational, {"p1", "p2"});
    sim.c.friday_afternoon_rule = false;
    Plan p = sim.Run(r.opened);
    ASSERT_EQ(p.make.size(), 1u) << r.what;
    EXPECT_EQ(p.make[0].deadline, r.deadline)
        << r.what << ": got " << Show(p.make[0].deadline) << ", want " << Show(r.deadline);
  }
}

// The offer sequence when every offer is declined as soon as it is made.
struct Sequence {
  std::vector<std::string> exclusive;  // in order
  std::vector<std::string> broadcast;
  bool uncovered = false;
};

Sequence DeclineEverything(Sim& sim, absl::Time start) {
  Sequence s;
  absl::Time now = start;
  for (int i = 0; i < 20; ++i) {
    Plan p = sim.Run(now);
    for (const auto& o : p.make) {
      if (o.kind == OfferKind::kExclusive) {
        EXPECT_EQ(o.rota_position, static_cast<int>(s.exclusive.size()) + 1) << o.provider_id;
        s.exclusive.push_back(o.provider_id);
      } else {
        EXPECT_EQ(o.kind, OfferKind::kBroadcast);
        s.broadcast.push_back(o.provider_id);
      }
    }
    if (p.new_state) {
      EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
      EXPECT_FALSE(p.reason.empty());
      s.uncovered = true;
      return s;
    }
    for (auto& o : sim.round.offers) {
      if (o.state == OfferState::kOpen) o.state = OfferState::kDeclined;
    }
    now += absl::Minutes(5);
  }
  ADD_FAILURE() << "never finished";
  return s;
}

TEST(Rotational, ExclusiveRoundsSetting) {
  struct Row {
    int exclusive_rounds;
    std::vector<std::string> candidates;
    std::vector<std::string> exclusive;
    std::vector<std::string> broadcast;
  };
  const Row rows[] = {
      {1, {"p1", "p2", "p3", "p4"}, {"p1"}, {"p2", "p3", "p4"}},
      {2, {"p1", "p2", "p3", "p4"}, {"p1", "p2"}, {"p3", "p4"}},
      {3, {"p1", "p2", "p3", "p4"}, {"p1", "p2", "p3"}, {"p4"}},
      {0, {"p1", "p2", "p3"}, {}, {"p1", "p2", "p3"}},
      // More exclusive rounds than candidates: nobody is left for a broadcast.
      {3, {"p1", "p2"}, {"p1", "p2"}, {}},
      {2, {"p1", "p2"}, {"p1", "p2"}, {}},
  };
  for (const Row& r : rows) {
    Sim sim(Method::kRotational, r.candidates);
    sim.c.exclusive_rounds = r.exclusive_rounds;
    Sequence s = DeclineEverything(sim, L(2026, 6, 16, 10, 0));
    EXPECT_THAT(s.exclusive, ElementsAreArray(r.exclusive)) << r.exclusive_rounds;
    EXPECT_THAT(s.broadcast, ElementsAreArray(r.broadcast)) << r.exclusive_rounds;
    EXPECT_TRUE(s.uncovered) << r.exclusive_rounds;
  }
}

TEST(Rotational, RemovedCandidatesNeverGetOffers) {
  struct Row {
    std::set<std::string> removed;
    std::vector<std::string> exclusive;
    std::vector<std::string> broadcast;
  };
  const Row rows[] = {
      {{}, {"p1", "p2"}, {"p3", "p4", "p5"}},   {{"p2"}, {"p1", "p3"}, {"p4", "p5"}},
      {{"p1"}, {"p2", "p3"}, {"p4", "p5"}},     {{"p4", "p5"}, {"p1", "p2"}, {"p3"}},
      {{"p1", "p2", "p3", "p4", "p5"}, {}, {}},
  };
  for (const Row& r : rows) {
    Sim sim(Method::kRotational, {"p1", "p2", "p3", "p4", "p5"});
    for (auto& c : sim.round.candidates) c.removed = r.removed.count(c.provider_id) > 0;
    Sequence s = DeclineEverything(sim, L(2026, 6, 16, 10, 0));
    EXPECT_THAT(s.exclusive, ElementsAreArray(r.exclusive));
    EXPECT_THAT(s.broadcast, ElementsAreArray(r.broadcast));
    EXPECT_TRUE(s.uncovered);
  }
}

TEST(Rotational, CandidateRemovedMidRoundIsSkipped) {
  Sim sim(Method::kRotational, {"p1", "p2", "p3", "p4"});
  sim.Run(L(2026, 6, 16, 10, 0));
  sim.round.candidates[1].removed = true;  // p2 suspended while p1 holds the offer
  sim.Answer("p1", OfferState::kDeclined);
  Plan p = sim.Run(L(2026, 6, 16, 10, 30));
  ASSERT_EQ(p.make.size(), 1u);
  EXPECT_EQ(p.make[0].provider_id, "p3");
  EXPECT_EQ(p.make[0].rota_position, 2);
  sim.Answer("p3", OfferState::kDeclined);
  p = sim.Run(L(2026, 6, 16, 10, 40));
  EXPECT_THAT(Providers(p.make), ElementsAre("p4"));
}

TEST(Rotational, AnExclusiveOfferWithdrawnBySuspensionIsNotOneOfTheWindows) {
  // Seed 002 para 45: two providers get the chance to refuse. One suspended while it holds
  // the offer never had that chance, whichever window it held.
  struct Row {
    const char* what;
    int suspended_window;  // 1 or 2
    std::vector<std::string> exclusive;  // providers offered exclusively, in order
    std::vector<int> positions;          // their rota positions
    std::vector<std::string> broadcast;
  };
  const Row rows[] = {
      {"first refusal suspended", 1, {"p1", "p2", "p3"}, {1, 1, 2}, {"p4", "p5"}},
      {"second suspended", 2, {"p1", "p2", "p3"}, {1, 2, 2}, {"p4", "p5"}},
  };
  for (const Row& r : rows) {
    Sim sim(Method::kRotational, {"p1", "p2", "p3", "p4", "p5"});
    absl::Time t = L(2026, 6, 16, 10, 0);
    std::vector<std::string> exclusive;
    std::vector<int> positions;
    Plan p = sim.Run(t);
    for (int window = 1; p.make.size() == 1 && p.make[0].kind == OfferKind::kExclusive;
         ++window) {
      const std::string who = p.make[0].provider_id;
      exclusive.push_back(who);
      positions.push_back(p.make[0].rota_position);
      t += absl::Minutes(10);
      if (window == r.suspended_window) {
        // What the store does on a suspension: candidate removed, live offer withdrawn.
        for (auto& c : sim.round.candidates) c.removed |= c.provider_id == who;
        sim.Answer(who, OfferState::kWithdrawn);
      } else {
        sim.Answer(who, OfferState::kDeclined);
      }
      p = sim.Run(t);
    }
    EXPECT_THAT(exclusive, ElementsAreArray(r.exclusive)) << r.what;
    EXPECT_THAT(positions, ElementsAreArray(r.positions)) << r.what;
    EXPECT_THAT(Providers(p.make), ElementsAreArray(r.broadcast)) << r.what;
    for (const auto& o : p.make) EXPECT_EQ(o.kind, OfferKind::kBroadcast) << r.what;
  }
}

TEST(Rotational, AFirstRefusalSuspendedOverAFridayHoldPassesTheHoldOn) {
  // Opened Friday afternoon, held until Monday 09:00; the first-refusal provider is
  // suspended on Saturday. The next provider becomes the first refusal, and still nothing
  // goes further before Monday 09:00.
  Sim sim(Method::kRotational, {"p1", "p2", "p3"});
  Plan p = sim.Run(L(2026, 6, 19, 14, 0));
  ASSERT_THAT(Providers(p.make), ElementsAre("p1"));
  sim.round.candidates[0].removed = true;
  sim.Answer("p1", OfferState::kWithdrawn);
  p = sim.Run(L(2026, 6, 20, 10, 0));
  ASSERT_THAT(Providers(p.make), ElementsAre("p2"));
  EXPECT_EQ(p.make[0].rota_position, 1);
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 22, 11, 0)) << Show(p.make[0].deadline);
  EXPECT_EQ(p.held_until, L(2026, 6, 22, 9, 0));
  sim.Answer("p2", OfferState::kDeclined);
  p = sim.Run(L(2026, 6, 20, 11, 0));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_EQ(p.next_due, L(2026, 6, 22, 9, 0));
  p = sim.Run(L(2026, 6, 22, 9, 0));
  ASSERT_THAT(Providers(p.make), ElementsAre("p3"));
  EXPECT_EQ(p.make[0].rota_position, 2);
}

TEST(Rotational, FollowsPositionsNotVectorOrder) {
  Sim sim(Method::kRotational, {});
  sim.round.candidates = {{"c", 3, false}, {"a", 1, false}, {"b", 2, false}};
  Sequence s = DeclineEverything(sim, L(2026, 6, 16, 10, 0));
  EXPECT_THAT(s.exclusive, ElementsAre("a", "b"));
  EXPECT_THAT(s.broadcast, ElementsAre("c"));
}

TEST(Rotational, OnlyCandidateDeclinesIsUncovered) {
  Sim sim(Method::kRotational, {"p1"});
  Plan p = sim.Run(L(2026, 6, 16, 10, 0));
  ASSERT_THAT(Providers(p.make), ElementsAre("p1"));
  sim.Answer("p1", OfferState::kDeclined);
  p = sim.Run(L(2026, 6, 16, 10, 15));
  EXPECT_THAT(p.make, IsEmpty());
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
  EXPECT_THAT(p.reason, HasSubstr("no other eligible provider"));
  EXPECT_EQ(p.next_due, absl::InfiniteFuture());
}

TEST(Rotational, OnlyCandidateTimesOutIsUncovered) {
  Sim sim(Method::kRotational, {"p1"});
  sim.Run(L(2026, 6, 16, 10, 0));
  std::string id = sim.IdOf("p1");
  Plan p = sim.Run(L(2026, 6, 16, 12, 0));
  EXPECT_THAT(p.time_out, ElementsAre(id));
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
}

TEST(Rotational, NoCandidatesIsUncoveredAtOpen) {
  for (Method m :
       {Method::kRotational, Method::kBroadcast, Method::kCompetitive, Method::kMiniCompetition}) {
    Sim sim(m, {});
    Plan p = sim.Run(L(2026, 6, 16, 10, 0));
    EXPECT_THAT(p.make, IsEmpty()) << MethodName(m);
    ASSERT_TRUE(p.new_state.has_value()) << MethodName(m);
    EXPECT_EQ(*p.new_state, ReferralState::kUncovered) << MethodName(m);
    EXPECT_THAT(p.reason, HasSubstr("no eligible provider")) << MethodName(m);
    EXPECT_EQ(p.next_due, absl::InfiniteFuture()) << MethodName(m);
  }
}

// ---------------------------------------------------- Friday rule ---

TEST(FridayRule, Applies) {
  struct Row {
    const char* what;
    absl::Time opened;
    bool rule;
    int cutoff_minute;
    bool applies;
  };
  const Row rows[] = {
      {"Friday 11:59", L(2026, 6, 19, 11, 59), true, 720, false},
      {"Friday 12:00 (at the cut-off)", L(2026, 6, 19, 12, 0), true, 720, true},
      {"Friday 12:01", L(2026, 6, 19, 12, 1), true, 720, true},
      {"Friday 23:59", L(2026, 6, 19, 23, 59), true, 720, true},
      {"Friday 00:00", L(2026, 6, 19, 0, 0), true, 720, false},
      {"Thursday 15:00", L(2026, 6, 18, 15, 0), true, 720, false},
      {"Saturday 13:00", L(2026, 6, 20, 13, 0), true, 720, false},
      {"rule off", L(2026, 6, 19, 15, 0), false, 720, false},
      {"cut-off 15:00, Friday 14:59", L(2026, 6, 19, 14, 59), true, 900, false},
      {"cut-off 15:00, Friday 15:00", L(2026, 6, 19, 15, 0), true, 900, true},
      {"cut-off 10:30, Friday 10:30", L(2026, 6, 19, 10, 30), true, 630, true},
      // London civil time, not UTC: 11:30 UTC is 12:30 BST in June ...
      {"summer 11:30 UTC", Utc(2026, 6, 19, 11, 30), true, 720, true},
      // ... and 11:30 GMT in January.
      {"winter 11:30 UTC", Utc(2026, 1, 16, 11, 30), true, 720, false},
  };
  for (const Row& r : rows) {
    CallOff c;
    c.friday_afternoon_rule = r.rule;
    c.friday_cutoff_minute = r.cutoff_minute;
    EXPECT_EQ(FridayRuleApplies(c, r.opened, dates::London()), r.applies) << r.what;
  }
}

TEST(FridayRule, HoldsUntilMondayThenContinues) {
  Sim sim(Method::kRotational, {"p1", "p2", "p3"});
  // Opened Friday 12:01: p1 has until Monday 09:00 and nobody else hears of it before.
  Plan p = sim.Run(L(2026, 6, 19, 12, 1));
  ASSERT_EQ(p.make.size(), 1u);
  EXPECT_EQ(p.make[0].provider_id, "p1");
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 22, 9, 0)) << Show(p.make[0].deadline);
  EXPECT_EQ(p.held_until, L(2026, 6, 22, 9, 0));
  EXPECT_EQ(p.stage_deadline, L(2026, 6, 22, 9, 0));
  EXPECT_EQ(p.next_due, L(2026, 6, 22, 9, 0));

  // p1 declines at 13:00 on Friday: no offer is made; due again Monday 09:00.
  sim.Answer("p1", OfferState::kDeclined);
  p = sim.Run(L(2026, 6, 19, 13, 0));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_FALSE(p.new_state.has_value());
  EXPECT_EQ(p.next_due, L(2026, 6, 22, 9, 0));
  EXPECT_EQ(p.held_until, L(2026, 6, 22, 9, 0));

  // Still held over the weekend and a second before Monday 09:00.
  for (absl::Time t : {L(2026, 6, 20, 10, 0), L(2026, 6, 22, 8, 59, 59)}) {
    p = sim.Run(t);
    EXPECT_THAT(p.make, IsEmpty()) << Show(t);
    EXPECT_EQ(p.next_due, L(2026, 6, 22, 9, 0)) << Show(t);
  }

  // Monday 09:00: exclusive to p2 until 11:00.
  p = sim.Run(L(2026, 6, 22, 9, 0));
  ASSERT_EQ(p.make.size(), 1u);
  EXPECT_EQ(p.make[0].provider_id, "p2");
  EXPECT_EQ(p.make[0].kind, OfferKind::kExclusive);
  EXPECT_EQ(p.make[0].rota_position, 2);
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 22, 11, 0));
  EXPECT_EQ(p.next_due, L(2026, 6, 22, 11, 0));

  // p2 lapses at 11:00: broadcast to p3 (the hold no longer matters).
  p = sim.Run(L(2026, 6, 22, 11, 0));
  EXPECT_EQ(p.time_out.size(), 1u);
  EXPECT_THAT(Providers(p.make), ElementsAre("p3"));
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 22, 13, 0));
}

TEST(FridayRule, NobodyLeftAfterTheFirstRefusalIsUncoveredAtOnce) {
  Sim sim(Method::kRotational, {"p1"});
  sim.c.friday_afternoon_rule = true;
  sim.Run(L(2026, 6, 19, 12, 1));
  sim.Answer("p1", OfferState::kDeclined);
  // Holding it until Monday would only delay telling the brokerage team.
  Plan p = sim.Run(L(2026, 6, 19, 13, 0));
  EXPECT_THAT(p.make, IsEmpty());
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
  // Neither the first window's end (Monday 09:00) nor the hold governs anything now.
  EXPECT_EQ(p.stage_deadline, absl::InfinitePast()) << Show(p.stage_deadline);
  EXPECT_EQ(p.held_until, absl::InfinitePast()) << Show(p.held_until);
}

TEST(FridayRule, FirstProviderSilentTimesOutMonday) {
  Sim sim(Method::kRotational, {"p1", "p2", "p3"});
  sim.Run(L(2026, 6, 19, 14, 0));
  std::string p1 = sim.IdOf("p1");
  Plan p = sim.Run(L(2026, 6, 22, 9, 0));
  EXPECT_THAT(p.time_out, ElementsAre(p1));
  ASSERT_THAT(Providers(p.make), ElementsAre("p2"));
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 22, 11, 0));
}

TEST(FridayRule, FirstOfferDeadlineAndHold) {
  struct Row {
    const char* what;
    absl::Time opened;
    bool rule;
    int cutoff_minute;
    absl::Time deadline;
    absl::Time held_until;  // InfinitePast for none
  };
  const absl::Time none = absl::InfinitePast();
  const Row rows[] = {
      {"Friday 11:59: normal window", L(2026, 6, 19, 11, 59), true, 720, L(2026, 6, 19, 13, 59),
       none},
      {"Friday 12:01: held", L(2026, 6, 19, 12, 1), true, 720, L(2026, 6, 22, 9, 0),
       L(2026, 6, 22, 9, 0)},
      {"Friday 12:01, rule off", L(2026, 6, 19, 12, 1), false, 720, L(2026, 6, 19, 14, 1), none},
      // The window outlasts the hold: the later of the two.
      {"Friday 16:30: window ends Monday 10:30", L(2026, 6, 19, 16, 30), true, 720,
       L(2026, 6, 22, 10, 30), L(2026, 6, 22, 9, 0)},
      {"Friday before the August bank holiday", L(2026, 8, 28, 14, 0), true, 720,
       L(2026, 9, 1, 9, 0), L(2026, 9, 1, 9, 0)},
      {"cut-off 15:00, Friday 14:59", L(2026, 6, 19, 14, 59), true, 900, L(2026, 6, 19, 16, 59),
       none},
      {"cut-off 15:00, Friday 15:00", L(2026, 6, 19, 15, 0), true, 900, L(2026, 6, 22, 9, 0),
       L(2026, 6, 22, 9, 0)},
      {"Thursday 14:00: not Friday", L(2026, 6, 18, 14, 0), true, 720, L(2026, 6, 18, 16, 0), none},
  };
  for (const Row& r : rows) {
    Sim sim(Method::kRotational, {"p1", "p2"});
    sim.c.friday_afternoon_rule = r.rule;
    sim.c.friday_cutoff_minute = r.cutoff_minute;
    Plan p = sim.Run(r.opened);
    ASSERT_EQ(p.make.size(), 1u) << r.what;
    EXPECT_EQ(p.make[0].deadline, r.deadline)
        << r.what << ": got " << Show(p.make[0].deadline) << ", want " << Show(r.deadline);
    EXPECT_EQ(p.held_until, r.held_until) << r.what;
  }
}

TEST(FridayRule, RuleOffOffersTheNextProviderOnFriday) {
  Sim sim(Method::kRotational, {"p1", "p2", "p3"});
  sim.c.friday_afternoon_rule = false;
  sim.Run(L(2026, 6, 19, 12, 1));
  sim.Answer("p1", OfferState::kDeclined);
  Plan p = sim.Run(L(2026, 6, 19, 13, 0));
  ASSERT_THAT(Providers(p.make), ElementsAre("p2"));
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 19, 15, 0));
}

TEST(FridayRule, BankHolidayMondayHoldsUntilTuesday) {
  Sim sim(Method::kRotational, {"p1", "p2"});
  Plan p = sim.Run(L(2026, 8, 28, 12, 30));
  EXPECT_EQ(p.held_until, L(2026, 9, 1, 9, 0));
  sim.Answer("p1", OfferState::kDeclined);
  p = sim.Run(L(2026, 8, 28, 13, 0));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_EQ(p.next_due, L(2026, 9, 1, 9, 0));
  p = sim.Run(L(2026, 8, 31, 10, 0));  // the bank holiday itself
  EXPECT_THAT(p.make, IsEmpty());
  p = sim.Run(L(2026, 9, 1, 9, 0));
  ASSERT_THAT(Providers(p.make), ElementsAre("p2"));
  EXPECT_EQ(p.make[0].deadline, L(2026, 9, 1, 11, 0));
}

TEST(FridayRule, OnlyTheFirstOfferIsHeld) {
  // Opened Friday morning; p2's exclusive offer made on Friday afternoon is not held.
  Sim sim(Method::kRotational, {"p1", "p2", "p3"});
  sim.Run(L(2026, 6, 19, 10, 0));
  sim.Answer("p1", OfferState::kDeclined);
  Plan p = sim.Run(L(2026, 6, 19, 13, 0));
  ASSERT_THAT(Providers(p.make), ElementsAre("p2"));
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 19, 15, 0));
  EXPECT_EQ(p.held_until, absl::InfinitePast());
}

// ------------------------------------------------- daylight saving ---

TEST(DaylightSaving, WindowsAcrossClockChanges) {
  struct Row {
    const char* what;
    Method method;
    absl::Time opened;
    absl::Time deadline_london;
    absl::Time deadline_utc;
    absl::Duration elapsed;
  };
  const Row rows[] = {
      // Clocks go forward Sunday 2026-03-29: Friday 16:00 GMT, Monday 10:00 BST.
      {"spring, rotational", Method::kRotational, L(2026, 3, 27, 16, 0), L(2026, 3, 30, 10, 0),
       Utc(2026, 3, 30, 9, 0), absl::Hours(65)},
      {"spring, broadcast", Method::kBroadcast, L(2026, 3, 27, 16, 0), L(2026, 3, 30, 10, 0),
       Utc(2026, 3, 30, 9, 0), absl::Hours(65)},
      // Clocks go back Sunday 2026-10-25: Friday 16:00 BST, Monday 10:00 GMT.
      {"autumn, rotational", Method::kRotational, L(2026, 10, 23, 16, 0), L(2026, 10, 26, 10, 0),
       Utc(2026, 10, 26, 10, 0), absl::Hours(67)},
      {"autumn, broadcast", Method::kBroadcast, L(2026, 10, 23, 16, 0), L(2026, 10, 26, 10, 0),
       Utc(2026, 10, 26, 10, 0), absl::Hours(67)},
  };
  for (bool friday_rule : {false, true}) {
    for (const Row& r : rows) {
      Sim sim(r.method, {"p1", "p2", "p3"});
      sim.c.friday_afternoon_rule = friday_rule;
      Plan p = sim.Run(r.opened);
      ASSERT_FALSE(p.make.empty()) << r.what;
      EXPECT_EQ(p.make[0].deadline, r.deadline_london)
          << r.what << ": got " << Show(p.make[0].deadline);
      EXPECT_EQ(p.make[0].deadline, r.deadline_utc) << r.what;
      EXPECT_EQ(p.make[0].deadline - r.opened, r.elapsed) << r.what;
      EXPECT_EQ(absl::FormatTime("%H:%M", p.make[0].deadline, dates::London()), "10:00") << r.what;
    }
  }
  // The opening instants themselves: GMT before the spring change, BST before autumn's.
  EXPECT_EQ(L(2026, 3, 27, 16, 0), Utc(2026, 3, 27, 16, 0));
  EXPECT_EQ(L(2026, 10, 23, 16, 0), Utc(2026, 10, 23, 15, 0));
}

TEST(DaylightSaving, FridayHoldAcrossClockChanges) {
  struct Row {
    absl::Time opened;
    absl::Time held_london;
    absl::Time held_utc;
  };
  const Row rows[] = {
      {L(2026, 3, 27, 12, 30), L(2026, 3, 30, 9, 0), Utc(2026, 3, 30, 8, 0)},
      {L(2026, 10, 23, 12, 30), L(2026, 10, 26, 9, 0), Utc(2026, 10, 26, 9, 0)},
  };
  for (const Row& r : rows) {
    Sim sim(Method::kRotational, {"p1", "p2"});
    Plan p = sim.Run(r.opened);
    EXPECT_EQ(p.held_until, r.held_london) << Show(p.held_until);
    EXPECT_EQ(p.held_until, r.held_utc);
    sim.Answer("p1", OfferState::kDeclined);
    p = sim.Run(r.opened + absl::Hours(1));
    EXPECT_EQ(p.next_due, r.held_utc);
    p = sim.Run(r.held_utc);
    ASSERT_THAT(Providers(p.make), ElementsAre("p2"));
    EXPECT_EQ(p.make[0].deadline, r.held_utc + absl::Hours(2));
  }
}

// ---------------------------------------------------- rota fairness ---

TEST(RotaOrder, CyclesThroughEveryProviderOncePerRound) {
  const std::vector<std::string> eligible = {"d", "b", "a", "e", "c"};
  std::string last_first;
  std::vector<std::string> firsts;
  for (size_t round = 0; round < 3 * eligible.size(); ++round) {
    std::vector<std::string> order = RotaOrder(eligible, last_first);
    ASSERT_EQ(order.size(), eligible.size());
    firsts.push_back(order.front());
    last_first = order.front();
  }
  EXPECT_THAT(firsts, ElementsAre("a", "b", "c", "d", "e", "a", "b", "c", "d", "e", "a", "b", "c",
                                  "d", "e"));
  // Each window of N consecutive rounds gives each provider first refusal exactly once.
  for (size_t i = 0; i + eligible.size() <= firsts.size(); ++i) {
    std::set<std::string> window(firsts.begin() + i, firsts.begin() + i + eligible.size());
    EXPECT_EQ(window.size(), eligible.size()) << i;
  }
}

TEST(RotaOrder, Table) {
  struct Row {
    std::vector<std::string> eligible;
    std::string last_first;
    std::vector<std::string> want;
  };
  const Row rows[] = {
      {{"a", "b", "c"}, "", {"a", "b", "c"}},
      {{"a", "b", "c"}, "a", {"b", "c", "a"}},
      {{"a", "b", "c"}, "b", {"c", "a", "b"}},
      {{"a", "b", "c"}, "c", {"a", "b", "c"}},
      // Order given doesn't matter.
      {{"c", "a", "b"}, "a", {"b", "c", "a"}},
      {{"b", "c", "a"}, "a", {"b", "c", "a"}},
      // Unknown last_first (e.g. it has since left the lot): the next id after it.
      {{"a", "c", "e"}, "b", {"c", "e", "a"}},
      {{"a", "c", "e"}, "d", {"e", "a", "c"}},
      {{"a", "c", "e"}, "z", {"a", "c", "e"}},
      // Duplicates removed.
      {{"b", "a", "b", "c", "a"}, "", {"a", "b", "c"}},
      {{"b", "a", "b", "c", "a"}, "b", {"c", "a", "b"}},
      {{"x"}, "x", {"x"}},
      {{}, "a", {}},
  };
  for (const Row& r : rows) {
    EXPECT_THAT(RotaOrder(r.eligible, r.last_first), ElementsAreArray(r.want))
        << "last_first=" << r.last_first;
  }
}

TEST(RotaOrder, EveryPermutationGivesTheSameOrder) {
  std::vector<std::string> ids = {"11111111-aaaa", "22222222-bbbb", "33333333-cccc",
                                  "44444444-dddd"};
  const std::vector<std::string> want = {"33333333-cccc", "44444444-dddd", "11111111-aaaa",
                                         "22222222-bbbb"};
  std::sort(ids.begin(), ids.end());
  do {
    EXPECT_THAT(RotaOrder(ids, "22222222-bbbb"), ElementsAreArray(want));
  } while (std::next_permutation(ids.begin(), ids.end()));
}

// -------------------------------------------------------- broadcast ---

TEST(Broadcast, EveryoneAtOnce) {
  Sim sim(Method::kBroadcast, {"p1", "p2", "p3", "p4"});
  sim.round.candidates[2].removed = true;
  Plan p = sim.Run(L(2026, 6, 16, 10, 0));
  EXPECT_THAT(Providers(p.make), ElementsAre("p1", "p2", "p4"));
  for (const auto& o : p.make) {
    EXPECT_EQ(o.kind, OfferKind::kBroadcast);
    EXPECT_EQ(o.rota_position, 0);
    EXPECT_EQ(o.deadline, L(2026, 6, 16, 12, 0));
  }
  EXPECT_EQ(p.stage_deadline, L(2026, 6, 16, 12, 0));
  EXPECT_EQ(p.next_due, L(2026, 6, 16, 12, 0));
  EXPECT_EQ(p.held_until, absl::InfinitePast());
}

TEST(Broadcast, NoFridayHold) {
  Sim sim(Method::kBroadcast, {"p1", "p2"});
  Plan p = sim.Run(L(2026, 6, 19, 12, 30));
  EXPECT_THAT(Providers(p.make), ElementsAre("p1", "p2"));
  EXPECT_EQ(p.make[0].deadline, L(2026, 6, 19, 14, 30));
  EXPECT_EQ(p.held_until, absl::InfinitePast());
}

TEST(Broadcast, SomeDeclinedStillWaiting) {
  Sim sim(Method::kBroadcast, {"p1", "p2", "p3"});
  sim.Run(L(2026, 6, 16, 10, 0));
  sim.Answer("p1", OfferState::kDeclined);
  sim.Answer("p2", OfferState::kDeclined);
  Plan p = sim.Run(L(2026, 6, 16, 11, 0));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_FALSE(p.new_state.has_value());
  EXPECT_EQ(p.next_due, L(2026, 6, 16, 12, 0));
}

TEST(Broadcast, AllDeclinedIsUncovered) {
  Sim sim(Method::kBroadcast, {"p1", "p2", "p3"});
  sim.Run(L(2026, 6, 16, 10, 0));
  for (const char* id : {"p1", "p2", "p3"}) sim.Answer(id, OfferState::kDeclined);
  Plan p = sim.Run(L(2026, 6, 16, 11, 0));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_THAT(p.time_out, IsEmpty());
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
  EXPECT_THAT(p.reason, HasSubstr("broadcast"));
  EXPECT_EQ(p.next_due, absl::InfiniteFuture());
}

TEST(Broadcast, TimedOutIsUncovered) {
  Sim sim(Method::kBroadcast, {"p1", "p2", "p3"});
  sim.Run(L(2026, 6, 16, 10, 0));
  sim.Answer("p2", OfferState::kDeclined);
  std::vector<std::string> open = {sim.IdOf("p1"), sim.IdOf("p3")};
  Plan p = sim.Run(L(2026, 6, 16, 12, 0));
  EXPECT_THAT(p.time_out, ElementsAreArray(open));
  EXPECT_THAT(p.make, IsEmpty());
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
}

TEST(Broadcast, AllRemovedIsUncovered) {
  Sim sim(Method::kBroadcast, {"p1", "p2"});
  for (auto& c : sim.round.candidates) c.removed = true;
  Plan p = sim.Run(L(2026, 6, 16, 10, 0));
  EXPECT_THAT(p.make, IsEmpty());
  ASSERT_TRUE(p.new_state.has_value());
  EXPECT_EQ(*p.new_state, ReferralState::kUncovered);
}

// ----------------------------------------- competitive and mini-competition ---

struct InvitationMethod {
  Method method;
  OfferKind kind;
  const char* what;
};
const InvitationMethod kInvitationMethods[] = {
    {Method::kCompetitive, OfferKind::kProposal, "proposal"},
    {Method::kMiniCompetition, OfferKind::kBid, "bid"},
};

// ------------------------------------------------------- emergencies ---

// Openings an emergency referral must not wait out: after office hours on a weekday, a
// Friday afternoon (the hold), a bank holiday, a Saturday night, and the night the
// clocks go back (an hour of clock time is an hour, whatever the dial says).
struct EmergencyOpening {
  const char* what;
  absl::Time opened;
  absl::Time routine_first_deadline;  // the same opening when the referral is routine
  bool routine_held;                  // ... and whether the Friday rule holds it
};
const EmergencyOpening kEmergencyOpenings[] = {
    {"Wednesday 16:56", L(2026, 11, 25, 16, 56), L(2026, 11, 26, 10, 56), false},
    {"Friday 15:00", L(2026, 11, 27, 15, 0), L(2026, 11, 30, 9, 0), true},
    {"Christmas Day 10:00", L(2026, 12, 25, 10, 0), L(2026, 12, 29, 11, 0), false},
    {"Saturday 22:00", L(2026, 11, 28, 22, 0), L(2026, 11, 30, 11, 0), false},
    {"clocks go back, 01:30 BST", Utc(2026, 10, 25, 0, 30), L(2026, 10, 26, 11, 0), false},
};

TEST(Emergency, RotationalWindowsAreClockMinutesWithNoFridayHold) {
  for (const auto& o : kEmergencyOpenings) {
    for (bool emergency : {true, false}) {
      std::string what = absl::StrCat(o.what, emergency ? ", emergency" : ", routine");
      Sim sim(Method::kRotational, {"p1", "p2", "p3"});
      sim.c.emergency = emergency;
      sim.c.emergency_offer_window_minutes = 45;
      Plan p = sim.Run(o.opened);
      ASSERT_EQ(p.make.size(), 1u) << what;
      EXPECT_EQ(p.make[0].kind, OfferKind::kExclusive) << what;
      if (!emergency) {
        // Routine referrals are unchanged: working hours, and the Friday hold.
        EXPECT_EQ(p.make[0].deadline, o.routine_first_deadline)
            << what << ": " << Show(p.make[0].deadline);
        EXPECT_EQ(p.held_until != absl::InfinitePast(), o.routine_held) << what;
        continue;
      }
      EXPECT_EQ(p.make[0].deadline, o.opened + absl::Minutes(45))
          << what << ": " << Show(p.make[0].deadline);
      EXPECT_EQ(p.stage_deadline, o.opened + absl::Minutes(45)) << what;
      EXPECT_EQ(p.held_until, absl::InfinitePast()) << what;
      EXPECT_EQ(p.next_due, o.opened + absl::Minutes(45)) << what;
      // p1 declines ten minutes in: p2 is offered it at once (no hold), for 45 minutes.
      sim.Answer("p1", OfferState::kDeclined);
      p = sim.Run(o.opened + absl::Minutes(10));
      ASSERT_THAT(Providers(p.make), ElementsAre("p2")) << what;
      EXPECT_EQ(p.make[0].rota_position, 2) << what;
      EXPECT_EQ(p.make[0].deadline, o.opened + absl::Minutes(55)) << what;
      // p2 lets it lapse: the broadcast to p3, 45 minutes again.
      p = sim.Run(o.opened + absl::Minutes(55));
      EXPECT_EQ(p.time_out.size(), 1u) << what;
      ASSERT_THAT(Providers(p.make), ElementsAre("p3")) << what;
      EXPECT_EQ(p.make[0].kind, OfferKind::kBroadcast) << what;
      EXPECT_EQ(p.make[0].deadline, o.opened + absl::Minutes(100)) << what;
    }
  }
}

TEST(Emergency, BroadcastAndProposalWindowsAreClockMinutes) {
  for (const auto& o : kEmergencyOpenings) {
    Sim broadcast(Method::kBroadcast, {"p1", "p2"});
    broadcast.c.emergency = true;
    Plan p = broadcast.Run(o.opened);
    ASSERT_EQ(p.make.size(), 2u) << o.what;
    for (const auto& n : p.make) EXPECT_EQ(n.deadline, o.opened + absl::Hours(1)) << o.what;

    Sim competitive(Method::kCompetitive, {"p1", "p2"});
    competitive.c.emergency = true;
    competitive.c.emergency_offer_window_minutes = 90;
    p = competitive.Run(o.opened);
    ASSERT_EQ(p.make.size(), 2u) << o.what;
    for (const auto& n : p.make) {
      EXPECT_EQ(n.kind, OfferKind::kProposal) << o.what;
      EXPECT_EQ(n.deadline, o.opened + absl::Minutes(90)) << o.what;
    }
    EXPECT_EQ(p.stage_deadline, o.opened + absl::Minutes(90)) << o.what;
    // At its end with a proposal in: EVALUATING, as any competitive round.
    competitive.Answer("p1", OfferState::kSubmitted);
    p = competitive.Run(o.opened + absl::Minutes(90));
    EXPECT_EQ(p.new_state, ReferralState::kEvaluating) << o.what;
  }
}

TEST(Emergency, NoMiniCompetitionForAnEmergency) {
  for (Method m :
       {Method::kRotational, Method::kBroadcast, Method::kCompetitive, Method::kMiniCompetition}) {
    EXPECT_TRUE(CheckMethodForUrgency(false, m, "r1", false).ok()) << MethodName(m);
  }
  for (Method m : {Method::kRotational, Method::kBroadcast, Method::kCompetitive}) {
    EXPECT_TRUE(CheckMethodForUrgency(true, m, "r1", false).ok()) << MethodName(m);
  }
  absl::Status open = CheckMethodForUrgency(true, Method::kMiniCompetition, "r1", false);
  EXPECT_EQ(open.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(open.message()), HasSubstr("award it directly"));
  EXPECT_THAT(std::string(open.message()), Not(HasSubstr("another method")));
  auto v = PreconditionViolationsOf(open);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].type, "EMERGENCY_REFERRAL");
  EXPECT_EQ(v[0].subject, "referral/r1");
  absl::Status reopen = CheckMethodForUrgency(true, Method::kMiniCompetition, "r1", true);
  EXPECT_THAT(std::string(reopen.message()), HasSubstr("re-open it with another method"));
}

TEST(Invitations, DeadlineIsCloseOfNthWorkingDay) {
  struct Row {
    const char* what;
    absl::Time opened;
    int days;
    absl::Time deadline;
  };
  const Row rows[] = {
      {"Tuesday + 5", L(2026, 6, 16, 10, 0), 5, L(2026, 6, 23, 17, 0)},
      {"Tuesday + 1", L(2026, 6, 16, 10, 0), 1, L(2026, 6, 17, 17, 0)},
      {"Friday + 1 is Monday", L(2026, 6, 19, 16, 59), 1, L(2026, 6, 22, 17, 0)},
      // Day 1 is the first working day after the day of opening, whatever the hour: a
      // window always holds N whole working days.
      {"after closing: the next day is day 1", L(2026, 6, 16, 17, 30), 1, L(2026, 6, 17, 17, 0)},
      {"Saturday: Monday is day 1", L(2026, 6, 20, 10, 0), 1, L(2026, 6, 22, 17, 0)},
      {"Friday evening: Monday is day 1", L(2026, 6, 19, 20, 0), 5, L(2026, 6, 26, 17, 0)},
      {"Friday evening before the August bank holiday", L(2026, 8, 28, 19, 0), 2,
       L(2026, 9, 2, 17, 0)},
      {"over the August bank holiday", L(2026, 8, 28, 10, 0), 2, L(2026, 9, 2, 17, 0)},
      // Over the spring clock change and Easter (Good Friday 3 April, Easter Monday 6).
      {"over Easter and the clock change", L(2026, 3, 27, 10, 0), 5, L(2026, 4, 7, 17, 0)},
  };
  for (const auto& m : kInvitationMethods) {
    for (const Row& r : rows) {
      Sim sim(m.method, {"p1", "p2", "p3"});
      sim.c.bid_window_working_days = r.days;
      Plan p = sim.Run(r.opened);
      ASSERT_EQ(p.make.size(), 3u) << r.what;
      for (const auto& o : p.make) {
        EXPECT_EQ(o.kind, m.kind) << r.what;
        EXPECT_EQ(o.rota_position, 0) << r.what;
        EXPECT_EQ(o.deadline, r.deadline)
            << m.what << ", " << r.what << ": got " << Show(o.deadline);
      }
      EXPECT_EQ(p.stage_deadline, r.deadline) << r.what;
      EXPECT_EQ(p.next_due, r.deadline) << r.what;
      EXPECT_FALSE(p.new_state.has_value()) << r.what;
    }
  }
  EXPECT_EQ(L(2026, 4, 7, 17, 0), Utc(2026, 4, 7, 16, 0));
}

TEST(Invitations, RemovedCandidatesNotInvited) {
  for (const auto& m : kInvitationMethods) {
    Sim sim(m.method, {"p1", "p2", "p3"});
    sim.round.candidates[0].removed = true;
    Plan p = sim.Run(L(2026, 6, 16, 10, 0));
    EXPECT_THAT(Providers(p.make), ElementsAre("p2", "p3")) << m.what;
  }
}

TEST(Invitations, Outcomes) {
  const absl::Time opened = L(2026, 6, 16, 10, 0);
  const absl::Time deadline = L(2026, 6, 23, 17, 0);
  struct Row {
    const char* what;
    std::vector<OfferState> answers;  // for p1, p2, p3
    absl::Time now;
    std::optional<ReferralState> state;
    absl::Time next_due;
    size_t timed_out;
  };
  using S = OfferState;
  const absl::Time never = absl::InfiniteFuture();
  const Row rows[] = {
      {"some submitted, before the deadline",
       {S::kSubmitted, S::kOpen, S::kDeclined},
       L(2026, 6, 18, 12, 0),
       std::nullopt,
       deadline,
       0},
      {"all submitted, before the deadline",
       {S::kSubmitted, S::kSubmitted, S::kSubmitted},
       L(2026, 6, 18, 12, 0),
       std::nullopt,
       deadline,
       0},
      {"submitted and declined, before the deadline",
       {S::kSubmitted, S::kDeclined, S::kDeclined},
       L(2026, 6, 18, 12, 0),
       std::nullopt,
       deadline,
       0},
      {"nothing yet, a second before the deadline",
       {S::kOpen, S::kOpen, S::kOpen},
       deadline - absl::Seconds(1),
       std::nullopt,
       deadline,
       0},
      {"at the deadline with a submission",
       {S::kSubmitted, S::kOpen, S::kDeclined},
       deadline,
       ReferralState::kEvaluating,
       never,
       1},
      {"after the deadline with a submission",
       {S::kSubmitted, S::kSubmitted, S::kOpen},
       deadline + absl::Hours(3),
       ReferralState::kEvaluating,
       never,
       1},
      {"at the deadline with nothing",
       {S::kOpen, S::kDeclined, S::kOpen},
       deadline,
       ReferralState::kUncovered,
       never,
       2},
      {"all declined before the deadline",
       {S::kDeclined, S::kDeclined, S::kDeclined},
       L(2026, 6, 17, 9, 30),
       ReferralState::kUncovered,
       never,
       0},
      {"submission withdrawn, rest declined",
       {S::kWithdrawn, S::kDeclined, S::kDeclined},
       L(2026, 6, 17, 9, 30),
       ReferralState::kUncovered,
       never,
       0},
  };
  for (const auto& m : kInvitationMethods) {
    for (const Row& r : rows) {
      Sim sim(m.method, {"p1", "p2", "p3"});
      Plan p = sim.Run(opened);
      ASSERT_EQ(p.make.size(), 3u);
      for (size_t i = 0; i < 3; ++i) sim.round.offers[i].state = r.answers[i];
      p = sim.Run(r.now);
      std::string label = absl::StrCat(m.what, ": ", r.what);
      EXPECT_THAT(p.make, IsEmpty()) << label;
      EXPECT_EQ(p.new_state, r.state) << label;
      EXPECT_EQ(p.next_due, r.next_due) << label;
      EXPECT_EQ(p.time_out.size(), r.timed_out) << label;
      // The deadline is kept while the round is open and in the evaluation it led to
      // (when submissions closed); an UNCOVERED referral shows none.
      EXPECT_EQ(p.stage_deadline,
                r.state == ReferralState::kUncovered ? absl::InfinitePast() : deadline)
          << label;
      if (r.state) {
        EXPECT_THAT(p.reason, HasSubstr(m.what)) << label;
      } else {
        EXPECT_TRUE(p.reason.empty()) << label;
      }
    }
  }
}

TEST(Invitations, AnEvaluationNeedsASubmittedAnswerLeftToAward) {
  using S = OfferState;
  struct Row {
    const char* what;
    std::vector<S> states;
    bool anything;
  };
  const Row rows[] = {
      {"two submitted", {S::kSubmitted, S::kSubmitted}, true},
      {"one left after a suspension", {S::kWithdrawn, S::kSubmitted, S::kDeclined}, true},
      {"every submitted one withdrawn", {S::kWithdrawn, S::kWithdrawn, S::kDeclined}, false},
      {"declined and timed out only", {S::kDeclined, S::kTimedOut}, false},
      {"decided already", {S::kSelected, S::kNotSelected}, false},
      {"no offers", {}, false},
  };
  for (const Row& r : rows) {
    std::vector<OfferSnapshot> offers;
    for (S st : r.states) offers.push_back({"o", "p", OfferKind::kBid, st, absl::Time()});
    EXPECT_EQ(AnythingToAward(offers), r.anything) << r.what;
  }
}

TEST(Direct, StepDoesNothing) {
  Sim sim(Method::kDirect, {"p1"});
  Plan p = sim.Run(L(2026, 6, 16, 10, 0));
  EXPECT_THAT(p.make, IsEmpty());
  EXPECT_FALSE(p.new_state.has_value());
  EXPECT_EQ(p.next_due, absl::InfiniteFuture());
}

// ------------------------------------------------------ answering ---

TEST(StepRetryDelay, DoublesFromAMinuteUpToAnHour) {
  EXPECT_EQ(StepRetryDelay(0), absl::Minutes(1));
  EXPECT_EQ(StepRetryDelay(1), absl::Minutes(1));
  EXPECT_EQ(StepRetryDelay(2), absl::Minutes(2));
  EXPECT_EQ(StepRetryDelay(3), absl::Minutes(4));
  EXPECT_EQ(StepRetryDelay(6), absl::Minutes(32));
  EXPECT_EQ(StepRetryDelay(7), absl::Hours(1));
  EXPECT_EQ(StepRetryDelay(1000000), absl::Hours(1));
}

TEST(CheckAnswerable, Table) {
  const absl::Time deadline = L(2026, 6, 16, 12, 0);
  using S = OfferState;
  using RS = ReferralState;
  struct Row {
    const char* what;
    RS referral;
    S offer;
    absl::Time now;
    const char* error;  // substring; nullptr for OK
  };
  const Row rows[] = {
      {"open, in time", RS::kOpen, S::kOpen, deadline - absl::Seconds(1), nullptr},
      {"open, long before", RS::kOpen, S::kOpen, L(2026, 6, 16, 10, 0), nullptr},
      {"at the deadline", RS::kOpen, S::kOpen, deadline, "deadline passed"},
      {"after the deadline", RS::kOpen, S::kOpen, deadline + absl::Minutes(1), "deadline passed"},
      {"withdrawn offer", RS::kOpen, S::kWithdrawn, L(2026, 6, 16, 10, 0), "withdrawn"},
      {"withdrawn offer, closed referral", RS::kAwarded, S::kWithdrawn, deadline, "withdrawn"},
      {"accepted", RS::kOpen, S::kAccepted, L(2026, 6, 16, 10, 0), "already answered (ACCEPTED)"},
      {"declined", RS::kOpen, S::kDeclined, L(2026, 6, 16, 10, 0), "already answered (DECLINED)"},
      // Timed out by the scheduler: when the deadline was, in London time, not "answered".
      {"timed out", RS::kOpen, S::kTimedOut, deadline + absl::Minutes(5),
       "the offer's deadline passed at 2026-06-16 12:00 BST; it can no longer be answered"},
      {"timed out, referral moved on", RS::kUncovered, S::kTimedOut, deadline + absl::Hours(3),
       "deadline passed at 2026-06-16 12:00 BST"},
      {"past the deadline in winter", RS::kOpen, S::kOpen, L(2026, 12, 1, 12, 0), "2026-06-16 12:00 BST"},
      {"submitted", RS::kOpen, S::kSubmitted, L(2026, 6, 16, 10, 0),
       "already answered (SUBMITTED)"},
      {"referral awarded", RS::kAwarded, S::kOpen, L(2026, 6, 16, 10, 0),
       "no longer open (AWARDED)"},
      {"referral uncovered", RS::kUncovered, S::kOpen, L(2026, 6, 16, 10, 0),
       "no longer open (UNCOVERED)"},
      {"referral evaluating", RS::kEvaluating, S::kOpen, L(2026, 6, 16, 10, 0),
       "no longer open (EVALUATING)"},
      {"referral withdrawn", RS::kWithdrawn, S::kOpen, L(2026, 6, 16, 10, 0),
       "no longer open (WITHDRAWN)"},
      {"referral draft", RS::kDraft, S::kOpen, L(2026, 6, 16, 10, 0), "no longer open (DRAFT)"},
  };
  // A withdrawn offer says why, when it was given a reason.
  EXPECT_THAT(std::string(CheckAnswerable(RS::kOpen, S::kWithdrawn, deadline, L(2026, 6, 16, 10, 0),
                                          "o1", "r1", "another provider accepted first")
                              .message()),
              HasSubstr("withdrawn (another provider accepted first)"));
  for (const Row& r : rows) {
    absl::Status st = CheckAnswerable(r.referral, r.offer, deadline, r.now, "o1", "r1");
    if (r.error == nullptr) {
      EXPECT_TRUE(st.ok()) << r.what << ": " << st;
    } else {
      EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << r.what;
      EXPECT_THAT(std::string(st.message()), HasSubstr(r.error)) << r.what;
      EXPECT_THAT(std::string(st.message()), Not(HasSubstr("(TIMED_OUT)"))) << r.what;
      // The reason a client switches on: the referral's state, the deadline, or else the
      // offer's own state.
      const std::string error(st.message());
      const std::pair<std::string, std::string> want =
          absl::StrContains(error, "no longer open") ? std::pair{"REFERRAL_STATE", "referral/r1"}
          : absl::StrContains(error, "deadline passed")
              ? std::pair{"OFFER_DEADLINE_PASSED", "offer/o1"}
              : std::pair{"OFFER_STATE", "offer/o1"};
      auto got = PreconditionViolationsOf(st);
      ASSERT_EQ(got.size(), 1u) << r.what;
      EXPECT_EQ(got[0].type, want.first) << r.what;
      EXPECT_EQ(got[0].subject, want.second) << r.what;
      EXPECT_EQ(got[0].description, st.message()) << r.what;
    }
  }
}

// Which offers an officer may award, and why not: only a submitted proposal or bid of the
// current round, a mini-competition's once unsealed, and never on a call-off that awards
// itself on acceptance.
TEST(CheckOfferAward, Table) {
  using M = Method;
  using R = ReferralState;
  using O = OfferState;
  struct Row {
    R state;
    M method;
    int offer_round;
    O offer;
    const char* type;  // nullptr: allowed
    const char* subject;
  } rows[] = {
      {R::kOpen, M::kCompetitive, 2, O::kSubmitted, nullptr, nullptr},
      {R::kEvaluating, M::kCompetitive, 2, O::kSubmitted, nullptr, nullptr},
      {R::kEvaluating, M::kMiniCompetition, 2, O::kSubmitted, nullptr, nullptr},
      {R::kOpen, M::kMiniCompetition, 2, O::kSubmitted, "BIDS_SEALED", "referral/r1"},
      {R::kOpen, M::kCompetitive, 1, O::kSubmitted, "OFFER_STATE", "offer/o1"},  // earlier round
      {R::kOpen, M::kCompetitive, 2, O::kOpen, "OFFER_STATE", "offer/o1"},
      {R::kOpen, M::kCompetitive, 2, O::kWithdrawn, "OFFER_STATE", "offer/o1"},
      {R::kEvaluating, M::kMiniCompetition, 2, O::kDeclined, "OFFER_STATE", "offer/o1"},
      {R::kOpen, M::kBroadcast, 2, O::kSubmitted, "CALL_OFF_METHOD", "referral/r1"},
      {R::kOpen, M::kRotational, 2, O::kSubmitted, "CALL_OFF_METHOD", "referral/r1"},
  };
  for (const auto& r : rows) {
    const std::string what = absl::StrCat(StateName(r.state), " ", MethodName(r.method), " round ",
                                          r.offer_round, " ", OfferStateName(r.offer));
    absl::Status st = CheckOfferAward(r.state, r.method, "r1", 2, "o1", r.offer_round, r.offer);
    if (r.type == nullptr) {
      EXPECT_TRUE(st.ok()) << what << ": " << st;
      continue;
    }
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << what;
    auto got = PreconditionViolationsOf(st);
    ASSERT_EQ(got.size(), 1u) << what;
    EXPECT_EQ(got[0].type, r.type) << what;
    EXPECT_EQ(got[0].subject, r.subject) << what;
  }
  EXPECT_EQ(CheckOfferAward(R::kOpen, M::kCompetitive, "r1", 2, "o1", 2, O::kWithdrawn).message(),
            "only a submitted proposal or bid of the current round can be awarded (the offer is "
            "WITHDRAWN)");
}

// Officers review only submitted proposals of a live referral, and mark only submitted
// bids of the current round.
TEST(CheckReviewableAndEvaluable, OnlySubmittedProposalsAndBids) {
  using K = OfferKind;
  using O = OfferState;
  using R = ReferralState;
  auto type = [](const absl::Status& st) {
    auto v = PreconditionViolationsOf(st);
    return v.empty() ? std::string() : v[0].type + " " + v[0].subject;
  };
  EXPECT_TRUE(CheckReviewable(K::kProposal, O::kSubmitted, "o1", R::kOpen, "r1").ok());
  EXPECT_TRUE(CheckReviewable(K::kProposal, O::kSubmitted, "o1", R::kEvaluating, "r1").ok());
  EXPECT_EQ(type(CheckReviewable(K::kBid, O::kSubmitted, "o1", R::kOpen, "r1")),
            "OFFER_STATE offer/o1");
  EXPECT_EQ(type(CheckReviewable(K::kProposal, O::kOpen, "o1", R::kOpen, "r1")),
            "OFFER_STATE offer/o1");
  EXPECT_EQ(type(CheckReviewable(K::kProposal, O::kSubmitted, "o1", R::kAwarded, "r1")),
            "REFERRAL_STATE referral/r1");
  EXPECT_EQ(CheckReviewable(K::kProposal, O::kSubmitted, "o1", R::kWithdrawn, "r1").message(),
            "the referral is WITHDRAWN");
  EXPECT_TRUE(CheckEvaluable(K::kBid, O::kSubmitted, 2, 2, "o1").ok());
  EXPECT_EQ(type(CheckEvaluable(K::kBid, O::kSubmitted, 1, 2, "o1")), "OFFER_STATE offer/o1");
  EXPECT_EQ(type(CheckEvaluable(K::kProposal, O::kSubmitted, 2, 2, "o1")), "OFFER_STATE offer/o1");
  EXPECT_EQ(type(CheckEvaluable(K::kBid, O::kDeclined, 2, 2, "o1")), "OFFER_STATE offer/o1");
}

// Each answer against each kind of offer: a decline fits every offer, the rest only their
// own, and a refusal names the verb to use.
TEST(CheckAnswerKind, Table) {
  using A = AnswerKind;
  using K = OfferKind;
  struct Row {
    A answer;
    K kind;
    const char* error;  // nullptr: allowed
  } rows[] = {
      {A::kAccept, K::kExclusive, nullptr},
      {A::kAccept, K::kBroadcast, nullptr},
      {A::kAccept, K::kProposal,
       "this offer invites a proposal: use SubmitProposal (or DeclineOffer)"},
      {A::kAccept, K::kBid, "this offer invites a bid: use SubmitBid (or DeclineOffer)"},
      {A::kDecline, K::kExclusive, nullptr},
      {A::kDecline, K::kBroadcast, nullptr},
      {A::kDecline, K::kProposal, nullptr},
      {A::kDecline, K::kBid, nullptr},
      {A::kProposal, K::kExclusive, "this offer does not invite a proposal"},
      {A::kProposal, K::kBroadcast, "this offer does not invite a proposal"},
      {A::kProposal, K::kProposal, nullptr},
      {A::kProposal, K::kBid, "this offer does not invite a proposal"},
      {A::kBid, K::kExclusive, "this offer does not invite a bid"},
      {A::kBid, K::kBroadcast, "this offer does not invite a bid"},
      {A::kBid, K::kProposal, "this offer does not invite a bid"},
      {A::kBid, K::kBid, nullptr},
  };
  for (const auto& r : rows) {
    const std::string what =
        absl::StrCat("answer ", static_cast<int>(r.answer), " to a ", OfferKindName(r.kind));
    absl::Status st = CheckAnswerKind(r.answer, r.kind, "o1");
    if (r.error == nullptr) {
      EXPECT_TRUE(st.ok()) << what << ": " << st;
      continue;
    }
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << what;
    EXPECT_EQ(st.message(), r.error) << what;
    auto got = PreconditionViolationsOf(st);
    ASSERT_EQ(got.size(), 1u) << what;
    EXPECT_EQ(got[0].type, "OFFER_KIND") << what;
    EXPECT_EQ(got[0].subject, "offer/o1") << what;
  }
}

// ----------------------------------------------------------- verbs ---

TEST(CheckVerb, EveryVerbInEveryState) {
  using S = ReferralState;
  const S states[] = {S::kDraft,   S::kOpen,      S::kEvaluating,
                      S::kAwarded, S::kUncovered, S::kWithdrawn};
  struct Row {
    Verb verb;
    const char* name;
    std::set<S> allowed;
    const char* listed;  // the allowed states as the message names them
  };
  const Row rows[] = {
      {Verb::kOpen, "opened", {S::kDraft}, "only when DRAFT"},
      {Verb::kUpdate, "changed", {S::kDraft}, "only when DRAFT"},
      {Verb::kUpdatePerson,
       "given new person details",
       {S::kDraft, S::kOpen, S::kEvaluating, S::kAwarded, S::kUncovered},
       "only when DRAFT, OPEN, EVALUATING, AWARDED or UNCOVERED"},
      {Verb::kReopen, "re-opened", {S::kEvaluating, S::kUncovered}, "only when EVALUATING or UNCOVERED"},
      {Verb::kEvaluate, "evaluated", {S::kEvaluating}, "only when EVALUATING"},
      {Verb::kAward,
       "awarded",
       {S::kDraft, S::kOpen, S::kEvaluating, S::kUncovered},
       "only when DRAFT, OPEN, EVALUATING or UNCOVERED"},
      {Verb::kWithdraw,
       "withdrawn",
       {S::kDraft, S::kOpen, S::kEvaluating, S::kUncovered},
       "only when DRAFT, OPEN, EVALUATING or UNCOVERED"},
  };
  for (const Row& r : rows) {
    for (S s : states) {
      absl::Status st = CheckVerb(s, r.verb, "r1");
      if (r.allowed.count(s)) {
        EXPECT_TRUE(st.ok()) << r.name << " from " << StateName(s) << ": " << st;
      } else {
        EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition)
            << r.name << " from " << StateName(s);
        EXPECT_THAT(std::string(st.message()),
                    HasSubstr(absl::StrCat("the referral is ", StateName(s), "; it can be ", r.name,
                                           " ", r.listed)))
            << st;
        EXPECT_EQ(PreconditionViolationsOf(st).at(0).type, "REFERRAL_STATE");
        EXPECT_EQ(PreconditionViolationsOf(st).at(0).subject, "referral/r1");
      }
    }
  }
}

// ----------------------------------------------------------- names ---

TEST(Names, RoundTrip) {
  for (Method m : {Method::kRotational, Method::kBroadcast, Method::kCompetitive,
                   Method::kMiniCompetition, Method::kDirect}) {
    EXPECT_EQ(ParseMethod(MethodName(m)), m) << MethodName(m);
  }
  for (ReferralState s :
       {ReferralState::kDraft, ReferralState::kOpen, ReferralState::kEvaluating,
        ReferralState::kAwarded, ReferralState::kUncovered, ReferralState::kWithdrawn}) {
    EXPECT_EQ(ParseState(StateName(s)), s) << StateName(s);
  }
  for (OfferKind k :
       {OfferKind::kExclusive, OfferKind::kBroadcast, OfferKind::kProposal, OfferKind::kBid}) {
    EXPECT_EQ(ParseOfferKind(OfferKindName(k)), k) << OfferKindName(k);
  }
  for (OfferState s : {OfferState::kOpen, OfferState::kAccepted, OfferState::kDeclined,
                       OfferState::kTimedOut, OfferState::kSubmitted, OfferState::kWithdrawn,
                       OfferState::kNotSelected, OfferState::kSelected}) {
    EXPECT_EQ(ParseOfferState(OfferStateName(s)), s) << OfferStateName(s);
  }
  EXPECT_EQ(MethodName(Method::kRotational), "ROTATIONAL_FIRST_REFUSAL");
  EXPECT_EQ(MethodName(Method::kMiniCompetition), "MINI_COMPETITION");
  EXPECT_EQ(OfferKindName(OfferKind::kProposal), "PROPOSAL_INVITATION");
  EXPECT_EQ(OfferKindName(OfferKind::kBid), "BID_INVITATION");
  EXPECT_EQ(ParseMethod("rotational"), std::nullopt);
  EXPECT_EQ(ParseState(""), std::nullopt);
  EXPECT_EQ(ParseOfferState("CANCELLED"), std::nullopt);
}

// The store keeps states as the API's names and reads them with State_Parse, and turns an
// API state into the engine's with ParseState(State_Name(...)): every state of the API's
// `Proto::State` is one of the engine's and back again. Returns how many there are.
template <typename Proto, typename Engine>
int ExpectEveryApiStateRoundTrips(std::optional<Engine> (*parse)(absl::string_view),
                                  absl::string_view (*name)(Engine)) {
  const auto* states = Proto::State_descriptor();
  int known = 0;
  for (int i = 0; i < states->value_count(); ++i) {
    const auto s = static_cast<typename Proto::State>(states->value(i)->number());
    if (s == Proto::STATE_UNSPECIFIED) continue;
    const std::optional<Engine> engine = parse(Proto::State_Name(s));
    if (!engine) {
      ADD_FAILURE() << Proto::State_Name(s) << " is not an engine state";
      continue;
    }
    typename Proto::State back = Proto::STATE_UNSPECIFIED;
    EXPECT_TRUE(Proto::State_Parse(std::string(name(*engine)), &back)) << name(*engine);
    EXPECT_EQ(back, s) << Proto::State_Name(s);
    ++known;
  }
  return known;
}

TEST(Names, EveryApiStateIsAnEngineState) {
  // As many as ReferralState and OfferState have: each of them is one of the API's.
  EXPECT_EQ((ExpectEveryApiStateRoundTrips<v1::Referral, ReferralState>(&ParseState, &StateName)),
            6);
  EXPECT_EQ(
      (ExpectEveryApiStateRoundTrips<v1::Offer, OfferState>(&ParseOfferState, &OfferStateName)), 8);
}

// Any declared hours make a provider eligible (decision 6); the offer says when they are
// fewer than the package's (decision 64).
TEST(BelowPlannedHours, DeclaredHoursUnderThePackagesAreShort) {
  EXPECT_TRUE(BelowPlannedHours(20, 32));
  EXPECT_TRUE(BelowPlannedHours(31, 31.25));
  EXPECT_FALSE(BelowPlannedHours(32, 32));
  EXPECT_FALSE(BelowPlannedHours(40, 32));
  EXPECT_FALSE(BelowPlannedHours(-1, 32));  // no return known: nothing to compare
}

}  // namespace
}  // namespace pdps::referrals::domain
