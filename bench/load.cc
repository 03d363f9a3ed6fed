// pdps-bench: seeds a realistic volume and drives the registry, referrals and workforce
// with a closed-loop load.
//
//   pdps-bench seed  --target=127.0.0.1:7101 --key=KEY.pem --providers=1000 --documents=100000
//   pdps-bench seed-care --target=REGISTRY --referrals-target=127.0.0.1:7102
//                    --workforce-target=127.0.0.1:7104 --referrals=300 --staff-providers=100
//                    --staff-per-provider=10   (after seed: referrals, staff and training)
//   pdps-bench run   --target=127.0.0.1:7101 --key=KEY.pem --concurrency=8 --duration=10
//                    --method=get_provider|eligible|create (registry),
//                    get_referral|offers (referrals), gate|training (workforce)
//                    --warmup=1 --threads=4
//
// Closed loop: `concurrency` calls are outstanding at all times, spread over `threads`
// client threads, each with its own completion queue and HTTP/2 connection. Only calls
// that start after the warm-up and end inside the window count. Every call carries a
// real signed token, as in production. Only 127.0.0.1 is ever a target.
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/dates.h"
#include "pdps/referrals/v1/referrals_service.grpc.pb.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"

namespace pdps::bench {
namespace {

namespace v1 = ::pdps::registry::v1;
namespace rv1 = ::pdps::referrals::v1;
namespace wv1 = ::pdps::workforce::v1;
using auth::Role;
using Clock = std::chrono::steady_clock;
using Stub = v1::RegistryService::Stub;
using RStub = rv1::ReferralsService::Stub;
using WStub = wv1::WorkforceService::Stub;

struct Opts {
  std::string target = "127.0.0.1:7101";
  std::string key = ".local/bench/keys/bench-1.pem";
  std::string method = "get_provider";
  std::string state = "bench/out/state.txt";
  std::string referrals_target = "127.0.0.1:7102", workforce_target = "127.0.0.1:7104";
  int providers = 1000, documents = 100000, concurrency = 8, threads = 4;
  int referrals = 300, staff_providers = 100, staff_per_provider = 10;
  int64_t seq_start = 0;  // first write sequence number: distinct per run
  double duration = 10, warmup = 1;
} o;

[[noreturn]] void Die(const std::string& m) {
  std::fprintf(stderr, "pdps-bench: %s\n", m.c_str());
  std::fflush(nullptr);
  std::_Exit(1);  // not exit(): seeding threads may fail at once
}

std::string Key() {
  std::ifstream in(o.key);
  if (!in) Die("no key at " + o.key);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Token(const std::string& pem, const std::string& org, Role role, int n) {
  auth::MintOptions m;
  m.kid = "bench-1";
  m.private_key_pem = pem;
  m.issuer = "https://pdps.local/bench";
  m.audience = "pdps";
  char user[40];
  std::snprintf(user, sizeof(user), "00000000-0000-4000-8000-%012d", n);
  m.user_id = user;
  m.organisation_id = org;
  m.roles = {role};
  m.issued_at = absl::Now() - absl::Seconds(5);
  m.lifetime = absl::Hours(2);
  auto t = auth::Mint(m);
  if (!t.ok()) Die(std::string(t.status().message()));
  return *t;
}

template <typename S, typename Req, typename Resp>
Resp MustCall(S& stub, const std::string& token,
              grpc::Status (S::*fn)(grpc::ClientContext*, const Req&, Resp*), const Req& req) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  Resp resp;
  auto st = (stub.*fn)(&ctx, req, &resp);
  if (!st.ok()) Die(absl::StrCat(req.GetDescriptor()->name(), ": ", st.error_message()));
  return resp;
}

// ------------------------------------------------------------------- seed ---

// What the run needs to know about the seeded world, kept in a small text file.
struct State {
  std::string commissioner_org, lot, framework;
  std::vector<std::string> providers;
};

void Save(const State& s) {
  std::ofstream out(o.state);
  out << s.commissioner_org << "\n" << s.framework << "\n" << s.lot << "\n";
  for (const auto& p : s.providers) out << p << "\n";
}

State Load() {
  std::ifstream in(o.state);
  if (!in) Die("no seed state at " + o.state + ": run `pdps-bench seed` first");
  State s;
  std::getline(in, s.commissioner_org);
  std::getline(in, s.framework);
  std::getline(in, s.lot);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) s.providers.push_back(line);
  }
  return s;
}

