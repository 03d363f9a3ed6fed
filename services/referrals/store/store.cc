// Referrals store.
#include "services/referrals/store/store.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/event_types.h"
#include "common/ids.h"
#include "common/listing.h"
#include "common/log.h"
#include "common/proto_util.h"
#include "common/status.h"
#include "nlohmann/json.hpp"
#include "pdps/referrals/v1/referrals_events.pb.h"
#include "pdps/registry/v1/registry_events.pb.h"
#include "services/referrals/domain/scoring.h"
#include "services/referrals/domain/validate.h"
#include "services/referrals/domain/visibility.h"
#include "services/referrals/store/sql.h"

namespace pdps::referrals {
namespace {

using db::P;
using db::Result;
using db::Tx;
using domain::OfferState;
using domain::ReferralState;
using protoutil::JsonStringArray;
using protoutil::SetTimestamp;
using protoutil::ToJsonArray;

using server::kSystemUser;

db::Param TimeOrNull(absl::Time t) {
  return (t == absl::InfinitePast() || t == absl::InfiniteFuture()) ? db::Null() : P(t);
}

std::string FundingJson(const v1::Referral& r) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : r.funding()) {
    // Lower case, as the uuid columns give every other id back.
    a.push_back({{"organisation_id", absl::AsciiStrToLower(f.organisation_id())},
                 {"share_basis_points", f.share_basis_points()},
                 {"funding_stream", f.funding_stream()}});
  }
  return a.dump();
}

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& f) {
  return {f.begin(), f.end()};
}

// A provider's answer changes rows it may not write itself (the referral, other
// providers' offers): after its own offer has been read and checked under row-level
// security as the provider, the rest of the transaction acts as the service.
absl::Status Elevate(Tx& tx) { return tx.Exec(sql::kActAsService).status(); }

v1::CallOffMethod MethodProto(domain::Method m) {
  return protoutil::EnumFromName<v1::CallOffMethod>(std::string(domain::MethodName(m)));
}

// A round's settings as stored with it (referrals.call_off): written when the round
// opens, read back by every step of it, so that a framework changed meanwhile does not
// change a running round.
std::string RoundSnapshotJson(const domain::CallOff& c) {
  return nlohmann::json{{"offer_window_working_hours", c.offer_window_working_hours},
                        {"exclusive_rounds", c.exclusive_rounds},
                        {"friday_afternoon_rule", c.friday_afternoon_rule},
                        {"friday_cutoff_minute", c.friday_cutoff_minute},
                        {"bid_window_working_days", c.bid_window_working_days},
                        {"emergency", c.emergency},
                        {"emergency_offer_window_minutes", c.emergency_offer_window_minutes},
                        {"price_weight_percent", c.price_weight_percent},
                        {"quality_weight_percent", c.quality_weight_percent}}
      .dump();
}

// RoundSnapshotJson read back; empty for a referral never opened. A key a round opened
// before it existed lacks (emergency_offer_window_minutes, decision 58) reads as the
// engine's default (domain::CallOff, the registry's defaults). A snapshot that is not a
// JSON object is INTERNAL: a guess would run the round on other terms.
absl::StatusOr<domain::CallOff> CallOffFromJson(const std::string& json, domain::Method method,
                                                const std::string& referral_id) {
  domain::CallOff c;
  c.method = method;
  auto j = nlohmann::json::parse(json.empty() ? "{}" : json, nullptr, false);
  if (!j.is_object()) {
    return absl::InternalError(
        absl::StrCat("referral ", referral_id, " holds call-off settings that cannot be read"));
  }
  c.offer_window_working_hours =
      j.value("offer_window_working_hours", c.offer_window_working_hours);
  c.exclusive_rounds = j.value("exclusive_rounds", c.exclusive_rounds);
  c.friday_afternoon_rule = j.value("friday_afternoon_rule", c.friday_afternoon_rule);
  c.friday_cutoff_minute = j.value("friday_cutoff_minute", c.friday_cutoff_minute);
  c.bid_window_working_days = j.value("bid_window_working_days", c.bid_window_working_days);
  c.emergency = j.value("emergency", c.emergency);
  c.emergency_offer_window_minutes =
      j.value("emergency_offer_window_minutes", c.emergency_offer_window_minutes);
  c.price_weight_percent = j.value("price_weight_percent", c.price_weight_percent);
  c.quality_weight_percent = j.value("quality_weight_percent", c.quality_weight_percent);
  return c;
}

v1::Offer ToOffer(const Result& r, int i) {
  v1::Offer o;
  o.set_id(r.String(i, "id"));
  o.set_referral_id(r.String(i, "referral_id"));
  o.set_provider_id(r.String(i, "provider_id"));
  o.set_kind(protoutil::EnumFromName<v1::Offer::Kind>(r.String(i, "kind")));
  o.set_state(protoutil::EnumFromName<v1::Offer::State>(r.String(i, "state")));
  o.set_round(static_cast<int>(r.Int64(i, "round")));
  o.set_rota_position(static_cast<int>(r.Int64(i, "rota_position")));
  SetTimestamp(r.Time(i, "offer_time"), o.mutable_offer_time());
  SetTimestamp(r.Time(i, "deadline"), o.mutable_deadline());
  if (!r.IsNull(i, "answer_time")) SetTimestamp(r.Time(i, "answer_time"), o.mutable_answer_time());
  o.set_response_working_seconds(r.Int64(i, "response_working_seconds"));
  o.set_response_elapsed_seconds(r.Int64(i, "response_elapsed_seconds"));
  o.set_decline_reason(protoutil::EnumFromName<v1::DeclineReason>(r.String(i, "decline_reason")));
  o.set_decline_rationale(r.String(i, "decline_rationale"));
  o.set_state_reason(r.String(i, "state_reason"));
  if (!r.String(i, "proposal").empty()) {
    *o.mutable_proposal() = protoutil::FromJson<v1::Proposal>(r.String(i, "proposal"));
  }
  if (!r.IsNull(i, "bid_rate_pence")) {
    auto* b = o.mutable_bid();
    b->mutable_hourly_rate()->set_pence(r.Int64(i, "bid_rate_pence"));
    auto answers = nlohmann::json::parse(r.String(i, "bid_answers"), nullptr, false);
    auto marks = nlohmann::json::parse(r.String(i, "bid_marks"), nullptr, false);
    if (answers.is_array()) {
      for (size_t k = 0; k < answers.size(); ++k) {
        auto* a = b->add_answers();
        a->set_question_index(static_cast<int>(k));
        a->set_answer(answers[k].get<std::string>());
        if (marks.is_array() && k < marks.size()) a->set_mark(marks[k].get<int>());
      }
    }
    b->set_evaluated(marks.is_array() && !marks.empty());
  }
  o.set_etag(protoutil::EtagOf(r.Int64(i, "version")));
  o.set_declared_weekly_hours_available(
      static_cast<int>(r.Int64(i, "declared_weekly_hours_available")));
  o.set_below_planned_hours(r.Bool(i, "below_planned_hours"));
  return o;
}

OfferState StateOf(const v1::Offer& o) {
  return domain::ParseOfferState(v1::Offer::State_Name(o.state())).value_or(OfferState::kOpen);
}

domain::OfferKind KindOf(const v1::Offer& o) {
  return domain::ParseOfferKind(v1::Offer::Kind_Name(o.kind()))
      .value_or(domain::OfferKind::kExclusive);
}

domain::OfferSnapshot Snapshot(const v1::Offer& o) {
  domain::OfferSnapshot s;
  s.id = o.id();
  s.provider_id = o.provider_id();
  s.kind = KindOf(o);
  s.state = StateOf(o);
  s.deadline = protoutil::FromTimestamp(o.deadline());
  return s;
}

// The round's one ranking (domain::RankRound) over its offers as stored (unsealed), on
// the referral's weights: what officers are shown and what the award enforces.
std::optional<std::vector<domain::BidScore>> RankOffers(const std::vector<v1::Offer>& offers,
                                                        const v1::Referral& r) {
  std::vector<domain::RoundBid> bids;
  for (const auto& o : offers) {
    if (!o.has_bid()) continue;
    domain::RoundBid b;
    b.bid = {o.id(), o.bid().hourly_rate().pence(), {}};
    for (const auto& a : o.bid().answers()) b.bid.marks.push_back(a.mark());
    b.state = StateOf(o);
    b.evaluated = o.bid().evaluated();
    bids.push_back(std::move(b));
  }
  return domain::RankRound(bids, r.price_weight_percent(), r.quality_weight_percent(),
                           r.quality_questions_size());
}

}  // namespace

// A locked referral with the fields the rules need beyond the API message.
struct Store::Row {
  v1::Referral r;
  ReferralState state = ReferralState::kDraft;
  domain::Method method = domain::Method::kRotational;
  domain::CallOff call_off;
  std::string office_hours;
  absl::Time held_until = absl::InfinitePast();
  absl::Time stage_deadline = absl::InfinitePast();
  std::string create_org;
  std::set<std::string> competencies;  // lot base set and the package's extras
  std::vector<std::string> required;   // the same, in order (domain::RequiredCompetencies)
  std::vector<std::string> lot_competencies;  // the lot's base set, as kept when raised
};

