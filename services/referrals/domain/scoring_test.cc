// Mini-competition scores against figures worked out by hand, ranks and the tie rule.
#include "services/referrals/domain/scoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/status.h"

namespace pdps::referrals::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Ids(const std::vector<BidScore>& scores) {
  std::vector<std::string> out;
  for (const auto& s : scores) out.push_back(s.offer_id);
  return out;
}

const BidScore& Find(const std::vector<BidScore>& scores, const std::string& id) {
  for (const auto& s : scores) {
    if (s.offer_id == id) return s;
  }
  ADD_FAILURE() << "no score for " << id;
  static BidScore none;
  return none;
}

TEST(ScoreBids, HandWorkedFigures) {
  // Weights 60/40, three questions marked out of 5 (15 marks in all).
  //   A: £20.00, marks 3+4+3 = 10: price 60 × 2000/2000 = 60; quality 40 × 10/15 = 26.666… → 26.67
  //   B: £25.00, marks 5+5+4 = 14: price 60 × 2000/2500 = 48; quality 40 × 14/15 = 37.333… → 37.33
  //   C: £23.00, marks 4+4+3 = 11: price 60 × 2000/2300 = 52.1739… → 52.17;
  //      quality 40 × 11/15 = 29.333… → 29.33
  std::vector<BidInput> bids = {
      {"A", 2000, {3, 4, 3}},
      {"B", 2500, {5, 5, 4}},
      {"C", 2300, {4, 4, 3}},
  };
  auto scores = ScoreBids(bids, 60, 40, 3);
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_THAT(Ids(scores), ElementsAre("A", "B", "C"));

  const BidScore& a = Find(scores, "A");
  EXPECT_DOUBLE_EQ(a.price_score, 60.0);
  EXPECT_DOUBLE_EQ(a.quality_score, 26.67);
  EXPECT_DOUBLE_EQ(a.total_score, 86.67);
  EXPECT_EQ(a.rank, 1);
  EXPECT_FALSE(a.tied);

  const BidScore& b = Find(scores, "B");
  EXPECT_DOUBLE_EQ(b.price_score, 48.0);
  EXPECT_DOUBLE_EQ(b.quality_score, 37.33);
  EXPECT_DOUBLE_EQ(b.total_score, 85.33);
  EXPECT_EQ(b.rank, 2);
  EXPECT_FALSE(b.tied);

  const BidScore& c = Find(scores, "C");
  EXPECT_DOUBLE_EQ(c.price_score, 52.17);
  EXPECT_DOUBLE_EQ(c.quality_score, 29.33);
  EXPECT_DOUBLE_EQ(c.total_score, 81.5);
  EXPECT_EQ(c.rank, 3);
  EXPECT_FALSE(c.tied);
}

TEST(ScoreBids, RoundsEachScoreToTwoDecimals) {
  struct Row {
    int64_t lowest;
    int64_t rate;
    int price_weight;
    double price_score;
  };
  const Row rows[] = {
      {2000, 2000, 60, 60.0},   {2000, 2500, 60, 48.0}, {2000, 2300, 60, 52.17},  // 52.1739…
      {2000, 2100, 60, 57.14},                                                    // 57.1428…
      {1999, 2400, 70, 58.30},                                                    // 58.3041…
      {1000, 3000, 50, 16.67},   // 16.666…: rounds up
      {1000, 1600, 50, 31.25},   // exact
      {2000, 2003, 100, 99.85},  // 99.8502…
  };
  for (const Row& r : rows) {
    std::vector<BidInput> bids = {{"low", r.lowest, {}}, {"x", r.rate, {}}};
    auto scores = ScoreBids(bids, r.price_weight, 100 - r.price_weight, 0);
    EXPECT_DOUBLE_EQ(Find(scores, "x").price_score, r.price_score) << r.rate;
    EXPECT_DOUBLE_EQ(Find(scores, "low").price_score, r.price_weight) << r.rate;
  }
}