// A provider's administrator (the same user in seed and run).
std::string ProviderToken(const std::string& pem, const State& s, int i) {
  return Token(pem, s.providers[i], Role::kProviderAdmin, 100 + i);
}

// Runs fn(0) .. fn(n - 1) on 8 threads: seeding through the APIs, in parallel.
void ParallelFor(int n, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < n; i = next++) fn(i);
    });
  }
  for (auto& w : workers) w.join();
}

int Seed() {
  std::string pem = Key();
  auto channel = grpc::CreateChannel(o.target, grpc::InsecureChannelCredentials());
  auto stub = v1::RegistryService::NewStub(channel);
  std::string op = Token(pem, "00000000-0000-4000-8000-000000000001", Role::kPlatformOperator, 0);
  State s;
  v1::CreateOrganisationRequest org;
  org.mutable_organisation()->set_display_name("Bench Borough Council");
  org.mutable_organisation()->set_kind(v1::Organisation::COUNCIL);
  s.commissioner_org = MustCall(*stub, op, &Stub::CreateOrganisation, org).id();
  v1::CreatePartnershipRequest part;
  part.mutable_partnership()->set_display_name("Bench partnership");
  part.mutable_partnership()->add_member_organisation_ids(s.commissioner_org);
  std::string pid = MustCall(*stub, op, &Stub::CreatePartnership, part).id();
  std::string comm = Token(pem, s.commissioner_org, Role::kCommissioner, 1);
  v1::CreateFrameworkRequest fw;
  auto* f = fw.mutable_framework();
  f->set_partnership_id(pid);
  f->set_display_name("Bench care at home");
  f->set_kind(v1::Framework::PDPS);
  f->set_billing_period(v1::Framework::MONTHLY);
  f->mutable_call_off()->set_method(v1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL);
  absl::CivilDay today = dates::TodayInLondon(absl::Now());
  auto* w = f->add_application_windows();
  w->mutable_open_date()->set_value(dates::FormatDay(today - 10));
  w->mutable_close_date()->set_value(dates::FormatDay(today + 10));
  s.framework = MustCall(*stub, comm, &Stub::CreateFramework, fw).id();
  v1::CreateLotRequest lot;
  lot.mutable_lot()->set_framework_id(s.framework);
  lot.mutable_lot()->set_code("CAH");
  lot.mutable_lot()->set_display_name("Care at home");
  lot.mutable_lot()->set_service_type("home care");
  lot.mutable_lot()->set_max_age(18);
  s.lot = MustCall(*stub, comm, &Stub::CreateLot, lot).id();

  // Providers in parallel: create, apply, admit, profile, capacity, documents.
  s.providers.resize(o.providers);
  std::atomic<int> docs{0};
  const int docs_per_provider = (o.documents + o.providers - 1) / o.providers;
  ParallelFor(o.providers, [&](int i) {
    Stub* my = stub.get();
    v1::CreateOrganisationRequest po;
    po.mutable_organisation()->set_display_name(absl::StrCat("Bench Provider ", i));
    po.mutable_organisation()->set_kind(v1::Organisation::PROVIDER);
    std::string porg = MustCall(*my, op, &Stub::CreateOrganisation, po).id();
    s.providers[i] = porg;
    std::string admin = ProviderToken(pem, s, i);
    // The insurance a provider must hold to apply (the framework's minimums).
    for (auto [kind, pence] : {std::pair{v1::ComplianceDocument::EMPLOYERS_LIABILITY, 500000000LL},
                               std::pair{v1::ComplianceDocument::PUBLIC_LIABILITY, 1000000000LL}}) {
      v1::CreateComplianceDocumentRequest ins;
      auto* doc = ins.mutable_document();
      doc->set_kind(kind);
      doc->set_title(v1::ComplianceDocument::Kind_Name(kind));
      doc->set_evidence_reference(absl::StrCat("BENCH-INS-", i));
      doc->mutable_issue_date()->set_value(dates::FormatDay(today - 100));
      doc->mutable_expiry_date()->set_value(dates::FormatDay(today + 365));
      doc->mutable_cover()->set_pence(pence);
      MustCall(*my, admin, &Stub::CreateComplianceDocument, ins);
    }
    v1::ApplyForAdmissionRequest ap;
    ap.set_framework_id(s.framework);
    ap.add_lot_ids(s.lot);
    auto applied = MustCall(*my, admin, &Stub::ApplyForAdmission, ap);
    v1::AdmitProviderRequest ad;
    ad.set_id(applied.admissions(0).id());
    ad.set_etag(applied.admissions(0).etag());
    MustCall(*my, comm, &Stub::AdmitProvider, ad);
    v1::GetProviderRequest gp;
    gp.set_id(porg);
    v1::UpdateProviderRequest up;
    *up.mutable_provider() = MustCall(*my, admin, &Stub::GetProvider, gp);
    up.mutable_provider()->add_coverage_areas("Benchshire");
    up.mutable_provider()->add_coverage_areas(absl::StrCat("Ward ", i % 20));
    MustCall(*my, admin, &Stub::UpdateProvider, up);
    v1::CreateCapacityReturnRequest cr;
    cr.mutable_capacity_return()->set_framework_id(s.framework);
    cr.mutable_capacity_return()->set_month(dates::FormatMonth(absl::CivilMonth(today)));
    cr.mutable_capacity_return()->set_care_workers_employed(10);
    cr.mutable_capacity_return()->set_estimated_weekly_hours_available(20);
    MustCall(*my, admin, &Stub::CreateCapacityReturn, cr);
    for (int d = 0; d < docs_per_provider && docs < o.documents; ++d, ++docs) {
      v1::CreateComplianceDocumentRequest dr;
      auto* doc = dr.mutable_document();
      doc->set_kind(v1::ComplianceDocument::POLICY);
      doc->set_title(absl::StrCat("Policy ", d));
      doc->set_evidence_reference(absl::StrCat("BENCH-", i, "-", d));
      doc->mutable_issue_date()->set_value(dates::FormatDay(today - 100));
      doc->mutable_expiry_date()->set_value(dates::FormatDay(today + 30 + (i * 7 + d) % 700));
      MustCall(*my, admin, &Stub::CreateComplianceDocument, dr);
    }
  });
  Save(s);
  std::printf("seeded providers=%d documents=%d\n", o.providers, docs.load());
  return 0;
}

