// pdpsctl: the command-line client for PDPS officers, providers and SREs.
//
//   pdpsctl [--addr=HOST:PORT] [--referrals-addr=HOST:PORT] [--workforce-addr=HOST:PORT]
//           [--token=JWT] [--json] <resource> <verb> [ID] [--option=value]
//
// The token comes from --token or $PDPS_TOKEN; `pdpsctl token` mints a development token
// from the local key made by `make run` (never usable against production keys).
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/dates.h"
#include "common/health_client.h"
#include "common/ids.h"
#include "common/proto_util.h"
#include "common/server.h"
#include "nlohmann/json.hpp"
#include "pdps/common/v1/events.grpc.pb.h"
#include "pdps/referrals/v1/referrals_events.pb.h"
#include "pdps/referrals/v1/referrals_service.grpc.pb.h"
#include "pdps/registry/v1/registry_events.pb.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "pdps/workforce/v1/workforce_events.pb.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"
#include "tools/pdpsctl/cli.h"

namespace pdps::ctl {
namespace {

namespace v1 = ::pdps::registry::v1;
namespace rv1 = ::pdps::referrals::v1;
namespace wv1 = ::pdps::workforce::v1;
using cli::Args;
using Stub = v1::RegistryService::Stub;
using RStub = rv1::ReferralsService::Stub;
using WStub = wv1::WorkforceService::Stub;

constexpr char kUsage[] = R"(usage: pdpsctl [--addr=HOST:PORT] [--referrals-addr=HOST:PORT]
               [--workforce-addr=HOST:PORT] [--token=JWT] [--json] <command>

Global options
  --addr        registry address (default $PDPS_REGISTRY_ADDR or 127.0.0.1:7001)
  --referrals-addr   referrals address (default $PDPS_REFERRALS_ADDR or 127.0.0.1:7002)
  --workforce-addr   workforce address (default $PDPS_WORKFORCE_ADDR or 127.0.0.1:7004)
  --token       bearer token (default $PDPS_TOKEN)
  --json        print JSON instead of tables
  --page-size, --page-token   paging for list commands
  --help        this text (also `pdpsctl help`)

An option the command does not use (a misspelt one, say), or a count that is not a whole
number (--page-size=ten), is refused with exit status 2 before anything is sent.

Amounts are in pounds, as pdpsctl prints them: --rate=21.50, --rate=£21.50,
--net-assets=£5,000,000. A bare whole number (--rate=2150) is refused: it used to mean
pence. Tables name organisations beside their ids; `get` prints a resource's history.

Development tokens (local setup only; signs with .local/keys/dev-1.pem)
  token --org-name="London Borough of Southwark" --roles=commissioner[,brokerage_officer]
  token --org=UUID --roles=provider_admin [--user=UUID] [--ttl=8h]
                                 without --user, the same organisation and roles are
                                 always the same user (one person in the audit trail)

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
  admissions get ID                         with the reason for its state and its history
  admissions apply --framework=ID --lots=LOT_ID,LOT_ID               (provider_admin)
  admissions admit ID [--reason=TEXT]                              (commissioner)
  admissions reject|reinstate|terminate ID --reason=TEXT
  admissions suspend ID --reason=TEXT --action="Description@YYYY-MM-DD" [--action=...]
  admissions add-actions ID --action="Description@YYYY-MM-DD" ...   (to a suspension's plan)
  admissions complete-action ID --item=ITEM_ID --date=YYYY-MM-DD

Providers, compliance and capacity
  providers get ID
  providers update [--postcode=PC] [--district=NAME] [--areas=AREA,AREA]  (own organisation)
  documents list [--provider=ID] [--kind=KIND] [--expiring-within=DAYS] [--mandatory]
  documents get ID
  documents create --file=document.json | documents update --file=document.json
  capacity list [--framework=ID] [--provider=ID] [--month=YYYY-MM]
  capacity submit --framework=ID --month=YYYY-MM --workers=N --packages=N --hours=N --available=N
      (--hours: hours of care a week across current packages; --available: hours a WEEK
       you could take on over the month ahead, not the month's total: 120 for the month
       is --available=30)
  capacity late --framework=ID --month=YYYY-MM
  eligible --lot=ID --area=AREA [--date=YYYY-MM-DD]
      (HOURS_A_WEEK_AVAILABLE: from the latest capacity return, per week for the month ahead)

Referrals (brokerage_officer or commissioner of the framework's partnership)
  referrals raise --lot=ID --area=SOUTHWARK --hours=10.5 --pattern="Mon-Fri 07:30-08:30"
      --outcomes=A,B --needs=TEXT --start=YYYY-MM-DD [--end=YYYY-MM-DD] [--urgency=EMERGENCY]
      [--funding=ORG_ID:6000,ORG_ID:4000 | --direct-payment] [--extra-competencies=C,C]
      (--funding: shares in basis points, 6000 for 60 %)
      [--care-plan=TEXT] [--communication=TEXT] [--special=TEXT]
      [--gender=female] [--languages=L,L] [--culture=TEXT] [--religion=TEXT]
      --name=NAME --dob=YYYY-MM-DD --address="line 1;line 2" --postcode=PC [--nhs=N]
      [--key-safe=CODE] [--contacts="NAME|RELATIONSHIP|PHONE|EMAIL;..."]   (raised as DRAFT)
  referrals list [--state=OPEN] [--lot=ID] [--framework=ID]
  referrals get ID                          with its state reason and history
  referrals update --file=referral.json     (JSON of a DRAFT Referral with id and etag)
  referrals open ID                         DRAFT -> OPEN: offers go to eligible providers
  referrals award ID (--offer=OFFER_ID | --provider=ORG_ID) [--rationale=TEXT]
  referrals withdraw ID --reason=TEXT
  referrals reopen ID --reason=TEXT [--method=BROADCAST_FIRST_RESPONDER]   (UNCOVERED, EVALUATING)
  referrals person ID --purpose=TEXT        identifying details; the read is audited
  referrals update-person ID --reason=TEXT (--file=person.json | --name=NAME --dob=YYYY-MM-DD
      --address="line 1;line 2" --postcode=PC [--nhs=N] [--key-safe=CODE] [--contacts=...])
                                            replaces the details (any state but WITHDRAWN;
                                            the awarded provider is told on the feed)
  referrals access-log ID                   every read and write of those details
  offers list --referral=ID [--live]      DECLARED_HOURS: the provider's hours a week
                                            available (capacity return) when the round
                                            opened; SHORT_OF_HOURS: fewer than the
                                            referral's; UNMATCHED: the referral's
                                            competencies a proposal does not match
  offers get ID
  offers review OFFER_ID [--shortlisted] [--family-view=TEXT] [--met-worker]   (proposals)
  offers evaluate OFFER_ID --marks=4,3,5    (bids, after the bid deadline)
  brokerage-returns --quarter=2026-Q4 --framework=ID [--lot=ID] [--provider=ID]
                                 the quarterly brokerage return: offers made in the
                                 quarter and what became of them, declines by reason,
                                 answers within 24 and 4 hours (working hours; clock
                                 hours for emergencies) as within/measured with the
                                 framework's target (officers: --provider; providers:
                                 their own)

Answering offers (provider_admin or provider_coordinator)
  inbox [--live]                            your offers with their pen portraits (with
                                            DECLARED_HOURS, SHORT_OF_HOURS, UNMATCHED as
                                            in offers list)
  offers get ID
  accept OFFER_ID                           exclusive or broadcast offers
  decline OFFER_ID --reason=NO_CAPACITY --rationale=TEXT
      (NO_CAPACITY, NO_SUITABLE_WORKER, AREA_NOT_COVERED, START_DATE_NOT_ACHIEVABLE,
       CANNOT_MEET_NEEDS, OTHER)
  bid OFFER_ID --rate=POUNDS --answers="answer 1|answer 2"       (mini-competition)
      --rate: the hourly rate in pounds, e.g. 21.50 or £21.50
      one answer per quality question, in order: the first answers question 0
  offer OFFER_ID --competencies=C,C --role=TEXT --summary=TEXT [--years=N]
      [--languages=L,L] [--gender=TEXT] [--notes=TEXT]            (competitive offers)
      [--staff=STAFF_ID]   name your worker: checked by the workforce gate first
  referrals person ID --purpose=TEXT        once your organisation is awarded

Workforce: a provider's own staff (provider_admin or provider_coordinator)
  staff list [--leavers]
  staff get ID
  staff create --name=NAME --role=ROLE --start=YYYY-MM-DD --contract=PERMANENT [--grade=G]
      [--leave=DATE] [--zero-hours-evidence=REF  (ZERO_HOURS: the worker's own request)]
      [--dbs-date=DATE --dbs-ref=REF --barred-check=DATE]
      [--dbs-status-check=DATE  (latest Update Service check: Lewisham's 6-monthly)]
      [--rtw=UNLIMITED|TIME_LIMITED --rtw-checked=DATE --rtw-expiry=DATE --rtw-evidence=REF]
      [--references=N] [--reg-body=NMC --reg-number=PIN --reg-expiry=DATE]
      [--english=TEXT] [--languages=L,L] [--gender=TEXT]
      [--drives --licence-checked=DATE --insurance-expiry=DATE]
      [--supervised=DATE] [--appraised=DATE] [--lots=LOT_ID,LOT_ID  (the lots worked on)]
                                                     | staff create --file=staff.json
  staff update ID [the create options to change]     | staff update --file=staff.json
  training list --staff=ID [--lot=ID [--date=YYYY-MM-DD]]   (with --lot: each expiry)
  training record --staff=ID --competency=CODE --completed=YYYY-MM-DD [--by=TRAINER]
      [--evidence=REF]
  training void ID --reason=TEXT          a record entered in error: kept, counted by nothing
  eligibility --staff=ID (--lot=ID [--extra=CODE,CODE] | --package=ID) [--date=YYYY-MM-DD]
                                 the compliance gate, with every reason (also services)
  expiries [--within=30] [--lot=ID] [--date=YYYY-MM-DD]   what lapses (and has lapsed)
                                 with --lot, training too, also what a matrix version
                                 taking effect in the window will require (MATRIX_VERSION)
  complaints list [--overdue]
  complaints get ID
  complaints create --framework=ID [--lot=ID] --summary=TEXT [--safeguarding]
      [--received="YYYY-MM-DD HH:MM" | RFC 3339]     (default now)
                                 due at 17:00 on the framework's answer period
                                 (ANSWER_WORKING_DAYS, default 15) in working days after
                                 the day of receipt: received on a Friday (any hour) or
                                 at the weekend, Monday is day 1 (15: the Friday 3 weeks
                                 on); fixed when recorded
  complaints acknowledge ID
  complaints answer ID --outcome=UPHELD|PARTLY_UPHELD|NOT_UPHELD --learning=TEXT
                                 from RECEIVED too: the answer acknowledges it as well
  returns --quarter=2026-Q3 [--lot=ID] [--provider=ID]   the quarterly workforce return
                                                    (commissioners: --provider and --lot;
                                                    training %: only with --lot; turnover
                                                    against TURNOVER_TARGET_PERCENT: the
                                                    lot's framework's, none without --lot;
                                                    DBS and supervision without --lot by
                                                    the strictest periods of the lots you
                                                    are admitted to, PERIOD_LOT_IDS)
  compliance --provider=OWN_ID --lot=ID [--date=]     counts only
  packages list                  packages awarded to you (from referrals, within seconds)
  packages assign PACKAGE_ID --staff=ID [--from=YYYY-MM-DD]
                                 name a worker on a package awarded to you (the gate
                                 must pass; PACKAGE_ID is the awarded referral's id)
  packages unassign PACKAGE_ID --assignment=ID --reason=TEXT [--last-day=YYYY-MM-DD]
                                 stop naming a worker (the etag is read for you)

Workforce: commissioners
  compliance --provider=ID --lot=ID [--date=YYYY-MM-DD]   in post, eligible, reasons (counts)
                                 (providers admitted to your framework)
  packages get ID                a package you commission (also its provider)
  packages workers ID [--date=YYYY-MM-DD] [--ended]
                                 its named workers: name, role, the gate's answer
  matrices list [--lot=ID] [--framework=ID]          training matrices, every version
  matrices get ID
  matrices create --file=matrix.json                 the lot's next version (TrainingMatrix)
  visits list [--provider=ID]                        (providers: visits of them)
  visits create --provider=ID --framework=ID [--lot=ID] --date=YYYY-MM-DD
      --rating=OUTSTANDING|GOOD|REQUIRES_IMPROVEMENT|INADEQUATE --findings=TEXT
  action-plans list [--provider=ID]                  (providers: plans for them)
  action-plans get ID                                its items as items[0], items[1], ...
  action-plans create --provider=ID --framework=ID [--visit=ID] --title=TEXT
      --action="Description@YYYY-MM-DD,..."          | action-plans create --file=plan.json
  action-plans complete ID --item=INDEX [--date=YYYY-MM-DD]   (also the provider)
                                 INDEX counts from 0, as in `action-plans get ID`
  accounts list [--provider=ID]                      (providers: accounts about them)
  accounts record --provider=ID --framework=ID --year-end=YYYY-MM-DD --current-assets=POUNDS
      --current-liabilities=POUNDS --operating-profit=POUNDS --capital-employed=POUNDS
      --net-assets=POUNDS          e.g. £480,000.00; ratios and breaches are computed
  accounts get ID                                    the figures, ratios and revisions
  accounts revise ID --reason=TEXT [--current-assets=POUNDS] [--current-liabilities=POUNDS]
      [--operating-profit=POUNDS] [--capital-employed=POUNDS] [--net-assets=POUNDS]
                                   amounts not given stay as recorded (recorder only)
  rules get --framework=ID              automatic suspension rules and quality targets
  rules set --framework=ID [--inadequate-visit[=false]] [--upheld-safeguarding=N]
      [--window-months=N] [--financial-breach[=false]] [--ineligible-worker[=false]]
      [--min-trained-percent=N] [--induction-weeks=N] [--plan-days=N] [--answer-days=N]
      [--turnover-target=N]
      changes only the options given
      (0 turns --upheld-safeguarding and --min-trained-percent off; --upheld-safeguarding:
      upheld safeguarding complaints received in the --window-months ending on the day of
      the answer that trips it, a standing decision to suspend (seed 001 13.7); --window-months=0
      is 12; --plan-days: working days to agree a suspension's action plan, 0 is 10;
      --answer-days: working days to answer a complaint recorded from now on, 1..60,
      0 is 15; --turnover-target: the quarterly turnover % returns for the framework's
      lots must stay below, 1..100, 0 is none (no verdict); --induction-weeks: a new starter's first
      weeks, left out of --min-trained-percent and the return's training %, 1..52, 0 is 12)

Verbs that need an etag read the resource first; pass --etag to use your own.

Operations
  health                         gRPC health of the service at --addr
                                 (--addr=127.0.0.1:7002 for referrals, 7004 for workforce)
  events [--after=N]             the event feed of the service at --addr (service token)
)";

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
Stub& StubOf(Env& env, Stub*) { return *env.stub; }
RStub& StubOf(Env& env, RStub*) { return *env.referrals; }
WStub& StubOf(Env& env, WStub*) { return *env.workforce; }

int Fail(const std::string& message) {
  cli::PrintError(absl::StrCat("pdpsctl: ", message, "\n"));
  return 2;
}

// Prints a gRPC error with its field violations; returns the exit code.
int Report(const grpc::Status& st) {
  std::string text =
      cli::ErrorText(server::CodeName(st.error_code()), st.error_message(), st.error_details());
  cli::PrintError(text);
  return 1;
}

// Options the command never read: thrown by RequireOptionsRead from wherever the
// command is, so that no command needs a path of its own for them; Main reports them.
struct RefusedOptions {
  std::vector<std::string> lines;
};

// Refuses an option the command has not read: called before the command's first RPC
// (by Call, for every stub method) and by commands that send none, so a misspelt
// --overdu fails with nothing sent rather than list every complaint. Every option a
// command uses must therefore be read before its first RPC.
void RequireOptionsRead(Env& env) {
  if (env.options_checked) return;
  env.options_checked = true;
  std::vector<std::string> unknown = cli::RefusedOptions(env.args, env.command);
  if (!unknown.empty()) throw RefusedOptions{std::move(unknown)};
}

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

// The display name of organisation `id` for a table, or nullopt to show the id:
// GetOrganisation, which every signed-in user may call for any organisation (an id it
// does not know stays an id). Once the registry cannot be reached (or answers too
// slowly) no more names are asked for: the table is printed with ids rather than wait
// for each.
std::optional<std::string> OrganisationName(Env& env, const std::string& id) {
  if (env.registry_unreachable) return std::nullopt;
  v1::GetOrganisationRequest req;
  req.set_id(id);
  v1::Organisation org;
  grpc::Status st = Call(env, &Stub::GetOrganisation, req, &org, std::chrono::seconds(5));
  if (st.ok()) return org.display_name();
  if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
      st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
      st.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    env.registry_unreachable = true;
  }
  return std::nullopt;
}

// Prints a response as JSON (--json) or a table (list `columns` as for cli::PrintTable,
// organisations by name); returns the exit code (1 if the JSON could not be printed).
[[nodiscard]] int Print(const Env& env, const google::protobuf::Message& resp,
                        const std::vector<std::string>& columns = {}) {
  if (env.json) return cli::PrintJson(resp) ? 0 : 1;
  cli::PrintTable(resp, columns, env.names.get());
  return 0;
}

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
std::string Id(const Args& a) { return a.words.size() > 2 ? a.words[2] : ""; }

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
                const std::function<pdps::common::v1::Money*()>& money, bool rate = false) {
  if (!a.Has(k)) return true;
  int64_t pence = 0;
  std::string error;
  if (!cli::ParsePounds(a.Get(k), &pence, &error, rate)) {
    Fail(absl::StrCat("--", k, "=", a.Get(k), " ", error));
    return false;
  }
  money()->set_pence(pence);
  return true;
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
  // The services take lower-case UUIDs only: refuse anything else here rather than
  // print a token every call would refuse.
  std::string org = absl::AsciiStrToLower(a.Get("org"));
  std::string user = absl::AsciiStrToLower(a.Get("user"));
  bool by_name = a.Has("org-name");
  std::string name = a.Get("org-name");
  // Here, not only before the lookup by name: a token minted from a misspelt option
  // (--rols, --usr) would be printed as if it were the one asked for.
  RequireOptionsRead(env);
  if (!org.empty() && !IsUuid(org)) return Fail("--org must be a UUID (or use --org-name)");
  if (!user.empty() && !IsUuid(user)) return Fail("--user must be a UUID");
  if (by_name) {
    // Look the organisation up with a short-lived platform-operator token.
    auto op = MintDev(kPlatformOrg, {auth::Role::kPlatformOperator}, "", absl::Minutes(2));
    if (!op.ok()) return Fail(std::string(op.status().message()));
    env.token = *op;
    v1::Organisation found;
    if (int rc = FindListed(
            env, &Stub::ListOrganisations, v1::ListOrganisationsRequest(),
            &v1::ListOrganisationsResponse::organisations,
            [&](const v1::Organisation& o) { return o.display_name() == name; }, &found,
            "no organisation named \"" + name + "\"")) {
      return rc;
    }
    org = found.id();
  }
  if (org.empty()) {
    if (std::find(roles.begin(), roles.end(), auth::Role::kPlatformOperator) != roles.end() ||
        std::find(roles.begin(), roles.end(), auth::Role::kService) != roles.end()) {
      org = kPlatformOrg;
    } else {
      return Fail("--org=UUID or --org-name=NAME is required");
    }
  }
  if (user.empty()) {
    // One development user per organisation and set of roles, so that following the
    // README leaves one actor in the history and the person-details access log.
    std::vector<std::string> names;
    for (auth::Role r : roles) names.emplace_back(auth::RoleName(r));
    std::sort(names.begin(), names.end());
    user = NameUuid(absl::StrCat("pdpsctl dev user ", org, " ", absl::StrJoin(names, ",")));
  }
  auto t = MintDev(org, roles, user, ttl);
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
                                                    "specification_reference"};

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

// A decision on an admission: id, etag and --reason.
template <typename Req, typename Resp>
int Decide(Env& env, Method<Stub, Req, Resp> method) {
  Req req;
  req.set_id(Id(env.args));
  req.set_reason(env.args.Get("reason"));
  return RunWithEtag(env, &Stub::GetAdmission, method, req);
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
  return Fail("admissions: list, get, apply, admit, reject, suspend, reinstate, terminate, "
              "add-actions, complete-action");
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

int Providers(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "get") return GetById(env, &Stub::GetProvider);
  if (verb == "update") {
    // Read-modify-write of the caller's own profile: the token's organisation, unless
    // an ID is given (the service refuses another organisation's).
    std::string id = Id(a);
    if (id.empty()) id = OwnOrganisation(env);
    if (id.empty()) {
      return Fail("providers update [ID] [--postcode] [--district] [--areas]: the token "
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

// ------------------------------------------------------------ referrals ---

// Table columns: what an officer scans a referral list for.
const std::vector<std::string> kReferralColumns = {"id",
                                                   "state",
                                                   "method",
                                                   "round",
                                                   "urgency",
                                                   "area",
                                                   "planned_weekly_hours",
                                                   "start_date",
                                                   "stage_deadline",
                                                   "lot_id",
                                                   "award.provider_id=AWARDED_TO",
                                                   "award.provider_id:name=PROVIDER"};
// An officer's view of the offers of one referral.
const std::vector<std::string> kOfferColumns = {"id",
                                                "provider_id",
                                                "provider_id:name=PROVIDER",
                                                "kind",
                                                "state",
                                                "round",
                                                "rota_position",
                                                "deadline",
                                                "answer_time",
                                                "declared_weekly_hours_available=DECLARED_HOURS",
                                                "below_planned_hours=SHORT_OF_HOURS",
                                                "decline_reason",
                                                "decline_rationale",
                                                "proposal.worker_profile.role=WORKER_ROLE",
                                                "proposal.unmatched_competencies=UNMATCHED",
                                                "proposal.shortlisted",
                                                "bid.hourly_rate",
                                                "bid.total_score",
                                                "bid.rank"};
// A provider's inbox: the offer and its pen portrait.
const std::vector<std::string> kInboxColumns = {"id",
                                                "kind",
                                                "state",
                                                "deadline",
                                                "referral.urgency",
                                                "referral.area",
                                                "referral.planned_weekly_hours",
                                                "declared_weekly_hours_available=DECLARED_HOURS",
                                                "below_planned_hours=SHORT_OF_HOURS",
                                                "proposal.unmatched_competencies=UNMATCHED",
                                                "referral.start_date",
                                                "referral.age_years",
                                                "referral.needs_summary"};

bool ParseHours(const std::string& text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end != nullptr && *end == '\0';
}

// The person's identifying details from --name, --dob, --address="line 1;line 2",
// --postcode, --nhs, --key-safe and --contacts (raise and update-person).
void PersonFromFlags(const Args& a, rv1::PersonDetails* p) {
  p->set_full_name(a.Get("name"));
  if (a.Has("dob")) p->mutable_date_of_birth()->set_value(a.Get("dob"));
  for (absl::string_view line : absl::StrSplit(a.Get("address"), ';', absl::SkipEmpty())) {
    p->add_address_lines(std::string(line));
  }
  p->set_postcode(a.Get("postcode"));
  p->set_nhs_number(a.Get("nhs"));
  p->set_key_safe_code(a.Get("key-safe"));
  // --contacts="NAME|RELATIONSHIP[|PHONE[|EMAIL]];..."
  for (absl::string_view c : absl::StrSplit(a.Get("contacts"), ';', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(c, '|');
    parts.resize(4);
    auto* contact = p->add_contacts();
    contact->set_name(parts[0]);
    contact->set_relationship(parts[1]);
    contact->set_phone(parts[2]);
    contact->set_email(parts[3]);
  }
}

// `referrals raise`: the referral and the person's details from options.
int Raise(Env& env) {
  const Args& a = env.args;
  rv1::CreateReferralRequest req;
  rv1::Referral* r = req.mutable_referral();
  r->set_lot_id(a.Get("lot"));
  r->set_area(a.Get("area"));
  double hours = 0;
  if (a.Has("hours") && !ParseHours(a.Get("hours"), &hours)) return Fail("bad --hours");
  r->set_planned_weekly_hours(hours);
  r->set_session_pattern(a.Get("pattern"));
  for (const auto& o : a.List("outcomes")) r->add_outcomes(o);
  r->set_needs_summary(a.Get("needs"));
  r->set_communication_needs(a.Get("communication"));
  r->set_special_requirements(a.Get("special"));
  if (a.Has("start")) r->mutable_start_date()->set_value(a.Get("start"));
  if (a.Has("end")) r->mutable_end_date()->set_value(a.Get("end"));
  rv1::Referral::Urgency urgency = rv1::Referral::ROUTINE;
  if (a.Has("urgency") && !rv1::Referral::Urgency_Parse(a.Get("urgency"), &urgency)) {
    return Fail("bad --urgency (ROUTINE or EMERGENCY)");
  }
  r->set_urgency(urgency);
  if (a.Has("gender") || a.Has("languages") || a.Has("culture") || a.Has("religion")) {
    auto* p = r->mutable_preferences();
    p->set_worker_gender(a.Get("gender"));
    for (const auto& l : a.List("languages")) p->add_languages(l);
    p->set_culture(a.Get("culture"));
    p->set_religion(a.Get("religion"));
  }
  for (const auto& c : a.List("extra-competencies")) r->add_extra_competencies(c);
  // --funding=ORG_ID:BASIS_POINTS[:STREAM],...
  for (const auto& share : a.List("funding")) {
    std::vector<std::string> parts = absl::StrSplit(share, absl::MaxSplits(':', 2));
    int bp = 0;
    if (parts.size() < 2 || !absl::SimpleAtoi(parts[1], &bp)) {
      return Fail("bad --funding: ORG_ID:BASIS_POINTS[:STREAM],... e.g. ORG:6000,ORG:4000");
    }
    auto* f = r->add_funding();
    f->set_organisation_id(parts[0]);
    f->set_share_basis_points(bp);
    if (parts.size() > 2) f->set_funding_stream(parts[2]);
  }
  r->set_direct_payment(a.Has("direct-payment"));
  r->set_care_plan_extract(a.Get("care-plan"));
  PersonFromFlags(a, req.mutable_person());
  req.set_request_id(a.Get("request-id", NewUuid()));
  return Run(env, &RStub::CreateReferral, req);
}

// `referrals update-person ID`: the full replacement of the person's details, from
// --file (JSON of a PersonDetails) or the same flags as `referrals raise`, and a reason.
int UpdatePerson(Env& env) {
  const Args& a = env.args;
  rv1::UpdatePersonDetailsRequest req;
  req.set_referral_id(Id(a));
  if (a.Has("file")) {
    if (!FromFile(a, req.mutable_person())) return 2;
  } else {
    PersonFromFlags(a, req.mutable_person());
  }
  req.set_reason(a.Get("reason"));
  std::string etag;
  if (!CurrentEtag(env, &RStub::GetReferral, Id(a), &etag)) return 1;
  req.set_etag(etag);
  return Run(env, &RStub::UpdatePersonDetails, req);
}

int Referrals(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    rv1::ListReferralsRequest req;
    if (a.Has("state")) {
      rv1::Referral::State s;
      if (!rv1::Referral::State_Parse(a.Get("state"), &s)) return Fail("bad --state");
      req.set_state(s);
    }
    req.set_lot_id(a.Get("lot"));
    req.set_framework_id(a.Get("framework"));
    Page(a, &req);
    return Run(env, &RStub::ListReferrals, req, kReferralColumns);
  }
  if (verb == "get") return GetById(env, &RStub::GetReferral);
  if (verb == "raise") return Raise(env);
  if (verb == "update-person") return UpdatePerson(env);
  if (verb == "update") {
    return UpdateFromFile(env, &RStub::UpdateReferral,
                          &rv1::UpdateReferralRequest::mutable_referral);
  }
  if (verb == "person") {
    rv1::GetPersonDetailsRequest req;
    req.set_referral_id(Id(a));
    req.set_purpose(a.Get("purpose"));
    return Run(env, &RStub::GetPersonDetails, req);
  }
  if (verb == "access-log") {
    rv1::ListPersonDetailsAccessRequest req;
    req.set_referral_id(Id(a));
    Page(a, &req);
    return Run(env, &RStub::ListPersonDetailsAccess, req);
  }
  if (verb == "open") {
    rv1::OpenReferralRequest req;
    req.set_id(Id(a));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::OpenReferral, req);
  }
  if (verb == "award") {
    rv1::AwardReferralRequest req;
    req.set_id(Id(a));
    req.set_offer_id(a.Get("offer"));
    req.set_provider_id(a.Get("provider"));
    req.set_rationale(a.Get("rationale"));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::AwardReferral, req);
  }
  if (verb == "withdraw") {
    rv1::WithdrawReferralRequest req;
    req.set_id(Id(a));
    req.set_reason(a.Get("reason"));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::WithdrawReferral, req);
  }
  if (verb == "reopen") {
    rv1::ReopenReferralRequest req;
    req.set_id(Id(a));
    if (a.Has("method")) {
      rv1::CallOffMethod m;
      if (!rv1::CallOffMethod_Parse(a.Get("method"), &m)) return Fail("bad --method");
      req.set_method(m);
    }
    req.set_reason(a.Get("reason"));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::ReopenReferral, req);
  }
  return Fail("referrals: list, get, raise, update, update-person, open, award, withdraw, "
              "reopen, person, access-log");
}

int Offers(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    rv1::ListOffersRequest req;
    req.set_referral_id(a.Get("referral"));
    req.set_live_only(a.Has("live"));
    Page(a, &req);
    return Run(env, &RStub::ListOffers, req, kOfferColumns);
  }
  if (verb == "get") return GetById(env, &RStub::GetOffer);
  if (verb == "review") {
    rv1::ReviewProposalRequest req;
    req.set_id(Id(a));
    req.set_shortlisted(a.Has("shortlisted") && a.Get("shortlisted") != "false");
    req.set_family_view(a.Get("family-view"));
    req.set_family_met_worker(a.Has("met-worker") && a.Get("met-worker") != "false");
    return RunWithEtag(env, &RStub::GetOffer, &RStub::ReviewProposal, req);
  }
  if (verb == "evaluate") {
    rv1::EvaluateBidRequest req;
    req.set_id(Id(a));
    for (const auto& m : a.List("marks")) {
      int mark = 0;
      if (!absl::SimpleAtoi(m, &mark)) return Fail("bad --marks: e.g. --marks=4,3,5");
      req.add_marks(mark);
    }
    return RunWithEtag(env, &RStub::GetOffer, &RStub::EvaluateBid, req);
  }
  return Fail("offers: list, get, review or evaluate");
}

// ------------------------------------------------- providers' answers ---

// `inbox [--live]`: the caller's own offers, by deadline.
int Inbox(Env& env, const std::string&) {
  rv1::ListOffersRequest req;
  req.set_live_only(env.args.Has("live"));
  Page(env.args, &req);
  return Run(env, &RStub::ListOffers, req, kInboxColumns);
}

// `accept|decline|bid|offer OFFER_ID ...`: the offer's current etag, then the answer.
int Answer(Env& env, const std::string& verb) {
  const Args& a = env.args;
  std::string id = a.words.size() > 1 ? a.words[1] : "";
  if (id.empty()) return Fail(verb + " OFFER_ID is required");
  if (verb == "accept") {
    rv1::AcceptOfferRequest req;
    req.set_id(id);
    return RunWithEtag(env, &RStub::GetOffer, &RStub::AcceptOffer, req);
  }
  if (verb == "decline") {
    rv1::DeclineOfferRequest req;
    req.set_id(id);
    rv1::DeclineReason reason = rv1::DECLINE_REASON_UNSPECIFIED;
    if (a.Has("reason") && !rv1::DeclineReason_Parse(a.Get("reason"), &reason)) {
      return Fail("bad --reason: NO_CAPACITY, NO_SUITABLE_WORKER, AREA_NOT_COVERED, "
                  "START_DATE_NOT_ACHIEVABLE, CANNOT_MEET_NEEDS or OTHER");
    }
    req.set_reason(reason);
    req.set_rationale(a.Get("rationale"));
    return RunWithEtag(env, &RStub::GetOffer, &RStub::DeclineOffer, req);
  }
  if (verb == "bid") {
    rv1::SubmitBidRequest req;
    req.set_id(id);
    if (!a.Has("rate")) {
      return Fail("--rate=POUNDS is required: the hourly rate, e.g. --rate=21.50");
    }
    if (!PoundsFlag(
            a, "rate", [&] { return req.mutable_bid()->mutable_hourly_rate(); }, /*rate=*/true)) {
      return 2;
    }
    int i = 0;
    for (absl::string_view text : absl::StrSplit(a.Get("answers"), '|', absl::SkipEmpty())) {
      auto* answer = req.mutable_bid()->add_answers();
      answer->set_question_index(i++);
      answer->set_answer(std::string(text));
    }
    return RunWithEtag(env, &RStub::GetOffer, &RStub::SubmitBid, req);
  }
  // offer: a proposal with a worker profile (competitive offers).
  rv1::SubmitProposalRequest req;
  req.set_id(id);
  auto* p = req.mutable_proposal();
  for (const auto& c : a.List("competencies")) p->add_matched_competencies(c);
  p->set_notes(a.Get("notes"));
  auto* w = p->mutable_worker_profile();
  w->set_role(a.Get("role"));
  w->set_summary(a.Get("summary"));
  w->set_years_experience(a.Int("years", 0));
  w->set_gender(a.Get("gender"));
  for (const auto& l : a.List("languages")) w->add_languages(l);
  w->set_staff_id(a.Get("staff"));
  return RunWithEtag(env, &RStub::GetOffer, &RStub::SubmitProposal, req);
}

// ------------------------------------------------------------ workforce ---

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
const std::vector<std::string> kMatrixColumns = {
    "id", "lot_id", "version", "effective_from", "title", "competencies",
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
  if (a.Has("rtw-evidence")) s->mutable_right_to_work()->set_evidence_reference(a.Get("rtw-evidence"));
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
    if (id.empty()) return Fail("staff update ID [--option=value ...] | staff update --file=staff.json");
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
  return Fail("training: list --staff=ID, record --staff=ID --competency=CODE "
              "--completed=YYYY-MM-DD [--by=TRAINER] [--evidence=REF], or void ID --reason=TEXT");
}

// `eligibility --staff=ID (--lot=ID [--extra=a,b] | --package=ID) [--date=]`: the gate.
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
    std::printf("eligible: %s   (training matrix %s, version %d)\n",
                resp.eligible() ? "yes" : "no", resp.matrix_id().c_str(), resp.matrix_version());
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

// `brokerage-returns`: one provider's offers on a framework in a quarter (decision 66).
int BrokerageReturns(Env& env, const std::string&) {
  rv1::GetBrokerageReturnRequest req;
  req.set_quarter(env.args.Get("quarter"));
  req.set_framework_id(env.args.Get("framework"));
  req.set_lot_id(env.args.Get("lot"));
  req.set_provider_id(env.args.Get("provider"));  // officers
  return Run(env, &RStub::GetBrokerageReturn, req);
}

int Returns(Env& env, const std::string&) {
  wv1::GetWorkforceReturnRequest req;
  req.set_quarter(env.args.Get("quarter"));
  req.set_lot_id(env.args.Get("lot"));
  req.set_provider_id(env.args.Get("provider"));  // commissioners
  return Run(env, &WStub::GetWorkforceReturn, req);  // no lot: training "n/a (give --lot)"
}

// `compliance --provider=ID --lot=ID [--date=]`: counts only (decision 0030).
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

// An action plan by id, from the caller's list: the service has no GetActionPlan.
// Returns 0, or the exit code once the failure is reported.
int FindActionPlan(Env& env, const std::string& id, wv1::ActionPlan* out) {
  return FindListed(
      env, &WStub::ListActionPlans, wv1::ListActionPlansRequest(),
      &wv1::ListActionPlansResponse::action_plans,
      [&](const wv1::ActionPlan& p) { return p.id() == id; }, out,
      "no action plan " + id + " visible to you");
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
    if (!absl::SimpleAtoi(a.Get("item"), &item)) return Fail("--item=INDEX (0, 1, ...) is required");
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

// `rules get|set --framework=ID`: set changes only the options given, over the current
// rules (the defaults when none were set), with their etag.
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

// Packages (awarded referrals) and the workers named on them.
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
    return Run(env, &WStub::ListPackageWorkers, req,
               {"assignment_id", "display_name", "role", "from_date", "to_date", "eligible",
                "reasons"});
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

int Health(Env& env) {
  std::string service = env.args.Get("service");
  RequireOptionsRead(env);  // the health client's call is not a stub method of Call's
  auto st = health::Check(env.channel, service, absl::Seconds(5));
  if (!st.ok()) return Fail(std::string(st.status().message()));
  if (env.json) {
    std::printf("{\n  \"status\": \"%s\"\n}\n", health::Name(*st));  // HealthCheckResponse
  } else {
    std::printf("%s\n", health::Name(*st));
  }
  return *st == health::Serving::kServing ? 0 : 1;
}

// Registers every event payload type in the generated descriptor pool, so that --json
// can print an event's payload (a google.protobuf.Any). Nothing else in pdpsctl uses
// these messages, and without a reference the linker leaves their files out.
void RegisterEventPayloads() {
  (void)v1::AdmissionChanged::descriptor();           // pdps/registry/v1/registry_events
  (void)rv1::ReferralAwarded::descriptor();           // pdps/referrals/v1/referrals_events
  (void)wv1::SuspensionRuleTripped::descriptor();     // pdps/workforce/v1/workforce_events
}

int Events(Env& env) {
  RegisterEventPayloads();
  auto stub = pdps::common::v1::EventFeedService::NewStub(env.channel);
  pdps::common::v1::ListEventsRequest req;
  req.set_after_position(env.args.Int64("after", 0));
  req.set_page_size(env.args.Int("page-size", 100));
  RequireOptionsRead(env);  // the feed's stub is not one of Call's
  grpc::ClientContext ctx;
  if (!env.token.empty()) ctx.AddMetadata("authorization", "Bearer " + env.token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  pdps::common::v1::ListEventsResponse resp;
  auto st = stub->ListEvents(&ctx, req, &resp);
  if (!st.ok()) return Report(st);
  return Print(env, resp);
}

// How messages name the command: "complaints list", or the one word of a command that
// takes no verb ("inbox"; "accept OFFER_ID" is "accept").
std::string CommandName(const Args& a) {
  static const std::set<std::string> kNoVerb = {
      "help",    "token", "health", "events",      "eligible", "inbox",   "accept",
      "decline", "bid",   "offer",  "eligibility", "expiries", "returns", "compliance",
      "brokerage-returns"};
  if (a.words.size() < 2 || kNoVerb.count(a.words[0]) > 0) return a.words[0];
  return a.words[0] + " " + a.words[1];
}

// Reads the global options and runs the command the words name; returns its exit code.
int Dispatch(Env& env) {
  const Args& a = env.args;
  const char* env_addr = std::getenv("PDPS_REGISTRY_ADDR");
  std::string addr = a.Get("addr", env_addr != nullptr ? env_addr : "127.0.0.1:7001");
  const char* env_token = std::getenv("PDPS_TOKEN");
  env.token = a.Get("token", env_token != nullptr ? env_token : "");
  env.json = a.Has("json");
  env.names = std::make_unique<cli::OrgNames>(
      [&env](const std::string& id) { return OrganisationName(env, id); });
  env.channel = grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  env.stub = v1::RegistryService::NewStub(env.channel);
  const char* env_referrals = std::getenv("PDPS_REFERRALS_ADDR");
  env.referrals = rv1::ReferralsService::NewStub(grpc::CreateChannel(
      a.Get("referrals-addr", env_referrals != nullptr ? env_referrals : "127.0.0.1:7002"),
      grpc::InsecureChannelCredentials()));
  const char* env_workforce = std::getenv("PDPS_WORKFORCE_ADDR");
  env.workforce = wv1::WorkforceService::NewStub(grpc::CreateChannel(
      a.Get("workforce-addr", env_workforce != nullptr ? env_workforce : "127.0.0.1:7004"),
      grpc::InsecureChannelCredentials()));
  const std::string& resource = a.words[0];
  std::string verb = a.words.size() > 1 ? a.words[1] : "";
  if (resource == "help") {
    RequireOptionsRead(env);  // only the global options are help's
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (resource == "token") return Token(env);
  if (resource == "health") return Health(env);
  if (resource == "events") return Events(env);
  if (resource == "eligible") return Eligible(env);
  static const std::map<std::string, std::function<int(Env&, const std::string&)>> commands = {
      {"orgs", Orgs},         {"partnerships", Partnerships}, {"frameworks", Frameworks},
      {"lots", Lots},         {"admissions", Admissions},     {"providers", Providers},
      {"documents", Documents}, {"capacity", Capacity},
      {"referrals", Referrals}, {"offers", Offers},       {"inbox", Inbox},
      {"accept", Answer},       {"decline", Answer},          {"bid", Answer},
      {"offer", Answer},
      {"staff", Staff},         {"training", Training},       {"eligibility", Eligibility},
      {"expiries", Expiries},   {"complaints", Complaints},   {"returns", Returns},
      {"compliance", Compliance}, {"matrices", Matrices},     {"visits", Visits},
      {"action-plans", ActionPlans}, {"accounts", Accounts},  {"rules", Rules},
      {"packages", Packages},
      {"brokerage-returns", BrokerageReturns},
  };
  auto it = commands.find(resource);
  if (it == commands.end()) return Fail("unknown command \"" + resource + "\"; try --help");
  if (env.token.empty()) return Fail("no token: pass --token or set PDPS_TOKEN (see `pdpsctl token`)");
  // Providers' answers are verbs of their own: "accept OFFER_ID".
  bool answer = resource == "accept" || resource == "decline" || resource == "bid" ||
                resource == "offer";
  return it->second(env, answer ? resource : verb);
}

}  // namespace

int Main(int argc, char** argv) {
  Env env;
  env.args = cli::Parse(argc, argv);
  const Args& a = env.args;
  // --help anywhere prints the usage, whatever else is given: which options the command
  // it follows would read is not known without running it.
  if (a.words.empty() || a.Has("help")) {
    std::fputs(kUsage, a.words.empty() && !a.Has("help") ? stderr : stdout);
    return a.Has("help") ? 0 : 2;
  }
  env.command = CommandName(a);
  try {
    int rc = Dispatch(env);
    // A command that sent no RPC is held to its options too (no-op after an RPC);
    // one that prints without an RPC checks before printing, as Token does.
    if (rc == 0) RequireOptionsRead(env);
    return rc;
  } catch (const RefusedOptions& unknown) {
    for (const auto& line : unknown.lines) Fail(line);
    return 2;
  }
}

}  // namespace pdps::ctl

int main(int argc, char** argv) { return pdps::ctl::Main(argc, argv); }
