// pdpsctl: the command-line client for PDPS officers, providers and SREs.
//
//   pdpsctl [--addr=HOST:PORT] [--token=JWT] [--json] <resource> <verb> [ID] [--option=value]
//
// The token comes from --token or $PDPS_TOKEN; `pdpsctl token` mints a development token
// from the local key made by `make run` (never usable against production keys).
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/health_client.h"
#include "common/ids.h"
#include "common/server.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pdps/common/v1/events.grpc.pb.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "tools/pdpsctl/cli.h"

namespace pdps::ctl {
namespace {

namespace v1 = ::pdps::registry::v1;
using cli::Args;
using Stub = v1::RegistryService::Stub;

constexpr char kUsage[] = R"(usage: pdpsctl [--addr=HOST:PORT] [--token=JWT] [--json] <command>

Global options
  --addr        registry address (default $PDPS_REGISTRY_ADDR or 127.0.0.1:7001)
  --token       bearer token (default $PDPS_TOKEN)
  --json        print JSON instead of tables
  --page-size, --page-token   paging for list commands

Development tokens (local setup only; signs with .local/keys/dev-1.pem)
  token --org-name="London Borough of Southwark" --roles=commissioner[,brokerage_officer]
  token --org=UUID --roles=provider_admin [--user=UUID] [--ttl=8h]

Organisations and partnerships
  orgs list [--kind=COUNCIL|NHS_COMMISSIONER|PROVIDER|PLATFORM]
  orgs get ID
  orgs create --name=NAME --kind=KIND [--ref=EXTERNAL_REF]          (platform_operator)
  partnerships list [--mine]
  partnerships get ID
  partnerships create --name=NAME --members=ORG_ID,ORG_ID           (platform_operator)

Frameworks and lots
  frameworks list [--partnership=ID] [--open-on=YYYY-MM-DD]
  frameworks get ID
  frameworks create --file=framework.json                          (commissioner)
  frameworks update --file=framework.json   (JSON of a Framework with id and etag)
  lots list --framework=ID
  lots get ID
  lots create --file=lot.json | lots update --file=lot.json

Admission
  admissions list [--framework=ID] [--lot=ID] [--provider=ID] [--state=ACTIVE]
  admissions get ID
  admissions apply --framework=ID --lots=LOT_ID,LOT_ID               (provider_admin)
  admissions admit ID [--reason=TEXT]                              (commissioner)
  admissions reject|reinstate|terminate ID --reason=TEXT
  admissions suspend ID --reason=TEXT [--action="Description@YYYY-MM-DD" ...]
  admissions complete-action ID --item=ITEM_ID --date=YYYY-MM-DD

Providers, compliance and capacity
  providers get ID
  providers update [--postcode=PC] [--district=NAME] [--areas=AREA,AREA]  (own organisation)
  documents list [--provider=ID] [--kind=KIND] [--expiring-within=DAYS] [--mandatory]
  documents get ID
  documents create --file=document.json | documents update --file=document.json
  capacity list [--framework=ID] [--provider=ID] [--month=YYYY-MM]
  capacity submit --framework=ID --month=YYYY-MM --workers=N --packages=N --hours=N --available=N
  capacity late --framework=ID --month=YYYY-MM
  eligible --lot=ID --area=AREA [--date=YYYY-MM-DD]

Operations
  health                         gRPC health of the service at --addr
  events [--after=N]             the registry's event feed (service token)
)";

struct Env {
  Args args;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<Stub> stub;
  std::string token;
  bool json = false;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "pdpsctl: %s\n", message.c_str());
  return 2;
}

// Prints a gRPC error with its field violations; returns the exit code.
int Report(const grpc::Status& st) {
  std::fprintf(stderr, "error: %s: %s\n", server::CodeName(st.error_code()),
               st.error_message().c_str());
  google::rpc::Status details;
  if (details.ParseFromString(st.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad;
      google::rpc::RequestInfo info;
      if (any.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) {
          std::fprintf(stderr, "  %s: %s\n", v.field().c_str(), v.description().c_str());
        }
      } else if (any.UnpackTo(&info)) {
        std::fprintf(stderr, "  request id: %s\n", info.request_id().c_str());
      }
    }
  }
  return 1;
}

