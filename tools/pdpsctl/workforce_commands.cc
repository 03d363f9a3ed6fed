// pdpsctl's workforce commands: staff, training, eligibility, expiries, complaints,
// returns, compliance, matrices, visits, action plans, accounts, rules and packages
// (declared in commands.h).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/proto_util.h"
#include "tools/pdpsctl/commands.h"

namespace pdps::ctl {
namespace {

// Table columns of the workforce lists.
const std::vector<std::string> kStaffColumns = {"id",
                                                "display_name",
                                                "role",
                                                "grade",
                                                "contract_type",
                                                "start_date",
                                                "leave_date",
                                                "dbs.certificate_date=DBS_DATE",
                                                "right_to_work.kind=RIGHT_TO_WORK",
                                                "registration.body=REGISTRATION",
                                                "last_supervision_date"};
const std::vector<std::string> kComplaintColumns = {"id",
                                                    "state",
                                                    "safeguarding",
                                                    "received_time",
                                                    "acknowledged_time",
                                                    "answer_due_time",
                                                    "answer_working_days",
                                                    "overdue",
                                                    "outcome",
                                                    "summary"};
const std::vector<std::string> kMatrixColumns = {"id",
                                                 "lot_id",
                                                 "version",
                                                 "effective_from",
                                                 "title",
                                                 "competencies",
                                                 "required_registration_body"};

// "--flag" or "--flag=true|false"; `def` when absent.
bool Flag(const Args& a, const std::string& k, bool def = false) {
  if (!a.Has(k)) return def;
  return a.Get(k) != "false" && a.Get(k) != "0" && a.Get(k) != "no";
}

// Sets a Date field from --k=YYYY-MM-DD when given ("" clears it).
void DateFlag(const Args& a, const std::string& k, pdps::common::v1::Date* d) {
  if (a.Has(k)) d->set_value(a.Get(k));
}

// The staff fields given as options, over `s` (create: an empty record; update: the
// current one). Returns an error message, or "".
std::string StaffFlags(const Args& a, wv1::StaffMember* s) {
  if (a.Has("name")) s->set_display_name(a.Get("name"));
  if (a.Has("role")) s->set_role(a.Get("role"));
  if (a.Has("grade")) s->set_grade(a.Get("grade"));
  DateFlag(a, "start", s->mutable_start_date());
  DateFlag(a, "leave", s->mutable_leave_date());
  if (a.Has("contract")) {
    wv1::ContractType t;
    if (!wv1::ContractType_Parse(a.Get("contract"), &t)) {
      return "bad --contract: PERMANENT, FIXED_TERM, ZERO_HOURS or BANK";
    }
    s->set_contract_type(t);
    if (t == wv1::ZERO_HOURS && !a.Has("zero-hours-evidence") &&
        !s->zero_hours_requested_by_worker()) {
      return "--contract=ZERO_HOURS needs --zero-hours-evidence=REF: the reference of the "
             "worker's own documented request for a zero-hours contract";
    }
  }
  if (a.Has("zero-hours-evidence")) {
    // The worker's documented request (seed 002 para 15).
    s->set_zero_hours_requested_by_worker(true);
    s->set_zero_hours_request_evidence(a.Get("zero-hours-evidence"));
  }
  DateFlag(a, "dbs-date", s->mutable_dbs()->mutable_certificate_date());
  if (a.Has("dbs-ref")) s->mutable_dbs()->set_certificate_reference(a.Get("dbs-ref"));
  DateFlag(a, "barred-check", s->mutable_dbs()->mutable_barred_list_check_date());
  DateFlag(a, "dbs-status-check", s->mutable_dbs()->mutable_status_check_date());
  if (a.Has("rtw")) {
    wv1::RightToWork::Kind k;
    if (!wv1::RightToWork::Kind_Parse(a.Get("rtw"), &k)) {
      return "bad --rtw: UNLIMITED or TIME_LIMITED";
    }
    s->mutable_right_to_work()->set_kind(k);
  }
  DateFlag(a, "rtw-checked", s->mutable_right_to_work()->mutable_checked_on());
  DateFlag(a, "rtw-expiry", s->mutable_right_to_work()->mutable_expiry_date());
  if (a.Has("rtw-evidence"))
    s->mutable_right_to_work()->set_evidence_reference(a.Get("rtw-evidence"));
  if (a.Has("references")) s->set_references_received(a.Int("references", 0));
  if (a.Has("reg-body")) s->mutable_registration()->set_body(a.Get("reg-body"));
  if (a.Has("reg-number")) s->mutable_registration()->set_number(a.Get("reg-number"));
  DateFlag(a, "reg-expiry", s->mutable_registration()->mutable_expiry_date());
  if (a.Has("english")) s->set_english_proficiency(a.Get("english"));
  if (a.Has("languages")) {
    s->clear_languages();
    for (const auto& l : a.List("languages")) s->add_languages(l);
  }
  if (a.Has("gender")) s->set_gender(a.Get("gender"));
  if (a.Has("lots")) {
    s->clear_lot_ids();
    for (const auto& l : a.List("lots")) s->add_lot_ids(l);
  }
  if (a.Has("drives")) s->mutable_driving()->set_drives(Flag(a, "drives"));
  DateFlag(a, "licence-checked", s->mutable_driving()->mutable_licence_checked_on());
  DateFlag(a, "insurance-expiry", s->mutable_driving()->mutable_business_insurance_expiry());
  DateFlag(a, "supervised", s->mutable_last_supervision_date());
  DateFlag(a, "appraised", s->mutable_last_appraisal_date());
  return "";
}

// A complaint's received time: RFC 3339, or "YYYY-MM-DD HH:MM" in London; default now.
bool ReceivedTime(const Args& a, google::protobuf::Timestamp* out) {
  absl::Time t = absl::Now();
  if (a.Has("received")) {
    std::string err;
    if (!absl::ParseTime(absl::RFC3339_full, a.Get("received"), &t, &err) &&
        !absl::ParseTime("%Y-%m-%d %H:%M", a.Get("received"), dates::London(), &t, &err) &&
        !absl::ParseTime("%Y-%m-%d", a.Get("received"), dates::London(), &t, &err)) {
      return false;
    }
  }
  protoutil::SetTimestamp(t, out);
  return true;
}

// An action plan by id, from the caller's list: the service has no GetActionPlan.
// Returns 0, or the exit code once the failure is reported.
int FindActionPlan(Env& env, const std::string& id, wv1::ActionPlan* out) {
  return FindListed(
      env, &WStub::ListActionPlans, wv1::ListActionPlansRequest(),
      &wv1::ListActionPlansResponse::action_plans,
      [&](const wv1::ActionPlan& p) { return p.id() == id; }, out,
      "no action plan " + id + " visible to you");
}

// The rule options given, over `r` (the current rules, or none).
void RulesFlags(const Args& a, wv1::SuspensionRules* r) {
  r->set_framework_id(a.Get("framework"));
  r->set_suspend_on_inadequate_visit(Flag(a, "inadequate-visit", r->suspend_on_inadequate_visit()));
  if (a.Has("upheld-safeguarding")) {
    r->set_upheld_safeguarding_complaints(a.Int("upheld-safeguarding", 0));
  }
  if (a.Has("window-months")) {
    r->set_complaint_window_months(a.Int("window-months", 0));
  }
  r->set_suspend_on_financial_breach(Flag(a, "financial-breach", r->suspend_on_financial_breach()));
  r->set_suspend_on_ineligible_package_worker(
      Flag(a, "ineligible-worker", r->suspend_on_ineligible_package_worker()));
  if (a.Has("min-trained-percent")) {
    r->set_min_trained_staff_percent(a.Int("min-trained-percent", 0));
  }
  if (a.Has("plan-days")) {
    r->set_action_plan_due_working_days(a.Int("plan-days", 0));
  }
  if (a.Has("answer-days")) {
    r->set_complaint_answer_working_days(a.Int("answer-days", 0));
  }
  if (a.Has("turnover-target")) {
    r->set_turnover_target_percent(a.Int("turnover-target", 0));
  }
  if (a.Has("induction-weeks")) {
    r->set_trained_staff_induction_weeks(a.Int("induction-weeks", 0));
  }
  if (a.Has("etag")) r->set_etag(a.Get("etag"));
}

// The named worker of `package_id` whose assignment is `assignment_id`, ended or not.
int FindNamedWorker(Env& env, const std::string& package_id, const std::string& assignment_id,
                    wv1::NamedWorker* out) {
  wv1::ListPackageWorkersRequest list;
  list.set_package_id(package_id);
  list.set_include_ended(true);
  return FindListed(
      env, &WStub::ListPackageWorkers, list, &wv1::ListPackageWorkersResponse::workers,
      [&](const wv1::NamedWorker& w) { return w.assignment_id() == assignment_id; }, out,
      "package " + package_id + " lists no assignment " + assignment_id + " (`packages workers " +
          package_id + " --ended` lists them; one ended before its from date is gone)");
}

}  // namespace

int Staff(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    wv1::ListStaffMembersRequest req;
    req.set_include_leavers(Flag(a, "leavers"));
    Page(a, &req);
    return Run(env, &WStub::ListStaffMembers, req, kStaffColumns);
  }
  if (verb == "get") return GetById(env, &WStub::GetStaffMember);
  if (verb == "create") {
    if (a.Has("file")) {
      return CreateFromFile(env, &WStub::CreateStaffMember,
                            &wv1::CreateStaffMemberRequest::mutable_staff_member);
    }
    wv1::CreateStaffMemberRequest req;
    std::string bad = StaffFlags(a, req.mutable_staff_member());
    if (!bad.empty()) return Fail(bad);
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &WStub::CreateStaffMember, req);
  }
  if (verb == "update") {
    if (a.Has("file")) {
      return UpdateFromFile(env, &WStub::UpdateStaffMember,
                            &wv1::UpdateStaffMemberRequest::mutable_staff_member);
    }
    // Read-modify-write: the current record (and its etag) with the options given.
    std::string id = Id(a);
    if (id.empty())
      return Fail("staff update ID [--option=value ...] | staff update --file=staff.json");
    // Once over nothing, to read every option and refuse a bad one before the
    // record's read is sent.
    wv1::StaffMember unused;
    std::string bad = StaffFlags(a, &unused);
    if (!bad.empty()) return Fail(bad);
    bool own_etag = a.Has("etag");
    wv1::GetStaffMemberRequest get;
    get.set_id(id);
    wv1::UpdateStaffMemberRequest req;
    if (!Fetch(env, &WStub::GetStaffMember, get, req.mutable_staff_member())) return 1;
    StaffFlags(a, req.mutable_staff_member());  // the options passed above
    if (own_etag) req.mutable_staff_member()->set_etag(a.Get("etag"));
    return Run(env, &WStub::UpdateStaffMember, req);
  }
  return Fail("staff: list, get, create or update");
}