namespace {

// Every event referrals publishes (protos/pdps/referrals/v1/referrals_events.proto).
std::vector<std::string> PublishedEvents() {
  return {event_types::referrals::kReferralOpened,      event_types::referrals::kOfferMade,
          event_types::referrals::kOfferAnswered,       event_types::referrals::kReferralAwarded,
          event_types::referrals::kReferralUncovered,   event_types::referrals::kReferralWithdrawn,
          event_types::referrals::kPersonDetailsChanged};
}

}  // namespace

Store::Store(db::Pool* pool, calendar::HolidayCalendar holidays)
    : pool_(pool),
      holidays_(std::move(holidays)),
      outbox_("referrals", PublishedEvents()),
      ledger_("referrals") {}

calendar::WorkingTime Store::WorkingTimeFor(const std::string& office_hours) const {
  auto hours = calendar::OfficeHours::Parse(office_hours.empty() ? "09:00-17:00" : office_hours);
  return calendar::WorkingTime(holidays_, hours.ok() ? *hours : calendar::OfficeHours());
}

// ------------------------------------------------------------------ readers ---

namespace {

struct Parsed {
  v1::Referral r;
  std::string call_off_json, office_hours, method;
  absl::Time held_until = absl::InfinitePast(), stage_deadline = absl::InfinitePast();
  std::string create_org;
  std::vector<std::string> lot_competencies;
};

Parsed ParseReferral(const Result& res, int i) {
  Parsed p;
  v1::Referral& r = p.r;
  r.set_id(res.String(i, "id"));
  r.set_partnership_id(res.String(i, "partnership_id"));
  r.set_framework_id(res.String(i, "framework_id"));
  r.set_lot_id(res.String(i, "lot_id"));
  r.set_state(protoutil::EnumFromName<v1::Referral::State>(res.String(i, "state")));
  r.set_urgency(protoutil::EnumFromName<v1::Referral::Urgency>(res.String(i, "urgency")));
  r.set_area(res.String(i, "area"));
  r.set_planned_weekly_hours(res.Double(i, "planned_weekly_hours"));
  r.set_session_pattern(res.String(i, "session_pattern"));
  for (auto& o : JsonStringArray(res.String(i, "outcomes_json"))) r.add_outcomes(o);
  r.set_needs_summary(res.String(i, "needs_summary"));
  r.set_communication_needs(res.String(i, "communication_needs"));
  r.set_special_requirements(res.String(i, "special_requirements"));
  r.mutable_start_date()->set_value(res.String(i, "start_date"));
  if (!res.String(i, "end_date").empty()) r.mutable_end_date()->set_value(res.String(i, "end_date"));
  *r.mutable_preferences() = protoutil::FromJson<v1::Preferences>(res.String(i, "preferences"));
  r.set_age_years(static_cast<int>(res.Int64(i, "age_years")));
  for (auto& e : JsonStringArray(res.String(i, "extra_json"))) r.add_extra_competencies(e);
  p.lot_competencies = JsonStringArray(res.String(i, "lot_competencies_json"));
  auto funding = nlohmann::json::parse(res.String(i, "funding"), nullptr, false);
  if (funding.is_array()) {
    for (const auto& f : funding) {
      auto* out = r.add_funding();
      out->set_organisation_id(f.value("organisation_id", ""));
      out->set_share_basis_points(f.value("share_basis_points", 0));
      out->set_funding_stream(f.value("funding_stream", ""));
    }
  }
  r.set_direct_payment(res.Bool(i, "direct_payment"));
  r.set_care_plan_extract(res.String(i, "care_plan_extract"));
  p.method = res.String(i, "method");
  r.set_method(protoutil::EnumFromName<v1::CallOffMethod>(p.method));
  r.set_round(static_cast<int>(res.Int64(i, "round")));
  p.call_off_json = res.String(i, "call_off");
  p.office_hours = res.String(i, "office_hours");
  if (!res.IsNull(i, "stage_deadline")) {
    p.stage_deadline = res.Time(i, "stage_deadline");
    SetTimestamp(p.stage_deadline, r.mutable_stage_deadline());
  }
  if (!res.IsNull(i, "held_until")) {
    p.held_until = res.Time(i, "held_until");
    SetTimestamp(p.held_until, r.mutable_held_until());
  }
  if (!res.IsNull(i, "maximum_hourly_rate_pence")) {
    r.mutable_maximum_hourly_rate()->set_pence(res.Int64(i, "maximum_hourly_rate_pence"));
  }
  for (auto& q : JsonStringArray(res.String(i, "questions_json"))) r.add_quality_questions(q);
  r.set_price_weight_percent(static_cast<int>(res.Int64(i, "price_weight_percent")));
  r.set_quality_weight_percent(static_cast<int>(res.Int64(i, "quality_weight_percent")));
  if (!res.String(i, "award_provider_id").empty()) {
    auto* a = r.mutable_award();
    a->set_provider_id(res.String(i, "award_provider_id"));
    a->set_method(protoutil::EnumFromName<v1::CallOffMethod>(res.String(i, "award_method")));
    a->set_offer_id(res.String(i, "award_offer_id"));
    a->set_rationale(res.String(i, "award_rationale"));
    if (!res.IsNull(i, "award_rate_pence")) {
      a->mutable_hourly_rate()->set_pence(res.Int64(i, "award_rate_pence"));
    }
    SetTimestamp(res.Time(i, "award_time"), a->mutable_award_time());
    a->set_award_user(res.String(i, "award_user"));
  }
  r.set_state_reason(res.String(i, "state_reason"));
  r.set_etag(protoutil::EtagOf(res.Int64(i, "version")));
  protoutil::FillAudit(res, i, r.mutable_audit());
  p.create_org = res.String(i, "create_organisation");
  return p;
}

}  // namespace

absl::StatusOr<Store::Row> Store::LockReferral(Tx& tx, const std::string& id) {
  ASSIGN_OR_RETURN(Result res, tx.Exec(sql::kSelectReferralForUpdate, {P(id)}));
  if (res.rows() == 0) return NotFound("referral", id);
  Parsed p = ParseReferral(res, 0);
  Row row;
  row.r = std::move(p.r);
  auto state = domain::ParseState(v1::Referral::State_Name(row.r.state()));
  if (!state) {
    return absl::InternalError(
        absl::StrCat("referral ", id, " holds a state the service does not know"));
  }
  row.state = *state;
  // No method until the referral is first opened: the engine's default stands in.
  if (!p.method.empty()) {
    auto method = domain::ParseMethod(p.method);
    if (!method) {
      return absl::InternalError(
          absl::StrCat("referral ", id, " holds a call-off method the service does not know"));
    }
    row.method = *method;
  }
  ASSIGN_OR_RETURN(row.call_off, CallOffFromJson(p.call_off_json, row.method, id));
  row.office_hours = p.office_hours;
  row.held_until = p.held_until;
  row.stage_deadline = p.stage_deadline;
  row.create_org = p.create_org;
  row.lot_competencies = p.lot_competencies;
  row.required =
      domain::RequiredCompetencies(p.lot_competencies, Strings(row.r.extra_competencies()));
  row.competencies.insert(row.required.begin(), row.required.end());
  return row;
}

namespace {

// Row `i` of a statement selecting the referral columns and history_json
// (sql::kSelectReferralView, kListReferrals) as `c` may see it: officers in full with
// history, providers the pen portrait (row-level security has already hidden it from
// everyone else).
v1::Referral ShownReferral(const Result& res, int i, const server::Call& c) {
  v1::Referral r = ParseReferral(res, i).r;
  if (!c.principal.IsOfficer()) return domain::ViewFor(r, c.principal);
  auto history = nlohmann::json::parse(res.String(i, "history_json"), nullptr, false);
  if (!history.is_array()) return r;
  for (const auto& t : history) {
    auto* h = r.add_history();
    h->set_from_state(t.value("from_state", ""));
    h->set_to_state(t.value("to_state", ""));
    h->set_reason(t.value("reason", ""));
    h->set_actor_user(t.value("actor_user", ""));
    h->set_actor_organisation(t.value("actor_organisation", ""));
    SetTimestamp(absl::FromUnixMicros(t.value("at_us", int64_t{0})), h->mutable_time());
  }
  return r;
}

}  // namespace

absl::StatusOr<v1::Referral> Store::ViewFor(Tx& tx, const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result res,
                   tx.Exec(sql::kSelectReferralView, {P(id), P(c.principal.IsOfficer())}));
  if (res.rows() == 0) return NotFound("referral", id);
  return ShownReferral(res, 0, c);
}

// ------------------------------------------------------------------- events ---

