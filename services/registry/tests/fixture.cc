// Registry test fixture.
#include "services/registry/tests/fixture.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "common/testing/service_harness.h"
#include "services/registry/api/access.h"

namespace pdps::registry::testing {

absl::Time DefaultNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 24, 10, 0, 0), absl::UTCTimeZone());
}

RegistryServer::RegistryServer(const std::string& db_prefix,
                               const std::vector<std::string>& services)
    : clock_(DefaultNow()) {
  db_ = pdps::testing::TestDatabase::Create(db_prefix, services);
  base_ = pdps::testing::TestBase("registry", db_->Conninfo("registry_app"),
                                  &RegistryAccessPolicy(), &clock_);
  Options options;
  // Tests run the sweep through the store and none reads workforce's feed, so no worker
  // runs and workforce's address is never dialled (nothing listens on port 1).
  options.workforce_addr = "127.0.0.1:1";
  options.start_workers = false;
  registry_ = pdps::testing::OrDie(
      Assemble(*base_, options, pdps::testing::TestServiceTokens("registry")), "registry assembly");
  pdps::testing::StartOrDie(*base_);
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  stub_ = v1::RegistryService::NewStub(channel_);
  feed_ = pdps::common::v1::EventFeedService::NewStub(channel_);
}

RegistryServer::~RegistryServer() { base_->runner->Shutdown(); }

std::string RegistryServer::address() const { return pdps::testing::Address(*base_); }

void Caller::Prepare(grpc::ClientContext* ctx) const {
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
}

Caller MakeCaller(const std::string& org, std::vector<Role> roles) {
  return Caller{org, pdps::testing::Tokens::Get().For(org, std::move(roles))};
}

namespace {
// Calls `fn` with each detail of type T in a status's google.rpc.Status.
template <typename T, typename Fn>
void ForEachDetail(const grpc::Status& st, Fn fn) {
  google::rpc::Status details;
  if (!details.ParseFromString(st.error_details())) return;
  for (const auto& any : details.details()) {
    T detail;
    if (any.UnpackTo(&detail)) fn(detail);
  }
}

std::vector<std::string> ViolationList(const grpc::Status& st, bool with_description) {
  std::vector<std::string> out;
  ForEachDetail<google::rpc::BadRequest>(st, [&](const google::rpc::BadRequest& bad) {
    for (const auto& v : bad.field_violations()) {
      out.push_back(with_description ? absl::StrCat(v.field(), ": ", v.description()) : v.field());
    }
  });
  return out;
}
}  // namespace

std::vector<std::string> ViolationFields(const grpc::Status& st) {
  return ViolationList(st, false);
}
std::vector<std::string> ViolationTexts(const grpc::Status& st) { return ViolationList(st, true); }

std::vector<std::string> PreconditionViolations(const grpc::Status& st) {
  std::vector<std::string> out;
  ForEachDetail<google::rpc::PreconditionFailure>(
      st, [&](const google::rpc::PreconditionFailure& failure) {
        for (const auto& v : failure.violations()) {
          out.push_back(absl::StrCat(v.type(), " ", v.subject()));
        }
      });
  return out;
}

std::string ResourceInfoOf(const grpc::Status& st) {
  std::string out;
  ForEachDetail<google::rpc::ResourceInfo>(st, [&](const google::rpc::ResourceInfo& info) {
    if (out.empty()) out = absl::StrCat(info.resource_type(), " ", info.resource_name());
  });
  return out;
}

World::World(RegistryServer* server) : server_(server) {
  platform = MakeCaller(NewUuid(), {Role::kPlatformOperator});
}