// -------------------------------------------------------------- seed-care ---

// The referrals and workforce world, seeded on the registry's: the lot's training matrix,
// referrals raised and opened on the lot (each with a live exclusive offer), staff of the
// first providers with their training.
struct CareState {
  std::vector<std::string> referrals;
  std::vector<int> offered;                        // providers (index) holding a live offer
  std::vector<std::pair<std::string, int>> staff;  // (staff id, provider index)
  std::vector<std::string> codes;                  // the matrix's competencies
};

std::string CareStatePath() { return o.state + ".care"; }

void SaveCare(const CareState& c) {
  std::ofstream out(CareStatePath());
  for (const auto& r : c.referrals) out << "referral " << r << "\n";
  for (int p : c.offered) out << "offered " << p << "\n";
  for (const auto& [id, p] : c.staff) out << "staff " << id << " " << p << "\n";
  for (const auto& code : c.codes) out << "code " << code << "\n";
}

CareState LoadCare() {
  std::ifstream in(CareStatePath());
  if (!in) Die("no seed state at " + CareStatePath() + ": run `pdps-bench seed-care` first");
  CareState c;
  std::string kind, a;
  while (in >> kind >> a) {
    if (kind == "referral") c.referrals.push_back(a);
    if (kind == "offered") c.offered.push_back(std::stoi(a));
    if (kind == "code") c.codes.push_back(a);
    if (kind == "staff") {
      int p;
      in >> p;
      c.staff.emplace_back(a, p);
    }
  }
  return c;
}

std::string OfficerToken(const std::string& pem, const State& s) {
  return Token(pem, s.commissioner_org, Role::kBrokerageOfficer, 2);
}

const char* const kCompetencies[][2] = {
    {"safeguarding_adults", "Safeguarding adults level 2"},
    {"safeguarding_children", "Safeguarding children level 2"},
    {"moving_and_handling", "Moving and handling"},
    {"medication_administration", "Medication administration"},
    {"infection_control", "Infection prevention and control"},
    {"first_aid", "Basic life support and first aid"},
    {"fire_safety", "Fire safety"},
    {"food_hygiene", "Food hygiene"},
};

