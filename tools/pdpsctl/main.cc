// pdpsctl: the command-line client for PDPS officers, providers and SREs.
//
//   pdpsctl [--addr=HOST:PORT] [--referrals-addr=HOST:PORT] [--workforce-addr=HOST:PORT]
//           [--token=JWT] [--json] <resource> <verb> [ID] [--option=value]
//
// The token comes from --token or $PDPS_TOKEN; `pdpsctl token` mints a development token
// from the local key made by `make run` (never usable against production keys).
//
// This file holds the usage text, `token`, `health`, `events` and the dispatch of the
// words to a command; the commands themselves are by service in registry_commands.cc,
// referrals_commands.cc and workforce_commands.cc, with the environment and the call
// helpers they share in commands.h (lower-level helpers: cli.h).
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/health_client.h"
#include "common/ids.h"
#include "pdps/common/v1/events.grpc.pb.h"
#include "pdps/referrals/v1/referrals_events.pb.h"
#include "pdps/registry/v1/registry_events.pb.h"
#include "pdps/workforce/v1/workforce_events.pb.h"
#include "tools/pdpsctl/cli.h"
#include "tools/pdpsctl/commands.h"

namespace pdps::ctl {
namespace {

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
  frameworks areas ID --areas=AREA,AREA     the districts referrals may name; --areas=
                                            clears them (any district)
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
      [--staff=STAFF_ID]   name your worker: checked by the workforce gate first, which
                           then proves the competencies (--competencies may be left out)
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
                                 with --lot, under that lot's matrix for all its workers;
                                 without, training of the lots workers are named on (LOT_ID);
                                 also what a matrix version taking effect in the window
                                 will require (MATRIX_VERSION)
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