int Training(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    wv1::ListTrainingRecordsRequest req;
    req.set_staff_id(a.Get("staff"));
    Page(a, &req);
    req.set_lot_id(env.args.Get("lot"));
    DateFlag(env.args, "date", req.mutable_date());
    return Run(env, &WStub::ListTrainingRecords, req);
  }
  if (verb == "record") {
    wv1::CreateTrainingRecordRequest req;
    auto* t = req.mutable_training_record();
    t->set_staff_id(a.Get("staff"));
    t->set_competency_code(a.Get("competency"));
    DateFlag(a, "completed", t->mutable_completed_on());
    t->set_training_provider(a.Get("by"));
    t->set_evidence_reference(a.Get("evidence"));
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &WStub::CreateTrainingRecord, req);
  }
  if (verb == "void") {
    wv1::VoidTrainingRecordRequest req;
    req.set_id(Id(a));
    req.set_reason(a.Get("reason"));
    return Run(env, &WStub::VoidTrainingRecord, req);
  }
  return Fail(
      "training: list --staff=ID, record --staff=ID --competency=CODE "
      "--completed=YYYY-MM-DD [--by=TRAINER] [--evidence=REF], or void ID --reason=TEXT");
}

int Eligibility(Env& env, const std::string&) {
  const Args& a = env.args;
  wv1::CheckWorkerEligibilityRequest req;
  req.set_staff_id(a.Get("staff"));
  req.set_lot_id(a.Get("lot"));
  req.set_package_id(a.Get("package"));
  for (const auto& c : a.List("extra")) req.add_extra_competencies(c);
  DateFlag(a, "date", req.mutable_date());
  wv1::CheckWorkerEligibilityResponse resp;
  if (!Fetch(env, &WStub::CheckWorkerEligibility, req, &resp)) return 1;
  if (env.json) {
    if (!cli::PrintJson(resp)) return 1;
  } else {
    std::printf("eligible: %s   (training matrix %s, version %d)\n", resp.eligible() ? "yes" : "no",
                resp.matrix_id().c_str(), resp.matrix_version());
    if (!resp.eligible()) cli::PrintTable(resp, {"kind", "competency_code", "date"});
  }
  return 0;
}

