// pdpsctl's registry commands: orgs, partnerships, frameworks, lots, admissions,
// providers, documents, capacity and eligible (declared in commands.h).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/ids.h"
#include "nlohmann/json.hpp"
#include "tools/pdpsctl/commands.h"

namespace pdps::ctl {
namespace {

// The caller's organisation: the token's pdps_org claim, read without verifying the
// token (the service verifies it); empty if the token is not a JWT carrying one.
std::string OwnOrganisation(const Env& env) {
  std::vector<std::string> parts = absl::StrSplit(env.token, '.');
  std::string payload;
  if (parts.size() != 3 || !absl::WebSafeBase64Unescape(parts[1], &payload)) return "";
  auto claims = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object() || !claims.contains("pdps_org") || !claims["pdps_org"].is_string()) {
    return "";
  }
  return claims["pdps_org"].get<std::string>();
}

// The framework's columns, its call-off method beside its kind.
const std::vector<std::string> kFrameworkColumns = {"id",
                                                    "partnership_id",
                                                    "display_name",
                                                    "kind",
                                                    "call_off.method=CALL_OFF_METHOD",
                                                    "office_hours",
                                                    "billing_period",
                                                    "employers_liability_minimum",
                                                    "public_liability_minimum",
                                                    "capacity_return_due_day",
                                                    "specification_reference",
                                                    "service_areas"};

// A decision on an admission: id, etag and --reason.
template <typename Req, typename Resp>
int Decide(Env& env, Method<Stub, Req, Resp> method) {
  Req req;
  req.set_id(Id(env.args));
  req.set_reason(env.args.Get("reason"));
  return RunWithEtag(env, &Stub::GetAdmission, method, req);
}

// The profile fields given as options, over `p`.
void ProviderFlags(const Args& a, v1::Provider* p) {
  if (a.Has("postcode")) p->set_office_postcode(a.Get("postcode"));
  if (a.Has("district")) p->set_office_district(a.Get("district"));
  if (a.Has("areas")) {
    p->clear_coverage_areas();
    for (const auto& area : a.List("areas")) p->add_coverage_areas(area);
  }
}

// Capacity returns: every figure per week, the hours available for the month ahead
// (seed 002 para 95 asks for them "for the month ahead"; the platform counts them a week).
const std::vector<std::string> kCapacityColumns = {
    "id",
    "provider_id",
    "provider_id:name=PROVIDER",
    "framework_id",
    "month",
    "care_workers_employed",
    "current_packages",
    "current_total_weekly_hours=CURRENT_HOURS_A_WEEK",
    "average_weekly_hours_per_worker=AVERAGE_HOURS_A_WEEK_PER_WORKER",
    "estimated_weekly_hours_available=HOURS_A_WEEK_AVAILABLE",
    "submit_time",
    "late"};
// Eligible providers, with the hours a week each declared for the month ahead.
const std::vector<std::string> kEligibleColumns = {
    "provider_id", "display_name", "admission_id",
    "estimated_weekly_hours_available=HOURS_A_WEEK_AVAILABLE", "capacity_month"};

}  // namespace

int Orgs(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    v1::ListOrganisationsRequest req;
    if (a.Has("kind")) {
      v1::Organisation::Kind k;
      if (!v1::Organisation::Kind_Parse(a.Get("kind"), &k)) return Fail("bad --kind");
      req.set_kind(k);
    }
    Page(a, &req);
    return Run(env, &Stub::ListOrganisations, req);
  }
  if (verb == "get") return GetById(env, &Stub::GetOrganisation);
  if (verb == "create") {
    v1::CreateOrganisationRequest req;
    req.mutable_organisation()->set_display_name(a.Get("name"));
    v1::Organisation::Kind k = v1::Organisation::KIND_UNSPECIFIED;
    if (a.Has("kind") && !v1::Organisation::Kind_Parse(a.Get("kind"), &k)) {
      return Fail("bad --kind");
    }
    req.mutable_organisation()->set_kind(k);
    req.mutable_organisation()->set_external_reference(a.Get("ref"));
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &Stub::CreateOrganisation, req);
  }
  return Fail("orgs: list, get or create");
}

int Partnerships(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    v1::ListPartnershipsRequest req;
    req.set_mine(a.Has("mine"));
    Page(a, &req);
    return Run(env, &Stub::ListPartnerships, req);
  }
  if (verb == "get") return GetById(env, &Stub::GetPartnership);
  if (verb == "create") {
    v1::CreatePartnershipRequest req;
    req.mutable_partnership()->set_display_name(a.Get("name"));
    for (const auto& m : a.List("members"))
      req.mutable_partnership()->add_member_organisation_ids(m);
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &Stub::CreatePartnership, req);
  }
  return Fail("partnerships: list, get or create");
}