namespace {

absl::Status EmitOffer(const events::Outbox& outbox, Tx& tx, const char* type, const v1::Offer& o,
                       const v1::Referral& r) {
  v1::OfferChanged e;
  *e.mutable_offer() = o;
  // Events say that a bid arrived or closed, never what it is (bids are sealed), and
  // carry no pen portrait. They are the provider's (organisation_id below): a proposal
  // goes as its provider sees it, without the family's view.
  e.mutable_offer()->clear_referral();
  e.mutable_offer()->clear_bid();
  if (e.offer().has_proposal()) domain::HideOfficersReview(e.mutable_offer()->mutable_proposal());
  e.set_lot_id(r.lot_id());
  e.set_framework_id(r.framework_id());
  return outbox.Append(tx, {type, "offer", o.id(), o.provider_id(), &e});
}

absl::Status EmitClosed(const events::Outbox& outbox, Tx& tx, const char* type,
                        const v1::Referral& r, const std::string& org, const std::string& reason) {
  v1::ReferralClosed e;
  e.set_referral_id(r.id());
  e.set_lot_id(r.lot_id());
  e.set_framework_id(r.framework_id());
  e.set_state(r.state());
  e.set_reason(reason);
  e.set_round(r.round());
  return outbox.Append(tx, {type, "referral", r.id(), org, &e});
}

absl::StatusOr<v1::Offer> ReadOffer(Tx& tx, const std::string& id, bool for_update) {
  ASSIGN_OR_RETURN(Result r,
                   tx.Exec(for_update ? sql::kSelectOfferForUpdate : sql::kSelectOffer, {P(id)}));
  if (r.rows() == 0) return NotFound("offer", id);
  return ToOffer(r, 0);
}

absl::StatusOr<std::vector<v1::Offer>> RoundOffers(Tx& tx, const std::string& referral_id,
                                                   int round) {
  ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectRoundOffers, {P(referral_id), P(round)}));
  std::vector<v1::Offer> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ToOffer(r, i));
  return out;
}

absl::Status InsertHistory(Tx& tx, const v1::Referral& r, absl::string_view from,
                           absl::string_view to, const std::string& reason,
                           const server::Call& c, absl::Time now) {
  return tx
      .Exec(sql::kInsertTransition,
            {P(r.id()), P(r.partnership_id()), P(std::string(from)), P(std::string(to)),
             P(reason), P(c.principal.user_id), P(c.principal.organisation_id), P(now)})
      .status();
}

// A state change; from == to is the first entry (raised), with no from_state.
absl::Status Transition(Tx& tx, const v1::Referral& r, ReferralState from, ReferralState to,
                        const std::string& reason, const server::Call& c, absl::Time now) {
  return InsertHistory(tx, r, from == to ? "" : domain::StateName(from), domain::StateName(to),
                       reason, c, now);
}

// A change that is no state change (the person's details replaced): from_state and
// to_state are both the current state.
absl::Status Note(Tx& tx, const v1::Referral& r, ReferralState state, const std::string& reason,
                  const server::Call& c) {
  return InsertHistory(tx, r, domain::StateName(state), domain::StateName(state), reason, c,
                       c.now);
}

// One entry of the append-only access log, in the caller's name.
absl::Status LogAccess(Tx& tx, const std::string& referral_id, const std::string& partnership_id,
                       const server::Call& c, const char* action, const std::string& purpose) {
  return tx
      .Exec(sql::kInsertAccess, {P(referral_id), P(partnership_id), P(c.principal.user_id),
                                 P(c.principal.organisation_id), P(action), P(purpose), P(c.now)})
      .status();
}

// The stored date of birth ("" if none), read to compute an age: never released.
absl::StatusOr<std::string> StoredDateOfBirth(Tx& tx, const std::string& referral_id) {
  ASSIGN_OR_RETURN(Result stored, tx.Exec(sql::kSelectPerson, {P(referral_id)}));
  if (stored.rows() == 0) return std::string();
  return protoutil::FromJson<v1::PersonDetails>(stored.String(0, "details"))
      .date_of_birth()
      .value();
}

// Closes an offer that no longer needs an answer (WITHDRAWN, NOT_SELECTED, SELECTED) at
// `now`, which the brokerage return reads to judge an offer left unanswered (decision 67).
absl::Status CloseOffer(const events::Outbox& outbox, Tx& tx, v1::Offer o, v1::Offer::State to,
                        const std::string& reason, const v1::Referral& r, absl::Time now) {
  RETURN_IF_ERROR(
      tx.Exec(sql::kCloseOffer, {P(o.id()), P(v1::Offer::State_Name(to)), P(reason), P(now)})
          .status());
  o.set_state(to);
  o.set_state_reason(reason);
  return EmitOffer(outbox, tx, event_types::referrals::kOfferAnswered, o, r);
}

// Every offer of the round still awaiting something closes (award, withdrawal).
// Closes the round's live offers but `except_id` with `reason`; an offer of
// `own_provider` (given on an award) is told the referral went to it instead.
absl::Status CloseLiveOffers(const events::Outbox& outbox, Tx& tx, const v1::Referral& r,
                             absl::Time now, const std::string& except_id,
                             const std::string& others_reason, const std::string& own_provider = "",
                             const std::string& own_reason = "") {
  ASSIGN_OR_RETURN(auto offers, RoundOffers(tx, r.id(), r.round()));
  for (auto& o : offers) {
    if (o.id() == except_id) continue;
    const std::string& reason =
        !own_provider.empty() && absl::EqualsIgnoreCase(o.provider_id(), own_provider)
            ? own_reason
            : others_reason;
    if (o.state() == v1::Offer::OPEN) {
      RETURN_IF_ERROR(CloseOffer(outbox, tx, o, v1::Offer::WITHDRAWN, reason, r, now));
    } else if (o.state() == v1::Offer::SUBMITTED) {
      RETURN_IF_ERROR(CloseOffer(outbox, tx, o, v1::Offer::NOT_SELECTED, reason, r, now));
    }
  }
  return absl::OkStatus();
}

}  // namespace

// ------------------------------------------------------------- the engine ---

absl::Status Store::ApplyStep(Tx& tx, Row& row, absl::Time now) {
  if (row.state != ReferralState::kOpen) return absl::OkStatus();
  calendar::WorkingTime wt = WorkingTimeFor(row.office_hours);
  domain::Round round;
  round.held_until = row.held_until;
  round.stage_deadline = row.stage_deadline;
  ASSIGN_OR_RETURN(Result cands, tx.Exec(sql::kSelectCandidates, {P(row.r.id()), P(row.r.round())}));
  std::map<std::string, int> declared;  // hours a week each candidate declared, -1 unknown
  for (int i = 0; i < cands.rows(); ++i) {
    round.candidates.push_back({cands.String(i, "provider_id"),
                                static_cast<int>(cands.Int64(i, "position")),
                                cands.Bool(i, "removed")});
    declared[cands.String(i, "provider_id")] =
        static_cast<int>(cands.Int64(i, "weekly_hours_available"));
  }
  ASSIGN_OR_RETURN(auto offers, RoundOffers(tx, row.r.id(), row.r.round()));
  std::map<std::string, v1::Offer> by_id;
  for (auto& o : offers) {
    round.offers.push_back(Snapshot(o));
    by_id[o.id()] = o;
  }
  domain::Plan plan = domain::Step(round, row.call_off, wt, now);

  for (const auto& id : plan.time_out) {
    v1::Offer o = by_id[id];
    absl::Time made = protoutil::FromTimestamp(o.offer_time());
    absl::Time deadline = protoutil::FromTimestamp(o.deadline());
    int64_t working = absl::ToInt64Seconds(wt.WorkingDurationBetween(made, deadline));
    int64_t elapsed = absl::ToInt64Seconds(deadline - made);
    RETURN_IF_ERROR(tx.Exec(sql::kAnswerOffer, {P(id), P("TIMED_OUT"), P(deadline), P(working),
                                                P(elapsed), P(""), P(""), P(kSystemUser)})
                        .status());
    o.set_state(v1::Offer::TIMED_OUT);
    SetTimestamp(deadline, o.mutable_answer_time());
    o.set_response_working_seconds(working);
    o.set_response_elapsed_seconds(elapsed);
    RETURN_IF_ERROR(EmitOffer(outbox_, tx, event_types::referrals::kOfferAnswered, o, row.r));
  }
  for (const auto& n : plan.make) {
    v1::Offer o;
    o.set_id(NewUuid());
    o.set_referral_id(row.r.id());
    o.set_provider_id(n.provider_id);
    o.set_kind(
        protoutil::EnumFromName<v1::Offer::Kind>(std::string(domain::OfferKindName(n.kind))));
    o.set_state(v1::Offer::OPEN);
    o.set_round(row.r.round());
    o.set_rota_position(n.rota_position);
    SetTimestamp(now, o.mutable_offer_time());
    SetTimestamp(n.deadline, o.mutable_deadline());
    const int hours = declared.count(n.provider_id) ? declared[n.provider_id] : -1;
    o.set_declared_weekly_hours_available(std::max(hours, 0));
    o.set_below_planned_hours(domain::BelowPlannedHours(hours, row.r.planned_weekly_hours()));
    RETURN_IF_ERROR(tx.Exec(sql::kInsertOffer,
                            {P(o.id()), P(row.r.id()), P(row.r.partnership_id()), P(row.r.lot_id()),
                             P(n.provider_id), P(domain::OfferKindName(n.kind)), P(row.r.round()),
                             P(n.rota_position), P(now), P(n.deadline),
                             hours >= 0 ? P(hours) : db::Null(), P(o.below_planned_hours())})
                        .status());
    RETURN_IF_ERROR(EmitOffer(outbox_, tx, event_types::referrals::kOfferMade, o, row.r));
  }
  db::Param new_state = db::Null(), reason = db::Null();
  if (plan.new_state) {
    new_state = P(domain::StateName(*plan.new_state));
    reason = P(plan.reason);
    RETURN_IF_ERROR(Transition(tx, row.r, row.state, *plan.new_state, plan.reason, server::SystemCall(now), now));
    row.state = *plan.new_state;
    row.r.set_state(
        protoutil::EnumFromName<v1::Referral::State>(std::string(domain::StateName(row.state))));
    if (row.state == ReferralState::kUncovered) {
      RETURN_IF_ERROR(EmitClosed(outbox_, tx, event_types::referrals::kReferralUncovered, row.r,
                                 row.create_org, plan.reason));
    }
  }
  RETURN_IF_ERROR(tx.Exec(sql::kUpdateSchedule,
                          {P(row.r.id()), TimeOrNull(plan.stage_deadline),
                           TimeOrNull(plan.held_until), TimeOrNull(plan.next_due), new_state,
                           reason, P(now)})
                      .status());
  row.held_until = plan.held_until;
  row.stage_deadline = plan.stage_deadline;
  return absl::OkStatus();
}

