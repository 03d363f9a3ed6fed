// Mini-competition evaluation (seeds 003 8.1, 004 3.23) over plain types: price and
// quality scores on the published weights, ranks, and the tie rule.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pdps::referrals::domain {

inline constexpr int kMaxMark = 5;

struct BidInput {
  std::string offer_id;
  int64_t hourly_rate_pence = 0;
  std::vector<int> marks;  // one per quality question, 0..kMaxMark
};

struct BidScore {
  std::string offer_id;
  double price_score = 0;    // 0..price_weight
  double quality_score = 0;  // 0..quality_weight
  double total_score = 0;
  int rank = 0;       // 1 for the best; tied bids share a rank
  bool tied = false;  // level with another bid after every tie-break
};

// Scores every bid. Price: price_weight × lowest rate ÷ this rate. Quality:
// quality_weight × marks ÷ (kMaxMark × questions); with no questions every bid gets the
// full quality weight. Each score is rounded to two decimals and the total is their sum.
// Ranked by total, then quality score (better care wins a tie), then lower rate; bids
// level on all three are tied and share the rank, and an award among them needs the
// officers' rationale. Returned in rank order.
std::vector<BidScore> ScoreBids(const std::vector<BidInput>& bids, int price_weight,
                                int quality_weight, int questions);

}  // namespace pdps::referrals::domain