int Expiries(Env& env, const std::string&) {
  const Args& a = env.args;
  wv1::ListExpiriesRequest req;
  req.set_within_days(a.Int("within", 30));
  req.set_lot_id(a.Get("lot"));
  DateFlag(a, "date", req.mutable_date());
  Page(a, &req);
  return Run(env, &WStub::ListExpiries, req);
}

int Complaints(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    wv1::ListComplaintsRequest req;
    req.set_overdue_only(Flag(a, "overdue"));
    Page(a, &req);
    return Run(env, &WStub::ListComplaints, req, kComplaintColumns);
  }
  if (verb == "get") return GetById(env, &WStub::GetComplaint);
  if (verb == "create") {
    wv1::CreateComplaintRequest req;
    auto* c = req.mutable_complaint();
    c->set_framework_id(a.Get("framework"));
    c->set_lot_id(a.Get("lot"));
    if (!ReceivedTime(a, c->mutable_received_time())) {
      return Fail("bad --received: RFC 3339, or \"YYYY-MM-DD HH:MM\" London time");
    }
    c->set_summary(a.Get("summary"));
    c->set_safeguarding(Flag(a, "safeguarding"));
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &WStub::CreateComplaint, req);
  }
  if (verb == "acknowledge") {
    wv1::AcknowledgeComplaintRequest req;
    req.set_id(Id(a));
    return RunWithEtag(env, &WStub::GetComplaint, &WStub::AcknowledgeComplaint, req);
  }
  if (verb == "answer") {
    wv1::AnswerComplaintRequest req;
    req.set_id(Id(a));
    wv1::Complaint::Outcome o = wv1::Complaint::OUTCOME_UNSPECIFIED;
    if (a.Has("outcome") && !wv1::Complaint::Outcome_Parse(a.Get("outcome"), &o)) {
      return Fail("bad --outcome: UPHELD, PARTLY_UPHELD or NOT_UPHELD");
    }
    req.set_outcome(o);
    req.set_learning(a.Get("learning"));
    return RunWithEtag(env, &WStub::GetComplaint, &WStub::AnswerComplaint, req);
  }
  return Fail("complaints: list, get, create, acknowledge or answer");
}