// ---------------------------------------------------------------- referrals ---

absl::Status Store::SyncPartnership(const std::string& partnership_id,
                                    const std::set<std::string>& members, absl::Time deadline) {
  std::string json = ToJsonArray({members.begin(), members.end()});
  return pool_->InTx(db::Actor::Internal(""), deadline, [&](Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Exec(sql::kDeleteStaleMembers, {P(partnership_id), P(json)}).status());
    return tx.Exec(sql::kInsertMembers, {P(partnership_id), P(json)}).status();
  });
}

absl::StatusOr<v1::Referral> Store::CreateReferral(const Call& c, const v1::Referral& r,
                                                   const v1::PersonDetails& person,
                                                   const RaiseInput& in,
                                                   const std::string& request_id) {
  v1::Referral out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    auto insert = [&](const std::string& id) -> absl::Status {
      RETURN_IF_ERROR(
          tx.Exec(sql::kInsertReferral,
                  {P(id), P(in.partnership_id), P(in.framework_id), P(r.lot_id()),
                   P(v1::Referral::Urgency_Name(r.urgency())), P(r.area()),
                   P(absl::StrCat(r.planned_weekly_hours())), P(r.session_pattern()),
                   P(ToJsonArray(Strings(r.outcomes()))), P(r.needs_summary()),
                   P(r.communication_needs()), P(r.special_requirements()),
                   P(r.start_date().value()), db::OrNull(r.end_date().value()),
                   P(protoutil::ToJson(r.preferences())), P(in.age_years),
                   P(ToJsonArray(Strings(r.extra_competencies()))),
                   P(ToJsonArray(in.lot_competencies)), P(FundingJson(r)), P(r.direct_payment()),
                   P(r.care_plan_extract()), P(c.principal.user_id),
                   P(c.principal.organisation_id), P(c.now)})
              .status());
      RETURN_IF_ERROR(
          tx.Exec(sql::kInsertPerson, {P(id), P(in.partnership_id), P(protoutil::ToJson(person)), P(c.now)})
              .status());
      RETURN_IF_ERROR(LogAccess(tx, id, in.partnership_id, c, "CREATE", "referral raised"));
      v1::Referral stub;
      stub.set_id(id);
      stub.set_partnership_id(in.partnership_id);
      RETURN_IF_ERROR(Transition(tx, stub, ReferralState::kDraft, ReferralState::kDraft,
                                 "referral raised", c, c.now));
      return absl::OkStatus();
    };
    ASSIGN_OR_RETURN(
        std::string id,
        ledger_.CreateOnce(
            tx, c.principal.organisation_id, request_id, "CreateReferral",
            idempotency::Fingerprint({idempotency::Canonical(r), idempotency::Canonical(person)}),
            insert));
    ASSIGN_OR_RETURN(out, ViewFor(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

// One statement, outside a transaction (Pool::Read): the referral and its history in one
// round trip. No identifying details are read, so there is no access to log.
absl::StatusOr<v1::Referral> Store::GetReferral(const Call& c, const std::string& id) {
  ASSIGN_OR_RETURN(Result res, pool_->Read(c.actor(), c.deadline, sql::kSelectReferralView,
                                           {P(id), P(c.principal.IsOfficer())}));
  if (res.rows() == 0) return NotFound("referral", id);
  return ShownReferral(res, 0, c);
}

absl::StatusOr<Listed<v1::Referral>> Store::ListReferrals(const Call& c, const ReferralFilter& f,
                                                          int page_size,
                                                          const std::string& page_token) {
  // One statement (Pool::Read): the page and, for officers, each referral's history.
  return listing::ReadPage<v1::Referral>(
      *pool_, c, sql::kListReferrals,
      absl::StrCat("referrals|", f.state, "|", f.lot_id, "|", f.framework_id), page_size,
      page_token,
      {db::OrNull(f.state), db::OrNull(f.lot_id), db::OrNull(f.framework_id),
       P(c.principal.IsOfficer())},
      [&c](const Result& r, int i) { return ShownReferral(r, i, c); },
      [](const Result& r, int i, const v1::Referral& m) {
        return std::pair(r.String(i, "create_time"), m.id());
      });
}

absl::StatusOr<v1::Referral> Store::UpdateReferral(const Call& c, const v1::Referral& r,
                                                   const v1::PersonDetails* person,
                                                   int age_years,
                                                   const pdps::registry::v1::Lot& lot) {
  v1::Referral out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, r.id()));
    if (row.r.etag() != r.etag()) return StaleEtag("referral");
    RETURN_IF_ERROR(domain::CheckVerb(row.state, domain::Verb::kUpdate, row.r.id()));
    if (r.lot_id() != row.r.lot_id()) return InvalidField("referral.lot_id", "cannot change");
    // Against the base set the referral was raised with, which is what it asks for.
    RETURN_IF_ERROR(
        domain::CheckExtrasBeyondLot(Strings(r.extra_competencies()), row.lot_competencies));
    // The age on the start date, from the new details or the stored ones. Read here to
    // compute an age, not released to the caller, so it is no access to log.
    std::string born = person != nullptr ? person->date_of_birth().value() : "";
    if (person == nullptr) {
      ASSIGN_OR_RETURN(born, StoredDateOfBirth(tx, r.id()));
    }
    auto born_day = dates::ParseDay(born);
    auto start_day = dates::ParseDay(r.start_date().value());
    if (born_day && start_day) {
      RETURN_IF_ERROR(domain::CheckAgeForLot(
          *born_day, *start_day, lot.min_age(), lot.max_age(),
          person != nullptr ? "person.date_of_birth" : "referral.start_date"));
    }
    RETURN_IF_ERROR(
        tx.Exec(sql::kUpdateReferralFields,
                {P(r.id()), P(v1::Referral::Urgency_Name(r.urgency())), P(r.area()),
                 P(absl::StrCat(r.planned_weekly_hours())), P(r.session_pattern()),
                 P(ToJsonArray(Strings(r.outcomes()))), P(r.needs_summary()),
                 P(r.communication_needs()), P(r.special_requirements()),
                 P(r.start_date().value()), db::OrNull(r.end_date().value()),
                 P(protoutil::ToJson(r.preferences())), P(person ? age_years : row.r.age_years()),
                 P(ToJsonArray(Strings(r.extra_competencies()))), P(FundingJson(r)),
                 P(r.direct_payment()), P(r.care_plan_extract()), P(c.principal.user_id),
                 P(c.now)})
            .status());
    if (person != nullptr) {
      RETURN_IF_ERROR(tx.Exec(sql::kUpdatePerson, {P(r.id()), P(protoutil::ToJson(*person)), P(c.now)}).status());
      RETURN_IF_ERROR(
          LogAccess(tx, r.id(), row.r.partnership_id(), c, "UPDATE", "details corrected"));
    }
    ASSIGN_OR_RETURN(out, ViewFor(tx, c, r.id()));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Referral> Store::StartRound(const Call& c, const std::string& id,
                                               const std::string& etag, const RoundInput& in) {
  v1::Referral out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, id));
    if (row.r.etag() != etag) return StaleEtag("referral");
    RETURN_IF_ERROR(domain::CheckVerb(row.state, in.verb, row.r.id()));
    // Re-opened after an evaluation that found nothing to award: its bids or proposals
    // are closed before the new round starts.
    if (row.state == ReferralState::kEvaluating) {
      RETURN_IF_ERROR(CloseLiveOffers(outbox_, tx, row.r, c.now, "", domain::kWithdrawnReopened));
    }
    // Candidates in rota order; the rota of the lot advances with each rotational round.
    std::vector<std::string> ids;
    std::map<std::string, const EligibleProvider*> eligible;
    for (const auto& e : in.eligible) {
      ids.push_back(e.provider_id);
      eligible[e.provider_id] = &e;
    }
    std::vector<std::string> order;
    if (in.call_off.method == domain::Method::kRotational) {
      RETURN_IF_ERROR(
          tx.Exec(sql::kEnsureRota, {P(row.r.lot_id()), P(row.r.partnership_id()), P(c.now)})
              .status());
      ASSIGN_OR_RETURN(Result rota, tx.Exec(sql::kSelectRota, {P(row.r.lot_id())}));
      order = domain::RotaOrder(ids, rota.rows() ? rota.String(0, "last") : "");
      if (!order.empty()) {
        RETURN_IF_ERROR(tx.Exec(sql::kUpsertRota, {P(row.r.lot_id()), P(row.r.partnership_id()),
                                                   P(order.front()), P(c.now)})
                            .status());
      }
    } else {
      order = domain::RotaOrder(ids, "");
    }
    const bool mini = in.call_off.method == domain::Method::kMiniCompetition;
    ASSIGN_OR_RETURN(
        Result started,
        tx.Exec(
            sql::kStartRound,
            {P(id), P(domain::MethodName(in.call_off.method)), P(RoundSnapshotJson(in.call_off)),
             P(in.office_hours), in.maximum_rate_pence > 0 ? P(in.maximum_rate_pence) : db::Null(),
             P(ToJsonArray(in.questions)), P(mini ? in.call_off.price_weight_percent : 0),
             P(mini ? in.call_off.quality_weight_percent : 0), P(c.principal.user_id), P(c.now)}));
    int round = static_cast<int>(started.Int64(0, "round"));
    for (size_t i = 0; i < order.size(); ++i) {
      RETURN_IF_ERROR(
          tx.Exec(sql::kInsertCandidate,
                  {P(id), P(round), P(order[i]), P(eligible[order[i]]->admission_id),
                   P(row.r.lot_id()), P(row.r.partnership_id()), P(static_cast<int>(i) + 1),
                   eligible[order[i]]->weekly_hours_available >= 0
                       ? P(eligible[order[i]]->weekly_hours_available)
                       : db::Null()})
              .status());
    }
    std::string why = in.verb == domain::Verb::kOpen
                          ? absl::StrCat("opened: ", domain::MethodName(in.call_off.method))
                          : absl::StrCat("re-opened (", domain::MethodName(in.call_off.method),
                                         "): ", in.reason);
    RETURN_IF_ERROR(Transition(tx, row.r, row.state, ReferralState::kOpen, why, c, c.now));
    ASSIGN_OR_RETURN(row, LockReferral(tx, id));
    v1::ReferralOpened e;
    e.set_referral_id(id);
    e.set_lot_id(row.r.lot_id());
    e.set_framework_id(row.r.framework_id());
    e.set_method(MethodProto(in.call_off.method));
    e.set_round(round);
    e.set_eligible_providers(static_cast<int>(order.size()));
    RETURN_IF_ERROR(outbox_.Append(
        tx, {event_types::referrals::kReferralOpened, "referral", id, row.create_org, &e}));
    RETURN_IF_ERROR(ApplyStep(tx, row, c.now));
    ASSIGN_OR_RETURN(out, ViewFor(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

namespace {

absl::Status EmitAwarded(const events::Outbox& outbox, Tx& tx, const v1::Referral& r,
                         const std::string& org) {
  v1::ReferralAwarded e;
  e.set_referral_id(r.id());
  e.set_provider_id(r.award().provider_id());
  e.set_lot_id(r.lot_id());
  e.set_framework_id(r.framework_id());
  e.set_partnership_id(r.partnership_id());
  e.set_method(r.award().method());
  e.set_planned_weekly_hours(r.planned_weekly_hours());
  e.set_session_pattern(r.session_pattern());
  *e.mutable_start_date() = r.start_date();
  if (r.has_end_date()) *e.mutable_end_date() = r.end_date();
  *e.mutable_funding() = r.funding();
  e.set_direct_payment(r.direct_payment());
  e.set_urgency(r.urgency());
  *e.mutable_outcomes() = r.outcomes();
  *e.mutable_extra_competencies() = r.extra_competencies();
  if (r.award().has_hourly_rate()) *e.mutable_hourly_rate() = r.award().hourly_rate();
  *e.mutable_award_time() = r.award().award_time();
  return outbox.Append(tx, {event_types::referrals::kReferralAwarded, "referral", r.id(), org, &e});
}

}  // namespace

absl::StatusOr<v1::Referral> Store::Award(const Call& c, const std::string& id,
                                          const std::string& etag, const AwardInput& in) {
  v1::Referral out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, id));
    if (row.r.etag() != etag) return StaleEtag("referral");
    RETURN_IF_ERROR(domain::CheckVerb(row.state, domain::Verb::kAward, row.r.id()));
    std::string provider = in.provider_id, offer_id, method;
    db::Param rate = db::Null();
    if (!in.offer_id.empty()) {
      ASSIGN_OR_RETURN(v1::Offer chosen, ReadOffer(tx, in.offer_id, /*for_update=*/true));
      if (chosen.referral_id() != id) return NotFound("offer", in.offer_id);
      RETURN_IF_ERROR(domain::CheckOfferAward(row.state, row.method, row.r.id(), row.r.round(),
                                              chosen.id(), chosen.round(), StateOf(chosen)));
      if (row.method == domain::Method::kMiniCompetition) {
        ASSIGN_OR_RETURN(auto offers, RoundOffers(tx, id, row.r.round()));
        RETURN_IF_ERROR(domain::CheckBidAward(RankOffers(offers, row.r), chosen.id(), in.rationale,
                                              row.r.id()));
        rate = P(chosen.bid().hourly_rate().pence());
      }
      provider = chosen.provider_id();
      offer_id = chosen.id();
      method = std::string(domain::MethodName(row.method));
      RETURN_IF_ERROR(
          CloseOffer(outbox_, tx, chosen, v1::Offer::SELECTED, "awarded", row.r, c.now));
    } else {
      if (!in.provider_active) {
        return FailedPrecondition(
            "the provider is not active on this lot; a direct award needs an ACTIVE admission",
            "NOT_ADMITTED", Subject("lot", row.r.lot_id()));
      }
      method = "DIRECT_AWARD";
    }
    if (row.state == ReferralState::kOpen || row.state == ReferralState::kEvaluating) {
      RETURN_IF_ERROR(CloseLiveOffers(outbox_, tx, row.r, c.now, offer_id,
                                      domain::kWithdrawnAwardedToAnother, provider,
                                      domain::kWithdrawnAwardedToThis));
    }
    RETURN_IF_ERROR(tx.Exec(sql::kSetAward, {P(id), P(provider), P(method), db::OrNull(offer_id),
                                             P(in.rationale), rate, P(c.now),
                                             P(c.principal.user_id)})
                        .status());
    RETURN_IF_ERROR(Transition(tx, row.r, row.state, ReferralState::kAwarded,
                               in.rationale.empty() ? "awarded" : in.rationale, c, c.now));
    ASSIGN_OR_RETURN(Row after, LockReferral(tx, id));
    RETURN_IF_ERROR(EmitAwarded(outbox_, tx, after.r, after.create_org));
    ASSIGN_OR_RETURN(out, ViewFor(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Referral> Store::Withdraw(const Call& c, const std::string& id,
                                             const std::string& etag, const std::string& reason) {
  v1::Referral out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, id));
    if (row.r.etag() != etag) return StaleEtag("referral");
    RETURN_IF_ERROR(domain::CheckVerb(row.state, domain::Verb::kWithdraw, row.r.id()));
    if (row.r.round() > 0) {
      RETURN_IF_ERROR(
          CloseLiveOffers(outbox_, tx, row.r, c.now, "", domain::kWithdrawnReferralWithdrawn));
    }
    RETURN_IF_ERROR(
        tx.Exec(sql::kSetState, {P(id), P("WITHDRAWN"), P(reason), P(c.principal.user_id), P(c.now)})
            .status());
    RETURN_IF_ERROR(Transition(tx, row.r, row.state, ReferralState::kWithdrawn, reason, c, c.now));
    row.r.set_state(v1::Referral::WITHDRAWN);
    // The officer's words stay on the referral: they may describe the person.
    RETURN_IF_ERROR(EmitClosed(outbox_, tx, event_types::referrals::kReferralWithdrawn, row.r,
                               row.create_org, "withdrawn by an officer"));
    ASSIGN_OR_RETURN(out, ViewFor(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

// ------------------------------------------------------------------- people ---

absl::StatusOr<v1::PersonDetails> Store::ReadPerson(const Call& c, const std::string& referral_id,
                                                    const std::string& purpose) {
  v1::PersonDetails out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result r, tx.Exec(sql::kSelectPerson, {P(referral_id)}));
    if (r.rows() == 0) return NotFound("referral", referral_id);
    out = protoutil::FromJson<v1::PersonDetails>(r.String(0, "details"));
    return LogAccess(tx, referral_id, r.String(0, "partnership_id"), c, "READ", purpose);
  }));
  return out;
}

absl::StatusOr<bool> Store::DateOfBirthChanges(const Call& c, const std::string& referral_id,
                                               const std::string& date_of_birth) {
  bool changes = false;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::string born, StoredDateOfBirth(tx, referral_id));
    changes = born != date_of_birth;
    return absl::OkStatus();
  }));
  return changes;
}