TEST(ScoreBids, EqualTotalGoesToBetterQuality) {
  // Weights 50/50, one question: quality = 10 × mark.
  //   cheap: £20.00 → price 50, mark 3 → 30, total 80.
  //   good:  £25.00 → price 40, mark 4 → 40, total 80.
  std::vector<BidInput> bids = {{"cheap", 2000, {3}}, {"good", 2500, {4}}};
  auto scores = ScoreBids(bids, 50, 50, 1);
  EXPECT_THAT(Ids(scores), ElementsAre("good", "cheap"));
  EXPECT_DOUBLE_EQ(scores[0].total_score, 80.0);
  EXPECT_DOUBLE_EQ(scores[1].total_score, 80.0);
  EXPECT_EQ(scores[0].rank, 1);
  EXPECT_EQ(scores[1].rank, 2);
  EXPECT_FALSE(scores[0].tied);
  EXPECT_FALSE(scores[1].tied);
}

TEST(ScoreBids, EqualTotalAndQualityGoesToLowerRate) {
  // Two bids far above the lowest: their price scores round to the same 0.40
  // (60 × 2000/300000 = 0.4, 60 × 2000/300001 = 0.39999…), so only the rate separates them.
  std::vector<BidInput> bids = {
      {"dearer", 300001, {2}},
      {"lowest", 2000, {2}},
      {"dear", 300000, {2}},
  };
  auto scores = ScoreBids(bids, 60, 40, 1);
  EXPECT_THAT(Ids(scores), ElementsAre("lowest", "dear", "dearer"));
  EXPECT_DOUBLE_EQ(scores[1].price_score, 0.4);
  EXPECT_DOUBLE_EQ(scores[2].price_score, 0.4);
  EXPECT_DOUBLE_EQ(scores[1].total_score, scores[2].total_score);
  EXPECT_EQ(scores[1].rank, 2);
  EXPECT_EQ(scores[2].rank, 3);
  EXPECT_FALSE(scores[1].tied);
  EXPECT_FALSE(scores[2].tied);
}

TEST(ScoreBids, FullTieSharesTheRank) {
  std::vector<BidInput> bids = {
      {"third", 2600, {1, 1}},
      {"twin-a", 2000, {4, 3}},
      {"twin-b", 2000, {3, 4}},
  };
  auto scores = ScoreBids(bids, 60, 40, 2);
  ASSERT_EQ(scores.size(), 3u);
  // Stable: the twins keep their input order.
  EXPECT_THAT(Ids(scores), ElementsAre("twin-a", "twin-b", "third"));
  EXPECT_EQ(scores[0].rank, 1);
  EXPECT_EQ(scores[1].rank, 1);
  EXPECT_TRUE(scores[0].tied);
  EXPECT_TRUE(scores[1].tied);
  // Competition ranking: after two firsts comes third.
  EXPECT_EQ(scores[2].rank, 3);
  EXPECT_FALSE(scores[2].tied);
  // 60 + 40 × 7/10 = 88; the third: 60 × 2000/2600 = 46.15, 40 × 2/10 = 8.
  EXPECT_DOUBLE_EQ(scores[0].total_score, 88.0);
  EXPECT_DOUBLE_EQ(scores[2].price_score, 46.15);
  EXPECT_DOUBLE_EQ(scores[2].quality_score, 8.0);
  EXPECT_DOUBLE_EQ(scores[2].total_score, 54.15);
}

TEST(ScoreBids, TieBelowFirstPlace) {
  std::vector<BidInput> bids = {
      {"best", 2000, {5}},
      {"x", 2500, {3}},
      {"y", 2500, {3}},
      {"last", 2500, {1}},
  };
  auto scores = ScoreBids(bids, 60, 40, 1);
  EXPECT_THAT(Ids(scores), ElementsAre("best", "x", "y", "last"));
  EXPECT_EQ(scores[0].rank, 1);
  EXPECT_FALSE(scores[0].tied);
  EXPECT_EQ(scores[1].rank, 2);
  EXPECT_EQ(scores[2].rank, 2);
  EXPECT_TRUE(scores[1].tied);
  EXPECT_TRUE(scores[2].tied);
  EXPECT_EQ(scores[3].rank, 4);
  EXPECT_FALSE(scores[3].tied);
}