template <typename Req, typename Resp>
int Run(Env& env, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
        const Req& req) {
  grpc::ClientContext ctx;
  if (!env.token.empty()) ctx.AddMetadata("authorization", "Bearer " + env.token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  Resp resp;
  grpc::Status st = ((*env.stub).*method)(&ctx, req, &resp);
  if (!st.ok()) return Report(st);
  if (env.json) {
    cli::PrintJson(resp);
  } else {
    cli::PrintTable(resp);
  }
  return 0;
}

template <typename Req, typename Resp>
bool Fetch(Env& env, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
           const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  if (!env.token.empty()) ctx.AddMetadata("authorization", "Bearer " + env.token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Status st = ((*env.stub).*method)(&ctx, req, resp);
  if (!st.ok()) {
    Report(st);
    return false;
  }
  return true;
}

template <typename M>
bool FromFile(const Args& a, M* out) {
  std::string text;
  if (!a.Has("file") || !cli::ReadFile(a.Get("file"), &text)) {
    std::fprintf(stderr, "pdpsctl: --file=PATH (JSON, or - for stdin) is required\n");
    return false;
  }
  auto st = google::protobuf::util::JsonStringToMessage(text, out);
  if (!st.ok()) {
    std::fprintf(stderr, "pdpsctl: %s is not valid JSON for %s: %s\n", a.Get("file").c_str(),
                 out->GetDescriptor()->full_name().c_str(), st.ToString().c_str());
    return false;
  }
  return true;
}

// The ID word of "<resource> <verb> ID".
std::string Id(const Args& a) { return a.words.size() > 2 ? a.words[2] : ""; }

template <typename Req, typename Resp>
using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Req&, Resp*);

// `<resource> get ID`.
template <typename Req, typename Resp>
int GetById(Env& env, Method<Req, Resp> method) {
  Req req;
  req.set_id(Id(env.args));
  return Run(env, method, req);
}

// `<resource> create --file=...`: the body from JSON, a fresh request_id for safe retries.
template <typename Req, typename Resp, typename Body>
int CreateFromFile(Env& env, Method<Req, Resp> method, Body* (Req::*body)()) {
  Req req;
  if (!FromFile(env.args, (req.*body)())) return 2;
  req.set_request_id(env.args.Get("request-id", NewUuid()));
  return Run(env, method, req);
}

// `<resource> update --file=...`: the whole resource, with its id and etag, from JSON.
template <typename Req, typename Resp, typename Body>
int UpdateFromFile(Env& env, Method<Req, Resp> method, Body* (Req::*body)()) {
  Req req;
  if (!FromFile(env.args, (req.*body)())) return 2;
  return Run(env, method, req);
}

template <typename Req>
void Page(const Args& a, Req* req) {
  if (a.Has("page-size")) req->set_page_size(std::atoi(a.Get("page-size").c_str()));
  if (a.Has("page-token")) req->set_page_token(a.Get("page-token"));
}


// ---------------------------------------------------------------- token ---

std::string DevKeyPath() {
  const char* k = std::getenv("PDPS_DEV_KEY");
  return k != nullptr ? k : ".local/keys/dev-1.pem";
}

constexpr char kDevIssuer[] = "https://pdps.local/dev";
constexpr char kPlatformOrg[] = "00000000-0000-4000-8000-000000000001";

absl::StatusOr<std::string> MintDev(const std::string& org, std::vector<auth::Role> roles,
                                    const std::string& user, absl::Duration ttl) {
  std::string pem;
  if (!cli::ReadFile(DevKeyPath(), &pem)) {
    return absl::NotFoundError(absl::StrCat("no development key at ", DevKeyPath(),
                                            ": run `make run` first (or set PDPS_DEV_KEY)"));
  }
  auth::MintOptions o;
  o.kid = "dev-1";
  o.private_key_pem = pem;
  o.issuer = kDevIssuer;
  o.audience = "pdps";
  o.user_id = user.empty() ? NewUuid() : user;
  o.organisation_id = org;
  o.roles = std::move(roles);
  o.issued_at = absl::Now() - absl::Seconds(5);
  o.lifetime = ttl;
  return auth::Mint(o);
}

int Token(Env& env) {
  const Args& a = env.args;
  std::vector<auth::Role> roles;
  for (const auto& name : a.List("roles")) {
    auth::Role r;
    if (!auth::ParseRole(name, &r)) return Fail("unknown role " + name);
    roles.push_back(r);
  }
  if (roles.empty()) return Fail("--roles is required, e.g. --roles=commissioner");
  absl::Duration ttl = absl::Hours(8);
  if (a.Has("ttl") && !absl::ParseDuration(a.Get("ttl"), &ttl)) return Fail("bad --ttl");
  std::string org = a.Get("org");
  if (a.Has("org-name")) {
    // Look the organisation up with a short-lived platform-operator token.
    auto op = MintDev(kPlatformOrg, {auth::Role::kPlatformOperator}, "", absl::Minutes(2));
    if (!op.ok()) return Fail(std::string(op.status().message()));
    env.token = *op;
    std::string page;
    do {
      v1::ListOrganisationsRequest req;
      req.set_page_size(500);
      req.set_page_token(page);
      v1::ListOrganisationsResponse resp;
      if (!Fetch(env, &Stub::ListOrganisations, req, &resp)) return 1;
      for (const auto& o : resp.organisations()) {
        if (o.display_name() == a.Get("org-name")) org = o.id();
      }
      page = resp.next_page_token();
    } while (!page.empty() && org.empty());
    if (org.empty()) return Fail("no organisation named \"" + a.Get("org-name") + "\"");
  }
  if (org.empty()) {
    if (std::find(roles.begin(), roles.end(), auth::Role::kPlatformOperator) != roles.end() ||
        std::find(roles.begin(), roles.end(), auth::Role::kService) != roles.end()) {
      org = kPlatformOrg;
    } else {
      return Fail("--org=UUID or --org-name=NAME is required");
    }
  }
  auto t = MintDev(org, roles, a.Get("user"), ttl);
  if (!t.ok()) return Fail(std::string(t.status().message()));
  std::printf("%s\n", t->c_str());
  return 0;
}

// ------------------------------------------------------------- commands ---

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
    for (const auto& m : a.List("members")) req.mutable_partnership()->add_member_organisation_ids(m);
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
    return Run(env, &Stub::ListFrameworks, req);
  }
  if (verb == "get") return GetById(env, &Stub::GetFramework);
  if (verb == "create") {
    return CreateFromFile(env, &Stub::CreateFramework, &v1::CreateFrameworkRequest::mutable_framework);
  }
  if (verb == "update") {
    return UpdateFromFile(env, &Stub::UpdateFramework, &v1::UpdateFrameworkRequest::mutable_framework);
  }
  return Fail("frameworks: list, get, create or update");
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
  if (verb == "create") return CreateFromFile(env, &Stub::CreateLot, &v1::CreateLotRequest::mutable_lot);
  if (verb == "update") return UpdateFromFile(env, &Stub::UpdateLot, &v1::UpdateLotRequest::mutable_lot);
  return Fail("lots: list, get, create or update");
}