absl::StatusOr<v1::Referral> Store::UpdatePerson(const Call& c, const std::string& referral_id,
                                                 const std::string& etag,
                                                 const v1::PersonDetails& person,
                                                 const std::string& reason,
                                                 bool date_of_birth_changes) {
  v1::Referral out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, referral_id));
    if (row.r.etag() != etag) return StaleEtag("referral");
    RETURN_IF_ERROR(domain::CheckVerb(row.state, domain::Verb::kUpdatePerson, row.r.id()));
    // Every write of the details moves the etag, so with the etag unchanged the stored
    // date of birth is the one the brokerage compared; a mismatch is a concurrent change.
    ASSIGN_OR_RETURN(std::string born, StoredDateOfBirth(tx, referral_id));
    const std::string& dob = person.date_of_birth().value();
    if ((born != dob) != date_of_birth_changes) return StaleEtag("referral");
    int age = row.r.age_years();
    if (date_of_birth_changes) {
      absl::CivilDay raised =
          dates::TodayInLondon(protoutil::FromTimestamp(row.r.audit().create_time()));
      age = domain::AgeOn(*dates::ParseDay(dob), raised);
    }
    RETURN_IF_ERROR(
        tx.Exec(sql::kUpdatePerson, {P(referral_id), P(protoutil::ToJson(person)), P(c.now)})
            .status());
    RETURN_IF_ERROR(LogAccess(tx, referral_id, row.r.partnership_id(), c, "UPDATE",
                              absl::StrCat("update: ", reason)));
    RETURN_IF_ERROR(tx.Exec(sql::kTouchReferralForPerson,
                            {P(referral_id), P(age), P(c.principal.user_id), P(c.now)})
                        .status());
    RETURN_IF_ERROR(
        Note(tx, row.r, row.state, absl::StrCat("person details updated: ", reason), c));
    if (row.state == ReferralState::kAwarded) {
      // Only which referral, whose package and when: the provider reads the details
      // again through GetPersonDetails, which is audited.
      v1::PersonDetailsChanged e;
      e.set_referral_id(referral_id);
      e.set_provider_id(row.r.award().provider_id());
      SetTimestamp(c.now, e.mutable_change_time());
      RETURN_IF_ERROR(outbox_.Append(tx, {event_types::referrals::kPersonDetailsChanged, "referral",
                                          referral_id, row.create_org, &e}));
    }
    ASSIGN_OR_RETURN(out, ViewFor(tx, c, referral_id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Listed<v1::PersonDetailsAccess>> Store::ListAccess(const Call& c,
                                                                  const std::string& referral_id,
                                                                  int page_size,
                                                                  const std::string& page_token) {
  Listed<v1::PersonDetailsAccess> out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result seen, tx.Exec(sql::kSelectReferral, {P(referral_id)}));
    if (seen.rows() == 0) return NotFound("referral", referral_id);
    auto access = [](const Result& r, int i) {
      v1::PersonDetailsAccess a;
      a.set_referral_id(r.String(i, "referral_id"));
      a.set_user_id(r.String(i, "user_id"));
      a.set_organisation_id(r.String(i, "organisation_id"));
      a.set_action(r.String(i, "action"));
      a.set_purpose(r.String(i, "purpose"));
      SetTimestamp(r.Time(i, "at"), a.mutable_time());
      return a;
    };
    ASSIGN_OR_RETURN(out, listing::ReadPage<v1::PersonDetailsAccess>(
                              tx, sql::kListAccess, absl::StrCat("access|", referral_id), page_size,
                              page_token, {P(referral_id)}, access,
                              [](const Result& r, int i, const v1::PersonDetailsAccess&) {
                                return r.String(i, "id");
                              }));
    return absl::OkStatus();
  }));
  return out;
}

