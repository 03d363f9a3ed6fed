// pdps-demo: loads the demonstration data of the five seed commissioners through the
// registry's public API, signing development tokens with the local key (.local/keys).
//
//   pdps-demo --registry=127.0.0.1:7001 --key=.local/keys/dev-1.pem
//
// Everything is fictional except the commissioners' names and their frameworks' shapes,
// which follow the specifications in ../shared/seeds (see DOMAIN.md §2). Creates use
// deterministic request ids, so a second run returns what the first made.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/dates.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"

namespace pdps::demo {
namespace {

namespace v1 = ::pdps::registry::v1;
using auth::Role;
using Stub = v1::RegistryService::Stub;

constexpr char kPlatformOrg[] = "00000000-0000-4000-8000-000000000001";

// A UUID derived from a name, so that reruns send the same request ids.
std::string NameUuid(const std::string& name) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  std::string in = "pdps-demo:" + name;
  SHA256(reinterpret_cast<const unsigned char*>(in.data()), in.size(), d);
  d[6] = (d[6] & 0x0f) | 0x50;
  d[8] = (d[8] & 0x3f) | 0x80;
  return absl::StrFormat("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                         d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11],
                         d[12], d[13], d[14], d[15]);
}

class Loader {
 public:
  Loader(std::shared_ptr<grpc::Channel> ch, std::string key)
      : stub_(v1::RegistryService::NewStub(ch)), key_(std::move(key)) {}

  std::string Token(const std::string& org, Role role) {
    auth::MintOptions o;
    o.kid = "dev-1";
    o.private_key_pem = key_;
    o.issuer = "https://pdps.local/dev";
    o.audience = "pdps";
    o.user_id = NameUuid("user:" + org + ":" + std::string(auth::RoleName(role)));
    o.organisation_id = org;
    o.roles = {role};
    o.issued_at = absl::Now() - absl::Seconds(5);
    auto t = auth::Mint(o);
    if (!t.ok()) Die(std::string(t.status().message()));
    return *t;
  }

