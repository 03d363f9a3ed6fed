// Workforce test fixture.
#include "services/workforce/tests/fixture.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/testing/service_harness.h"
#include "common/testing/tokens.h"
#include "services/workforce/api/access.h"

namespace pdps::workforce::testing {
namespace {
constexpr char kServiceOrg[] = "00000000-0000-4000-8000-000000000001";
}  // namespace

WorkforceServer::WorkforceServer(const std::string& db_prefix)
    : own_registry_(std::make_unique<RegistryServer>(
          db_prefix, std::vector<std::string>{"registry", "workforce"})),
      registry_(own_registry_.get()) {
  Start();
}

WorkforceServer::WorkforceServer(RegistryServer* registry) : registry_(registry) { Start(); }

void WorkforceServer::Start() {
  base_ = pdps::testing::TestBase("workforce", db().Conninfo("workforce_app"),
                                  &WorkforceAccessPolicy(), &clock());
  Options options;
  options.registry_addr = registry_->address();
  options.start_workers = false;  // tests drive the expiry watch
  workforce_ =
      pdps::testing::OrDie(Assemble(*base_, options, pdps::testing::TestServiceTokens("workforce")),
                           "workforce assembly");
  pdps::testing::StartOrDie(*base_);
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  stub_ = v1::WorkforceService::NewStub(channel_);
  feed_ = pdps::common::v1::EventFeedService::NewStub(channel_);
}

void WorkforceServer::Award(const pdps::referrals::v1::ReferralAwarded& award) {
  pdps::common::v1::Event e;
  e.set_event_type("pdps.referrals.v1.ReferralAwarded");
  e.mutable_payload()->PackFrom(award);
  absl::Status st =
      base_->pool->InTx(db::Actor::Internal("test-feed"), absl::Now() + absl::Seconds(10),
                        [&](db::Tx& tx) { return workforce_->store->ApplyReferralAwarded(tx, e); });
  if (!st.ok()) pdps::testing::Die("applying ReferralAwarded", st);
}

std::string WorkforceServer::address() const { return pdps::testing::Address(*base_); }

WorkforceServer::~WorkforceServer() { base_->runner->Shutdown(); }  // before its registry

Commissioned Commission(World& world, const std::string& provider_name) {
  Commissioned out;
  std::string council = world.CreateOrg("Council of " + provider_name, rv1::Organisation::COUNCIL);
  std::string nhs = world.CreateOrg("ICB of " + provider_name, rv1::Organisation::NHS_COMMISSIONER);
  std::string partnership =
      world.CreatePartnership("Partnership of " + provider_name, {council, nhs});
  out.commissioner = MakeCaller(council, {Role::kCommissioner});
  out.nhs_commissioner = MakeCaller(nhs, {Role::kCommissioner});
  out.framework = world.CreateFramework(out.commissioner, partnership, "Care at home");
  out.lot = world.CreateLot(out.commissioner, out.framework.id(), "C");
  out.provider = world.AdmittedProvider(provider_name, out.commissioner, out.framework, out.lot,
                                        {"Southwark"});
  return out;
}

Caller ServiceCaller() {
  return Caller{kServiceOrg, pdps::testing::Tokens::Get().For(
                                 kServiceOrg, {Role::kService}, NameUuid("pdps-service:careplanning"))};
}

v1::StaffMember SampleStaff(const std::string& name) {
  v1::StaffMember s;
  s.set_display_name(name);
  s.set_role("Support worker");
  s.set_grade("Senior");
  s.mutable_start_date()->set_value("2025-01-06");
  s.set_contract_type(v1::PERMANENT);
  s.mutable_dbs()->mutable_certificate_date()->set_value("2024-12-01");
  s.mutable_dbs()->set_certificate_reference("001234567890");
  s.mutable_dbs()->mutable_barred_list_check_date()->set_value("2024-12-01");
  s.mutable_right_to_work()->set_kind(v1::RightToWork::UNLIMITED);
  s.mutable_right_to_work()->mutable_checked_on()->set_value("2024-12-10");
  s.set_references_received(2);
  s.set_english_proficiency("native");
  s.add_languages("Polish");
  s.set_gender("female");
  s.mutable_last_supervision_date()->set_value("2026-10-01");
  s.mutable_last_appraisal_date()->set_value("2026-01-15");
  return s;
}

}  // namespace pdps::workforce::testing