// The admission's current etag, unless given with --etag.
bool CurrentEtag(Env& env, const std::string& id, std::string* etag) {
  if (env.args.Has("etag")) {
    *etag = env.args.Get("etag");
    return true;
  }
  v1::GetAdmissionRequest req;
  req.set_id(id);
  v1::Admission a;
  if (!Fetch(env, &Stub::GetAdmission, req, &a)) return false;
  *etag = a.etag();
  return true;
}

// A decision on an admission: id, etag and --reason.
template <typename Req, typename Resp>
int Decide(Env& env, Method<Req, Resp> method, const std::string& etag) {
  Req req;
  req.set_id(Id(env.args));
  req.set_etag(etag);
  req.set_reason(env.args.Get("reason"));
  return Run(env, method, req);
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
  std::string etag;
  if (verb == "admit" || verb == "reject" || verb == "reinstate" || verb == "terminate" ||
      verb == "suspend" || verb == "complete-action") {
    if (!CurrentEtag(env, Id(a), &etag)) return 1;
  }
  if (verb == "admit") return Decide(env, &Stub::AdmitProvider, etag);
  if (verb == "reject") return Decide(env, &Stub::RejectApplication, etag);
  if (verb == "reinstate") return Decide(env, &Stub::ReinstateAdmission, etag);
  if (verb == "terminate") return Decide(env, &Stub::TerminateAdmission, etag);
  if (verb == "suspend") {
    v1::SuspendAdmissionRequest req;
    req.set_id(Id(a));
    req.set_etag(etag);
    req.set_reason(a.Get("reason"));
    for (const auto& action : a.List("action")) {
      std::vector<std::string> parts = absl::StrSplit(action, '@');
      auto* item = req.add_action_plan();
      item->set_description(parts[0]);
      if (parts.size() > 1) item->mutable_due_date()->set_value(parts[1]);
    }
    return Run(env, &Stub::SuspendAdmission, req);
  }
  if (verb == "complete-action") {
    v1::CompleteActionPlanItemRequest req;
    req.set_id(Id(a));
    req.set_etag(etag);
    req.set_item_id(a.Get("item"));
    req.mutable_completed_date()->set_value(a.Get("date"));
    return Run(env, &Stub::CompleteActionPlanItem, req);
  }
  return Fail("admissions: list, get, apply, admit, reject, suspend, reinstate, terminate, "
              "complete-action");
}

