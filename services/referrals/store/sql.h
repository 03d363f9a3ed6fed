// Every SQL statement of the referrals service, schema-qualified, with explicit column
// lists. Row-level security (migrations/0001) decides what each caller sees; these
// statements add the filters the API offers.
#pragma once

#include <string_view>

namespace pdps::referrals::sql {

#define PDPS_REFERRAL_COLUMNS                                                               \
  "id, partnership_id, framework_id, lot_id, state, urgency, area,"                          \
  " planned_weekly_hours::float8 AS planned_weekly_hours, session_pattern,"                  \
  " array_to_json(outcomes)::text AS outcomes_json, needs_summary, communication_needs,"     \
  " special_requirements, start_date::text AS start_date,"                                   \
  " COALESCE(end_date::text, '') AS end_date, preferences::text AS preferences, age_years,"  \
  " array_to_json(extra_competencies)::text AS extra_json,"                                  \
  " array_to_json(lot_competencies)::text AS lot_competencies_json, funding::text AS funding," \
  " direct_payment, care_plan_extract, method, round, call_off::text AS call_off,"           \
  " office_hours, stage_deadline, held_until, maximum_hourly_rate_pence,"       \
  " array_to_json(quality_questions)::text AS questions_json, price_weight_percent,"         \
  " quality_weight_percent, COALESCE(award_provider_id::text, '') AS award_provider_id,"     \
  " COALESCE(award_method, '') AS award_method,"                                             \
  " COALESCE(award_offer_id::text, '') AS award_offer_id,"                                   \
  " COALESCE(award_rationale, '') AS award_rationale, award_rate_pence, award_time,"         \
  " COALESCE(award_user, '') AS award_user, state_reason, version, create_time, create_user," \
  " create_organisation, update_time, update_user"

#define PDPS_OFFER_COLUMNS                                                                    \
  "o.id, o.referral_id, o.partnership_id, o.lot_id, o.provider_id, o.kind, o.state, o.round," \
  " o.rota_position, o.offer_time, o.deadline, o.answer_time, o.response_working_seconds,"    \
  " o.response_elapsed_seconds, o.decline_reason, o.decline_rationale, o.state_reason,"       \
  " COALESCE(o.proposal::text, '') AS proposal, o.bid_rate_pence,"                            \
  " COALESCE(o.bid_answers::text, '') AS bid_answers,"                                        \
  " COALESCE(array_to_json(o.bid_marks)::text, '') AS bid_marks, o.version,"                  \
  " COALESCE(o.declared_weekly_hours_available, 0) AS declared_weekly_hours_available,"       \
  " o.below_planned_hours"

// ------------------------------------------------------------- partnerships ---

// For the rest of the transaction, act as the service under row-level security (a
// provider's answer, once its own offer is read and checked as the provider).
inline constexpr std::string_view kActAsService = "SELECT set_config('pdps.service', 'on', true)";

// $1 partnership, $2 members as a JSON array: replaces the copy of the membership.
inline constexpr std::string_view kDeleteStaleMembers =
    "DELETE FROM referrals.partnership_members WHERE partnership_id = $1"
    " AND organisation_id::text <> ALL (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))";
inline constexpr std::string_view kInsertMembers =
    "INSERT INTO referrals.partnership_members (partnership_id, organisation_id)"
    " SELECT $1, m::uuid FROM jsonb_array_elements_text($2::jsonb) m"
    " ON CONFLICT (partnership_id, organisation_id) DO UPDATE SET synced_at = now()";

// ---------------------------------------------------------------- referrals ---

inline constexpr std::string_view kInsertReferral =
    "INSERT INTO referrals.referrals (id, partnership_id, framework_id, lot_id, state, urgency,"
    " area, planned_weekly_hours, session_pattern, outcomes, needs_summary, communication_needs,"
    " special_requirements, start_date, end_date, preferences, age_years, extra_competencies,"
    " lot_competencies, funding, direct_payment, care_plan_extract, create_user,"
    " create_organisation, update_user, create_time, update_time)"
    " VALUES ($1, $2, $3, $4, 'DRAFT', $5, $6, $7::numeric, $8,"
    " ARRAY(SELECT jsonb_array_elements_text($9::jsonb)), $10, $11, $12, $13::date, $14::date,"
    " $15::jsonb, $16, ARRAY(SELECT jsonb_array_elements_text($17::jsonb)),"
    " ARRAY(SELECT jsonb_array_elements_text($18::jsonb)), $19::jsonb, $20, $21, $22, $23, $22,"
    " $24, $24)";

inline constexpr std::string_view kUpdateReferralFields =
    "UPDATE referrals.referrals SET urgency = $2, area = $3, planned_weekly_hours = $4::numeric,"
    " session_pattern = $5, outcomes = ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),"
    " needs_summary = $7, communication_needs = $8, special_requirements = $9,"
    " start_date = $10::date, end_date = $11::date, preferences = $12::jsonb, age_years = $13,"
    " extra_competencies = ARRAY(SELECT jsonb_array_elements_text($14::jsonb)),"
    " funding = $15::jsonb, direct_payment = $16, care_plan_extract = $17,"
    " version = version + 1, update_user = $18, update_time = $19 WHERE id = $1";

inline constexpr std::string_view kSelectReferral =
    "SELECT " PDPS_REFERRAL_COLUMNS " FROM referrals.referrals WHERE id = $1";
// A referral as shown, with its history when $N is true (officers; row-level security
// hides transitions from everyone else anyway): one statement, so that a read is one
// round trip. The history is a JSON array in id order, times in Unix microseconds.
#define PDPS_REFERRAL_HISTORY(flag)                                                        \
  "CASE WHEN " flag                                                                        \
  " THEN (SELECT COALESCE(json_agg(json_build_object('from_state',"                        \
  " t.from_state, 'to_state', t.to_state, 'reason', t.reason, 'actor_user', t.actor_user," \
  " 'actor_organisation', t.actor_organisation,"                                           \
  " 'at_us', (extract(epoch FROM t.at) * 1000000)::bigint) ORDER BY t.id), '[]')"          \
  " FROM referrals.referral_transitions t WHERE t.referral_id = referrals.id)"             \
  " END::text AS history_json"
// $1 id, $2 with history.
inline constexpr std::string_view kSelectReferralView =
    "SELECT " PDPS_REFERRAL_COLUMNS
    ", " PDPS_REFERRAL_HISTORY("$2") " FROM referrals.referrals WHERE id = $1";
inline constexpr std::string_view kSelectReferralsByIds =
    "SELECT " PDPS_REFERRAL_COLUMNS " FROM referrals.referrals WHERE id = ANY($1::uuid[])";
inline constexpr std::string_view kSelectReferralForUpdate =
    "SELECT " PDPS_REFERRAL_COLUMNS " FROM referrals.referrals WHERE id = $1 FOR UPDATE";

// Officers see their partnerships' referrals; providers those offered or awarded to them
// (row-level security). $1 state, $2 lot, $3 framework (NULL = any), $4 with history
// (as kSelectReferralView), $5/$6 after (create_time, id), $7 limit. Newest first.
inline constexpr std::string_view kListReferrals =
    "SELECT " PDPS_REFERRAL_COLUMNS ", " PDPS_REFERRAL_HISTORY("$4") " FROM referrals.referrals"
    " WHERE ($1::text IS NULL OR state = $1) AND ($2::uuid IS NULL OR lot_id = $2)"
    " AND ($3::uuid IS NULL OR framework_id = $3)"
    " AND ($5::timestamptz IS NULL OR (create_time, id) < ($5::timestamptz, $6::uuid))"
    " ORDER BY create_time DESC, id DESC LIMIT $7";

// A round starts: method, settings snapshot, round number.
inline constexpr std::string_view kStartRound =
    "UPDATE referrals.referrals SET state = 'OPEN', method = $2, round = round + 1,"
    " call_off = $3::jsonb, office_hours = $4, maximum_hourly_rate_pence = $5,"
    " quality_questions = ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),"
    " price_weight_percent = $7, quality_weight_percent = $8, stage_deadline = NULL,"
    " held_until = NULL, next_due_at = NULL, step_failures = 0, step_error = '',"
    " step_failed_at = NULL, state_reason = '', version = version + 1,"
    " update_user = $9, update_time = $10 WHERE id = $1 RETURNING round";

// After a step: stage times, the scheduler's next look, and a state change if any. A
// step that went through clears the record of earlier failures.
inline constexpr std::string_view kUpdateSchedule =
    "UPDATE referrals.referrals SET stage_deadline = $2, held_until = $3, next_due_at = $4,"
    " state = COALESCE($5, state), state_reason = COALESCE($6, state_reason),"
    " step_failures = 0, step_error = '', step_failed_at = NULL,"
    " version = version + 1, update_time = $7 WHERE id = $1";

// WITHDRAWN or UNCOVERED (an evaluation left with nothing to award), AWARDED: no stage
// deadline or hold governs the referral any more, so neither is kept
// (domain::ShowsStageDeadline).
inline constexpr std::string_view kSetState =
    "UPDATE referrals.referrals SET state = $2, state_reason = $3, next_due_at = NULL,"
    " stage_deadline = NULL, held_until = NULL,"
    " version = version + 1, update_user = $4, update_time = $5 WHERE id = $1";

inline constexpr std::string_view kSetAward =
    "UPDATE referrals.referrals SET state = 'AWARDED', award_provider_id = $2, award_method = $3,"
    " award_offer_id = $4::uuid, award_rationale = $5, award_rate_pence = $6, award_time = $7,"
    " award_user = $8, state_reason = '', next_due_at = NULL, stage_deadline = NULL,"
    " held_until = NULL, version = version + 1,"
    " update_user = $8, update_time = $7 WHERE id = $1";

// Ask the scheduler to look at a referral now (a candidate was removed).
inline constexpr std::string_view kMarkDue =
    "UPDATE referrals.referrals SET next_due_at = LEAST(COALESCE(next_due_at, $2), $2)"
    " WHERE id = $1 AND state = 'OPEN'";

// The scheduler's claim: one due referral (and when it fell due), skipping those another
// replica holds.
inline constexpr std::string_view kClaimDue =
    "SELECT id, next_due_at FROM referrals.referrals WHERE next_due_at IS NOT NULL AND next_due_at "
    "<= $1"
    " AND state = 'OPEN' ORDER BY next_due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";
// A step that failed, in its own transaction: the referral if it is still due at $2 and
// nobody else holds it, then its failure count, error and the time of the next try. The
// version is left alone: this is the scheduler's bookkeeping, not a change to the referral.
inline constexpr std::string_view kLockFailedStep =
    "SELECT step_failures FROM referrals.referrals WHERE id = $1 AND state = 'OPEN'"
    " AND next_due_at <= $2 FOR UPDATE SKIP LOCKED";
inline constexpr std::string_view kRecordStepFailure =
    "UPDATE referrals.referrals SET step_failures = $2, step_error = $3, step_failed_at = $4,"
    " next_due_at = $5 WHERE id = $1";

inline constexpr std::string_view kInsertTransition =
    "INSERT INTO referrals.referral_transitions (referral_id, partnership_id, from_state,"
    " to_state, reason, actor_user, actor_organisation, at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

// ------------------------------------------------------------------- people ---

inline constexpr std::string_view kInsertPerson =
    "INSERT INTO referrals.people (referral_id, partnership_id, details, update_time)"
    " VALUES ($1, $2, $3::jsonb, $4)";
inline constexpr std::string_view kUpdatePerson =
    "UPDATE referrals.people SET details = $2::jsonb, update_time = $3 WHERE referral_id = $1";
// A change to the person's details alone (UpdatePersonDetails): the referral's etag
// moves and age_years follows a corrected date of birth.
inline constexpr std::string_view kTouchReferralForPerson =
    "UPDATE referrals.referrals SET age_years = $2, version = version + 1, update_user = $3,"
    " update_time = $4 WHERE id = $1";
inline constexpr std::string_view kSelectPerson =
    "SELECT p.details::text AS details, p.partnership_id FROM referrals.people p"
    " WHERE p.referral_id = $1";
inline constexpr std::string_view kInsertAccess =
    "INSERT INTO referrals.person_access_log (referral_id, partnership_id, user_id,"
    " organisation_id, action, purpose, at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
// $1 referral, $2 after id (or NULL), $3 limit. Newest first.
inline constexpr std::string_view kListAccess =
    "SELECT id, referral_id, user_id, organisation_id, action, purpose, at"
    " FROM referrals.person_access_log WHERE referral_id = $1"
    " AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3";

// --------------------------------------------------------------- candidates ---

inline constexpr std::string_view kInsertCandidate =
    "INSERT INTO referrals.candidates (referral_id, round, provider_id, admission_id, lot_id,"
    " partnership_id, position, weekly_hours_available) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
inline constexpr std::string_view kSelectCandidates =
    "SELECT provider_id, position, removed_reason IS NOT NULL AS removed,"
    " COALESCE(weekly_hours_available, -1) AS weekly_hours_available"
    " FROM referrals.candidates WHERE referral_id = $1 AND round = $2 ORDER BY position";
// A suspended or terminated admission, $1 provider and $2 lot. First the live referrals
// it touches (a candidate of the current round, or a live offer), locked in id order
// before any of their candidates or offers, as everywhere else.
inline constexpr std::string_view kLockReferralsOfProvider =
    "SELECT r.id FROM referrals.referrals r WHERE r.state IN ('OPEN', 'EVALUATING')"
    " AND (EXISTS (SELECT 1 FROM referrals.candidates c WHERE c.referral_id = r.id"
    " AND c.round = r.round AND c.provider_id = $1 AND c.lot_id = $2"
    " AND c.removed_reason IS NULL)"
    " OR EXISTS (SELECT 1 FROM referrals.offers o WHERE o.referral_id = r.id"
    " AND o.provider_id = $1 AND o.lot_id = $2 AND o.state IN ('OPEN', 'SUBMITTED')))"
    " ORDER BY r.id FOR UPDATE OF r";
// Then, within those referrals ($4), the candidate is removed with reason $3.
inline constexpr std::string_view kRemoveCandidate =
    "UPDATE referrals.candidates c SET removed_reason = $3 FROM referrals.referrals r"
    " WHERE c.referral_id = r.id AND c.round = r.round AND r.state IN ('OPEN', 'EVALUATING')"
    " AND c.provider_id = $1 AND c.lot_id = $2 AND c.removed_reason IS NULL"
    " AND r.id = ANY($4::uuid[]) RETURNING c.referral_id";

// A lot's rota: its row is made if missing, then locked, so rounds opening at once on a
// lot that never had one still take turns (migrations/0003).
inline constexpr std::string_view kEnsureRota =
    "INSERT INTO referrals.rotas (lot_id, partnership_id, last_provider_id, update_time)"
    " VALUES ($1, $2, NULL, $3) ON CONFLICT (lot_id) DO NOTHING";
inline constexpr std::string_view kSelectRota =
    "SELECT COALESCE(last_provider_id::text, '') AS last FROM referrals.rotas WHERE lot_id = $1"
    " FOR UPDATE";
inline constexpr std::string_view kUpsertRota =
    "INSERT INTO referrals.rotas (lot_id, partnership_id, last_provider_id, update_time)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (lot_id) DO UPDATE"
    " SET last_provider_id = EXCLUDED.last_provider_id, update_time = EXCLUDED.update_time";

// ------------------------------------------------------------------- offers ---

inline constexpr std::string_view kInsertOffer =
    "INSERT INTO referrals.offers (id, referral_id, partnership_id, lot_id, provider_id, kind,"
    " state, round, rota_position, offer_time, deadline, declared_weekly_hours_available,"
    " below_planned_hours) VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $9, $10, $11, $12)";
inline constexpr std::string_view kSelectOffer =
    "SELECT " PDPS_OFFER_COLUMNS " FROM referrals.offers o WHERE o.id = $1";
inline constexpr std::string_view kSelectOfferForUpdate =
    "SELECT " PDPS_OFFER_COLUMNS " FROM referrals.offers o WHERE o.id = $1 FOR UPDATE";
inline constexpr std::string_view kSelectRoundOffers =
    "SELECT " PDPS_OFFER_COLUMNS " FROM referrals.offers o"
    " WHERE o.referral_id = $1 AND o.round = $2 ORDER BY o.offer_time, o.id";
// An answer or a timing out: state, times, reason, decline fields.
inline constexpr std::string_view kAnswerOffer =
    "UPDATE referrals.offers SET state = $2, answer_time = $3, response_working_seconds = $4,"
    " response_elapsed_seconds = $5, decline_reason = $6, decline_rationale = $7,"
    " answer_user = $8, version = version + 1 WHERE id = $1";
// A closing (WITHDRAWN, NOT_SELECTED, SELECTED) at $4; any answer_time stays, so that an
// answer given before a withdrawal is still an answer (decision 67).
inline constexpr std::string_view kCloseOffer =
    "UPDATE referrals.offers SET state = $2, state_reason = $3, close_time = $4,"
    " version = version + 1 WHERE id = $1";
inline constexpr std::string_view kSubmitProposal =
    "UPDATE referrals.offers SET state = 'SUBMITTED', proposal = $2::jsonb, answer_time = $3,"
    " response_working_seconds = $4, response_elapsed_seconds = $5, answer_user = $6,"
    " version = version + 1 WHERE id = $1";
inline constexpr std::string_view kSubmitBid =
    "UPDATE referrals.offers SET state = 'SUBMITTED', bid_rate_pence = $2,"
    " bid_answers = $3::jsonb, answer_time = $4, response_working_seconds = $5,"
    " response_elapsed_seconds = $6, answer_user = $7, version = version + 1 WHERE id = $1";
inline constexpr std::string_view kReviewProposal =
    "UPDATE referrals.offers SET proposal = proposal || $2::jsonb, version = version + 1"
    " WHERE id = $1";
inline constexpr std::string_view kMarkBid =
    "UPDATE referrals.offers SET bid_marks = ARRAY(SELECT jsonb_array_elements_text($2::jsonb))"
    "::integer[], version = version + 1 WHERE id = $1";
// Live offers of a provider on a lot (suspension): $1 provider, $2 lot, within the
// referrals $3 already locked (kLockReferralsOfProvider).
inline constexpr std::string_view kLiveOffersOfProvider =
    "SELECT " PDPS_OFFER_COLUMNS " FROM referrals.offers o JOIN referrals.referrals r"
    " ON r.id = o.referral_id WHERE o.provider_id = $1 AND o.lot_id = $2"
    " AND o.state IN ('OPEN', 'SUBMITTED') AND r.state IN ('OPEN', 'EVALUATING')"
    " AND r.id = ANY($3::uuid[]) ORDER BY o.id FOR UPDATE OF o";

// A provider's inbox: its own offers by deadline. $1 live only (OPEN and its deadline
// after $3, the call's time: a lapsed offer is not live even before the scheduler closes
// it), $2 the provider (the caller's organisation; row-level security agrees), $4/$5
// after (deadline, id), $6 limit.
#define PDPS_INBOX_PAGE                                                                \
  " FROM referrals.offers o WHERE o.provider_id = $2"                                  \
  " AND (NOT $1 OR (o.state = 'OPEN' AND o.deadline > $3))"                            \
  " AND ($4::timestamptz IS NULL OR (o.deadline, o.id) > ($4::timestamptz, $5::uuid))" \
  " ORDER BY o.deadline, o.id LIMIT $6"
inline constexpr std::string_view kListInbox = "SELECT " PDPS_OFFER_COLUMNS PDPS_INBOX_PAGE;
// The referrals of the inbox page above, with the same parameters, so that both are read
// in one round trip.
inline constexpr std::string_view kInboxReferrals =
    "SELECT " PDPS_REFERRAL_COLUMNS
    " FROM referrals.referrals WHERE id IN"
    " (SELECT p.referral_id FROM (SELECT o.referral_id" PDPS_INBOX_PAGE ") p)";
// A referral's offers for officers, by offer time. $1 referral, $2 live only (as in the
// inbox, with $3 the call's time), $4/$5 after (offer_time, id), $6 limit.
inline constexpr std::string_view kListReferralOffers =
    "SELECT " PDPS_OFFER_COLUMNS
    " FROM referrals.offers o WHERE o.referral_id = $1"
    " AND (NOT $2 OR (o.state = 'OPEN' AND o.deadline > $3))"
    " AND ($4::timestamptz IS NULL OR (o.offer_time, o.id) > ($4::timestamptz, $5::uuid))"
    " ORDER BY o.offer_time, o.id LIMIT $6";

// The brokerage return: the facts of every offer made to provider $1 on framework $2
// (lot $3, or every lot when NULL) from $4 until $5 (decision 66), with the referral's
// office hours and the offer's times so that the store can tell how long an unanswered
// offer waited (decision 67). Read as the caller, so row-level security gives a provider
// only its own offers and officers only their partnership's.
inline constexpr std::string_view kBrokerageReturnOffers =
    "SELECT o.state, r.urgency = 'EMERGENCY' AS emergency, o.response_working_seconds,"
    " o.response_elapsed_seconds, o.decline_reason, o.state_reason, r.office_hours,"
    " o.offer_time, o.close_time,"
    " (o.state = 'WITHDRAWN' AND o.answer_time IS NOT NULL) AS withdrawn_after_answer"
    " FROM referrals.offers o JOIN referrals.referrals r ON r.id = o.referral_id"
    " WHERE o.provider_id = $1::uuid AND r.framework_id = $2::uuid"
    " AND ($3::uuid IS NULL OR o.lot_id = $3::uuid) AND o.offer_time >= $4 AND o.offer_time < $5"
    " ORDER BY o.offer_time, o.id";
// The brokerage return's awards: referrals of framework $2 (lot $3, or every lot when
// NULL) awarded to provider $1 from $4 until $5 (award_time), by any method (decision
// 67). Read as the caller (row-level security as above: a provider sees the referrals
// awarded to it).
inline constexpr std::string_view kBrokerageReturnAwards =
    "SELECT award_method FROM referrals.referrals"
    " WHERE award_provider_id = $1::uuid AND framework_id = $2::uuid"
    " AND ($3::uuid IS NULL OR lot_id = $3::uuid) AND award_time >= $4 AND award_time < $5"
    " ORDER BY award_time, id";

}  // namespace pdps::referrals::sql
