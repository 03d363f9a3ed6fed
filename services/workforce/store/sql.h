// Every SQL statement of the workforce service, schema-qualified, with explicit column
// lists. Row-level security (migrations/0001) decides what each caller sees; these
// statements add the filters the API offers.
#pragma once

#include <string_view>

namespace pdps::workforce::sql {

#define PDPS_AUDIT_COLUMNS                                                                     \
  " create_time, create_user, create_organisation::text AS create_organisation, update_time, " \
  "update_user"

// -------------------------------------------------------------------- staff ---

#define PDPS_STAFF_COLUMNS                                                     \
  "id::text AS id, provider_id::text AS provider_id, record::text AS record, " \
  "version," PDPS_AUDIT_COLUMNS

// $1 id, $2 provider, $3 name, $4 start, $5 leave, $6 contract, $7 record, $8 time, $9 user.
inline constexpr std::string_view kInsertStaff =
    "INSERT INTO workforce.staff (id, provider_id, display_name, start_date, leave_date,"
    " contract_type, record, create_time, create_user, create_organisation, update_time,"
    " update_user) VALUES ($1, $2, $3, $4::date, $5::date, $6, $7::jsonb, $8, $9, $2, $8, $9)";
inline constexpr std::string_view kSelectStaff =
    "SELECT " PDPS_STAFF_COLUMNS " FROM workforce.staff WHERE id = $1";
inline constexpr std::string_view kSelectStaffForUpdate =
    "SELECT " PDPS_STAFF_COLUMNS " FROM workforce.staff WHERE id = $1 FOR UPDATE";
// $1 id, $2 name, $3 start, $4 leave, $5 contract, $6 record, $7 time, $8 user.
inline constexpr std::string_view kUpdateStaff =
    "UPDATE workforce.staff SET display_name = $2, start_date = $3::date, leave_date = $4::date,"
    " contract_type = $5, record = $6::jsonb, version = version + 1, update_time = $7,"
    " update_user = $8 WHERE id = $1";
// $1 provider, $2 include leavers, $3 today, $4/$5 after (name, id), $6 limit. By name.
inline constexpr std::string_view kListStaff =
    "SELECT " PDPS_STAFF_COLUMNS
    " FROM workforce.staff WHERE provider_id = $1"
    " AND ($2 OR leave_date IS NULL OR leave_date >= $3::date)"
    " AND ($4::text IS NULL OR (display_name, id) > ($4::text, $5::uuid))"
    " ORDER BY display_name, id LIMIT $6";
// Every worker of a provider (aggregates, expiry watch, returns).
inline constexpr std::string_view kSelectProviderStaff =
    "SELECT " PDPS_STAFF_COLUMNS " FROM workforce.staff WHERE provider_id = $1 ORDER BY id";

// The expiry watch: providers with staff, and one announcement per item and stage.
inline constexpr std::string_view kSelectProvidersWithStaff =
    "SELECT DISTINCT provider_id::text AS provider_id FROM workforce.staff ORDER BY 1";
inline constexpr std::string_view kInsertAnnouncement =
    "INSERT INTO workforce.expiry_announcements (provider_id, staff_id, kind, code, due_date,"
    " within_days) VALUES ($1, $2, $3, $4, $5::date, $6) ON CONFLICT DO NOTHING"
    " RETURNING staff_id";

// --------------------------------------------------------- training matrices ---

#define PDPS_MATRIX_COLUMNS                                                              \
  "id::text AS id, framework_id::text AS framework_id, lot_id::text AS lot_id, version," \
  " effective_from::text AS effective_from, matrix::text AS matrix," PDPS_AUDIT_COLUMNS

// Serialises version numbering of one lot.
inline constexpr std::string_view kLockLot =
    "SELECT pg_advisory_xact_lock(hashtextextended('workforce.lot:' || $1, 0))";
// The latest version of a lot and the organisation that made the first.
inline constexpr std::string_view kLatestMatrix =
    "SELECT version, effective_from::text AS effective_from,"
    " (SELECT create_organisation::text FROM workforce.training_matrices f"
    "   WHERE f.lot_id = $1 ORDER BY version LIMIT 1) AS owner"
    " FROM workforce.training_matrices WHERE lot_id = $1 ORDER BY version DESC LIMIT 1";
// $1 id, $2 framework, $3 lot, $4 version, $5 effective, $6 matrix, $7 time, $8 user, $9 org.
inline constexpr std::string_view kInsertMatrix =
    "INSERT INTO workforce.training_matrices (id, framework_id, lot_id, version, effective_from,"
    " matrix, create_time, create_user, create_organisation, update_time, update_user)"
    " VALUES ($1, $2, $3, $4, $5::date, $6::jsonb, $7, $8, $9, $7, $8)";
inline constexpr std::string_view kSelectMatrix =
    "SELECT " PDPS_MATRIX_COLUMNS " FROM workforce.training_matrices WHERE id = $1";
inline constexpr std::string_view kSelectLotMatrices =
    "SELECT " PDPS_MATRIX_COLUMNS
    " FROM workforce.training_matrices WHERE lot_id = $1"
    " ORDER BY version";
// $1 lot, $2 framework (NULL = any), $3/$4 after (lot, version), $5 limit.
inline constexpr std::string_view kListMatrices =
    "SELECT " PDPS_MATRIX_COLUMNS
    " FROM workforce.training_matrices"
    " WHERE ($1::uuid IS NULL OR lot_id = $1) AND ($2::uuid IS NULL OR framework_id = $2)"
    " AND ($3::uuid IS NULL OR (lot_id, version) > ($3::uuid, $4::integer))"
    " ORDER BY lot_id, version LIMIT $5";

// --------------------------------------------------------- training records ---

#define PDPS_TRAINING_COLUMNS                                                   \
  "id::text AS id, staff_id::text AS staff_id, competency_code,"                \
  " completed_on::text AS completed_on, training_provider, evidence_reference," \
  " void_time, COALESCE(void_user, '') AS void_user, void_reason," PDPS_AUDIT_COLUMNS

// $1 id, $2 provider, $3 staff, $4 code, $5 completed, $6 trainer, $7 evidence, $8 time, $9 user.
inline constexpr std::string_view kInsertTraining =
    "INSERT INTO workforce.training_records (id, provider_id, staff_id, competency_code,"
    " completed_on, training_provider, evidence_reference, create_time, create_user,"
    " create_organisation, update_time, update_user)"
    " VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $2, $8, $9)";
inline constexpr std::string_view kSelectTraining =
    "SELECT " PDPS_TRAINING_COLUMNS " FROM workforce.training_records WHERE id = $1";
// $1 staff, $2/$3 after (completed_on, id), $4 limit. Newest first.
inline constexpr std::string_view kListTraining =
    "SELECT " PDPS_TRAINING_COLUMNS
    " FROM workforce.training_records WHERE staff_id = $1"
    " AND ($2::date IS NULL OR (completed_on, id) < ($2::date, $3::uuid))"
    " ORDER BY completed_on DESC, id DESC LIMIT $4";
// Completions the rules count: voided records are left out.
inline constexpr std::string_view kSelectStaffCompletions =
    "SELECT staff_id::text AS staff_id, competency_code, completed_on::text AS completed_on"
    " FROM workforce.training_records WHERE staff_id = $1 AND void_time IS NULL";
inline constexpr std::string_view kSelectProviderCompletions =
    "SELECT staff_id::text AS staff_id, competency_code, completed_on::text AS completed_on"
    " FROM workforce.training_records WHERE provider_id = $1 AND void_time IS NULL";
// $1 id, $2 time, $3 user, $4 reason. Row-level security keeps it to the provider's own.
inline constexpr std::string_view kVoidTraining =
    "UPDATE workforce.training_records SET void_time = $2, void_user = $3, void_reason = $4,"
    " update_time = $2, update_user = $3 WHERE id = $1 AND void_time IS NULL";

// --------------------------------------------------------------- complaints ---

#define PDPS_COMPLAINT_COLUMNS                                                            \
  "id::text AS id, provider_id::text AS provider_id, framework_id::text AS framework_id," \
  " COALESCE(lot_id::text, '') AS lot_id, received_time, answer_due_time,"                \
  " acknowledged_time, answered_time, state, outcome, learning, safeguarding, summary,"   \
  " answer_working_days, version," PDPS_AUDIT_COLUMNS

// $1 id, $2 provider, $3 framework, $4 lot, $5 received, $6 due, $7 safeguarding,
// $8 summary, $9 time, $10 user, $11 the answer period $6 was counted with.
inline constexpr std::string_view kInsertComplaint =
    "INSERT INTO workforce.complaints (id, provider_id, framework_id, lot_id, received_time,"
    " answer_due_time, state, safeguarding, summary, create_time, create_user,"
    " create_organisation, update_time, update_user, answer_working_days)"
    " VALUES ($1, $2, $3, $4::uuid, $5, $6, 'RECEIVED', $7, $8, $9, $10, $2, $9, $10, $11)";
inline constexpr std::string_view kSelectComplaint =
    "SELECT " PDPS_COMPLAINT_COLUMNS " FROM workforce.complaints WHERE id = $1";
inline constexpr std::string_view kSelectComplaintForUpdate =
    "SELECT " PDPS_COMPLAINT_COLUMNS " FROM workforce.complaints WHERE id = $1 FOR UPDATE";
// $1 provider, $2 overdue only, $3 now, $4/$5 after (received_time, id), $6 limit.
inline constexpr std::string_view kListComplaints =
    "SELECT " PDPS_COMPLAINT_COLUMNS
    " FROM workforce.complaints WHERE provider_id = $1"
    " AND (NOT $2 OR (state <> 'ANSWERED' AND answer_due_time < $3))"
    " AND ($4::timestamptz IS NULL OR (received_time, id) < ($4::timestamptz, $5::uuid))"
    " ORDER BY received_time DESC, id DESC LIMIT $6";
// $1 id, $2 time, $3 user.
inline constexpr std::string_view kAcknowledgeComplaint =
    "UPDATE workforce.complaints SET state = 'ACKNOWLEDGED', acknowledged_time = $2,"
    " version = version + 1, update_time = $2, update_user = $3 WHERE id = $1";
// $1 id, $2 outcome, $3 learning, $4 time, $5 user. A complaint answered straight from
// RECEIVED is acknowledged with the answer, at the same moment.
inline constexpr std::string_view kAnswerComplaint =
    "UPDATE workforce.complaints SET state = 'ANSWERED', outcome = $2, learning = $3,"
    " answered_time = $4, acknowledged_time = COALESCE(acknowledged_time, $4),"
    " version = version + 1, update_time = $4, update_user = $5 WHERE id = $1";
// A provider's complaints received before $3, of framework $2 (NULL: all), for the
// quarterly return.
inline constexpr std::string_view kSelectComplaintFacts =
    "SELECT received_time, answer_due_time, answered_time, outcome FROM workforce.complaints"
    " WHERE provider_id = $1 AND ($2::uuid IS NULL OR framework_id = $2::uuid)"
    " AND received_time < $3";
// Upheld (wholly or partly) safeguarding complaints of a provider under a framework
// received in [$3, $4) (domain::SafeguardingWindow), whenever they were answered.
inline constexpr std::string_view kCountUpheldSafeguarding =
    "SELECT count(*) AS n FROM workforce.complaints WHERE provider_id = $1"
    " AND framework_id = $2 AND safeguarding AND outcome IN ('UPHELD', 'PARTLY_UPHELD')"
    " AND received_time >= $3 AND received_time < $4";

// ------------------------------------------------------- quality monitoring ---

#define PDPS_VISIT_COLUMNS                                                                \
  "id::text AS id, provider_id::text AS provider_id, framework_id::text AS framework_id," \
  " COALESCE(lot_id::text, '') AS lot_id, visit_date::text AS visit_date, findings,"      \
  " rating," PDPS_AUDIT_COLUMNS

// $1 id, $2 provider, $3 framework, $4 lot, $5 date, $6 findings, $7 rating, $8 time,
// $9 user, $10 org.
inline constexpr std::string_view kInsertVisit =
    "INSERT INTO workforce.monitoring_visits (id, provider_id, framework_id, lot_id, visit_date,"
    " findings, rating, create_time, create_user, create_organisation, update_time, update_user)"
    " VALUES ($1, $2, $3, $4::uuid, $5::date, $6, $7, $8, $9, $10, $8, $9)";
inline constexpr std::string_view kSelectVisit =
    "SELECT " PDPS_VISIT_COLUMNS " FROM workforce.monitoring_visits WHERE id = $1";
// The latest date of the provider's other visits on the framework that speak for the
// visit's lot (that lot's, or framework-wide ones): $1 provider, $2 framework, $3 lot
// (NULL for a framework-wide visit), $4 the visit's own id. NULL when there is none.
inline constexpr std::string_view kLatestOtherVisit =
    "SELECT max(visit_date)::text AS day FROM workforce.monitoring_visits"
    " WHERE provider_id = $1 AND framework_id = $2 AND id <> $4"
    " AND (lot_id IS NULL OR lot_id = $3::uuid)";
// $1 provider (NULL = any visible), $2/$3 after (visit_date, id), $4 limit.
inline constexpr std::string_view kListVisits =
    "SELECT " PDPS_VISIT_COLUMNS
    " FROM workforce.monitoring_visits"
    " WHERE ($1::uuid IS NULL OR provider_id = $1)"
    " AND ($2::date IS NULL OR (visit_date, id) < ($2::date, $3::uuid))"
    " ORDER BY visit_date DESC, id DESC LIMIT $4";

#define PDPS_PLAN_COLUMNS                                                                 \
  "id::text AS id, provider_id::text AS provider_id, framework_id::text AS framework_id," \
  " COALESCE(visit_id::text, '') AS visit_id, title, items::text AS items, "              \
  "version," PDPS_AUDIT_COLUMNS

// $1 id, $2 provider, $3 framework, $4 visit, $5 title, $6 items, $7 time, $8 user, $9 org.
inline constexpr std::string_view kInsertPlan =
    "INSERT INTO workforce.action_plans (id, provider_id, framework_id, visit_id, title, items,"
    " create_time, create_user, create_organisation, update_time, update_user)"
    " VALUES ($1, $2, $3, $4::uuid, $5, $6::jsonb, $7, $8, $9, $7, $8)";
inline constexpr std::string_view kSelectPlan =
    "SELECT " PDPS_PLAN_COLUMNS " FROM workforce.action_plans WHERE id = $1";
inline constexpr std::string_view kSelectPlanForUpdate =
    "SELECT " PDPS_PLAN_COLUMNS " FROM workforce.action_plans WHERE id = $1 FOR UPDATE";
// $1 id, $2 items, $3 time, $4 user.
inline constexpr std::string_view kUpdatePlanItems =
    "UPDATE workforce.action_plans SET items = $2::jsonb, version = version + 1,"
    " update_time = $3, update_user = $4 WHERE id = $1";
// $1 provider (NULL = any visible), $2/$3 after (create_time, id), $4 limit.
inline constexpr std::string_view kListPlans =
    "SELECT " PDPS_PLAN_COLUMNS
    " FROM workforce.action_plans"
    " WHERE ($1::uuid IS NULL OR provider_id = $1)"
    " AND ($2::timestamptz IS NULL OR (create_time, id) < ($2::timestamptz, $3::uuid))"
    " ORDER BY create_time DESC, id DESC LIMIT $4";

#define PDPS_ACCOUNTS_COLUMNS                                                             \
  "id::text AS id, provider_id::text AS provider_id, framework_id::text AS framework_id," \
  " year_end::text AS year_end, current_assets_pence, current_liabilities_pence,"         \
  " operating_profit_pence, capital_employed_pence, net_assets_pence, version,"           \
  " revisions::text AS revisions," PDPS_AUDIT_COLUMNS

// $1 id, $2 provider, $3 framework, $4 year end, $5..$9 pence, $10 time, $11 user, $12 org.
inline constexpr std::string_view kInsertAccounts =
    "INSERT INTO workforce.financial_accounts (id, provider_id, framework_id, year_end,"
    " current_assets_pence, current_liabilities_pence, operating_profit_pence,"
    " capital_employed_pence, net_assets_pence, create_time, create_user, create_organisation,"
    " update_time, update_user)"
    " VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8, $9, $10, $11, $12, $10, $11)"
    " ON CONFLICT (provider_id, framework_id, year_end) DO NOTHING RETURNING id::text AS id";
// The accounts holding a natural key, as the caller may see them: $1 provider,
// $2 framework, $3 year end.
inline constexpr std::string_view kSelectAccountsByKey =
    "SELECT id::text AS id FROM workforce.financial_accounts"
    " WHERE provider_id = $1 AND framework_id = $2 AND year_end = $3::date";
// The latest year end of the provider's other accounts on the framework: $1 provider,
// $2 framework, $3 the accounts' own id. NULL when there are none.
inline constexpr std::string_view kLatestOtherAccounts =
    "SELECT max(year_end)::text AS day FROM workforce.financial_accounts"
    " WHERE provider_id = $1 AND framework_id = $2 AND id <> $3";
inline constexpr std::string_view kSelectAccounts =
    "SELECT " PDPS_ACCOUNTS_COLUMNS " FROM workforce.financial_accounts WHERE id = $1";
// Locks accounts the caller recorded (row-level security: only the recorder may).
inline constexpr std::string_view kSelectAccountsForUpdate =
    "SELECT " PDPS_ACCOUNTS_COLUMNS " FROM workforce.financial_accounts WHERE id = $1 FOR UPDATE";
// $1 id, $2..$6 pence, $7 revisions (JSON), $8 time, $9 user.
inline constexpr std::string_view kReviseAccounts =
    "UPDATE workforce.financial_accounts SET current_assets_pence = $2,"
    " current_liabilities_pence = $3, operating_profit_pence = $4, capital_employed_pence = $5,"
    " net_assets_pence = $6, revisions = $7::jsonb, version = version + 1, update_time = $8,"
    " update_user = $9 WHERE id = $1";
// $1 provider (NULL = any visible), $2/$3 after (year_end, id), $4 limit.
inline constexpr std::string_view kListAccounts =
    "SELECT " PDPS_ACCOUNTS_COLUMNS
    " FROM workforce.financial_accounts"
    " WHERE ($1::uuid IS NULL OR provider_id = $1)"
    " AND ($2::date IS NULL OR (year_end, id) < ($2::date, $3::uuid))"
    " ORDER BY year_end DESC, id DESC LIMIT $4";

// --------------------------------------------------------- suspension rules ---

#define PDPS_RULES_COLUMNS                                                                  \
  "framework_id::text AS framework_id, owner_organisation::text AS owner_organisation,"     \
  " suspend_on_inadequate_visit, upheld_safeguarding_complaints, complaint_window_months,"  \
  " suspend_on_financial_breach, suspend_on_ineligible_package_worker,"                     \
  " min_trained_staff_percent, action_plan_due_working_days,"                               \
  " complaint_answer_working_days, turnover_target_percent, trained_staff_induction_weeks," \
  " version," PDPS_AUDIT_COLUMNS

inline constexpr std::string_view kSelectRules =
    "SELECT " PDPS_RULES_COLUMNS " FROM workforce.suspension_rules WHERE framework_id = $1";
inline constexpr std::string_view kSelectRulesForUpdate =
    "SELECT " PDPS_RULES_COLUMNS
    " FROM workforce.suspension_rules WHERE framework_id = $1"
    " FOR UPDATE";
// $1 framework, $2 owner, $3 visit, $4 complaints, $5 window, $6 financial, $7 time, $8 user,
// $9 package worker, $10 trained staff percent, $11 action plan working days, $12 complaint
// answer working days, $13 turnover target percent, $14 induction weeks. A concurrent
// first set loses with
// ALREADY_EXISTS.
inline constexpr std::string_view kInsertRules =
    "INSERT INTO workforce.suspension_rules (framework_id, owner_organisation,"
    " suspend_on_inadequate_visit, upheld_safeguarding_complaints, complaint_window_months,"
    " suspend_on_financial_breach, suspend_on_ineligible_package_worker,"
    " min_trained_staff_percent, action_plan_due_working_days, complaint_answer_working_days,"
    " turnover_target_percent, trained_staff_induction_weeks, create_time, create_user,"
    " create_organisation, update_time, update_user)"
    " VALUES ($1, $2, $3, $4, $5, $6, $9, $10, $11, $12, $13, $14, $7, $8, $2, $7, $8)";
inline constexpr std::string_view kUpdateRules =
    "UPDATE workforce.suspension_rules SET suspend_on_inadequate_visit = $3,"
    " upheld_safeguarding_complaints = $4, complaint_window_months = $5,"
    " suspend_on_financial_breach = $6, suspend_on_ineligible_package_worker = $9,"
    " min_trained_staff_percent = $10, action_plan_due_working_days = $11,"
    " complaint_answer_working_days = $12, turnover_target_percent = $13,"
    " trained_staff_induction_weeks = $14,"
    " version = version + 1, update_time = $7,"
    " update_user = $8"
    " WHERE framework_id = $1 AND owner_organisation = $2";

// ---------------------------------------------------------------- packages ---

#define PDPS_PACKAGE_COLUMNS                                                           \
  "p.id::text AS id, p.provider_id::text AS provider_id, p.framework_id::text AS"      \
  " framework_id, p.lot_id::text AS lot_id, p.partnership_id::text AS partnership_id," \
  " array_to_string(p.extra_competencies, ',') AS extra_competencies,"                 \
  " p.start_date::text AS start_date, COALESCE(p.end_date::text, '') AS end_date,"     \
  " array_to_string(p.funder_ids, ',') AS funder_ids"

// From the referrals feed; a replayed award changes nothing. $1 id, $2 provider,
// $3 framework, $4 lot, $5 partnership, $6 extras (comma-separated), $7 start, $8 end,
// $9 award time.
inline constexpr std::string_view kInsertPackage =
    "INSERT INTO workforce.packages (id, provider_id, framework_id, lot_id, partnership_id,"
    " extra_competencies, start_date, end_date, award_time, funder_ids)"
    " VALUES ($1, $2, $3, $4, $5, COALESCE(string_to_array(NULLIF($6, ''), ','), '{}'),"
    " $7::date, $8::date, $9, COALESCE(string_to_array(NULLIF($10, ''), ',')::uuid[], '{}'))"
    " ON CONFLICT (id) DO NOTHING";
inline constexpr std::string_view kSelectPackage =
    "SELECT " PDPS_PACKAGE_COLUMNS " FROM workforce.packages p WHERE p.id = $1";
// The lots of a provider's packages running at some time in [$2, $3] (days): with its
// staff's lots, those whose periods a provider-wide return applies.
inline constexpr std::string_view kSelectProviderPackageLots =
    "SELECT DISTINCT lot_id::text AS lot_id FROM workforce.packages"
    " WHERE provider_id = $1 AND start_date <= $3::date"
    " AND (end_date IS NULL OR end_date >= $2::date)";
// Row-level security keeps a provider to its own. $1 provider (NULL = every visible),
// $2/$3 after (start_date, id), $4 limit.
inline constexpr std::string_view kListPackages =
    "SELECT " PDPS_PACKAGE_COLUMNS
    " FROM workforce.packages p"
    " WHERE ($1::uuid IS NULL OR p.provider_id = $1)"
    " AND ($2::text IS NULL OR (p.start_date, p.id) > ($2::date, $3::uuid))"
    " ORDER BY p.start_date, p.id LIMIT $4";

#define PDPS_ASSIGNMENT_COLUMNS                                                       \
  "a.id::text AS id, a.package_id::text AS package_id, a.staff_id::text AS staff_id," \
  " a.from_date::text AS from_date, COALESCE(a.to_date::text, '') AS to_date,"        \
  " a.end_reason, a.version, a.create_time, a.create_user,"                           \
  " a.create_organisation::text AS create_organisation, a.update_time, a.update_user"

// $1 id, $2 package, $3 provider, $4 staff, $5 from, $6 time, $7 user.
inline constexpr std::string_view kInsertAssignment =
    "INSERT INTO workforce.package_assignments (id, package_id, provider_id, staff_id,"
    " from_date, create_time, create_user, create_organisation, update_time, update_user)"
    " VALUES ($1, $2, $3, $4, $5::date, $6, $7, $3, $6, $7)";
inline constexpr std::string_view kSelectAssignment =
    "SELECT " PDPS_ASSIGNMENT_COLUMNS " FROM workforce.package_assignments a WHERE a.id = $1";
inline constexpr std::string_view kSelectAssignmentForUpdate =
    "SELECT " PDPS_ASSIGNMENT_COLUMNS
    " FROM workforce.package_assignments a WHERE a.id = $1"
    " FOR UPDATE";
// $1 package, $2 staff.
inline constexpr std::string_view kSelectRunningAssignment =
    "SELECT a.id::text AS id FROM workforce.package_assignments a"
    " WHERE a.package_id = $1 AND a.staff_id = $2 AND a.to_date IS NULL";
// The ended assignments of a worker on a package, those that never ran among them:
// $1 package, $2 staff.
inline constexpr std::string_view kSelectEndedAssignments =
    "SELECT a.id::text AS id, a.from_date::text AS from_date, a.to_date::text AS to_date"
    " FROM workforce.package_assignments a"
    " WHERE a.package_id = $1 AND a.staff_id = $2 AND a.to_date IS NOT NULL";
// $1 id, $2 last day, $3 reason, $4 time, $5 user.
inline constexpr std::string_view kEndAssignment =
    "UPDATE workforce.package_assignments SET to_date = $2::date, end_reason = $3,"
    " version = version + 1, update_time = $4, update_user = $5 WHERE id = $1";
// A worker left on $2: each assignment of $1 running or upcoming after that day ends on it
// (one not begun by then never ran: it ends the day before its first), reason $3.
inline constexpr std::string_view kEndAssignmentsOfLeaver =
    "UPDATE workforce.package_assignments SET to_date = CASE WHEN $2::date < from_date"
    " THEN from_date - 1 ELSE $2::date END, end_reason = $3, version = version + 1,"
    " update_time = $4, update_user = $5"
    " WHERE staff_id = $1 AND (to_date IS NULL OR to_date > $2::date)";
// The named workers of a package: $1 package, $2 include ended, $3 day (without $2:
// assignments not ended before it, upcoming ones included, none that never ran),
// $4/$5 after (from_date, id), $6 limit. With the worker's record for the gate.
inline constexpr std::string_view kListPackageWorkers =
    "SELECT " PDPS_ASSIGNMENT_COLUMNS
    ", s.display_name, s.record::text AS record,"
    " s.id::text AS staff_key, s.provider_id::text AS staff_provider, s.version AS staff_version"
    " FROM workforce.package_assignments a JOIN workforce.staff s ON s.id = a.staff_id"
    " WHERE a.package_id = $1"
    // An assignment ended before its from_date never ran: never listed.
    " AND (a.to_date IS NULL OR a.to_date >= a.from_date)"
    " AND ($2 OR a.to_date IS NULL OR a.to_date >= $3::date)"
    " AND ($4::text IS NULL OR (a.from_date, a.id) > ($4::date, $5::uuid))"
    " ORDER BY a.from_date, a.id LIMIT $6";
// Running assignments on $1 (a day) with their package: the sweeps.
inline constexpr std::string_view kSelectRunningAssignments =
    "SELECT a.id::text AS assignment_id, a.staff_id::text AS staff_id, " PDPS_PACKAGE_COLUMNS
    " FROM workforce.package_assignments a JOIN workforce.packages p ON p.id = a.package_id"
    " WHERE a.from_date <= $1::date AND (a.to_date IS NULL OR a.to_date >= $1::date)"
    " AND p.start_date <= $1::date AND (p.end_date IS NULL OR p.end_date >= $1::date)"
    " ORDER BY a.provider_id, a.id";
// The lots one provider's workers are named on (running assignments) on $1.
inline constexpr std::string_view kSelectProviderNamedLots =
    "SELECT DISTINCT a.staff_id::text AS staff_id, p.lot_id::text AS lot_id"
    " FROM workforce.package_assignments a JOIN workforce.packages p ON p.id = a.package_id"
    " WHERE a.provider_id = $2::uuid"
    " AND a.from_date <= $1::date AND (a.to_date IS NULL OR a.to_date >= $1::date)"
    " AND p.start_date <= $1::date AND (p.end_date IS NULL OR p.end_date >= $1::date)"
    " ORDER BY 1, 2";
// Frameworks whose package-worker rule is on.
inline constexpr std::string_view kSelectPackageWorkerRuleFrameworks =
    "SELECT framework_id::text AS framework_id FROM workforce.suspension_rules"
    " WHERE suspend_on_ineligible_package_worker";
// Frameworks with a trained staff target, and their matrices' lots.
inline constexpr std::string_view kSelectTrainedStaffRuleFrameworks =
    "SELECT framework_id::text AS framework_id FROM workforce.suspension_rules"
    " WHERE min_trained_staff_percent > 0 ORDER BY framework_id";
// $1 framework, $2 rule, $3 source, $4 signature: a row only the first time.
inline constexpr std::string_view kInsertRuleTrip =
    "INSERT INTO workforce.rule_trips (framework_id, rule, source_id, signature)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING source_id";
#undef PDPS_ASSIGNMENT_COLUMNS
#undef PDPS_PACKAGE_COLUMNS

#undef PDPS_AUDIT_COLUMNS

}  // namespace pdps::workforce::sql