TEST(ScoreBids, NoQuestionsGivesFullQualityWeight) {
  std::vector<BidInput> bids = {{"a", 2500, {}}, {"b", 2000, {}}};
  auto scores = ScoreBids(bids, 70, 30, 0);
  EXPECT_THAT(Ids(scores), ElementsAre("b", "a"));
  EXPECT_DOUBLE_EQ(scores[0].quality_score, 30.0);
  EXPECT_DOUBLE_EQ(scores[1].quality_score, 30.0);
  EXPECT_DOUBLE_EQ(scores[0].total_score, 100.0);
  EXPECT_DOUBLE_EQ(scores[1].price_score, 56.0);  // 70 × 2000/2500
  EXPECT_DOUBLE_EQ(scores[1].total_score, 86.0);
}

TEST(ScoreBids, MarksOutOfRangeAreClamped) {
  std::vector<BidInput> bids = {{"a", 2000, {9, -3}}};
  auto scores = ScoreBids(bids, 60, 40, 2);
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_DOUBLE_EQ(scores[0].quality_score, 20.0);  // (5 + 0) / 10 × 40
}

TEST(ScoreBids, SingleBid) {
  auto scores = ScoreBids({{"only", 1800, {2, 2}}}, 60, 40, 2);
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_DOUBLE_EQ(scores[0].price_score, 60.0);
  EXPECT_DOUBLE_EQ(scores[0].quality_score, 16.0);
  EXPECT_DOUBLE_EQ(scores[0].total_score, 76.0);
  EXPECT_EQ(scores[0].rank, 1);
  EXPECT_FALSE(scores[0].tied);
}

TEST(ScoreBids, EmptyInput) { EXPECT_THAT(ScoreBids({}, 60, 40, 3), IsEmpty()); }

// ------------------------------------------------ published terms ---

TEST(CheckMiniCompetitionTerms, WeightsSummingTo100AndAQuestion) {
  struct Row {
    int price, quality, questions;
    std::vector<std::string> says;  // empty: OK
  };
  const Row rows[] = {
      {60, 40, 2, {}},
      {100, 0, 1, {}},
      {0, 100, 1, {}},
      // Nothing published: no built-in 60/40, no round without questions.
      {0, 0, 2, {"weights summing to 100 (it publishes 0 and 0)"}},
      {60, 40, 0, {"at least one quality question"}},
      {0, 0, 0, {"weights summing to 100", "and at least one quality question"}},
      {70, 20, 1, {"(it publishes 70 and 20)"}},
      {120, -20, 1, {"weights summing to 100"}},
  };
  for (const Row& r : rows) {
    absl::Status st = CheckMiniCompetitionTerms(r.price, r.quality, r.questions, "f1");
    if (r.says.empty()) {
      EXPECT_TRUE(st.ok()) << r.price << "/" << r.quality << ": " << st;
      continue;
    }
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << r.price << "/" << r.quality;
    for (const auto& s : r.says) EXPECT_THAT(std::string(st.message()), HasSubstr(s));
    // The officer is told what to do about it.
    EXPECT_THAT(std::string(st.message()), HasSubstr("UpdateFramework"));
    EXPECT_THAT(std::string(st.message()), HasSubstr("another call-off method"));
    auto reason = PreconditionViolationsOf(st);
    ASSERT_EQ(reason.size(), 1u);
    EXPECT_EQ(reason[0].type, "MINI_COMPETITION_TERMS_MISSING");
    EXPECT_EQ(reason[0].subject, "framework/f1");
  }
}

// ------------------------------------------------------------ RankRound ---

TEST(RankRound, AWithdrawnBidNeitherScoresNorMovesTheOthers) {
  // C was the cheapest (£18.00) but its provider was suspended after bidding: the bid is
  // WITHDRAWN, unmarked, and out. A and B are scored against A's £20.00, not C's rate.
  std::vector<RoundBid> bids = {
      {{"A", 2000, {2, 3}}, OfferState::kSubmitted, true},
      {{"B", 2400, {5, 5}}, OfferState::kSubmitted, true},
      {{"C", 1800, {}}, OfferState::kWithdrawn, false},
  };
  auto ranked = RankRound(bids, 60, 40, 2);
  ASSERT_TRUE(ranked.has_value());
  EXPECT_THAT(Ids(*ranked), ElementsAre("B", "A"));
  EXPECT_DOUBLE_EQ(Find(*ranked, "B").price_score, 50.0);  // 60 × 2000/2400
  EXPECT_DOUBLE_EQ(Find(*ranked, "B").total_score, 90.0);
  EXPECT_DOUBLE_EQ(Find(*ranked, "A").price_score, 60.0);
  EXPECT_DOUBLE_EQ(Find(*ranked, "A").total_score, 80.0);  // 60 + 40 × 5/10
  EXPECT_EQ(Find(*ranked, "B").rank, 1);
  EXPECT_EQ(Find(*ranked, "A").rank, 2);
}