// ------------------------------------------------------------------- offers ---

namespace {

// Reads the offers of a round (for scoring bids).
using RoundReader = std::function<absl::StatusOr<std::vector<v1::Offer>>(
    const std::string& referral_id, int round)>;

std::map<std::string, v1::Referral> ReferralsById(const Result& res) {
  std::map<std::string, v1::Referral> out;
  for (int i = 0; i < res.rows(); ++i) {
    v1::Referral r = ParseReferral(res, i).r;
    out[r.id()] = std::move(r);
  }
  return out;
}

// Shapes offers for the caller, given their referrals: bids stay sealed from officers
// until the deadline and are scored once every bid is evaluated; providers' inboxes carry
// the pen portrait.
absl::Status ShapeWith(const server::Call& c, const std::vector<v1::Offer*>& offers,
                       const std::map<std::string, v1::Referral>& referrals, bool with_referral,
                       const RoundReader& round_offers) {
  std::map<std::pair<std::string, int>, std::vector<domain::BidScore>> scores;
  for (auto* o : offers) {
    auto it = referrals.find(o->referral_id());
    if (it == referrals.end()) continue;
    const v1::Referral& r = it->second;
    bool mine = o->provider_id() == c.principal.organisation_id;
    if (o->kind() == v1::Offer::BID_INVITATION && o->has_bid() && !mine) {
      // Sealed until the bid deadline whatever became of the referral (a direct award or
      // a withdrawal before it opens nothing), and while the round is still OPEN.
      bool sealed = c.now < protoutil::FromTimestamp(o->deadline()) ||
                    (r.round() == o->round() && r.state() == v1::Referral::OPEN);
      if (sealed) {
        o->clear_bid();
      } else {
        auto key = std::make_pair(r.id(), o->round());
        if (!scores.count(key)) {
          ASSIGN_OR_RETURN(auto in_round, round_offers(r.id(), o->round()));
          scores[key] = RankOffers(in_round, r).value_or(std::vector<domain::BidScore>{});
        }
        for (const auto& s : scores[key]) {
          if (s.offer_id != o->id()) continue;
          auto* b = o->mutable_bid();
          b->set_price_score(s.price_score);
          b->set_quality_score(s.quality_score);
          b->set_total_score(s.total_score);
          b->set_rank(s.rank);
          b->set_tied(s.tied);
        }
      }
    }
    // The family's view and which officer reviewed a proposal stay with officers, as the
    // award's officer does.
    if (!c.principal.IsOfficer() && o->has_proposal())
      domain::HideOfficersReview(o->mutable_proposal());
    if (with_referral) *o->mutable_referral() = domain::ViewFor(r, c.principal);
  }
  return absl::OkStatus();
}

// The offers of a page, to shape.
std::vector<v1::Offer*> Pointers(std::vector<v1::Offer>& items) {
  std::vector<v1::Offer*> ptrs;
  for (auto& o : items) ptrs.push_back(&o);
  return ptrs;
}

// An offer's page key: `key_column` (the list's order), then id.
auto OfferKey(const char* key_column) {
  return [key_column](const Result& r, int i, const v1::Offer& o) {
    return std::pair(r.String(i, key_column), o.id());
  };
}

}  // namespace

absl::Status Store::ShapeOffers(Tx& tx, const Call& c, std::vector<v1::Offer*> offers,
                                bool with_referral) {
  std::map<std::string, v1::Referral> referrals;
  std::set<std::string> ids;
  for (auto* o : offers) ids.insert(o->referral_id());
  if (!ids.empty()) {
    // The page's referrals in one statement.
    ASSIGN_OR_RETURN(Result res, tx.Exec(sql::kSelectReferralsByIds, {db::IdArray(ids)}));
    referrals = ReferralsById(res);
  }
  return ShapeWith(c, offers, referrals, with_referral,
                   [&](const std::string& id, int round) { return RoundOffers(tx, id, round); });
}

absl::StatusOr<v1::Offer> Store::GetOffer(const Call& c, const std::string& id) {
  v1::Offer out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out, ReadOffer(tx, id, false));
    return ShapeOffers(tx, c, {&out}, !c.principal.IsOfficer());
  }));
  return out;
}

absl::StatusOr<Listed<v1::Offer>> Store::ListOffers(const Call& c, const std::string& referral_id,
                                                    bool live_only, int page_size,
                                                    const std::string& page_token) {
  std::string fp = absl::StrCat("offers|", referral_id, "|", live_only);
  Listed<v1::Offer> out;
  if (referral_id.empty()) {
    // A provider's inbox: its own offers and their referrals in one round trip (the
    // referrals by the same page condition and parameters), no transaction.
    Result page_referrals;
    auto read = [&](std::string_view page_sql,
                    const std::vector<db::Param>& params) -> absl::StatusOr<Result> {
      ASSIGN_OR_RETURN(std::vector<Result> results,
                       pool_->ReadAll(c.actor(), c.deadline,
                                      {{page_sql, params}, {sql::kInboxReferrals, params}}));
      page_referrals = std::move(results[1]);
      return std::move(results[0]);
    };
    ASSIGN_OR_RETURN(
        out, listing::ReadPage<v1::Offer>(read, sql::kListInbox, fp, page_size, page_token,
                                          {P(live_only), P(c.principal.organisation_id), P(c.now)},
                                          ToOffer, OfferKey("deadline")));
    std::vector<v1::Offer*> ptrs = Pointers(out.items);
    std::map<std::string, v1::Referral> referrals = ReferralsById(page_referrals);
    // The second statement saw the page a moment later: an offer that left it meanwhile
    // (answered, lapsed) has its referral read now.
    std::set<std::string> missing;
    for (const auto& o : out.items) {
      if (!referrals.count(o.referral_id())) missing.insert(o.referral_id());
    }
    if (!missing.empty()) {
      ASSIGN_OR_RETURN(Result more, pool_->Read(c.actor(), c.deadline, sql::kSelectReferralsByIds,
                                                {db::IdArray(missing)}));
      referrals.merge(ReferralsById(more));
    }
    // Every offer is the caller's own: nothing to unseal or score.
    RETURN_IF_ERROR(
        ShapeWith(c, ptrs, referrals, /*with_referral=*/true,
                  [](const std::string&, int) -> absl::StatusOr<std::vector<v1::Offer>> {
                    return absl::InternalError("an inbox holds only its own bids");
                  }));
    return out;
  }
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result seen, tx.Exec(sql::kSelectReferral, {P(referral_id)}));
    if (seen.rows() == 0) return NotFound("referral", referral_id);
    ASSIGN_OR_RETURN(
        out, listing::ReadPage<v1::Offer>(tx, sql::kListReferralOffers, fp, page_size, page_token,
                                          {P(referral_id), P(live_only), P(c.now)}, ToOffer,
                                          OfferKey("offer_time")));
    return ShapeOffers(tx, c, Pointers(out.items), /*with_referral=*/false);
  }));
  return out;
}