int Frameworks(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    v1::ListFrameworksRequest req;
    req.set_partnership_id(a.Get("partnership"));
    if (a.Has("open-on")) req.mutable_open_for_applications_on()->set_value(a.Get("open-on"));
    Page(a, &req);
    return Run(env, &Stub::ListFrameworks, req, kFrameworkColumns);
  }
  if (verb == "get") return GetById(env, &Stub::GetFramework);
  if (verb == "create") {
    return CreateFromFile(env, &Stub::CreateFramework,
                          &v1::CreateFrameworkRequest::mutable_framework);
  }
  if (verb == "update") {
    return UpdateFromFile(env, &Stub::UpdateFramework,
                          &v1::UpdateFrameworkRequest::mutable_framework);
  }
  if (verb == "areas") {
    // The districts referrals may name (decision 78), replaced as a whole; --areas= clears.
    if (!a.Has("areas")) return Fail("frameworks areas ID --areas=AREA,AREA (--areas= clears)");
    const std::vector<std::string> areas = a.List("areas");
    v1::GetFrameworkRequest get;
    get.set_id(Id(a));
    v1::UpdateFrameworkRequest req;
    if (!Fetch(env, &Stub::GetFramework, get, req.mutable_framework())) return 1;
    req.mutable_framework()->clear_service_areas();
    for (const auto& area : areas) req.mutable_framework()->add_service_areas(area);
    return Run(env, &Stub::UpdateFramework, req);
  }
  return Fail("frameworks: list, get, create, update or areas");
}

int Lots(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    v1::ListLotsRequest req;
    req.set_framework_id(a.Get("framework"));
    Page(a, &req);
    return Run(env, &Stub::ListLots, req);
  }
  if (verb == "get") return GetById(env, &Stub::GetLot);
  if (verb == "create")
    return CreateFromFile(env, &Stub::CreateLot, &v1::CreateLotRequest::mutable_lot);
  if (verb == "update")
    return UpdateFromFile(env, &Stub::UpdateLot, &v1::UpdateLotRequest::mutable_lot);
  return Fail("lots: list, get, create or update");
}

int Admissions(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    v1::ListAdmissionsRequest req;
    req.set_framework_id(a.Get("framework"));
    req.set_lot_id(a.Get("lot"));
    req.set_provider_id(a.Get("provider"));
    if (a.Has("state")) {
      v1::Admission::State s;
      if (!v1::Admission::State_Parse(a.Get("state"), &s)) return Fail("bad --state");
      req.set_state(s);
    }
    Page(a, &req);
    return Run(env, &Stub::ListAdmissions, req);
  }
  if (verb == "get") return GetById(env, &Stub::GetAdmission);
  if (verb == "apply") {
    v1::ApplyForAdmissionRequest req;
    req.set_framework_id(a.Get("framework"));
    for (const auto& l : a.List("lots")) req.add_lot_ids(l);
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &Stub::ApplyForAdmission, req);
  }
  if (verb == "admit") return Decide(env, &Stub::AdmitProvider);
  if (verb == "reject") return Decide(env, &Stub::RejectApplication);
  if (verb == "reinstate") {
    // Reinstating is the commissioner's decision (decision 0047), taken knowingly: the
    // suspension's action plan items still open are named after the answer.
    v1::ReinstateAdmissionRequest req;
    req.set_id(Id(a));
    req.set_reason(a.Get("reason"));
    std::string etag;
    if (!CurrentEtag(env, &Stub::GetAdmission, req.id(), &etag)) return 1;
    req.set_etag(etag);
    v1::Admission resp;
    if (!Fetch(env, &Stub::ReinstateAdmission, req, &resp)) return 1;
    int rc = Print(env, resp, {});
    std::vector<std::string> open;
    for (const auto& item : resp.action_plan()) {
      if (!item.has_completed_date()) {
        open.push_back(absl::StrCat(item.description(), " (due ", item.due_date().value(), ")"));
      }
    }
    if (!open.empty()) {
      std::fprintf(stderr, "note: reinstated with %zu action plan item%s still open: %s\n",
                   open.size(), open.size() == 1 ? "" : "s", absl::StrJoin(open, "; ").c_str());
    }
    return rc;
  }
  if (verb == "terminate") return Decide(env, &Stub::TerminateAdmission);
  if (verb == "suspend") {
    v1::SuspendAdmissionRequest req;
    req.set_id(Id(a));
    req.set_reason(a.Get("reason"));
    AddActions(a, [&] { return req.add_action_plan(); });
    return RunWithEtag(env, &Stub::GetAdmission, &Stub::SuspendAdmission, req);
  }
  if (verb == "add-actions") {
    v1::AddActionPlanItemsRequest req;
    req.set_id(Id(a));
    AddActions(a, [&] { return req.add_action_plan(); });
    return RunWithEtag(env, &Stub::GetAdmission, &Stub::AddActionPlanItems, req);
  }
  if (verb == "complete-action") {
    v1::CompleteActionPlanItemRequest req;
    req.set_id(Id(a));
    req.set_item_id(a.Get("item"));
    req.mutable_completed_date()->set_value(a.Get("date"));
    return RunWithEtag(env, &Stub::GetAdmission, &Stub::CompleteActionPlanItem, req);
  }
  return Fail(
      "admissions: list, get, apply, admit, reject, suspend, reinstate, terminate, "
      "add-actions, complete-action");
}