int SeedCare() {
  State s = Load();
  std::string pem = Key();
  if (o.staff_providers > static_cast<int>(s.providers.size())) Die("too few providers seeded");
  auto rstub = rv1::ReferralsService::NewStub(
      grpc::CreateChannel(o.referrals_target, grpc::InsecureChannelCredentials()));
  auto wstub = wv1::WorkforceService::NewStub(
      grpc::CreateChannel(o.workforce_target, grpc::InsecureChannelCredentials()));
  absl::CivilDay today = dates::TodayInLondon(absl::Now());
  CareState c;

  wv1::CreateTrainingMatrixRequest mx;
  auto* m = mx.mutable_training_matrix();
  m->set_framework_id(s.framework);
  m->set_lot_id(s.lot);
  m->set_title("Bench care at home");
  m->mutable_effective_from()->set_value(dates::FormatDay(today));
  for (const auto& [code, name] : kCompetencies) {
    auto* comp = m->add_competencies();
    comp->set_code(code);
    comp->set_name(name);
    comp->set_renewal_months(code == std::string("food_hygiene") ? 36 : 12);
    c.codes.push_back(code);
  }
  MustCall(*wstub, Token(pem, s.commissioner_org, Role::kCommissioner, 1),
           &WStub::CreateTrainingMatrix, mx);

  // Referrals: raised and opened by a brokerage officer, in the county every provider
  // covers (a referral's area is a district, never a ward).
  std::string officer = OfficerToken(pem, s);
  c.referrals.resize(o.referrals);
  ParallelFor(o.referrals, [&](int k) {
    rv1::CreateReferralRequest req;
    auto* r = req.mutable_referral();
    r->set_lot_id(s.lot);
    r->set_area("BENCHSHIRE");
    r->set_urgency(rv1::Referral::ROUTINE);
    r->set_planned_weekly_hours(7 + k % 20);
    r->set_session_pattern("Mon-Fri 07:30-08:30 and 17:00-18:00");
    r->add_outcomes("Stays safely at home with support for personal care");
    r->add_outcomes("Keeps up with school and friends");
    r->set_needs_summary("Needs help with washing, dressing and meals; uses a wheelchair.");
    r->mutable_start_date()->set_value(dates::FormatDay(today + 7 + k % 30));
    auto* f = r->add_funding();
    f->set_organisation_id(s.commissioner_org);
    f->set_share_basis_points(10000);
    auto* p = req.mutable_person();
    p->set_full_name(absl::StrCat("Bench Person ", k));
    p->mutable_date_of_birth()->set_value(
        dates::FormatDay(absl::CivilDay(today.year() - 5 - k % 10, today.month(), 1)));
    p->add_address_lines(absl::StrCat(k + 1, " Bench Street"));
    p->set_postcode("SE1 7PB");
    rv1::Referral created = MustCall(*rstub, officer, &RStub::CreateReferral, req);
    rv1::OpenReferralRequest open;
    open.set_id(created.id());
    open.set_etag(created.etag());
    MustCall(*rstub, officer, &RStub::OpenReferral, open);
    c.referrals[k] = created.id();
  });
  std::map<std::string, int> index;
  for (size_t i = 0; i < s.providers.size(); ++i) index[s.providers[i]] = static_cast<int>(i);
  std::set<int> offered;
  for (const auto& id : c.referrals) {
    rv1::ListOffersRequest req;
    req.set_referral_id(id);
    req.set_live_only(true);
    rv1::ListOffersResponse live = MustCall(*rstub, officer, &RStub::ListOffers, req);
    for (const auto& off : live.offers()) {
      offered.insert(index.at(off.provider_id()));
    }
  }
  c.offered.assign(offered.begin(), offered.end());
  if (c.offered.empty()) Die("no provider holds a live offer after opening the referrals");

  // Staff of the first providers, each with the matrix's training (one in ten misses one).
  const int n_staff = o.staff_providers * o.staff_per_provider;
  c.staff.resize(n_staff);
  std::atomic<int> records{0};
  ParallelFor(n_staff, [&](int k) {
    int p = k / o.staff_per_provider;
    std::string admin = ProviderToken(pem, s, p);
    wv1::CreateStaffMemberRequest req;
    auto* w = req.mutable_staff_member();
    w->set_display_name(absl::StrCat("Bench Worker ", k));
    w->set_role("Care worker");
    w->set_grade("Level 2");
    w->mutable_start_date()->set_value(dates::FormatDay(today - 700 - k % 300));
    w->set_contract_type(wv1::PERMANENT);
    w->mutable_dbs()->mutable_certificate_date()->set_value(dates::FormatDay(today - 200));
    w->mutable_dbs()->set_certificate_reference(absl::StrCat("DBS-", 100000 + k));
    w->mutable_dbs()->mutable_barred_list_check_date()->set_value(dates::FormatDay(today - 200));
    w->mutable_right_to_work()->set_kind(wv1::RightToWork::UNLIMITED);
    w->mutable_right_to_work()->mutable_checked_on()->set_value(dates::FormatDay(today - 720));
    w->mutable_right_to_work()->set_evidence_reference(absl::StrCat("RTW-", k));
    w->set_references_received(2);
    w->mutable_last_supervision_date()->set_value(dates::FormatDay(today - 20 - k % 40));
    w->mutable_last_appraisal_date()->set_value(dates::FormatDay(today - 100 - k % 200));
    std::string id = MustCall(*wstub, admin, &WStub::CreateStaffMember, req).id();
    c.staff[k] = {id, p};
    size_t n_codes = c.codes.size() - (k % 10 == 9 ? 1 : 0);
    for (size_t i = 0; i < n_codes; ++i, ++records) {
      wv1::CreateTrainingRecordRequest tr;
      auto* t = tr.mutable_training_record();
      t->set_staff_id(id);
      t->set_competency_code(c.codes[i]);
      t->mutable_completed_on()->set_value(dates::FormatDay(today - 30 - (k * 7 + i * 13) % 300));
      t->set_training_provider("Regional care training partnership");
      t->set_evidence_reference(absl::StrCat("CERT-", k, "-", i));
      MustCall(*wstub, admin, &WStub::CreateTrainingRecord, tr);
    }
  });
  SaveCare(c);
  std::printf("seeded referrals=%d offered_providers=%zu staff=%d training_records=%d\n",
              o.referrals, c.offered.size(), n_staff, records.load());
  return 0;
}