std::string World::CreateOrg(const std::string& name, v1::Organisation::Kind kind) {
  v1::CreateOrganisationRequest req;
  req.mutable_organisation()->set_display_name(name);
  req.mutable_organisation()->set_kind(kind);
  v1::Organisation out;
  auto st = Call(*server_, platform, &v1::RegistryService::Stub::CreateOrganisation, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out.id();
}

std::string World::CreatePartnership(const std::string& name, std::vector<std::string> members) {
  v1::CreatePartnershipRequest req;
  req.mutable_partnership()->set_display_name(name);
  for (auto& m : members) req.mutable_partnership()->add_member_organisation_ids(m);
  v1::Partnership out;
  auto st = Call(*server_, platform, &v1::RegistryService::Stub::CreatePartnership, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out.id();
}

v1::Framework World::CreateFramework(const Caller& commissioner, const std::string& partnership,
                                     const std::string& name) {
  v1::CreateFrameworkRequest req;
  auto* f = req.mutable_framework();
  f->set_partnership_id(partnership);
  f->set_display_name(name);
  f->set_kind(v1::Framework::PDPS);
  f->set_billing_period(v1::Framework::MONTHLY);
  f->mutable_call_off()->set_method(v1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL);
  auto* w = f->add_application_windows();
  w->mutable_open_date()->set_value("2026-11-01");
  w->mutable_close_date()->set_value("2026-12-31");
  v1::Framework out;
  auto st = Call(*server_, commissioner, &v1::RegistryService::Stub::CreateFramework, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

v1::Lot World::CreateLot(const Caller& commissioner, const std::string& framework,
                         const std::string& code) {
  v1::CreateLotRequest req;
  auto* l = req.mutable_lot();
  l->set_framework_id(framework);
  l->set_code(code);
  l->set_display_name("Lot " + code);
  l->set_service_type("care at home");
  l->set_min_age(0);
  l->set_max_age(18);
  l->add_competencies("safeguarding_l2");
  auto* p = l->add_prices();
  p->set_kind(v1::LotPrice::MAXIMUM_PRICE);
  p->mutable_hourly_rate()->set_pence(2500);
  p->mutable_effective_from()->set_value("2026-04-01");
  v1::Lot out;
  auto st = Call(*server_, commissioner, &v1::RegistryService::Stub::CreateLot, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

void World::FileInsurance(const Caller& provider_admin) {
  for (auto [kind, pence] : {std::pair{v1::ComplianceDocument::EMPLOYERS_LIABILITY, 500000000LL},
                             std::pair{v1::ComplianceDocument::PUBLIC_LIABILITY, 1000000000LL}}) {
    v1::CreateComplianceDocumentRequest doc;
    auto* d = doc.mutable_document();
    d->set_kind(kind);
    d->set_title(v1::ComplianceDocument::Kind_Name(kind));
    d->set_evidence_reference("POLICY-1");
    d->mutable_issue_date()->set_value("2026-01-01");
    d->mutable_expiry_date()->set_value("2030-12-31");
    d->mutable_cover()->set_pence(pence);
    v1::ComplianceDocument made;
    auto st = Call(*server_, provider_admin, &v1::RegistryService::Stub::CreateComplianceDocument,
                   doc, &made);
    EXPECT_TRUE(st.ok()) << st.error_message();
  }
}

std::string World::Admit(const Caller& provider_admin, const Caller& commissioner,
                         const std::string& framework_id, const std::string& lot_id) {
  using Stub = v1::RegistryService::Stub;
  v1::ApplyForAdmissionRequest apply;
  apply.set_framework_id(framework_id);
  apply.add_lot_ids(lot_id);
  v1::ApplyForAdmissionResponse applied;
  auto st = Call(*server_, provider_admin, &Stub::ApplyForAdmission, apply, &applied);
  EXPECT_TRUE(st.ok()) << st.error_message();
  if (applied.admissions_size() != 1) return "";
  v1::AdmitProviderRequest admit;
  admit.set_id(applied.admissions(0).id());
  admit.set_etag(applied.admissions(0).etag());
  v1::Admission admitted;
  st = Call(*server_, commissioner, &Stub::AdmitProvider, admit, &admitted);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return admitted.id();
}

World::Provider World::AdmittedProvider(const std::string& name, const Caller& commissioner,
                                        const v1::Framework& framework, const v1::Lot& lot,
                                        std::vector<std::string> areas, int hours_available) {
  Provider p;
  p.org = CreateOrg(name, v1::Organisation::PROVIDER);
  p.admin = MakeCaller(p.org, {Role::kProviderAdmin});
  FileInsurance(p.admin);
  using Stub = v1::RegistryService::Stub;
  p.admission_id = Admit(p.admin, commissioner, framework.id(), lot.id());
  if (p.admission_id.empty()) return p;

  v1::GetProviderRequest get;
  get.set_id(p.org);
  v1::Provider profile;
  auto st = Call(*server_, p.admin, &Stub::GetProvider, get, &profile);
  EXPECT_TRUE(st.ok()) << st.error_message();
  v1::UpdateProviderRequest upd;
  *upd.mutable_provider() = profile;
  upd.mutable_provider()->set_office_postcode("SE1 7EU");
  upd.mutable_provider()->set_office_district("Southwark");
  for (auto& a : areas) upd.mutable_provider()->add_coverage_areas(a);
  st = Call(*server_, p.admin, &Stub::UpdateProvider, upd, &profile);
  EXPECT_TRUE(st.ok()) << st.error_message();

  v1::CreateCapacityReturnRequest cap;
  auto* r = cap.mutable_capacity_return();
  r->set_framework_id(framework.id());
  r->set_month("2026-11");
  r->set_care_workers_employed(12);
  r->set_current_packages(8);
  r->set_current_total_weekly_hours(240);
  r->set_estimated_weekly_hours_available(hours_available);
  v1::CapacityReturn made;
  st = Call(*server_, p.admin, &Stub::CreateCapacityReturn, cap, &made);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return p;
}

}  // namespace pdps::registry::testing
