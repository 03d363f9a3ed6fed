// Workforce test fixture.
#include "services/workforce/tests/fixture.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/testing/service_harness.h"
#include "common/testing/tokens.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/workforce/api/access.h"

namespace pdps::workforce::testing {

absl::Time DefaultNow() { return London(2026, 11, 24, 10, 0); }

absl::Time London(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), dates::London());
}

WorkforceServer::WorkforceServer(const std::string& db_prefix)
    : own_clock_(DefaultNow()), clock_(&own_clock_) {
  own_db_ = pdps::testing::TestDatabase::Create(db_prefix, {"workforce"});
  db_ = own_db_.get();
  Start();
}

WorkforceServer::WorkforceServer(pdps::testing::TestDatabase* db, FakeClock* clock)
    : own_clock_(DefaultNow()), clock_(clock), db_(db) {
  Start();
}

void WorkforceServer::Start() {
  base_ = pdps::testing::TestBase("workforce", db_->Conninfo("workforce_app"),
                                  &WorkforceAccessPolicy(), clock_);
  Options options;
  options.start_workers = false;  // tests drive the expiry watch
  workforce_ = pdps::testing::OrDie(Assemble(*base_, options), "workforce assembly");
  pdps::testing::StartOrDie(*base_);
  channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
  stub_ = v1::WorkforceService::NewStub(channel_);
  feed_ = pdps::common::v1::EventFeedService::NewStub(channel_);
}

void WorkforceServer::Award(const pdps::referrals::v1::ReferralAwarded& award) {
  pdps::common::v1::Event e;
  e.set_event_type("pdps.referrals.v1.ReferralAwarded");
  e.mutable_payload()->PackFrom(award);
  absl::Status st = base_->pool->InTx(db::Actor{"", "test-feed", true}, absl::Now() + absl::Seconds(10),
                                      [&](db::Tx& tx) { return workforce_->store->ApplyReferralAwarded(tx, e); });
  if (!st.ok()) pdps::testing::Die("applying ReferralAwarded", st);
}

std::string WorkforceServer::address() const { return pdps::testing::Address(*base_); }

WorkforceServer::~WorkforceServer() { base_->runner->Shutdown(); }

void Caller::Prepare(grpc::ClientContext* ctx) const {
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
}

Caller MakeCaller(const std::string& org, std::vector<Role> roles) {
  return Caller{org, pdps::testing::Tokens::Get().For(org, std::move(roles))};
}

Caller ServiceCaller() {
  const std::string org = "00000000-0000-4000-8000-000000000001";
  return Caller{org, pdps::testing::Tokens::Get().For(org, {Role::kService},
                                                      NameUuid("pdps-service:careplanning"))};
}

std::vector<std::string> ViolationFields(const grpc::Status& st) {
  std::vector<std::string> out;
  google::rpc::Status details;
  if (!details.ParseFromString(st.error_details())) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) out.push_back(v.field());
    }
  }
  return out;
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