absl::StatusOr<v1::Offer> Store::Answer(const Call& c, const std::string& offer_id,
                                        const AnswerInput& in) {
  v1::Offer out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    // As the provider: its own offer only (another's is NOT_FOUND, as if absent).
    ASSIGN_OR_RETURN(v1::Offer seen, ReadOffer(tx, offer_id, false));
    if (seen.provider_id() != c.principal.organisation_id) return NotFound("offer", offer_id);
    RETURN_IF_ERROR(Elevate(tx));
    // Lock order everywhere: the referral, then its offers.
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, seen.referral_id()));
    ASSIGN_OR_RETURN(v1::Offer o, ReadOffer(tx, offer_id, true));
    // Whether it can be answered at all comes before the etag: whatever closed the offer
    // (another provider won, the deadline passed, a withdrawal) changed its etag too, and
    // the provider must hear why rather than be told to read it again and retry.
    if (o.round() != row.r.round()) {
      return FailedPrecondition("the offer belongs to an earlier round", "OFFER_STATE",
                                Subject("offer", o.id()));
    }
    OfferState ostate = StateOf(o);
    absl::Time deadline = protoutil::FromTimestamp(o.deadline());
    RETURN_IF_ERROR(domain::CheckAnswerable(row.state, ostate, deadline, c.now, o.id(), row.r.id(),
                                            o.state_reason()));
    if (!in.etag.empty() && in.etag != o.etag()) return StaleEtag("offer");
    RETURN_IF_ERROR(domain::CheckAnswerKind(in.kind, KindOf(o), o.id()));
    calendar::WorkingTime wt = WorkingTimeFor(row.office_hours);
    absl::Time made = protoutil::FromTimestamp(o.offer_time());
    int64_t working = absl::ToInt64Seconds(wt.WorkingDurationBetween(made, c.now));
    int64_t elapsed = absl::ToInt64Seconds(c.now - made);
    switch (in.kind) {
      case AnswerKind::kAccept: {
        RETURN_IF_ERROR(tx.Exec(sql::kAnswerOffer, {P(offer_id), P("ACCEPTED"), P(c.now),
                                                    P(working), P(elapsed), P(""), P(""),
                                                    P(c.principal.user_id)})
                            .status());
        ASSIGN_OR_RETURN(o, ReadOffer(tx, offer_id, false));
        RETURN_IF_ERROR(EmitOffer(outbox_, tx, event_types::referrals::kOfferAnswered, o, row.r));
        RETURN_IF_ERROR(CloseLiveOffers(outbox_, tx, row.r, c.now, offer_id,
                                        domain::kWithdrawnAnotherAccepted));
        RETURN_IF_ERROR(tx.Exec(sql::kSetAward,
                                {P(row.r.id()), P(o.provider_id()), P(domain::MethodName(row.method)),
                                 P(offer_id), P(""), db::Null(), P(c.now), P(c.principal.user_id)})
                            .status());
        RETURN_IF_ERROR(Transition(tx, row.r, row.state, ReferralState::kAwarded,
                                   "accepted by the provider", c, c.now));
        ASSIGN_OR_RETURN(Row after, LockReferral(tx, row.r.id()));
        RETURN_IF_ERROR(EmitAwarded(outbox_, tx, after.r, after.create_org));
        break;
      }
      case AnswerKind::kDecline: {
        RETURN_IF_ERROR(tx.Exec(sql::kAnswerOffer,
                                {P(offer_id), P("DECLINED"), P(c.now), P(working), P(elapsed),
                                 P(v1::DeclineReason_Name(in.reason)), P(in.rationale),
                                 P(c.principal.user_id)})
                            .status());
        ASSIGN_OR_RETURN(o, ReadOffer(tx, offer_id, false));
        RETURN_IF_ERROR(EmitOffer(outbox_, tx, event_types::referrals::kOfferAnswered, o, row.r));
        RETURN_IF_ERROR(ApplyStep(tx, row, c.now));
        break;
      }
      case AnswerKind::kProposal: {
        RETURN_IF_ERROR(domain::ValidateProposal(in.proposal, row.competencies));
        const v1::Proposal p =
            domain::ProposalAsSubmitted(in.proposal, in.worker_checked, row.required);
        RETURN_IF_ERROR(tx.Exec(sql::kSubmitProposal, {P(offer_id), P(protoutil::ToJson(p)), P(c.now),
                                                       P(working), P(elapsed),
                                                       P(c.principal.user_id)})
                            .status());
        ASSIGN_OR_RETURN(o, ReadOffer(tx, offer_id, false));
        RETURN_IF_ERROR(EmitOffer(outbox_, tx, event_types::referrals::kOfferAnswered, o, row.r));
        break;
      }
      case AnswerKind::kBid: {
        RETURN_IF_ERROR(domain::ValidateBid(in.bid, row.r.maximum_hourly_rate().pence(),
                                            row.r.quality_questions_size()));
        std::vector<std::string> answers(row.r.quality_questions_size());
        for (const auto& a : in.bid.answers()) answers[a.question_index()] = a.answer();
        RETURN_IF_ERROR(tx.Exec(sql::kSubmitBid,
                                {P(offer_id), P(in.bid.hourly_rate().pence()),
                                 P(ToJsonArray(answers)), P(c.now), P(working), P(elapsed),
                                 P(c.principal.user_id)})
                            .status());
        ASSIGN_OR_RETURN(o, ReadOffer(tx, offer_id, false));
        RETURN_IF_ERROR(EmitOffer(outbox_, tx, event_types::referrals::kOfferAnswered, o, row.r));
        break;
      }
    }
    ASSIGN_OR_RETURN(out, ReadOffer(tx, offer_id, false));
    return ShapeOffers(tx, c, {&out}, true);
  }));
  return out;
}

absl::StatusOr<v1::Offer> Store::ReviewProposal(const Call& c, const std::string& offer_id,
                                                const std::string& etag, bool shortlisted,
                                                const std::string& family_view, bool met_worker) {
  v1::Offer out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Offer seen, ReadOffer(tx, offer_id, false));
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, seen.referral_id()));
    ASSIGN_OR_RETURN(v1::Offer o, ReadOffer(tx, offer_id, true));
    if (!etag.empty() && etag != o.etag()) return StaleEtag("offer");
    RETURN_IF_ERROR(domain::CheckReviewable(KindOf(o), StateOf(o), o.id(), row.state, row.r.id()));
    // The latest review replaces the one before, stamped with who recorded it and when.
    nlohmann::json patch = {
        {"shortlisted", shortlisted},
        {"family_view", family_view},
        {"family_met_worker", met_worker},
        {"reviewed_by_user", c.principal.user_id},
        {"reviewed_by_organisation", c.principal.organisation_id},
        {"reviewed_at", absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", c.now, absl::UTCTimeZone())}};
    RETURN_IF_ERROR(tx.Exec(sql::kReviewProposal, {P(offer_id), P(patch.dump())}).status());
    ASSIGN_OR_RETURN(out, ReadOffer(tx, offer_id, false));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Offer> Store::EvaluateBid(const Call& c, const std::string& offer_id,
                                             const std::string& etag,
                                             const std::vector<int>& marks) {
  v1::Offer out;
  RETURN_IF_ERROR(pool_->InTx(c.actor(), c.deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Offer seen, ReadOffer(tx, offer_id, false));
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, seen.referral_id()));
    ASSIGN_OR_RETURN(v1::Offer o, ReadOffer(tx, offer_id, true));
    if (!etag.empty() && etag != o.etag()) return StaleEtag("offer");
    RETURN_IF_ERROR(domain::CheckVerb(row.state, domain::Verb::kEvaluate, row.r.id()));
    RETURN_IF_ERROR(
        domain::CheckEvaluable(KindOf(o), StateOf(o), o.round(), row.r.round(), o.id()));
    RETURN_IF_ERROR(domain::ValidateMarks(marks, row.r.quality_questions_size()));
    RETURN_IF_ERROR(tx.Exec(sql::kMarkBid, {P(offer_id), P(nlohmann::json(marks).dump())}).status());
    ASSIGN_OR_RETURN(out, ReadOffer(tx, offer_id, false));
    return ShapeOffers(tx, c, {&out}, false);
  }));
  return out;
}

// ------------------------------------------------------ scheduler and feed ---

