// Mini-competition evaluation (seeds 003 8.1, 004 3.23) over plain types: price and
// quality scores on the published weights, ranks, and the tie rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/referrals/domain/calloff.h"

namespace pdps::referrals::domain {

inline constexpr int kMaxMark = 5;

// Whether a framework publishes what a mini-competition is scored on (decision 14): a
// price and a quality weight, each 0..100 and summing to 100, and at least one quality
// question. FAILED_PRECONDITION (MINI_COMPETITION_TERMS_MISSING, subject
// "framework/<framework_id>") naming what is missing otherwise, so that no round is ever
// scored on weights or questions nobody published. Checked wherever a round starts.
absl::Status CheckMiniCompetitionTerms(int price_weight, int quality_weight, int questions,
                                       absl::string_view framework_id);

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

// A bid as its offer holds it in the round.
struct RoundBid {
  BidInput bid;
  OfferState state = OfferState::kSubmitted;
  bool evaluated = false;  // every answer marked
};

// Whether a bid in `state` still competes: SUBMITTED, or SELECTED / NOT_SELECTED once the
// round is decided (those were SUBMITTED when it was). A bid withdrawn by a suspension
// or closure never competes again, and cannot be marked.
bool Competes(OfferState state);

// The one ranking of a round, shown to officers and enforced at the award: the competing
// bids scored by ScoreBids, or nullopt while any of them is not yet evaluated. Bids that
// do not compete neither get a score nor change another's (the lowest rate, the ranks).
std::optional<std::vector<BidScore>> RankRound(const std::vector<RoundBid>& bids,
                                               int price_weight, int quality_weight,
                                               int questions);

// Whether the bid `offer_id` may be awarded on the round's `ranking` (RankRound): every
// bid evaluated first (FAILED_PRECONDITION BIDS_NOT_EVALUATED "referral/<id>"), and a
// `rationale` for a bid tied with another or not ranked first (INVALID_ARGUMENT on
// rationale, saying which).
absl::Status CheckBidAward(const std::optional<std::vector<BidScore>>& ranking,
                           absl::string_view offer_id, const std::string& rationale,
                           absl::string_view referral_id);

}  // namespace pdps::referrals::domain