TEST(RankRound, NothingUntilEveryCompetingBidIsEvaluated) {
  std::vector<RoundBid> bids = {
      {{"A", 2000, {2, 3}}, OfferState::kSubmitted, true},
      {{"B", 2400, {}}, OfferState::kSubmitted, false},
  };
  EXPECT_FALSE(RankRound(bids, 60, 40, 2).has_value());
  bids[1] = {{"B", 2400, {5, 5}}, OfferState::kSubmitted, true};
  EXPECT_TRUE(RankRound(bids, 60, 40, 2).has_value());
}

TEST(RankRound, TheRankingStaysTheSameOnceTheAwardDecidesTheRound) {
  std::vector<RoundBid> open = {
      {{"A", 2000, {2, 3}}, OfferState::kSubmitted, true},
      {{"B", 2400, {5, 5}}, OfferState::kSubmitted, true},
      {{"C", 1800, {}}, OfferState::kWithdrawn, false},
  };
  std::vector<RoundBid> decided = open;
  decided[0].state = OfferState::kNotSelected;
  decided[1].state = OfferState::kSelected;
  auto before = RankRound(open, 60, 40, 2);
  auto after = RankRound(decided, 60, 40, 2);
  ASSERT_TRUE(before.has_value() && after.has_value());
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i) {
    EXPECT_EQ((*before)[i].offer_id, (*after)[i].offer_id);
    EXPECT_EQ((*before)[i].rank, (*after)[i].rank);
    EXPECT_DOUBLE_EQ((*before)[i].total_score, (*after)[i].total_score);
  }
}

// The award of a bid: nothing before every bid is evaluated; a rationale for any bid but
// an untied first.
TEST(CheckBidAward, EvaluatedFirstAndARationaleUnlessTheClearWinner) {
  auto bid = [](const char* id, int rank, bool tied) {
    BidScore b;
    b.offer_id = id;
    b.rank = rank;
    b.tied = tied;
    return b;
  };
  absl::Status unevaluated = CheckBidAward(std::nullopt, "a", "", "r1");
  EXPECT_EQ(unevaluated.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(PreconditionViolationsOf(unevaluated).size(), 1u);
  EXPECT_EQ(PreconditionViolationsOf(unevaluated)[0].type, "BIDS_NOT_EVALUATED");
  EXPECT_EQ(PreconditionViolationsOf(unevaluated)[0].subject, "referral/r1");
  const std::vector<BidScore> clear = {bid("a", 1, false), bid("b", 2, false)};
  EXPECT_TRUE(CheckBidAward(clear, "a", "", "r1").ok());
  absl::Status second = CheckBidAward(clear, "b", "  ", "r1");
  EXPECT_EQ(second.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(second).at(0).description,
            "is required: the bid is not ranked first");
  EXPECT_TRUE(CheckBidAward(clear, "b", "The family met the worker", "r1").ok());
  const std::vector<BidScore> tie = {bid("a", 1, true), bid("b", 1, true)};
  EXPECT_EQ(FieldViolationsOf(CheckBidAward(tie, "a", "", "r1")).at(0).description,
            "is required: the bid is tied with another");
  EXPECT_TRUE(CheckBidAward(tie, "a", "Closer to the family", "r1").ok());
}

TEST(RankRound, WhichStatesCompete) {
  EXPECT_TRUE(Competes(OfferState::kSubmitted));
  EXPECT_TRUE(Competes(OfferState::kSelected));
  EXPECT_TRUE(Competes(OfferState::kNotSelected));
  for (OfferState s : {OfferState::kOpen, OfferState::kWithdrawn, OfferState::kDeclined,
                       OfferState::kTimedOut, OfferState::kAccepted}) {
    EXPECT_FALSE(Competes(s)) << OfferStateName(s);
  }
}

}  // namespace
}  // namespace pdps::referrals::domain