int Returns(Env& env, const std::string&) {
  wv1::GetWorkforceReturnRequest req;
  req.set_quarter(env.args.Get("quarter"));
  req.set_lot_id(env.args.Get("lot"));
  req.set_provider_id(env.args.Get("provider"));     // commissioners
  return Run(env, &WStub::GetWorkforceReturn, req);  // no lot: training "n/a (give --lot)"
}

int Compliance(Env& env, const std::string&) {
  wv1::GetWorkforceComplianceRequest req;
  req.set_provider_id(env.args.Get("provider"));
  req.set_lot_id(env.args.Get("lot"));
  DateFlag(env.args, "date", req.mutable_date());
  return Run(env, &WStub::GetWorkforceCompliance, req);
}

int Matrices(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    wv1::ListTrainingMatricesRequest req;
    req.set_lot_id(a.Get("lot"));
    req.set_framework_id(a.Get("framework"));
    Page(a, &req);
    return Run(env, &WStub::ListTrainingMatrices, req, kMatrixColumns);
  }
  if (verb == "get") return GetById(env, &WStub::GetTrainingMatrix);
  if (verb == "create") {
    return CreateFromFile(env, &WStub::CreateTrainingMatrix,
                          &wv1::CreateTrainingMatrixRequest::mutable_training_matrix);
  }
  return Fail("matrices: list, get or create --file=matrix.json");
}