int Providers(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "get") return GetById(env, &Stub::GetProvider);
  if (verb == "update") {
    // Read-modify-write of the caller's own profile: the token's organisation, unless
    // an ID is given (the service refuses another organisation's).
    std::string id = Id(a);
    if (id.empty()) id = OwnOrganisation(env);
    if (id.empty()) {
      return Fail(
          "providers update [ID] [--postcode] [--district] [--areas]: the token "
          "names no organisation (pdps_org), so give the ID");
    }
    // Once over nothing, to read every option before the profile's read is sent.
    v1::Provider unused;
    ProviderFlags(a, &unused);
    v1::GetProviderRequest get;
    get.set_id(id);
    v1::UpdateProviderRequest req;
    if (!Fetch(env, &Stub::GetProvider, get, req.mutable_provider())) return 1;
    ProviderFlags(a, req.mutable_provider());
    return Run(env, &Stub::UpdateProvider, req);
  }
  return Fail("providers: get or update");
}

int Documents(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    v1::ListComplianceDocumentsRequest req;
    req.set_provider_id(a.Get("provider"));
    if (a.Has("kind")) {
      v1::ComplianceDocument::Kind k;
      if (!v1::ComplianceDocument::Kind_Parse(a.Get("kind"), &k)) return Fail("bad --kind");
      req.set_kind(k);
    }
    req.set_expiring_within_days(a.Int("expiring-within", 0));
    req.set_mandatory_only(a.Has("mandatory"));
    Page(a, &req);
    return Run(env, &Stub::ListComplianceDocuments, req);
  }
  if (verb == "get") return GetById(env, &Stub::GetComplianceDocument);
  if (verb == "create") {
    return CreateFromFile(env, &Stub::CreateComplianceDocument,
                          &v1::CreateComplianceDocumentRequest::mutable_document);
  }
  if (verb == "update") {
    return UpdateFromFile(env, &Stub::UpdateComplianceDocument,
                          &v1::UpdateComplianceDocumentRequest::mutable_document);
  }
  return Fail("documents: list, get, create or update");
}

int Capacity(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    v1::ListCapacityReturnsRequest req;
    req.set_framework_id(a.Get("framework"));
    req.set_provider_id(a.Get("provider"));
    req.set_month(a.Get("month"));
    Page(a, &req);
    return Run(env, &Stub::ListCapacityReturns, req, kCapacityColumns);
  }
  if (verb == "submit") {
    v1::CreateCapacityReturnRequest req;
    auto* r = req.mutable_capacity_return();
    r->set_framework_id(a.Get("framework"));
    r->set_month(a.Get("month"));
    r->set_care_workers_employed(a.Int("workers", 0));
    r->set_current_packages(a.Int("packages", 0));
    r->set_current_total_weekly_hours(a.Int("hours", 0));
    r->set_estimated_weekly_hours_available(a.Int("available", 0));
    req.set_request_id(a.Get("request-id", NewUuid()));
    return Run(env, &Stub::CreateCapacityReturn, req);
  }
  if (verb == "late") {
    v1::ListLateCapacityReturnsRequest req;
    req.set_framework_id(a.Get("framework"));
    req.set_month(a.Get("month"));
    Page(a, &req);
    return Run(env, &Stub::ListLateCapacityReturns, req);
  }
  return Fail("capacity: list, submit or late");
}

int Eligible(Env& env) {
  const Args& a = env.args;
  v1::ListEligibleProvidersRequest req;
  req.set_lot_id(a.Get("lot"));
  req.set_area(a.Get("area"));
  if (a.Has("date")) req.mutable_date()->set_value(a.Get("date"));
  Page(a, &req);
  return Run(env, &Stub::ListEligibleProviders, req, kEligibleColumns);
}

}  // namespace pdps::ctl