  template <typename Req, typename Resp>
  grpc::Status Call(const std::string& token,
                    grpc::Status (Stub::*m)(grpc::ClientContext*, const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ((*stub_).*m)(&ctx, req, resp);
  }

  template <typename Req, typename Resp>
  void Must(const std::string& what, const std::string& token,
            grpc::Status (Stub::*m)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
            Resp* resp) {
    auto st = Call(token, m, req, resp);
    if (!st.ok()) Die(absl::StrCat(what, ": ", st.error_message()));
  }

  [[noreturn]] void Die(const std::string& m) {
    std::fprintf(stderr, "pdps-demo: %s\n", m.c_str());
    std::exit(1);
  }

  std::string Org(const std::string& name, v1::Organisation::Kind kind) {
    v1::CreateOrganisationRequest req;
    req.mutable_organisation()->set_display_name(name);
    req.mutable_organisation()->set_kind(kind);
    req.set_request_id(NameUuid("org:" + name));
    v1::Organisation o;
    Must("create " + name, Token(kPlatformOrg, Role::kPlatformOperator),
         &Stub::CreateOrganisation, req, &o);
    ++count_["organisations"];
    return o.id();
  }

  std::string Partnership(const std::string& name, std::vector<std::string> members) {
    v1::CreatePartnershipRequest req;
    req.mutable_partnership()->set_display_name(name);
    for (auto& m : members) req.mutable_partnership()->add_member_organisation_ids(m);
    req.set_request_id(NameUuid("partnership:" + name));
    v1::Partnership p;
    Must("create " + name, Token(kPlatformOrg, Role::kPlatformOperator),
         &Stub::CreatePartnership, req, &p);
    ++count_["partnerships"];
    return p.id();
  }

  v1::Framework Framework(const std::string& commissioner, v1::Framework f) {
    v1::CreateFrameworkRequest req;
    absl::CivilDay today = dates::TodayInLondon(absl::Now());
    // A past window and one open now: a PDPS opens periodically to new applicants.
    auto* past = f.add_application_windows();
    past->mutable_open_date()->set_value(dates::FormatDay(today - 400));
    past->mutable_close_date()->set_value(dates::FormatDay(today - 340));
    auto* now = f.add_application_windows();
    now->mutable_open_date()->set_value(dates::FormatDay(today - 30));
    now->mutable_close_date()->set_value(dates::FormatDay(today + 60));
    *req.mutable_framework() = f;
    req.set_request_id(NameUuid("framework:" + f.display_name()));
    v1::Framework out;
    Must("create " + f.display_name(), Token(commissioner, Role::kCommissioner),
         &Stub::CreateFramework, req, &out);
    ++count_["frameworks"];
    return out;
  }

  v1::Lot Lot(const std::string& commissioner, const v1::Framework& f, const std::string& code,
              const std::string& name, const std::string& type, int min_age, int max_age,
              std::vector<std::string> competencies, int64_t rate, bool maximum) {
    v1::CreateLotRequest req;
    auto* l = req.mutable_lot();
    l->set_framework_id(f.id());
    l->set_code(code);
    l->set_display_name(name);
    l->set_service_type(type);
    l->set_min_age(min_age);
    l->set_max_age(max_age);
    for (auto& c : competencies) l->add_competencies(c);
    auto* p = l->add_prices();
    p->set_kind(maximum ? v1::LotPrice::MAXIMUM_PRICE : v1::LotPrice::FRAMEWORK_PRICE);
    p->mutable_hourly_rate()->set_pence(rate);
    p->mutable_effective_from()->set_value("2026-04-01");
    auto* old = l->add_prices();
    *old = *p;
    old->mutable_hourly_rate()->set_pence(rate - 75);
    old->mutable_effective_from()->set_value("2025-04-01");
    req.set_request_id(NameUuid("lot:" + f.display_name() + ":" + code));
    v1::Lot out;
    Must("create lot " + code, Token(commissioner, Role::kCommissioner), &Stub::CreateLot, req,
         &out);
    ++count_["lots"];
    return out;
  }

  struct Provider {
    std::string org;
    std::string name;
  };

  // Creates a provider, sets its profile and documents, applies to `lots` and has the
  // commissioner admit it; submits capacity returns.
  Provider AdmitProvider(const std::string& name, const std::string& commissioner,
                         const v1::Framework& f, const std::vector<v1::Lot>& lots,
                         std::vector<std::string> areas, const std::string& postcode,
                         const std::string& district, int n) {
    Provider p{Org(name, v1::Organisation::PROVIDER), name};
    std::string admin = Token(p.org, Role::kProviderAdmin);
    v1::GetProviderRequest get;
    get.set_id(p.org);
    v1::UpdateProviderRequest upd;
    Must("get provider", admin, &Stub::GetProvider, get, upd.mutable_provider());
    upd.mutable_provider()->set_office_postcode(postcode);
    upd.mutable_provider()->set_office_district(district);
    upd.mutable_provider()->clear_coverage_areas();
    for (auto& a : areas) upd.mutable_provider()->add_coverage_areas(a);
    v1::Provider out;
    Must("update provider", admin, &Stub::UpdateProvider, upd, &out);
    Documents(p, admin, n);

    v1::ApplyForAdmissionRequest apply;
    apply.set_framework_id(f.id());
    for (const auto& l : lots) apply.add_lot_ids(l.id());
    apply.set_request_id(NameUuid("apply:" + name + ":" + f.id()));
    v1::ApplyForAdmissionResponse applied;
    Must("apply " + name, admin, &Stub::ApplyForAdmission, apply, &applied);
    for (const auto& a : applied.admissions()) {
      if (a.state() != v1::Admission::APPLIED) continue;
      v1::AdmitProviderRequest admit;
      admit.set_id(a.id());
      admit.set_etag(a.etag());
      admit.set_reason("Meets the selection criteria");
      v1::Admission admitted;
      Must("admit " + name, Token(commissioner, Role::kCommissioner), &Stub::AdmitProvider,
           admit, &admitted);
      ++count_["admissions"];
    }
    Capacity(p, admin, f, n);
    return p;
  }

  void Documents(const Provider& p, const std::string& admin, int n) {
    absl::CivilDay today = dates::TodayInLondon(absl::Now());
    auto doc = [&](v1::ComplianceDocument::Kind kind, const std::string& title,
                   absl::CivilDay issued, absl::CivilDay expires, int64_t cover) {
      v1::CreateComplianceDocumentRequest req;
      auto* d = req.mutable_document();
      d->set_kind(kind);
      d->set_title(title);
      d->set_evidence_reference(absl::StrCat("DMS-", n, "-", static_cast<int>(kind)));
      d->mutable_issue_date()->set_value(dates::FormatDay(issued));
      d->mutable_expiry_date()->set_value(dates::FormatDay(expires));
      if (cover > 0) d->mutable_cover()->set_pence(cover);
      if (kind == v1::ComplianceDocument::CQC_REGISTRATION) {
        d->set_cqc_rating(n % 7 == 3 ? v1::ComplianceDocument::REQUIRES_IMPROVEMENT
                                     : v1::ComplianceDocument::GOOD);
      }
      if (kind == v1::ComplianceDocument::ANNUAL_ACCOUNTS) {
        auto* a = d->mutable_accounts();
        bool weak = n % 11 == 5;
        a->mutable_current_assets()->set_pence(weak ? 8000000 : 25000000);
        a->mutable_current_liabilities()->set_pence(10000000);
        a->mutable_net_assets()->set_pence(weak ? -500000 : 40000000);
        a->mutable_operating_profit()->set_pence(weak ? 100000 : 4500000);
        a->mutable_capital_employed()->set_pence(50000000);
      }
      req.set_request_id(NameUuid(absl::StrCat("doc:", p.name, ":", static_cast<int>(kind))));
      v1::ComplianceDocument out;
      Must("document for " + p.name, admin, &Stub::CreateComplianceDocument, req, &out);
      ++count_["compliance documents"];
    };
    // A realistic spread: most in date, some expiring within 30 days, one expired.
    int soon = n % 5 == 1 ? 12 + n : 200 + 3 * n;
    doc(v1::ComplianceDocument::CQC_REGISTRATION, "CQC registration: personal care",
        today - 700, n == 7 ? today - 3 : today + soon + 100, 0);
    doc(v1::ComplianceDocument::EMPLOYERS_LIABILITY, "Employer's liability insurance",
        today - 300, today + (n % 5 == 1 ? soon : 65 + n), 500000000);
    doc(v1::ComplianceDocument::PUBLIC_LIABILITY, "Public liability insurance", today - 300,
        today + 65 + n, 1000000000);
    doc(v1::ComplianceDocument::POLICY, "Safeguarding children and adults policy", today - 200,
        today + (n % 4 == 2 ? 20 : 165), 0);
    doc(v1::ComplianceDocument::ANNUAL_ACCOUNTS, "Annual accounts", today - 120, today + 245, 0);
  }

  void Capacity(const Provider& p, const std::string& admin, const v1::Framework& f, int n) {
    absl::CivilMonth now(dates::TodayInLondon(absl::Now()));
    for (absl::CivilMonth m : {now - 1, now}) {
      // One provider in nine has not made last month's return: it shows as late.
      if (m == now - 1 && n % 9 == 4) continue;
      v1::CreateCapacityReturnRequest req;
      auto* r = req.mutable_capacity_return();
      r->set_framework_id(f.id());
      r->set_month(dates::FormatMonth(m));
      r->set_care_workers_employed(8 + n % 30);
      r->set_current_packages(5 + n % 20);
      r->set_current_total_weekly_hours(150 + 17 * (n % 13));
      r->set_estimated_weekly_hours_available(n % 8 == 6 ? 0 : 10 + 5 * (n % 6));
      req.set_request_id(NameUuid(absl::StrCat("capacity:", p.name, ":", f.id(), ":",
                                               dates::FormatMonth(m))));
      v1::CapacityReturn out;
      Must("capacity return for " + p.name, admin, &Stub::CreateCapacityReturn, req, &out);
      ++count_["capacity returns"];
    }
  }

  void Suspend(const std::string& commissioner, const std::string& provider_org,
               const v1::Lot& lot, const std::string& reason) {
    std::string token = Token(commissioner, Role::kCommissioner);
    v1::ListAdmissionsRequest list;
    list.set_provider_id(provider_org);
    list.set_lot_id(lot.id());
    list.set_state(v1::Admission::ACTIVE);
    v1::ListAdmissionsResponse found;
    Must("find admission", token, &Stub::ListAdmissions, list, &found);
    if (found.admissions_size() == 0) return;
    v1::SuspendAdmissionRequest req;
    req.set_id(found.admissions(0).id());
    req.set_etag(found.admissions(0).etag());
    req.set_reason(reason);
    absl::CivilDay today = dates::TodayInLondon(absl::Now());
    auto* a = req.add_action_plan();
    a->set_description("Submit a CQC improvement plan to the contract manager");
    a->mutable_due_date()->set_value(dates::FormatDay(today + 14));
    auto* b = req.add_action_plan();
    b->set_description("Complete safeguarding level 2 refresher for all care staff");
    b->mutable_due_date()->set_value(dates::FormatDay(today + 42));
    v1::Admission out;
    Must("suspend", token, &Stub::SuspendAdmission, req, &out);
    ++count_["suspensions"];
  }

  void Summary() {
    for (const auto& [k, v] : count_) std::printf("  %-22s %d\n", k.c_str(), v);
  }

 private:
  std::unique_ptr<Stub> stub_;
  std::string key_;
  std::map<std::string, int> count_;
};

v1::Framework Shape(const std::string& partnership, const std::string& name,
                    v1::Framework::Kind kind, v1::CallOffSettings::Method method,
                    v1::Framework::BillingPeriod billing, const std::string& seed) {
  v1::Framework f;
  f.set_partnership_id(partnership);
  f.set_display_name(name);
  f.set_kind(kind);
  f.mutable_call_off()->set_method(method);
  f.set_billing_period(billing);
  f.set_specification_reference(seed);
  return f;
}

int Main(int argc, char** argv) {
  std::string registry = "127.0.0.1:7001";
  std::string key_path = ".local/keys/dev-1.pem";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--registry=", 0) == 0) registry = a.substr(11);
    if (a.rfind("--key=", 0) == 0) key_path = a.substr(6);
  }
  std::ifstream in(key_path);
  if (!in) {
    std::fprintf(stderr, "pdps-demo: no key at %s\n", key_path.c_str());
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  Loader L(grpc::CreateChannel(registry, grpc::InsecureChannelCredentials()), ss.str());
  using O = v1::Organisation;
  using F = v1::Framework;
  using C = v1::CallOffSettings;

  // Commissioners and partnerships (DOMAIN.md §1).
  std::string lewisham = L.Org("London Borough of Lewisham", O::COUNCIL);
  std::string lewisham_ccg = L.Org("NHS Lewisham CCG", O::NHS_COMMISSIONER);
  std::string peterborough = L.Org("Peterborough City Council", O::COUNCIL);
  std::string cambs = L.Org("Cambridgeshire County Council", O::COUNCIL);
  std::string southwark = L.Org("London Borough of Southwark", O::COUNCIL);
  std::string dorset = L.Org("Dorset Council", O::COUNCIL);
  std::string dorset_ccg = L.Org("NHS Dorset CCG", O::NHS_COMMISSIONER);
  std::string derby = L.Org("Derby City Council", O::COUNCIL);
  L.Org("PDPS Platform", O::PLATFORM);
  std::string p_lewisham = L.Partnership("Lewisham Children's Commissioning", {lewisham, lewisham_ccg});
  std::string p_cp = L.Partnership("Cambridgeshire and Peterborough", {peterborough, cambs});
  std::string p_southwark = L.Partnership("Southwark Children's Commissioning", {southwark});
  std::string p_dorset = L.Partnership("Dorset Commissioning Partnership", {dorset, dorset_ccg});
  std::string p_derby = L.Partnership("Derby Adult Social Care Commissioning", {derby});

  // Frameworks and lots (DOMAIN.md §2), each with its own seed's call-off method.
  F fl = Shape(p_lewisham, "Personalised care and support for children with complex needs",
               F::DPS, C::COMPETITIVE_OFFERS, F::FOUR_WEEKLY, "seed 000");
  fl.mutable_call_off()->set_bid_window_working_days(3);
  fl = L.Framework(lewisham, fl);
  const std::vector<std::string> base = {"first_aid", "health_and_safety", "equality_diversity",
                                         "safeguarding_l2", "infection_control",
                                         "moving_handling"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> v = base;
    v.insert(v.end(), extra.begin(), extra.end());
    return v;
  };
  auto la = L.Lot(lewisham, fl, "A", "Children's nurses (complex health)", "children's nursing",
                  0, 18, with({"basic_life_support", "medication", "ventilation", "gastrostomy",
                               "seizure_management"}), 3950, false);
  auto lb = L.Lot(lewisham, fl, "B", "Highly skilled carers", "complex care", 0, 18,
                  with({"medication", "anaphylaxis", "asd_challenging_behaviour"}), 2480, false);
  auto lc = L.Lot(lewisham, fl, "C", "Support workers", "personal care and support", 0, 18,
                  with({"medication"}), 2150, false);
  auto ld = L.Lot(lewisham, fl, "D", "Mentoring, buddying and ASD outreach", "community support",
                  5, 18, with({"makaton", "mental_health", "de_escalation"}), 2050, false);

  F fc = Shape(p_cp, "Children and Young People's Home and Community Support PDPS", F::PDPS,
               C::BROADCAST_FIRST_RESPONDER, F::FOUR_WEEKLY, "seed 001");
  fc = L.Framework(peterborough, fc);
  const std::vector<std::string> cp = {"safeguarding_l2", "first_aid", "medication",
                                       "moving_handling", "positive_behaviour_support"};
  auto cg = L.Lot(peterborough, fc, "GHC", "Generic Home Care", "home care", 0, 18, cp, 2190, false);
  auto cc = L.Lot(peterborough, fc, "CHC", "Complex Home Care", "home care", 0, 18, cp, 2450, false);
  auto cs = L.Lot(peterborough, fc, "GCS", "Generic Community Support", "community support", 0,
                  18, cp, 2090, false);
  L.Lot(peterborough, fc, "CCS", "Complex Community Support", "community support", 0, 18, cp,
        2380, false);
  auto ch = L.Lot(peterborough, fc, "HLFS", "High Level Family Support", "family support", 6, 18,
                  cp, 2600, false);

  F fs = Shape(p_southwark, "Care at home for children and young people", F::PDPS,
               C::ROTATIONAL_FIRST_REFUSAL, F::MONTHLY, "seed 002");
  fs.mutable_call_off()->set_friday_afternoon_rule(true);
  fs = L.Framework(southwark, fs);
  auto sh = L.Lot(southwark, fs, "CAH", "Care at home (0-18)", "home care", 0, 18,
                  {"care_certificate", "safeguarding_l2", "medication", "moving_handling"}, 2210,
                  false);

  F fd = Shape(p_dorset, "Children's care and support at home: Segment 1 Lot 9", F::PDPS,
               C::MINI_COMPETITION, F::MONTHLY, "seed 003");
  fd.mutable_call_off()->set_price_weight_percent(40);
  fd.mutable_call_off()->set_quality_weight_percent(60);
  fd.mutable_call_off()->add_quality_questions("How will you secure continuity of carers?");
  fd.mutable_call_off()->add_quality_questions("How will you involve the family in the plan?");
  fd = L.Framework(dorset, fd);
  auto d_la = L.Lot(dorset, fd, "9-LA", "Lot 9: council-funded care and support", "home care", 0,
                    18, {"safeguarding_l2", "first_aid", "medication"}, 2300, true);
  auto d_cc = L.Lot(dorset, fd, "9-CHC", "Lot 9: CCG continuing care (nurse oversight)",
                    "complex health care", 0, 18,
                    {"safeguarding_l2", "first_aid", "medication", "gastrostomy",
                     "nurse_oversight"}, 2950, true);

  F fy = Shape(p_derby, "Day Opportunities Dynamic Purchasing System", F::DPS,
               C::MINI_COMPETITION, F::MONTHLY, "seed 004");
  fy.mutable_call_off()->set_price_weight_percent(50);
  fy.mutable_call_off()->set_quality_weight_percent(50);
  fy.mutable_call_off()->add_quality_questions("Describe the activities offered each week.");
  fy = L.Framework(derby, fy);
  const std::vector<std::string> dy = {"safeguarding_adults", "mental_capacity_act", "first_aid"};
  auto y1 = L.Lot(derby, fy, "T1", "Specialist intensive support (1:1)", "day opportunities", 16,
                  120, dy, 2600, true);
  auto y2 = L.Lot(derby, fy, "T2", "Targeted support", "day opportunities", 16, 120, dy, 2100, true);
  auto y3 = L.Lot(derby, fy, "T3", "Enablement", "day opportunities", 16, 120, dy, 1900, true);
  auto y4 = L.Lot(derby, fy, "T4", "Group support", "day opportunities", 16, 120, dy, 1250, true);

  // Providers (fictional). Each admitted to one or two lots with coverage and returns.
  int n = 0;
  const char* lewisham_names[] = {"Riverside Children's Nursing", "Brightpath Complex Care",
                                  "Catford Community Carers", "Ladywell Support Services",
                                  "Blackheath Mentoring Trust", "Deptford Outreach CIC",
                                  "Horniman Home Care"};
  std::vector<std::vector<v1::Lot>> lewisham_lots = {{la}, {la, lb}, {lc}, {lb, lc}, {ld}, {ld}, {lc}};
  Loader::Provider suspended_provider;
  for (int i = 0; i < 7; ++i) {
    auto p = L.AdmitProvider(lewisham_names[i], lewisham, fl, lewisham_lots[i],
                             {"Lewisham", i % 2 ? "Greenwich" : "Bromley"}, "SE13 6AA",
                             "Lewisham", ++n);
    if (i == 2) suspended_provider = p;
  }
  L.Suspend(lewisham, suspended_provider.org, lc,
            "CQC inspection rated the service Inadequate (Safe); automatic suspension from new "
            "referrals pending improvement (seed 001 13.6 applied by the partnership)");

  const char* cp_names[] = {"Fenland Family Support", "Nene Valley Care", "Ely Home Care Ltd",
                            "Cam Community Support", "Peterborough Complex Care",
                            "Huntingdon Carers Co-operative", "Wisbech Young People's Service"};
  std::vector<std::vector<v1::Lot>> cp_lots = {{ch}, {cg, cc}, {cg}, {cs}, {cc}, {cs, ch}, {cg}};
  for (int i = 0; i < 7; ++i) {
    L.AdmitProvider(cp_names[i], peterborough, fc, cp_lots[i],
                    {"Peterborough", i % 2 ? "Huntingdonshire" : "Fenland", "Cambridge"},
                    "PE1 1HF", "Peterborough", ++n);
  }
  const char* sw_names[] = {"Bermondsey Home Care", "Peckham Children's Care",
                            "Camberwell Care at Home", "Walworth Support Ltd",
                            "Dulwich Family Carers", "Rotherhithe Care Partners"};
  for (int i = 0; i < 6; ++i) {
    L.AdmitProvider(sw_names[i], southwark, fs, {sh}, {"Southwark"}, "SE1 7EU", "Southwark", ++n);
  }
  const char* do_names[] = {"Wessex Children's Care", "Purbeck Home Support",
                            "Jurassic Coast Nursing", "Blackmore Vale Carers",
                            "Poole Harbour Care"};
  std::vector<std::vector<v1::Lot>> do_lots = {{d_la}, {d_la}, {d_cc}, {d_la, d_cc}, {d_la}};
  for (int i = 0; i < 5; ++i) {
    L.AdmitProvider(do_names[i], dorset, fd, do_lots[i], {"Dorset", i % 2 ? "Weymouth" : "Poole"},
                    "DT1 1XJ", "Dorchester", ++n);
  }
  const char* de_names[] = {"Derwent Day Opportunities", "Pride Park Enablement",
                            "Allestree Activity Centre", "Normanton Community Hub",
                            "Markeaton Friends Group", "Darley Abbey Day Services"};
  std::vector<std::vector<v1::Lot>> de_lots = {{y1, y2}, {y3}, {y2, y4}, {y4}, {y4}, {y1}};
  for (int i = 0; i < 6; ++i) {
    L.AdmitProvider(de_names[i], derby, fy, de_lots[i], {"Derby"}, "DE1 2FS", "Derby", ++n);
  }
  std::printf("Demonstration data loaded:\n");
  L.Summary();
  return 0;
}

}  // namespace
}  // namespace pdps::demo

int main(int argc, char** argv) { return pdps::demo::Main(argc, argv); }