absl::StatusOr<Store::Sweep> Store::RunDue(absl::Time now, int limit, absl::Time deadline) {
  Sweep out;
  while (out.advanced + out.failed < limit) {
    std::string id;
    absl::Duration lag;
    log::Context step;  // the referral, on every line this step writes (db errors)
    absl::Status st =
        pool_->InTx(db::Actor::Internal(kSystemUser), deadline, [&](Tx& tx) -> absl::Status {
          id.clear();
          ASSIGN_OR_RETURN(Result due, tx.Exec(sql::kClaimDue, {P(now)}));
          if (due.rows() == 0) return absl::OkStatus();
          id = due.String(0, "id");
          lag = now - due.Time(0, "next_due_at");
          step.Set("referral_id", id);
          ASSIGN_OR_RETURN(Row row, LockReferral(tx, id));
          RETURN_IF_ERROR(ApplyStep(tx, row, now));
          if (fault_) RETURN_IF_ERROR(fault_(tx, id));
          return absl::OkStatus();
        });
    if (st.ok()) {
      if (id.empty()) break;  // nothing more is due
      ++out.advanced;
      out.lags.push_back(lag);
      continue;
    }
    // Nothing claimed, the database gone (as in a crash) or the sweep out of time: not
    // the referral's doing, and the next sweep starts again.
    if (id.empty() || absl::IsUnavailable(st) || absl::Now() >= deadline) return st;
    // This referral's step fails: it waits, and the sweep carries on with the others.
    RETURN_IF_ERROR(RecordStepFailure(id, now, st, deadline));
    ++out.failed;
  }
  return out;
}

absl::Status Store::RecordStepFailure(const std::string& id, absl::Time now,
                                      const absl::Status& error, absl::Time deadline) {
  return pool_->InTx(db::Actor::Internal(kSystemUser), deadline, [&](Tx& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Result held, tx.Exec(sql::kLockFailedStep, {P(id), P(now)}));
    // Another replica holds it, or it has moved on: that replica owns what comes next.
    if (held.rows() == 0) return absl::OkStatus();
    int failures = static_cast<int>(held.Int64(0, "step_failures")) + 1;
    absl::Time retry = now + domain::StepRetryDelay(failures);
    std::string message(error.message().substr(0, 500));
    RETURN_IF_ERROR(tx.Exec(sql::kRecordStepFailure,
                            {P(id), P(failures),
                             P(absl::StrCat(absl::StatusCodeToString(error.code()), ": ", message)),
                             P(now), P(retry)})
                        .status());
    log::Warning("deadline scheduler failed on one referral; it is retried later, the others go on",
                 {{"referral_id", id},
                  {"error", message},
                  {"failures", failures},
                  {"retry_at", absl::FormatTime(absl::RFC3339_sec, retry, absl::UTCTimeZone())}});
    return absl::OkStatus();
  });
}

absl::Status Store::ApplyAdmissionEvent(Tx& tx, const pdps::common::v1::Event& e, absl::Time now) {
  pdps::registry::v1::AdmissionChanged changed;
  if (!e.payload().UnpackTo(&changed)) {
    log::Warning("unreadable admission event skipped", {{"position", e.position()}});
    return absl::OkStatus();
  }
  const auto& a = changed.admission();
  std::string reason = domain::AdmissionWithdrawal(
      e.event_type() == event_types::registry::kAdmissionTerminated, changed.transition().reason());
  // Lock order everywhere: the referrals (here in id order), then their candidates and
  // offers.
  ASSIGN_OR_RETURN(Result locked, tx.Exec(sql::kLockReferralsOfProvider,
                                          {P(a.provider_id()), P(a.lot_id())}));
  if (locked.rows() == 0) return absl::OkStatus();
  std::vector<std::string> locked_ids;
  for (int i = 0; i < locked.rows(); ++i) locked_ids.push_back(locked.String(i, "id"));
  const db::Param ids = db::IdArray(locked_ids);
  ASSIGN_OR_RETURN(Result removed, tx.Exec(sql::kRemoveCandidate,
                                           {P(a.provider_id()), P(a.lot_id()), P(reason), ids}));
  std::set<std::string> affected;
  for (int i = 0; i < removed.rows(); ++i) affected.insert(removed.String(i, "referral_id"));
  ASSIGN_OR_RETURN(Result live,
                   tx.Exec(sql::kLiveOffersOfProvider, {P(a.provider_id()), P(a.lot_id()), ids}));
  for (int i = 0; i < live.rows(); ++i) {
    v1::Offer o = ToOffer(live, i);
    ASSIGN_OR_RETURN(Result rr, tx.Exec(sql::kSelectReferral, {P(o.referral_id())}));
    if (rr.rows() == 0) continue;
    v1::Referral r = ParseReferral(rr, 0).r;
    RETURN_IF_ERROR(CloseOffer(outbox_, tx, o, v1::Offer::WITHDRAWN, reason, r, now));
    affected.insert(o.referral_id());
  }
  for (const auto& id : affected) {
    // An open round goes on without the provider at the scheduler's next look.
    RETURN_IF_ERROR(tx.Exec(sql::kMarkDue, {P(id), P(now)}).status());
    // An evaluation that has just lost its last proposal or bid has nothing to award:
    // UNCOVERED now, in this transaction, so the brokerage team sees it (decision 46).
    ASSIGN_OR_RETURN(Row row, LockReferral(tx, id));  // already locked above
    if (row.state != ReferralState::kEvaluating) continue;
    ASSIGN_OR_RETURN(auto offers, RoundOffers(tx, id, row.r.round()));
    std::vector<domain::OfferSnapshot> round;
    for (const auto& o : offers) round.push_back(Snapshot(o));
    if (domain::AnythingToAward(round)) continue;
    std::string why = absl::StrCat(
        "nothing left to award: the last submitted ",
        row.method == domain::Method::kCompetitive ? "proposal" : "bid", " was withdrawn (",
        reason, ")");
    RETURN_IF_ERROR(
        tx.Exec(sql::kSetState, {P(id), P("UNCOVERED"), P(why), P(kSystemUser), P(now)}).status());
    RETURN_IF_ERROR(Transition(tx, row.r, row.state, ReferralState::kUncovered, why,
                               server::SystemCall(now), now));
    row.r.set_state(v1::Referral::UNCOVERED);
    RETURN_IF_ERROR(EmitClosed(outbox_, tx, event_types::referrals::kReferralUncovered, row.r,
                               row.create_org, why));
  }
  if (!affected.empty()) {
    log::Info("provider removed from live referrals",
              {{"provider_id", a.provider_id()}, {"lot_id", a.lot_id()},
               {"referrals", static_cast<int>(affected.size())}});
  }
  return absl::OkStatus();
}

absl::StatusOr<Store::ReturnFacts> Store::BrokerageReturnFacts(const Call& c,
                                                               const std::string& provider_id,
                                                               const std::string& framework_id,
                                                               const std::string& lot_id,
                                                               absl::Time from, absl::Time to) {
  // $1 provider, $2 framework, $3 lot or NULL, [$4, $5), for both statements.
  const std::vector<db::Param> params = {P(provider_id), P(framework_id), db::OrNull(lot_id),
                                         P(from), P(to)};
  ASSIGN_OR_RETURN(std::vector<Result> read,
                   pool_->ReadAll(c.actor(), c.deadline,
                                  {{sql::kBrokerageReturnOffers, params},
                                   {sql::kBrokerageReturnAwards, params}}));
  ReturnFacts out;
  const Result& r = read[0];
  // One calendar per office hours (every offer of a framework has the same).
  std::map<std::string, calendar::WorkingTime> calendars;
  for (int i = 0; i < r.rows(); ++i) {
    domain::OfferFacts o;
    auto state = domain::ParseOfferState(r.String(i, "state"));
    if (!state) return absl::InternalError("an offer in a state the service does not know");
    o.state = *state;
    o.emergency = r.Bool(i, "emergency");
    o.response_working_seconds = r.Int64(i, "response_working_seconds");
    o.response_elapsed_seconds = r.Int64(i, "response_elapsed_seconds");
    o.withdrawn_after_answer = r.Bool(i, "withdrawn_after_answer");
    // How long an offer left unanswered waited, on both clocks, as an answer's response
    // time is computed (RespondToOffer): to its withdrawal, or to now while open.
    const bool open = o.state == domain::OfferState::kOpen;
    const bool unanswered_withdrawal =
        o.state == domain::OfferState::kWithdrawn && !o.withdrawn_after_answer;
    if (open || (unanswered_withdrawal && !r.IsNull(i, "close_time"))) {
      const absl::Time made = r.Time(i, "offer_time");
      const absl::Time until = open ? c.now : r.Time(i, "close_time");
      const std::string hours = r.String(i, "office_hours");
      auto wt = calendars.find(hours);
      if (wt == calendars.end()) wt = calendars.emplace(hours, WorkingTimeFor(hours)).first;
      o.unanswered_working_seconds = std::max<int64_t>(
          0, absl::ToInt64Seconds(wt->second.WorkingDurationBetween(made, until)));
      o.unanswered_elapsed_seconds = std::max<int64_t>(0, absl::ToInt64Seconds(until - made));
    }
    o.decline_reason = r.String(i, "decline_reason");
    o.state_reason = r.String(i, "state_reason");
    out.offers.push_back(std::move(o));
  }
  for (int i = 0; i < read[1].rows(); ++i)
    out.awards.push_back({read[1].String(i, "award_method")});
  return out;
}

}  // namespace pdps::referrals