int Providers(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "get") return GetById(env, &Stub::GetProvider);
  if (verb == "update") {
    // Read-modify-write of the caller's own profile.
    std::string id = Id(a);
    if (id.empty()) return Fail("providers update ID [--postcode] [--district] [--areas]");
    v1::GetProviderRequest get;
    get.set_id(id);
    v1::UpdateProviderRequest req;
    if (!Fetch(env, &Stub::GetProvider, get, req.mutable_provider())) return 1;
    if (a.Has("postcode")) req.mutable_provider()->set_office_postcode(a.Get("postcode"));
    if (a.Has("district")) req.mutable_provider()->set_office_district(a.Get("district"));
    if (a.Has("areas")) {
      req.mutable_provider()->clear_coverage_areas();
      for (const auto& area : a.List("areas")) req.mutable_provider()->add_coverage_areas(area);
    }
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
    req.set_expiring_within_days(std::atoi(a.Get("expiring-within", "0").c_str()));
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
    return Run(env, &Stub::ListCapacityReturns, req);
  }
  if (verb == "submit") {
    v1::CreateCapacityReturnRequest req;
    auto* r = req.mutable_capacity_return();
    r->set_framework_id(a.Get("framework"));
    r->set_month(a.Get("month"));
    r->set_care_workers_employed(std::atoi(a.Get("workers", "0").c_str()));
    r->set_current_packages(std::atoi(a.Get("packages", "0").c_str()));
    r->set_current_total_weekly_hours(std::atoi(a.Get("hours", "0").c_str()));
    r->set_estimated_weekly_hours_available(std::atoi(a.Get("available", "0").c_str()));
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
  return Run(env, &Stub::ListEligibleProviders, req);
}

int Health(Env& env) {
  auto st = health::Check(env.channel, env.args.Get("service"), absl::Seconds(5));
  if (!st.ok()) return Fail(std::string(st.status().message()));
  std::printf("%s\n", health::Name(*st));
  return *st == health::Serving::kServing ? 0 : 1;
}

int Events(Env& env) {
  auto stub = pdps::common::v1::EventFeedService::NewStub(env.channel);
  pdps::common::v1::ListEventsRequest req;
  req.set_after_position(std::atoll(env.args.Get("after", "0").c_str()));
  req.set_page_size(std::atoi(env.args.Get("page-size", "100").c_str()));
  grpc::ClientContext ctx;
  if (!env.token.empty()) ctx.AddMetadata("authorization", "Bearer " + env.token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  pdps::common::v1::ListEventsResponse resp;
  auto st = stub->ListEvents(&ctx, req, &resp);
  if (!st.ok()) return Report(st);
  if (env.json) {
    cli::PrintJson(resp);
  } else {
    cli::PrintTable(resp);
  }
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  Env env;
  env.args = cli::Parse(argc, argv);
  const Args& a = env.args;
  if (a.words.empty() || a.Has("help")) {
    std::fputs(kUsage, a.words.empty() && !a.Has("help") ? stderr : stdout);
    return a.Has("help") ? 0 : 2;
  }
  const char* env_addr = std::getenv("PDPS_REGISTRY_ADDR");
  std::string addr = a.Get("addr", env_addr != nullptr ? env_addr : "127.0.0.1:7001");
  const char* env_token = std::getenv("PDPS_TOKEN");
  env.token = a.Get("token", env_token != nullptr ? env_token : "");
  env.json = a.Has("json");
  env.channel = grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  env.stub = v1::RegistryService::NewStub(env.channel);
  const std::string& resource = a.words[0];
  std::string verb = a.words.size() > 1 ? a.words[1] : "";
  if (resource == "token") return Token(env);
  if (resource == "health") return Health(env);
  if (resource == "events") return Events(env);
  if (resource == "eligible") return Eligible(env);
  static const std::map<std::string, std::function<int(Env&, const std::string&)>> commands = {
      {"orgs", Orgs},         {"partnerships", Partnerships}, {"frameworks", Frameworks},
      {"lots", Lots},         {"admissions", Admissions},     {"providers", Providers},
      {"documents", Documents}, {"capacity", Capacity},
  };
  auto it = commands.find(resource);
  if (it == commands.end()) return Fail("unknown command \"" + resource + "\"; try --help");
  if (env.token.empty()) return Fail("no token: pass --token or set PDPS_TOKEN (see `pdpsctl token`)");
  return it->second(env, verb);
}

}  // namespace pdps::ctl

int main(int argc, char** argv) { return pdps::ctl::Main(argc, argv); }
