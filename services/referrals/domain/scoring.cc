// Mini-competition scoring.
#include "services/referrals/domain/scoring.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"

namespace pdps::referrals::domain {
namespace {

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

absl::Status CheckMiniCompetitionTerms(int price_weight, int quality_weight, int questions,
                                       absl::string_view framework_id) {
  std::vector<std::string> missing;
  if (price_weight < 0 || quality_weight < 0 || price_weight + quality_weight != 100) {
    missing.push_back(absl::StrCat("price and quality weights summing to 100 (it publishes ",
                                   price_weight, " and ", quality_weight, ")"));
  }
  if (questions <= 0) missing.push_back("at least one quality question");
  if (missing.empty()) return absl::OkStatus();
  return FailedPrecondition(
      absl::StrCat("a mini-competition is scored on the framework's published terms, and this "
                   "framework lacks ",
                   absl::StrJoin(missing, " and "),
                   ": publish them on the framework (registry UpdateFramework, call_off) or use "
                   "another call-off method"),
      "MINI_COMPETITION_TERMS_MISSING", Subject("framework", framework_id));
}

std::vector<BidScore> ScoreBids(const std::vector<BidInput>& bids, int price_weight,
                                int quality_weight, int questions) {
  std::vector<BidScore> out;
  if (bids.empty()) return out;
  int64_t lowest = bids.front().hourly_rate_pence;
  for (const auto& b : bids) lowest = std::min(lowest, b.hourly_rate_pence);
  std::vector<int64_t> rates;
  for (const auto& b : bids) {
    BidScore s;
    s.offer_id = b.offer_id;
    s.price_score = b.hourly_rate_pence > 0
                        ? Round2(price_weight * static_cast<double>(lowest) /
                                 static_cast<double>(b.hourly_rate_pence))
                        : 0;
    if (questions <= 0) {
      s.quality_score = quality_weight;
    } else {
      int sum = 0;
      for (int m : b.marks) sum += std::clamp(m, 0, kMaxMark);
      s.quality_score =
          Round2(quality_weight * static_cast<double>(sum) / (kMaxMark * questions));
    }
    s.total_score = Round2(s.price_score + s.quality_score);
    out.push_back(s);
    rates.push_back(b.hourly_rate_pence);
  }
  std::vector<size_t> idx(out.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  auto key = [&](size_t i) {
    // Higher total, then higher quality, then lower rate.
    return std::make_tuple(-out[i].total_score, -out[i].quality_score, rates[i]);
  };
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::vector<BidScore> ranked;
  for (size_t k = 0; k < idx.size(); ++k) {
    BidScore s = out[idx[k]];
    if (k > 0 && key(idx[k]) == key(idx[k - 1])) {
      s.rank = ranked.back().rank;
      s.tied = true;
      ranked.back().tied = true;
    } else {
      s.rank = static_cast<int>(k) + 1;
    }
    ranked.push_back(s);
  }
  return ranked;
}

bool Competes(OfferState state) {
  return state == OfferState::kSubmitted || state == OfferState::kSelected ||
         state == OfferState::kNotSelected;
}

std::optional<std::vector<BidScore>> RankRound(const std::vector<RoundBid>& bids,
                                               int price_weight, int quality_weight,
                                               int questions) {
  std::vector<BidInput> competing;
  for (const auto& b : bids) {
    if (!Competes(b.state)) continue;
    if (!b.evaluated) return std::nullopt;
    competing.push_back(b.bid);
  }
  return ScoreBids(competing, price_weight, quality_weight, questions);
}

absl::Status CheckBidAward(const std::optional<std::vector<BidScore>>& ranking,
                           absl::string_view offer_id, const std::string& rationale,
                           absl::string_view referral_id) {
  if (!ranking) {
    return FailedPrecondition("every bid must be evaluated (EvaluateBid) before the award",
                              "BIDS_NOT_EVALUATED", Subject("referral", referral_id));
  }
  for (const auto& s : *ranking) {
    if (s.offer_id != offer_id) continue;
    if ((s.rank != 1 || s.tied) && IsBlank(rationale)) {
      return InvalidField("rationale", s.tied ? "is required: the bid is tied with another"
                                              : "is required: the bid is not ranked first");
    }
  }
  return absl::OkStatus();
}

}  // namespace pdps::referrals::domain