// -------------------------------------------------------------------- run ---

// One call in flight: its context and status, and (type-erased) its reader and response.
struct Slot {
  std::unique_ptr<grpc::ClientContext> ctx;
  grpc::Status st;
  Clock::time_point t0;
  std::shared_ptr<void> call;
};

// Keeps the reader an Async* call returned, and its response, until the call ends; the
// completion comes to the slot's tag.
template <typename Resp>
void Finish(Slot* slot, std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>> reader) {
  struct Call {
    std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>> reader;
    Resp resp;
  };
  auto c = std::make_shared<Call>();
  c->reader = std::move(reader);
  c->reader->Finish(&c->resp, &slot->st, slot);
  slot->call = std::move(c);
}

struct Result {
  uint64_t ok = 0, err = 0;
  std::vector<float> lat_us;
  std::string first_err;
};

// What a run's calls need: the seeded worlds and a token for each kind of caller.
struct World {
  State s;
  CareState care;
  std::vector<std::string> tokens;  // per provider
  std::string service, officer;
};

// Writes need a fresh (provider, month) each: sequence n is provider n % providers and
// month 2000-01 minus n / providers, so no two calls collide and none is in the future.
// Each run starts at --seq-start so runs do not collide either.
std::atomic<int64_t> g_write_seq{0};

