// pdpsctl's commands, by service: the environment each command runs in (Env), the call
// helpers the services' commands share, and the command functions main.cc dispatches to,
// one section per service (registry_commands.cc, referrals_commands.cc,
// workforce_commands.cc). Helpers only one service's commands use stay in that file.
#pragma once

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/ids.h"
#include "pdps/referrals/v1/referrals_service.grpc.pb.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"
#include "tools/pdpsctl/cli.h"

namespace pdps::ctl {

namespace v1 = ::pdps::registry::v1;
namespace rv1 = ::pdps::referrals::v1;
namespace wv1 = ::pdps::workforce::v1;
using cli::Args;
using Stub = v1::RegistryService::Stub;
using RStub = rv1::ReferralsService::Stub;
using WStub = wv1::WorkforceService::Stub;

// What a command runs with: its options, the services' stubs, the token and how to print.
struct Env {
  Args args;
  std::string command;                     // how messages name it: "complaints list", "inbox"
  bool options_checked = false;            // RequireOptionsRead has run
  std::shared_ptr<grpc::Channel> channel;  // --addr: the registry (and health, events)
  std::unique_ptr<Stub> stub;
  std::unique_ptr<RStub> referrals;  // --referrals-addr
  std::unique_ptr<WStub> workforce;  // --workforce-addr
  std::string token;
  bool json = false;
  // Organisation names for tables (text only), each looked up once per run.
  std::unique_ptr<cli::OrgNames> names;
  bool registry_unreachable = false;  // no more names are looked up
};

// The stub a generated method belongs to.
Stub& StubOf(Env& env, Stub*);
RStub& StubOf(Env& env, RStub*);
WStub& StubOf(Env& env, WStub*);

// Prints "pdpsctl: <message>" on stderr; returns 2, the exit code of a usage error.
int Fail(const std::string& message);

// Prints a gRPC error with its field violations; returns the exit code.
int Report(const grpc::Status& st);

// Options the command never read: thrown by RequireOptionsRead from wherever the
// command is, so that no command needs a path of its own for them; Main reports them.
struct RefusedOptions {
  std::vector<std::string> lines;
};

// Refuses an option the command has not read: called before the command's first RPC
// (by Call, for every stub method) and by commands that send none, so a misspelt
// --overdu fails with nothing sent rather than list every complaint. Every option a
// command uses must therefore be read before its first RPC.
void RequireOptionsRead(Env& env);

// A unary method of a generated stub (registry, referrals or workforce).
template <typename S, typename Req, typename Resp>
using Method = grpc::Status (S::*)(grpc::ClientContext*, const Req&, Resp*);

// Calls `method` with the token and a deadline (30 s unless said); returns the status
// unreported.
template <typename S, typename Req, typename Resp>
grpc::Status Call(Env& env, Method<S, Req, Resp> method, const Req& req, Resp* resp,
                  std::chrono::seconds deadline = std::chrono::seconds(30)) {
  RequireOptionsRead(env);
  grpc::ClientContext ctx;
  if (!env.token.empty()) ctx.AddMetadata("authorization", "Bearer " + env.token);
  ctx.set_deadline(std::chrono::system_clock::now() + deadline);
  return (StubOf(env, static_cast<S*>(nullptr)).*method)(&ctx, req, resp);
}

// Calls `method`; reports an error and returns false.
template <typename S, typename Req, typename Resp>
bool Fetch(Env& env, Method<S, Req, Resp> method, const Req& req, Resp* resp) {
  grpc::Status st = Call(env, method, req, resp);
  if (!st.ok()) {
    Report(st);
    return false;
  }
  return true;
}

// The first item of a paged list that `match` accepts, read page by page (500 at a time)
// with `list`'s filters: 0 with the item in `out`, 1 once a failed call is reported, or
// `not_found` reported (exit 2) when no page holds one. For resources with no Get.
template <typename S, typename Req, typename Resp, typename Item, typename Match>
int FindListed(Env& env, Method<S, Req, Resp> method, Req list,
               const google::protobuf::RepeatedPtrField<Item>& (Resp::*items)() const, Match match,
               Item* out, const std::string& not_found) {
  list.set_page_size(500);
  do {
    Resp resp;
    if (!Fetch(env, method, list, &resp)) return 1;
    for (const Item& item : (resp.*items)()) {
      if (match(item)) {
        *out = item;
        return 0;
      }
    }
    list.set_page_token(resp.next_page_token());
  } while (!list.page_token().empty());
  return Fail(not_found);
}

// Prints a response as JSON (--json) or a table (list `columns` as for cli::PrintTable,
// organisations by name); returns the exit code (1 if the JSON could not be printed).
[[nodiscard]] int Print(const Env& env, const google::protobuf::Message& resp,
                        const std::vector<std::string>& columns = {});

// Calls `method` and prints the response; returns the exit code.
template <typename S, typename Req, typename Resp>
int Run(Env& env, Method<S, Req, Resp> method, const Req& req,
        const std::vector<std::string>& columns = {}) {
  Resp resp;
  if (!Fetch(env, method, req, &resp)) return 1;
  return Print(env, resp, columns);
}

template <typename M>
bool FromFile(const Args& a, M* out) {
  std::string text;
  if (!a.Has("file") || !cli::ReadFile(a.Get("file"), &text)) {
    Fail("--file=PATH (JSON, or - for stdin) is required");
    return false;
  }
  auto st = google::protobuf::util::JsonStringToMessage(text, out);
  if (!st.ok()) {
    Fail(absl::StrCat(a.Get("file"), " is not valid JSON for ", out->GetDescriptor()->full_name(),
                      ": ", st.ToString()));
    return false;
  }
  return true;
}

// The ID word of "<resource> <verb> ID".
std::string Id(const Args& a);

// `<resource> get ID`.
template <typename S, typename Req, typename Resp>
int GetById(Env& env, Method<S, Req, Resp> method) {
  Req req;
  req.set_id(Id(env.args));
  return Run(env, method, req);
}

// `<resource> create --file=...`: the body from JSON, a fresh request_id for safe retries.
template <typename S, typename Req, typename Resp, typename Body>
int CreateFromFile(Env& env, Method<S, Req, Resp> method, Body* (Req::*body)()) {
  Req req;
  if (!FromFile(env.args, (req.*body)())) return 2;
  req.set_request_id(env.args.Get("request-id", NewUuid()));
  return Run(env, method, req);
}

// `<resource> update --file=...`: the whole resource, with its id and etag, from JSON.
template <typename S, typename Req, typename Resp, typename Body>
int UpdateFromFile(Env& env, Method<S, Req, Resp> method, Body* (Req::*body)()) {
  Req req;
  if (!FromFile(env.args, (req.*body)())) return 2;
  return Run(env, method, req);
}

template <typename Req>
void Page(const Args& a, Req* req) {
  if (a.Has("page-size")) req->set_page_size(a.Int("page-size", 0));
  if (a.Has("page-token")) req->set_page_token(a.Get("page-token"));
}

// An amount given as --k=POUNDS (21.50, £21.50, £5,000,000) into a Money field; false
// (and a message) if it is not one, a bare whole number included (decision 0054), or,
// for a `rate`, if it is not above zero.
// Absent, the amount stays unset (the service says whether it is required), never a
// silent 0.
bool PoundsFlag(const Args& a, const std::string& k,
                const std::function<pdps::common::v1::Money*()>& money, bool rate = false);

// A resource's current etag read with its Get method, unless given with --etag.
template <typename S, typename Req, typename Resp>
bool CurrentEtag(Env& env, Method<S, Req, Resp> get, const std::string& id, std::string* etag) {
  if (env.args.Has("etag")) {
    *etag = env.args.Get("etag");
    return true;
  }
  Req req;
  req.set_id(id);
  Resp r;
  if (!Fetch(env, get, req, &r)) return false;
  *etag = r.etag();
  return true;
}

// Sends `req` (built from the options, but for its etag) with the current etag of the
// resource req.id(), read with `get` unless --etag is given. Building the request first
// reads every option before the read of the etag is sent (RequireOptionsRead).
template <typename S, typename GetReq, typename GetResp, typename Req, typename Resp>
int RunWithEtag(Env& env, Method<S, GetReq, GetResp> get, Method<S, Req, Resp> method, Req req) {
  std::string etag;
  if (!CurrentEtag(env, get, req.id(), &etag)) return 1;
  req.set_etag(etag);
  return Run(env, method, req);
}

// --action="Description@YYYY-MM-DD" (repeatable, or comma-separated): items of an action
// plan, each made by `add` (a registry suspension's or a workforce plan's item).
template <typename AddItem>
void AddActions(const Args& a, AddItem add) {
  for (const auto& action : a.List("action")) {
    std::vector<std::string> parts = absl::StrSplit(action, '@');
    auto* item = add();
    item->set_description(parts[0]);
    if (parts.size() > 1) item->mutable_due_date()->set_value(parts[1]);
  }
}

// ------------------------------------------- registry (registry_commands.cc) ---

int Orgs(Env& env, const std::string& verb);
int Partnerships(Env& env, const std::string& verb);
int Frameworks(Env& env, const std::string& verb);
int Lots(Env& env, const std::string& verb);
int Admissions(Env& env, const std::string& verb);
int Providers(Env& env, const std::string& verb);
int Documents(Env& env, const std::string& verb);
int Capacity(Env& env, const std::string& verb);
int Eligible(Env& env);

// ----------------------------------------- referrals (referrals_commands.cc) ---

int Referrals(Env& env, const std::string& verb);
int Offers(Env& env, const std::string& verb);
// `inbox [--live]`: the caller's own offers, by deadline.
int Inbox(Env& env, const std::string&);
// `accept|decline|bid|offer OFFER_ID ...`: the offer's current etag, then the answer.
int Answer(Env& env, const std::string& verb);
// `brokerage-returns`: one provider's offers on a framework in a quarter (decision 66).
int BrokerageReturns(Env& env, const std::string&);

// ----------------------------------------- workforce (workforce_commands.cc) ---

int Staff(Env& env, const std::string& verb);
int Training(Env& env, const std::string& verb);
// `eligibility --staff=ID (--lot=ID [--extra=a,b] | --package=ID) [--date=]`: the gate.
int Eligibility(Env& env, const std::string&);
int Expiries(Env& env, const std::string&);
int Complaints(Env& env, const std::string& verb);
int Returns(Env& env, const std::string&);
// `compliance --provider=ID --lot=ID [--date=]`: counts only (decision 0030).
int Compliance(Env& env, const std::string&);
int Matrices(Env& env, const std::string& verb);
int Visits(Env& env, const std::string& verb);
int ActionPlans(Env& env, const std::string& verb);
int Accounts(Env& env, const std::string& verb);
// `rules get|set --framework=ID`: set changes only the options given, over the current
// rules (the defaults when none were set), with their etag.
int Rules(Env& env, const std::string& verb);
// Packages (awarded referrals) and the workers named on them.
int Packages(Env& env, const std::string& verb);

}  // namespace pdps::ctl