int Visits(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    wv1::ListMonitoringVisitsRequest req;
    req.set_provider_id(a.Get("provider"));
    Page(a, &req);
    return Run(env, &WStub::ListMonitoringVisits, req);
  }
  if (verb == "create") {
    wv1::CreateMonitoringVisitRequest req;
    auto* v = req.mutable_visit();
    v->set_provider_id(a.Get("provider"));
    v->set_framework_id(a.Get("framework"));
    v->set_lot_id(a.Get("lot"));
    DateFlag(a, "date", v->mutable_visit_date());
    v->set_findings(a.Get("findings"));
    wv1::Rating r = wv1::RATING_UNSPECIFIED;
    if (a.Has("rating") && !wv1::Rating_Parse(a.Get("rating"), &r)) {
      return Fail("bad --rating: OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT or INADEQUATE");
    }
    v->set_rating(r);
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &WStub::CreateMonitoringVisit, req);
  }
  return Fail("visits: list or create");
}

int ActionPlans(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    wv1::ListActionPlansRequest req;
    req.set_provider_id(a.Get("provider"));
    Page(a, &req);
    return Run(env, &WStub::ListActionPlans, req,
               {"id", "provider_id", "provider_id:name=PROVIDER", "framework_id", "title",
                "visit_id", "items"});
  }
  if (verb == "get") {
    // One plan's fields, its items as items[0], items[1], ...: the INDEX of complete.
    wv1::ActionPlan plan;
    if (int rc = FindActionPlan(env, Id(a), &plan)) return rc;
    return Print(env, plan);
  }
  if (verb == "create") {
    if (a.Has("file")) {
      return CreateFromFile(env, &WStub::CreateActionPlan,
                            &wv1::CreateActionPlanRequest::mutable_action_plan);
    }
    wv1::CreateActionPlanRequest req;
    auto* p = req.mutable_action_plan();
    p->set_provider_id(a.Get("provider"));
    p->set_framework_id(a.Get("framework"));
    p->set_visit_id(a.Get("visit"));
    p->set_title(a.Get("title"));
    AddActions(a, [&] { return p->add_items(); });
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &WStub::CreateActionPlan, req);
  }
  if (verb == "complete") {
    wv1::CompleteActionItemRequest req;
    req.set_id(Id(a));
    int item = -1;
    if (!absl::SimpleAtoi(a.Get("item"), &item))
      return Fail("--item=INDEX (0, 1, ...) is required");
    req.set_item_index(item);
    DateFlag(a, "date", req.mutable_completed_on());
    // No GetActionPlan: the plan's etag comes from the caller's list (or --etag).
    req.set_etag(a.Get("etag"));
    if (req.etag().empty()) {
      wv1::ActionPlan plan;
      if (int rc = FindActionPlan(env, req.id(), &plan)) return rc;
      req.set_etag(plan.etag());
    }
    return Run(env, &WStub::CompleteActionItem, req);
  }
  return Fail("action-plans: list, get, create or complete");
}

int Accounts(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    wv1::ListFinancialAccountsRequest req;
    req.set_provider_id(a.Get("provider"));
    Page(a, &req);
    return Run(env, &WStub::ListFinancialAccounts, req);
  }
  if (verb == "record") {
    wv1::RecordFinancialAccountsRequest req;
    auto* f = req.mutable_accounts();
    f->set_provider_id(a.Get("provider"));
    f->set_framework_id(a.Get("framework"));
    DateFlag(a, "year-end", f->mutable_year_end());
    if (!PoundsFlag(a, "current-assets", [&] { return f->mutable_current_assets(); }) ||
        !PoundsFlag(a, "current-liabilities", [&] { return f->mutable_current_liabilities(); }) ||
        !PoundsFlag(a, "operating-profit", [&] { return f->mutable_operating_profit(); }) ||
        !PoundsFlag(a, "capital-employed", [&] { return f->mutable_capital_employed(); }) ||
        !PoundsFlag(a, "net-assets", [&] { return f->mutable_net_assets(); })) {
      return 2;
    }
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &WStub::RecordFinancialAccounts, req);
  }
  if (verb == "get") {
    wv1::GetFinancialAccountsRequest req;
    req.set_id(Id(a));
    return Run(env, &WStub::GetFinancialAccounts, req);
  }
  if (verb == "revise") {
    // The recorded figures, with those given replacing theirs, and their etag (or --etag).
    wv1::ReviseFinancialAccountsRequest req;
    req.set_reason(a.Get("reason"));
    wv1::GetFinancialAccountsRequest get;
    get.set_id(Id(a));
    auto* f = req.mutable_accounts();
    std::string etag = a.Get("etag");
    wv1::FinancialAccounts given;
    if (!PoundsFlag(a, "current-assets", [&] { return given.mutable_current_assets(); }) ||
        !PoundsFlag(a, "current-liabilities",
                    [&] { return given.mutable_current_liabilities(); }) ||
        !PoundsFlag(a, "operating-profit", [&] { return given.mutable_operating_profit(); }) ||
        !PoundsFlag(a, "capital-employed", [&] { return given.mutable_capital_employed(); }) ||
        !PoundsFlag(a, "net-assets", [&] { return given.mutable_net_assets(); })) {
      return 2;
    }
    if (!Fetch(env, &WStub::GetFinancialAccounts, get, f)) return 1;
    if (!etag.empty()) f->set_etag(etag);
    f->MergeFrom(given);
    return Run(env, &WStub::ReviseFinancialAccounts, req);
  }
  return Fail("accounts: list, get, record or revise");
}