void RunThread(int idx, int nslots, const World& wd, Clock::time_point t_measure,
               Clock::time_point t_end, Result* res) {
  grpc::ChannelArguments args;
  args.SetInt("pdps.bench.channel", idx);  // distinct args: a connection per thread
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel = grpc::CreateCustomChannel(o.target, grpc::InsecureChannelCredentials(), args);
  auto stub = v1::RegistryService::NewStub(channel);
  auto rstub = rv1::ReferralsService::NewStub(channel);
  auto wstub = wv1::WorkforceService::NewStub(channel);
  grpc::CompletionQueue cq;
  std::mt19937_64 rng(777 + idx);
  res->lat_us.reserve(1 << 20);
  const State& s = wd.s;
  const CareState& care = wd.care;
  const int n = static_cast<int>(s.providers.size());
  const std::string today = dates::FormatDay(dates::TodayInLondon(absl::Now()));
  auto issue = [&](Slot* slot) {
    slot->ctx = std::make_unique<grpc::ClientContext>();
    slot->ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auto bearer = [&](const std::string& token) {
      slot->ctx->AddMetadata("authorization", "Bearer " + token);
    };
    int p = static_cast<int>(rng() % n);
    slot->t0 = Clock::now();
    if (o.method == "get_provider") {
      bearer(wd.tokens[p]);
      v1::GetProviderRequest req;
      req.set_id(s.providers[p]);
      Finish(slot, stub->AsyncGetProvider(slot->ctx.get(), req, &cq));
    } else if (o.method == "eligible") {
      bearer(wd.service);
      v1::ListEligibleProvidersRequest req;
      req.set_lot_id(s.lot);
      req.set_area(absl::StrCat("Ward ", rng() % 20));
      req.set_page_size(50);
      Finish(slot, stub->AsyncListEligibleProviders(slot->ctx.get(), req, &cq));
    } else if (o.method == "create") {
      int64_t seq = g_write_seq++;
      int prov = static_cast<int>(seq % n);
      int64_t month_index = seq / n;  // 0, 1, 2, ... per provider
      bearer(wd.tokens[prov]);
      v1::CreateCapacityReturnRequest req;
      auto* r = req.mutable_capacity_return();
      r->set_framework_id(s.framework);
      absl::CivilMonth m = absl::CivilMonth(2000, 1) - month_index;
      r->set_month(dates::FormatMonth(m));
      r->set_care_workers_employed(10);
      r->set_current_packages(4);
      r->set_current_total_weekly_hours(120);
      r->set_estimated_weekly_hours_available(15);
      Finish(slot, stub->AsyncCreateCapacityReturn(slot->ctx.get(), req, &cq));
    } else if (o.method == "get_referral") {  // an officer reading a referral
      bearer(wd.officer);
      rv1::GetReferralRequest req;
      req.set_id(care.referrals[rng() % care.referrals.size()]);
      Finish(slot, rstub->AsyncGetReferral(slot->ctx.get(), req, &cq));
    } else if (o.method == "offers") {  // a provider's inbox: its live offers
      bearer(wd.tokens[care.offered[rng() % care.offered.size()]]);
      rv1::ListOffersRequest req;
      req.set_live_only(true);
      Finish(slot, rstub->AsyncListOffers(slot->ctx.get(), req, &cq));
    } else if (o.method == "gate") {  // care planning asking before a session
      bearer(wd.service);
      const auto& [staff, prov] = care.staff[rng() % care.staff.size()];
      wv1::CheckWorkerEligibilityRequest req;
      req.set_staff_id(staff);
      req.set_lot_id(s.lot);
      req.set_provider_id(s.providers[prov]);
      Finish(slot, wstub->AsyncCheckWorkerEligibility(slot->ctx.get(), req, &cq));
    } else if (o.method == "training") {  // a provider recording a completed training
      const auto& [staff, prov] = care.staff[rng() % care.staff.size()];
      bearer(wd.tokens[prov]);
      wv1::CreateTrainingRecordRequest req;
      auto* t = req.mutable_training_record();
      t->set_staff_id(staff);
      t->set_competency_code(care.codes[rng() % care.codes.size()]);
      t->mutable_completed_on()->set_value(today);
      t->set_training_provider("In-house trainer");
      t->set_evidence_reference(absl::StrCat("BENCH-RUN-", g_write_seq++));
      Finish(slot, wstub->AsyncCreateTrainingRecord(slot->ctx.get(), req, &cq));
    } else {
      Die("unknown method " + o.method);
    }
  };
  std::vector<Slot> slots(nslots);
  for (auto& sl : slots) issue(&sl);
  int outstanding = nslots;
  void* tag;
  bool ok;
  while (outstanding > 0 && cq.Next(&tag, &ok)) {
    Slot* slot = static_cast<Slot*>(tag);
    auto now = Clock::now();
    if (slot->t0 >= t_measure && now <= t_end) {
      if (ok && slot->st.ok()) {
        ++res->ok;
        res->lat_us.push_back(std::chrono::duration<float, std::micro>(now - slot->t0).count());
      } else if (res->err++ == 0) {
        res->first_err = slot->st.error_message();
      }
    }
    if (now < t_end) {
      issue(slot);
    } else {
      --outstanding;
    }
  }
}

