// Every SQL statement of the registry, schema-qualified, with explicit column lists.
// Row-level security (migrations/0001) decides what each caller sees; these statements
// add the filters the API offers.
#pragma once

#include <string_view>

namespace pdps::registry::sql {

// Column lists shared by the statements that read a resource (one place per resource).
#define PDPS_ORGANISATION_COLUMNS                                                        \
  "id, display_name, kind, external_reference, office_postcode, office_district,"         \
  " array_to_json(coverage_areas)::text AS coverage_json, version, create_time, create_user," \
  " create_organisation, update_time, update_user"
#define PDPS_PARTNERSHIP_COLUMNS                                                          \
  "p.id, p.display_name, p.version, p.create_time, p.create_user, p.create_organisation,"  \
  " p.update_time, p.update_user, (SELECT array_to_json(array_agg(m.organisation_id::text" \
  " ORDER BY m.organisation_id))::text FROM registry.partnership_members m"                 \
  " WHERE m.partnership_id = p.id) AS members_json"
#define PDPS_FRAMEWORK_COLUMNS                                                            \
  "id, partnership_id, display_name, kind, call_off::text AS call_off, office_hours,"     \
  " billing_period, employers_liability_minimum_pence, public_liability_minimum_pence,"   \
  " capacity_return_due_day, specification_reference, version, create_time, create_user," \
  " create_organisation, update_time, update_user,"                                       \
  " array_to_json(required_documents)::text AS required_documents_json,"                  \
  " array_to_json(service_areas)::text AS service_areas_json,"                            \
  " (SELECT json_agg(json_build_array(w.open_date::text, w.close_date::text)"             \
  "   ORDER BY w.open_date)::text FROM registry.application_windows w"                    \
  "   WHERE w.framework_id = f.id) AS windows_json"
#define PDPS_LOT_COLUMNS                                                                  \
  "id, framework_id, partnership_id, code, display_name, service_type, min_age, max_age,"  \
  " array_to_json(competencies)::text AS competencies_json, version, create_time,"         \
  " create_user, create_organisation, update_time, update_user,"                           \
  " (SELECT json_agg(json_build_array(p.kind, p.hourly_rate_pence, p.effective_from::text)" \
  "   ORDER BY p.kind, p.effective_from)::text FROM registry.lot_prices p"                 \
  "   WHERE p.lot_id = l.id) AS prices_json"
#define PDPS_ADMISSION_COLUMNS                                                            \
  "id, provider_id, framework_id, lot_id, partnership_id, state, version, create_time,"    \
  " create_user, create_organisation, update_time, update_user"
#define PDPS_DOCUMENT_COLUMNS                                                             \
  "id, provider_id, kind, title, evidence_reference, issue_date::text AS issue_date,"      \
  " COALESCE(expiry_date::text, '') AS expiry_date, mandatory, cqc_rating, cover_pence,"   \
  " current_assets_pence, current_liabilities_pence, net_assets_pence,"                    \
  " operating_profit_pence, capital_employed_pence, version, create_time, create_user,"    \
  " create_organisation, update_time, update_user"
#define PDPS_CAPACITY_COLUMNS                                                             \
  "id, provider_id, framework_id, to_char(month, 'YYYY-MM') AS month,"                     \
  " care_workers_employed, current_packages, current_total_weekly_hours,"                  \
  " estimated_weekly_hours_available, late, submit_time"

// ---------------------------------------------------------- organisations ---

inline constexpr std::string_view kInsertOrganisation =
    "INSERT INTO registry.organisations (id, display_name, kind, external_reference,"
    " create_user, create_organisation, update_user, create_time, update_time)"
    " VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $7)";

inline constexpr std::string_view kSelectOrganisation =
    "SELECT " PDPS_ORGANISATION_COLUMNS " FROM registry.organisations WHERE id = $1";

// $1 kind filter or NULL, $2/$3 after (display_name, id) or NULL, $4 limit.
inline constexpr std::string_view kListOrganisations =
    "SELECT " PDPS_ORGANISATION_COLUMNS " FROM registry.organisations"
    " WHERE ($1::text IS NULL OR kind = $1)"
    "   AND ($2::text IS NULL OR (display_name, id::text) > ($2, $3))"
    " ORDER BY display_name, id::text LIMIT $4";

// A provider profile is visible to the provider, its commissioners and services.
inline constexpr std::string_view kSelectProviderProfile =
    "SELECT " PDPS_ORGANISATION_COLUMNS " FROM registry.organisations"
    " WHERE id = $1 AND kind = 'PROVIDER' AND (id = registry.current_org()"
    "   OR registry.is_service() OR EXISTS (SELECT 1 FROM registry.admissions a"
    "     JOIN registry.partnership_members m ON m.partnership_id = a.partnership_id"
    "     WHERE a.provider_id = organisations.id AND m.organisation_id = registry.current_org()))";

inline constexpr std::string_view kUpdateProviderProfile =
    "UPDATE registry.organisations SET office_postcode = $3, office_district = $4,"
    " coverage_areas = ARRAY(SELECT jsonb_array_elements_text($5::jsonb)),"
    " version = version + 1, update_time = $7, update_user = $6"
    " WHERE id = $1 AND version = $2";

// ----------------------------------------------------------- partnerships ---

inline constexpr std::string_view kInsertPartnership =
    "INSERT INTO registry.partnerships (id, display_name, create_user, create_organisation,"
    " update_user, create_time, update_time) VALUES ($1, $2, $3, $4, $3, $5, $5)";
inline constexpr std::string_view kInsertPartnershipMember =
    "INSERT INTO registry.partnership_members (partnership_id, organisation_id) VALUES ($1, $2)";
inline constexpr std::string_view kSelectOrganisationKinds =
    "SELECT id::text AS id, kind FROM registry.organisations"
    " WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb))::uuid[])";
inline constexpr std::string_view kSelectPartnership =
    "SELECT " PDPS_PARTNERSHIP_COLUMNS " FROM registry.partnerships p WHERE p.id = $1";
// $1 mine, $2 after id or NULL, $3 limit.
inline constexpr std::string_view kListPartnerships =
    "SELECT " PDPS_PARTNERSHIP_COLUMNS " FROM registry.partnerships p"
    " WHERE (NOT $1::boolean OR registry.acts_for_partnership(p.id))"
    "   AND ($2::text IS NULL OR p.id::text > $2) ORDER BY p.id::text LIMIT $3";
inline constexpr std::string_view kActsForPartnership =
    "SELECT registry.acts_for_partnership($1) AS ok";

// ------------------------------------------------------------- frameworks ---

inline constexpr std::string_view kInsertFramework =
    "INSERT INTO registry.frameworks (id, partnership_id, display_name, kind, call_off,"
    " office_hours, billing_period, employers_liability_minimum_pence,"
    " public_liability_minimum_pence, capacity_return_due_day, specification_reference,"
    " create_user, create_organisation, update_user, required_documents, create_time,"
    " update_time, service_areas) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11,"
    " $12, $13, $12, ARRAY(SELECT jsonb_array_elements_text($14::jsonb)), $15, $15,"
    " ARRAY(SELECT jsonb_array_elements_text($16::jsonb)))";
inline constexpr std::string_view kUpdateFramework =
    "UPDATE registry.frameworks SET display_name = $3, kind = $4, call_off = $5::jsonb,"
    " office_hours = $6, billing_period = $7, employers_liability_minimum_pence = $8,"
    " public_liability_minimum_pence = $9, capacity_return_due_day = $10,"
    " specification_reference = $11, version = version + 1, update_time = $14,"
    " update_user = $12, required_documents = ARRAY(SELECT jsonb_array_elements_text($13::jsonb)),"
    " service_areas = ARRAY(SELECT jsonb_array_elements_text($15::jsonb))"
    " WHERE id = $1 AND version = $2";
inline constexpr std::string_view kSelectFramework =
    "SELECT " PDPS_FRAMEWORK_COLUMNS " FROM registry.frameworks f WHERE id = $1";
// $1 partnership or NULL, $2 open-on date or NULL, $3/$4 after (display_name, id), $5 limit.
inline constexpr std::string_view kListFrameworks =
    "SELECT " PDPS_FRAMEWORK_COLUMNS " FROM registry.frameworks f"
    " WHERE ($1::uuid IS NULL OR partnership_id = $1)"
    "   AND ($2::date IS NULL OR EXISTS (SELECT 1 FROM registry.application_windows w"
    "        WHERE w.framework_id = f.id AND w.open_date <= $2 AND w.close_date >= $2))"
    "   AND ($3::text IS NULL OR (display_name, id::text) > ($3, $4))"
    " ORDER BY display_name, id::text LIMIT $5";
inline constexpr std::string_view kDeleteWindows =
    "DELETE FROM registry.application_windows WHERE framework_id = $1";
inline constexpr std::string_view kInsertWindow =
    "INSERT INTO registry.application_windows (framework_id, partnership_id, open_date,"
    " close_date) VALUES ($1, $2, $3, $4)";

// ------------------------------------------------------------------- lots ---

inline constexpr std::string_view kInsertLot =
    "INSERT INTO registry.lots (id, framework_id, partnership_id, code, display_name,"
    " service_type, min_age, max_age, competencies, create_user, create_organisation,"
    " update_user, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
    " ARRAY(SELECT jsonb_array_elements_text($9::jsonb)), $10, $11, $10, $12, $12)"
    " ON CONFLICT (framework_id, code) DO NOTHING RETURNING id::text AS id";
// The lot holding a natural key: $1 framework, $2 code.
inline constexpr std::string_view kSelectLotByCode =
    "SELECT id::text AS id FROM registry.lots WHERE framework_id = $1 AND code = $2";
inline constexpr std::string_view kUpdateLot =
    "UPDATE registry.lots SET display_name = $3, service_type = $4, min_age = $5, max_age = $6,"
    " competencies = ARRAY(SELECT jsonb_array_elements_text($7::jsonb)),"
    " version = version + 1, update_time = $9, update_user = $8"
    " WHERE id = $1 AND version = $2";
inline constexpr std::string_view kSelectLot =
    "SELECT " PDPS_LOT_COLUMNS " FROM registry.lots l WHERE id = $1";
// $1 framework, $2 after code or NULL, $3 limit.
inline constexpr std::string_view kListLots =
    "SELECT " PDPS_LOT_COLUMNS " FROM registry.lots l WHERE framework_id = $1 AND ($2::text IS NULL OR code > $2)"
    " ORDER BY code LIMIT $3";
inline constexpr std::string_view kDeletePrices = "DELETE FROM registry.lot_prices WHERE lot_id = $1";
inline constexpr std::string_view kInsertPrice =
    "INSERT INTO registry.lot_prices (lot_id, partnership_id, kind, hourly_rate_pence,"
    " effective_from) VALUES ($1, $2, $3, $4, $5)";
inline constexpr std::string_view kSelectLotsOfFramework =
    "SELECT id::text AS id FROM registry.lots WHERE framework_id = $1";

// ------------------------------------------------------------- admissions ---

inline constexpr std::string_view kInsertAdmission =
    "INSERT INTO registry.admissions (id, provider_id, framework_id, lot_id, partnership_id,"
    " state, create_user, create_organisation, update_user, create_time, update_time)"
    " VALUES ($1, $2::text::uuid, $3, $4, $5, 'APPLIED', $6, $2::text, $6, $7, $7)";
inline constexpr std::string_view kSelectAdmission =
    "SELECT " PDPS_ADMISSION_COLUMNS
    " FROM registry.admissions WHERE id = $1";
// A tripped automatic suspension rule: the provider's ACTIVE admissions on a framework,
// or on one lot of it. $1 provider, $2 framework, $3 lot or NULL.
inline constexpr std::string_view kSelectActiveAdmissionsOfProvider =
    "SELECT id FROM registry.admissions WHERE provider_id = $1 AND framework_id = $2"
    " AND ($3::uuid IS NULL OR lot_id = $3::uuid) AND state = 'ACTIVE' ORDER BY id";

inline constexpr std::string_view kSelectAdmissionForUpdate =
    "SELECT " PDPS_ADMISSION_COLUMNS
    " FROM registry.admissions WHERE id = $1 FOR UPDATE";
// $1 framework, $2 lot, $3 provider, $4 state (each NULL for any), $5 after id, $6 limit.
inline constexpr std::string_view kListAdmissions =
    "SELECT " PDPS_ADMISSION_COLUMNS " FROM registry.admissions"
    " WHERE ($1::uuid IS NULL OR framework_id = $1) AND ($2::uuid IS NULL OR lot_id = $2)"
    "   AND ($3::uuid IS NULL OR provider_id = $3) AND ($4::text IS NULL OR state = $4)"
    "   AND ($5::text IS NULL OR id::text > $5) ORDER BY id::text LIMIT $6";
inline constexpr std::string_view kUpdateAdmissionState =
    "UPDATE registry.admissions SET state = $2, version = version + 1, update_time = $4,"
    " update_user = $3 WHERE id = $1";
inline constexpr std::string_view kInsertTransition =
    "INSERT INTO registry.admission_transitions (admission_id, provider_id, partnership_id,"
    " from_state, to_state, reason, actor_user, actor_organisation, at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
inline constexpr std::string_view kSelectTransitions =
    "SELECT admission_id::text AS admission_id, from_state, to_state, reason, actor_user,"
    " actor_organisation, at FROM registry.admission_transitions"
    " WHERE admission_id = ANY($1::uuid[]) ORDER BY id";
inline constexpr std::string_view kInsertActionItem =
    "INSERT INTO registry.action_plan_items (id, admission_id, provider_id, partnership_id,"
    " suspension_transition_id, description, due_date, add_time)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
// Items of each admission's latest suspension.
inline constexpr std::string_view kSelectActionItems =
    "SELECT i.id, i.admission_id::text AS admission_id, i.description, i.due_date::text AS"
    " due_date, COALESCE(i.completed_date::text, '') AS completed_date"
    " FROM registry.action_plan_items i WHERE i.admission_id = ANY($1::uuid[])"
    "   AND i.suspension_transition_id = (SELECT max(j.suspension_transition_id)"
    "     FROM registry.action_plan_items j WHERE j.admission_id = i.admission_id)"
    " ORDER BY i.due_date, i.id";
// The transition that made a SUSPENDED admission suspended.
inline constexpr std::string_view kSelectCurrentSuspension =
    "SELECT max(id) AS id FROM registry.admission_transitions"
    " WHERE admission_id = $1 AND to_state = 'SUSPENDED'";
// Item $2 of admission $1's current suspension ($3, kSelectCurrentSuspension): when it
// was added (items older than migration 0006 have no add_time: their suspension's time)
// and its completion, if any.
inline constexpr std::string_view kSelectCurrentActionItem =
    "SELECT COALESCE(i.add_time, t.at) AS add_time,"
    " COALESCE(i.completed_date::text, '') AS completed_date"
    " FROM registry.action_plan_items i"
    " JOIN registry.admission_transitions t ON t.id = i.suspension_transition_id"
    " WHERE i.id = $2 AND i.admission_id = $1 AND i.suspension_transition_id = $3";
// Completes an item once; a completed one is never rewritten.
inline constexpr std::string_view kCompleteActionItem =
    "UPDATE registry.action_plan_items SET completed_date = $3"
    " WHERE id = $2 AND admission_id = $1 AND completed_date IS NULL";
inline constexpr std::string_view kTouchAdmission =
    "UPDATE registry.admissions SET version = version + 1, update_time = $3, update_user = $2"
    " WHERE id = $1";

// ------------------------------------------------------------- compliance ---

inline constexpr std::string_view kInsertDocument =
    "INSERT INTO registry.compliance_documents (id, provider_id, kind, title, evidence_reference,"
    " issue_date, expiry_date, mandatory, cqc_rating, cover_pence, current_assets_pence,"
    " current_liabilities_pence, net_assets_pence, operating_profit_pence, capital_employed_pence,"
    " create_user, create_organisation, update_user, create_time, update_time)"
    " VALUES ($1, $2::text::uuid, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
    " $2::text, $16, $17, $17)";
inline constexpr std::string_view kUpdateDocument =
    "UPDATE registry.compliance_documents SET title = $3, evidence_reference = $4,"
    " issue_date = $5, expiry_date = $6, mandatory = $7, cqc_rating = $8, cover_pence = $9,"
    " current_assets_pence = $10, current_liabilities_pence = $11, net_assets_pence = $12,"
    " operating_profit_pence = $13, capital_employed_pence = $14,"
    " expiry_notified_for = NULL, version = version + 1, update_time = $16, update_user = $15"
    " WHERE id = $1 AND version = $2";
inline constexpr std::string_view kSelectDocument =
    "SELECT " PDPS_DOCUMENT_COLUMNS " FROM registry.compliance_documents WHERE id = $1";
// $1 provider, $2 kind, $3 expiring-by date (NULL: any), $4 mandatory only,
// $5/$6 after (sort date, id), $7 limit. Sorted by expiry when $3 is set, else by id.
inline constexpr std::string_view kListDocuments =
    "SELECT " PDPS_DOCUMENT_COLUMNS " FROM registry.compliance_documents"
    " WHERE ($1::uuid IS NULL OR provider_id = $1) AND ($2::text IS NULL OR kind = $2)"
    "   AND ($3::date IS NULL OR expiry_date <= $3) AND (NOT $4::boolean OR mandatory)"
    "   AND ($5::text IS NULL OR (CASE WHEN $3::date IS NULL THEN '' ELSE expiry_date::text END,"
    "        id::text) > ($5, $6))"
    " ORDER BY CASE WHEN $3::date IS NULL THEN '' ELSE expiry_date::text END, id::text LIMIT $7";
// Insurance minimums of every framework the provider holds a live admission on.
inline constexpr std::string_view kInsuranceMinimums =
    "SELECT COALESCE(max(f.employers_liability_minimum_pence), 0) AS employers,"
    " COALESCE(max(f.public_liability_minimum_pence), 0) AS public"
    " FROM registry.admissions a JOIN registry.frameworks f ON f.id = a.framework_id"
    " WHERE a.provider_id = $1 AND a.state IN ('APPLIED', 'ACTIVE', 'SUSPENDED')";
// The greatest insurance cover of each kind a provider holds in date on $2.
inline constexpr std::string_view kCoverHeld =
    "SELECT COALESCE(max(cover_pence) FILTER (WHERE kind = 'EMPLOYERS_LIABILITY'), 0)"
    " AS employers,"
    " COALESCE(max(cover_pence) FILTER (WHERE kind = 'PUBLIC_LIABILITY'), 0) AS public"
    " FROM registry.compliance_documents"
    " WHERE provider_id = $1 AND (expiry_date IS NULL OR expiry_date >= $2)";
// Mandatory documents past expiry on $1 and not yet announced, but those already renewed
// (registry.document_renewed, migration 0009; $2: the kinds held one at a time); one
// sweeper at a time per row.
inline constexpr std::string_view kClaimExpiredDocuments =
    "SELECT " PDPS_DOCUMENT_COLUMNS
    " FROM registry.compliance_documents"
    " WHERE mandatory AND expiry_date < $1"
    "   AND NOT registry.document_renewed(provider_id, kind, $1, $2)"
    "   AND (expiry_notified_for IS NULL OR expiry_notified_for <> expiry_date)"
    " ORDER BY expiry_date, id LIMIT 100 FOR UPDATE SKIP LOCKED";
inline constexpr std::string_view kMarkExpiryNotified =
    "UPDATE registry.compliance_documents SET expiry_notified_for = expiry_date WHERE id = $1";

// --------------------------------------------------------------- capacity ---

inline constexpr std::string_view kInsertCapacityReturn =
    "INSERT INTO registry.capacity_returns (id, provider_id, framework_id, partnership_id, month,"
    " care_workers_employed, current_packages, current_total_weekly_hours,"
    " estimated_weekly_hours_available, late, submit_time, create_user)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    " ON CONFLICT (provider_id, framework_id, month) DO NOTHING"
    " RETURNING " PDPS_CAPACITY_COLUMNS;
// The return holding a natural key: $1 provider, $2 framework, $3 month (its first day).
inline constexpr std::string_view kSelectCapacityReturnByKey =
    "SELECT id::text AS id FROM registry.capacity_returns"
    " WHERE provider_id = $1 AND framework_id = $2 AND month = $3::date";
// What a capacity return needs of its framework, whether the provider ($2) holds an
// ACTIVE or SUSPENDED admission on it, and when any of its admissions there was first
// made ACTIVE (NULL if never).
inline constexpr std::string_view kCapacityReturnContext =
    "SELECT f.partnership_id, f.capacity_return_due_day, EXISTS (SELECT 1 FROM"
    " registry.admissions a WHERE a.provider_id = $2 AND a.framework_id = f.id"
    " AND a.state IN ('ACTIVE', 'SUSPENDED')) AS admitted,"
    " (SELECT min(t.at) FROM registry.admission_transitions t JOIN registry.admissions a"
    "   ON a.id = t.admission_id WHERE a.provider_id = $2 AND a.framework_id = f.id"
    "   AND t.to_state = 'ACTIVE') AS first_active"
    " FROM registry.frameworks f WHERE f.id = $1";
inline constexpr std::string_view kSelectCapacityReturn =
    "SELECT " PDPS_CAPACITY_COLUMNS
    " FROM registry.capacity_returns WHERE id = $1";
// $1 framework, $2 provider, $3 month (each NULL for any), $4 after id, $5 limit.
inline constexpr std::string_view kListCapacityReturns =
    "SELECT " PDPS_CAPACITY_COLUMNS " FROM registry.capacity_returns"
    " WHERE ($1::uuid IS NULL OR framework_id = $1) AND ($2::uuid IS NULL OR provider_id = $2)"
    "   AND ($3::date IS NULL OR month = $3) AND ($4::text IS NULL OR id::text > $4)"
    " ORDER BY id::text LIMIT $5";
// Providers that owe the month's return (domain::WhoOwesCapacityReturn) on any lot of
// the framework and made none: an admission made ACTIVE (its first transition to ACTIVE,
// AdmitProvider) before $3, and not terminated before $4, whatever its state now (a
// suspended provider owes it too). $1 framework, $2 month, $3 the instant the month
// ended, $4 the instant the due day began, $5 after provider id, $6 limit.
inline constexpr std::string_view kListLateReturns =
    "SELECT DISTINCT a.provider_id::text AS provider_id, o.display_name"
    " FROM registry.admissions a JOIN registry.organisations o ON o.id = a.provider_id"
    " WHERE a.framework_id = $1"
    "   AND EXISTS (SELECT 1 FROM registry.admission_transitions t WHERE t.admission_id = a.id"
    "     AND t.to_state = 'ACTIVE' AND t.at < $3)"
    "   AND NOT EXISTS (SELECT 1 FROM registry.admission_transitions t"
    "     WHERE t.admission_id = a.id AND t.to_state = 'TERMINATED' AND t.at < $4)"
    "   AND NOT EXISTS (SELECT 1 FROM registry.capacity_returns c WHERE c.provider_id ="
    "     a.provider_id AND c.framework_id = a.framework_id AND c.month = $2)"
    "   AND ($5::text IS NULL OR a.provider_id::text > $5)"
    " ORDER BY a.provider_id::text LIMIT $6";

// ------------------------------------------------------------ eligibility ---

// $1 lot, $2 area (normalised), $3 date, $4 earliest capacity month, $5 caller is a
// service (else only the lot's partnership members see it), $6 the kinds held one at a
// time (domain::AlwaysMandatoryKinds, JSON), $7 after provider id, $8 limit.
inline constexpr std::string_view kListEligible =
    "SELECT a.id::text AS admission_id, a.provider_id::text AS provider_id, o.display_name,"
    " cr.estimated_weekly_hours_available AS hours, to_char(cr.month, 'YYYY-MM') AS month"
    " FROM registry.admissions a"
    " JOIN registry.organisations o ON o.id = a.provider_id"
    " JOIN LATERAL (SELECT c.month, c.estimated_weekly_hours_available"
    "   FROM registry.capacity_returns c WHERE c.provider_id = a.provider_id"
    "     AND c.framework_id = a.framework_id AND c.month <= date_trunc('month', $3::date)"
    "   ORDER BY c.month DESC LIMIT 1) cr ON true"
    " WHERE a.lot_id = $1 AND a.state = 'ACTIVE' AND o.coverage_areas @> ARRAY[$2::text]"
    "   AND ($5::boolean OR registry.acts_for_partnership(a.partnership_id))"
    "   AND cr.month >= $4 AND cr.estimated_weekly_hours_available > 0"
    // No mandatory document lapsed on $3, unless it is of a kind held one at a time ($6,
    // a JSON array) and another of that kind is in date: the renewal supersedes it.
    "   AND NOT EXISTS (SELECT 1 FROM registry.compliance_documents d"
    "     WHERE d.provider_id = a.provider_id AND d.mandatory AND d.expiry_date < $3"
    "       AND NOT registry.document_renewed(d.provider_id, d.kind, $3, $6))"
    // Every kind the framework requires, held in date on $3.
    "   AND NOT EXISTS (SELECT 1 FROM registry.frameworks f,"
    "     unnest(f.required_documents) AS required(kind) WHERE f.id = a.framework_id"
    "     AND NOT EXISTS (SELECT 1 FROM registry.compliance_documents d"
    "       WHERE d.provider_id = a.provider_id AND d.kind = required.kind"
    "         AND d.issue_date <= $3 AND (d.expiry_date IS NULL OR d.expiry_date >= $3)))"
    "   AND ($7::text IS NULL OR a.provider_id::text > $7)"
    " ORDER BY a.provider_id::text LIMIT $8";
// The lot exists and the caller may broker on it ($2: caller is a service).
inline constexpr std::string_view kLotVisibleForBrokerage =
    "SELECT l.id FROM registry.lots l WHERE l.id = $1"
    " AND ($2::boolean OR registry.acts_for_partnership(l.partnership_id))";

}  // namespace pdps::registry::sql