int Rules(Env& env, const std::string& verb) {
  const Args& a = env.args;
  wv1::GetSuspensionRulesRequest get;
  get.set_framework_id(a.Get("framework"));
  if (verb == "get") return Run(env, &WStub::GetSuspensionRules, get);
  if (verb == "set") {
    // Once over nothing, to read every option before the current rules' read is sent.
    wv1::SuspensionRules unused;
    RulesFlags(a, &unused);
    wv1::SetSuspensionRulesRequest req;
    grpc::Status st = Call(env, &WStub::GetSuspensionRules, get, req.mutable_rules());
    if (!st.ok()) return Report(st);  // never set: the defaults, with no etag
    RulesFlags(a, req.mutable_rules());
    return Run(env, &WStub::SetSuspensionRules, req);
  }
  return Fail("rules: get or set --framework=ID");
}

int Packages(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "get") {
    wv1::GetPackageRequest req;
    req.set_id(Id(a));
    return Run(env, &WStub::GetPackage, req);
  }
  if (verb == "list") {
    wv1::ListPackagesRequest req;
    req.set_provider_id(a.Get("provider"));
    Page(a, &req);
    return Run(env, &WStub::ListPackages, req,
               {"id", "lot_id", "start_date", "end_date", "extra_competencies"});
  }
  if (verb == "workers") {
    wv1::ListPackageWorkersRequest req;
    req.set_package_id(Id(a));
    DateFlag(a, "date", req.mutable_date());
    req.set_include_ended(Flag(a, "ended"));
    Page(a, &req);
    return Run(
        env, &WStub::ListPackageWorkers, req,
        {"assignment_id", "display_name", "role", "from_date", "to_date", "eligible", "reasons"});
  }
  if (verb == "assign") {
    wv1::CreatePackageAssignmentRequest req;
    req.mutable_assignment()->set_package_id(Id(a));
    req.mutable_assignment()->set_staff_id(a.Get("staff"));
    DateFlag(a, "from", req.mutable_assignment()->mutable_from_date());
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &WStub::CreatePackageAssignment, req);
  }
  if (verb == "unassign") {
    wv1::EndPackageAssignmentRequest req;
    req.set_id(a.Get("assignment"));
    req.set_etag(a.Get("etag"));
    req.set_reason(a.Get("reason"));
    DateFlag(a, "last-day", req.mutable_last_day());
    // No GetPackageAssignment: the etag comes from the package's named workers.
    if (req.etag().empty() && !Id(a).empty()) {
      wv1::NamedWorker worker;
      if (int rc = FindNamedWorker(env, Id(a), req.id(), &worker)) return rc;
      req.set_etag(worker.etag());
    }
    return Run(env, &WStub::EndPackageAssignment, req);
  }
  return Fail(
      "packages: list, get ID, workers ID, assign ID --staff=ID, or unassign PACKAGE_ID "
      "--assignment=ID --reason=TEXT");
}

}  // namespace pdps::ctl
