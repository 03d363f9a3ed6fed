// pdps-bench: seeds a realistic registry volume and drives it with a closed-loop load.
//
//   pdps-bench seed  --target=127.0.0.1:7101 --key=KEY.pem --providers=1000 --documents=100000
//   pdps-bench run   --target=127.0.0.1:7101 --key=KEY.pem --method=get_provider|eligible|create
//                    --concurrency=8 --duration=10 --warmup=1 --threads=4
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
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/dates.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"

namespace pdps::bench {
namespace {

namespace v1 = ::pdps::registry::v1;
using auth::Role;
using Clock = std::chrono::steady_clock;
using Stub = v1::RegistryService::Stub;

struct Opts {
  std::string target = "127.0.0.1:7101";
  std::string key = ".local/bench/keys/bench-1.pem";
  std::string method = "get_provider";
  std::string state = "bench/out/state.txt";
  int providers = 1000, documents = 100000, concurrency = 8, threads = 4;
  int64_t seq_start = 0;  // first write sequence number: distinct per run
  double duration = 10, warmup = 1;
} o;

[[noreturn]] void Die(const std::string& m) {
  std::fprintf(stderr, "pdps-bench: %s\n", m.c_str());
  std::exit(1);
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

template <typename Req, typename Resp>
Resp MustCall(Stub& stub, const std::string& token,
              grpc::Status (Stub::*fn)(grpc::ClientContext*, const Req&, Resp*), const Req& req) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  Resp resp;
  auto st = (stub.*fn)(&ctx, req, &resp);
  if (!st.ok()) Die(st.error_message());
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
  std::atomic<int> next{0};
  std::atomic<int> docs{0};
  const int docs_per_provider = (o.documents + o.providers - 1) / o.providers;
  std::vector<std::thread> workers;
  for (int t = 0; t < 8; ++t) {
    workers.emplace_back([&, t] {
      auto my = v1::RegistryService::NewStub(channel);
      for (int i = next++; i < o.providers; i = next++) {
        v1::CreateOrganisationRequest po;
        po.mutable_organisation()->set_display_name(absl::StrCat("Bench Provider ", i));
        po.mutable_organisation()->set_kind(v1::Organisation::PROVIDER);
        std::string porg = MustCall(*my, op, &Stub::CreateOrganisation, po).id();
        s.providers[i] = porg;
        std::string admin = Token(pem, porg, Role::kProviderAdmin, 100 + i);
        // The insurance a provider must hold to apply (the framework's minimums).
        for (auto [kind, pence] :
             {std::pair{v1::ComplianceDocument::EMPLOYERS_LIABILITY, 500000000LL},
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
      }
      (void)t;
    });
  }
  for (auto& t : workers) t.join();
  Save(s);
  std::printf("seeded providers=%d documents=%d\n", o.providers, docs.load());
  return 0;
}

// -------------------------------------------------------------------- run ---

struct Slot {
  std::unique_ptr<grpc::ClientContext> ctx;
  grpc::Status st;
  Clock::time_point t0;
  v1::Provider provider;
  v1::ListEligibleProvidersResponse eligible;
  v1::CapacityReturn created;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::Provider>> r1;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::ListEligibleProvidersResponse>> r2;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::CapacityReturn>> r3;
};

struct Result {
  uint64_t ok = 0, err = 0;
  std::vector<float> lat_us;
  std::string first_err;
};

// Writes need a fresh (provider, month) each: sequence n is provider n % providers and
// month 2000-01 minus n / providers, so no two calls collide and none is in the future.
// Each run starts at --seq-start so runs do not collide either.
std::atomic<int64_t> g_write_seq{0};

void RunThread(int idx, int nslots, const State& s, const std::vector<std::string>& tokens,
               const std::string& service_token, Clock::time_point t_measure,
               Clock::time_point t_end, Result* res) {
  grpc::ChannelArguments args;
  args.SetInt("pdps.bench.channel", idx);  // distinct args: a connection per thread
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto stub = v1::RegistryService::NewStub(
      grpc::CreateCustomChannel(o.target, grpc::InsecureChannelCredentials(), args));
  grpc::CompletionQueue cq;
  std::mt19937_64 rng(777 + idx);
  res->lat_us.reserve(1 << 20);
  const int n = static_cast<int>(s.providers.size());
  auto issue = [&](Slot* slot) {
    slot->ctx = std::make_unique<grpc::ClientContext>();
    slot->ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    int p = static_cast<int>(rng() % n);
    slot->t0 = Clock::now();
    if (o.method == "get_provider") {
      slot->ctx->AddMetadata("authorization", "Bearer " + tokens[p]);
      v1::GetProviderRequest req;
      req.set_id(s.providers[p]);
      slot->r1 = stub->AsyncGetProvider(slot->ctx.get(), req, &cq);
      slot->r1->Finish(&slot->provider, &slot->st, slot);
    } else if (o.method == "eligible") {
      slot->ctx->AddMetadata("authorization", "Bearer " + service_token);
      v1::ListEligibleProvidersRequest req;
      req.set_lot_id(s.lot);
      req.set_area(absl::StrCat("Ward ", rng() % 20));
      req.set_page_size(50);
      slot->r2 = stub->AsyncListEligibleProviders(slot->ctx.get(), req, &cq);
      slot->r2->Finish(&slot->eligible, &slot->st, slot);
    } else {
      int64_t seq = g_write_seq++;
      int prov = static_cast<int>(seq % n);
      int64_t month_index = seq / n;  // 0, 1, 2, ... per provider
      slot->ctx->AddMetadata("authorization", "Bearer " + tokens[prov]);
      v1::CreateCapacityReturnRequest req;
      auto* r = req.mutable_capacity_return();
      r->set_framework_id(s.framework);
      absl::CivilMonth m = absl::CivilMonth(2000, 1) - month_index;
      r->set_month(dates::FormatMonth(m));
      r->set_care_workers_employed(10);
      r->set_current_packages(4);
      r->set_current_total_weekly_hours(120);
      r->set_estimated_weekly_hours_available(15);
      slot->r3 = stub->AsyncCreateCapacityReturn(slot->ctx.get(), req, &cq);
      slot->r3->Finish(&slot->created, &slot->st, slot);
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
  State s = Load();
  g_write_seq = o.seq_start;
  std::string pem = Key();
  std::vector<std::string> tokens;
  for (size_t i = 0; i < s.providers.size(); ++i) {
    tokens.push_back(Token(pem, s.providers[i], Role::kProviderAdmin, 100 + static_cast<int>(i)));
  }
  std::string service = Token(pem, "00000000-0000-4000-8000-000000000002", Role::kService, 9);
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
    ts.emplace_back(RunThread, i, slots, std::cref(s), std::cref(tokens), std::cref(service),
                    t_measure, t_end, &res[i]);
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
    else Die("unknown flag " + k);
  }
  // Safety: only the local machine is ever a target.
  if (o.target.rfind("127.0.0.1:", 0) != 0) Die("refusing non-local target " + o.target);
  if (cmd == "seed") return Seed();
  if (cmd == "run") return Run();
  Die("usage: pdps-bench seed|run [--flags]");
}

}  // namespace pdps::bench

int main(int argc, char** argv) { return pdps::bench::Main(argc, argv); }