double CpuSeconds() {
  rusage r;
  getrusage(RUSAGE_SELF, &r);
  return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

int Run() {
  World wd;
  wd.s = Load();
  const bool care = o.method == "get_referral" || o.method == "offers" || o.method == "gate" ||
                    o.method == "training";
  if (care) wd.care = LoadCare();
  g_write_seq = o.seq_start;
  std::string pem = Key();
  for (size_t i = 0; i < wd.s.providers.size(); ++i) {
    wd.tokens.push_back(ProviderToken(pem, wd.s, static_cast<int>(i)));
  }
  wd.service = Token(pem, "00000000-0000-4000-8000-000000000002", Role::kService, 9);
  wd.officer = OfficerToken(pem, wd.s);
  int nth = std::max(1, std::min(o.threads, o.concurrency));
  auto start = Clock::now();
  auto t_measure = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(o.warmup));
  auto t_end = t_measure + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(o.duration));
  std::vector<Result> res(nth);
  std::vector<std::thread> ts;
  for (int i = 0; i < nth; ++i) {
    int slots = o.concurrency / nth + (i < o.concurrency % nth ? 1 : 0);
    ts.emplace_back(RunThread, i, slots, std::cref(wd), t_measure, t_end, &res[i]);
  }
  std::this_thread::sleep_until(t_measure);
  double c0 = CpuSeconds();
  std::this_thread::sleep_until(t_end);
  double c1 = CpuSeconds();
  for (auto& t : ts) t.join();
  uint64_t okn = 0, errn = 0;
  std::vector<float> lat;
  std::string first_err;
  for (auto& r : res) {
    okn += r.ok;
    errn += r.err;
    lat.insert(lat.end(), r.lat_us.begin(), r.lat_us.end());
    if (first_err.empty()) first_err = r.first_err;
  }
  auto pct = [&](double p) -> double {
    if (lat.empty()) return 0;
    size_t i = std::min(lat.size() - 1, static_cast<size_t>(p * lat.size()));
    std::nth_element(lat.begin(), lat.begin() + i, lat.end());
    return lat[i] / 1000.0;
  };
  double p50 = pct(0.5), p99 = pct(0.99);
  std::printf("method=%s conc=%d requests=%llu errors=%llu qps=%.1f p50_ms=%.3f p99_ms=%.3f "
              "client_cpu_pct=%.1f\n",
              o.method.c_str(), o.concurrency, static_cast<unsigned long long>(okn),
              static_cast<unsigned long long>(errn), okn / o.duration, p50, p99,
              100.0 * (c1 - c0) / o.duration);
  if (errn > 0) std::fprintf(stderr, "first error: %s\n", first_err.c_str());
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto eq = a.find('=');
    std::string k = a.substr(0, eq), v = eq == std::string::npos ? "" : a.substr(eq + 1);
    // clang-format off
    if (k == "--target") o.target = v;
    else if (k == "--key") o.key = v;
    else if (k == "--state") o.state = v;
    else if (k == "--method") o.method = v;
    else if (k == "--providers") o.providers = std::stoi(v);
    else if (k == "--documents") o.documents = std::stoi(v);
    else if (k == "--concurrency") o.concurrency = std::stoi(v);
    else if (k == "--threads") o.threads = std::stoi(v);
    else if (k == "--duration") o.duration = std::stod(v);
    else if (k == "--warmup") o.warmup = std::stod(v);
    else if (k == "--seq-start") o.seq_start = std::stoll(v);
    else if (k == "--referrals-target") o.referrals_target = v;
    else if (k == "--workforce-target") o.workforce_target = v;
    else if (k == "--referrals") o.referrals = std::stoi(v);
    else if (k == "--staff-providers") o.staff_providers = std::stoi(v);
    else if (k == "--staff-per-provider") o.staff_per_provider = std::stoi(v);
    else Die("unknown flag " + k);
    // clang-format on
  }
  // Safety: only the local machine is ever a target.
  for (const auto& t : {o.target, o.referrals_target, o.workforce_target}) {
    if (t.rfind("127.0.0.1:", 0) != 0) Die("refusing non-local target " + t);
  }
  if (cmd == "seed") return Seed();
  if (cmd == "seed-care") return SeedCare();
  if (cmd == "run") return Run();
  Die("usage: pdps-bench seed|seed-care|run [--flags]");
}

}  // namespace pdps::bench

int main(int argc, char** argv) { return pdps::bench::Main(argc, argv); }
