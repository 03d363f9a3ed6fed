// Referrals test fixture.
#include "services/referrals/tests/fixture.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/testing/service_harness.h"
#include "common/testing/tokens.h"
#include "services/referrals/api/access.h"

namespace pdps::referrals::testing {

Options TestOptions(const std::string& registry_addr, const std::string& workforce_addr) {
  Options o;
  o.registry_addr = registry_addr;
  o.workforce_addr = workforce_addr;
  o.registry_timeout = absl::Seconds(5);
  o.start_workers = false;
  o.scheduler_interval = absl::Milliseconds(50);
  o.feed_poll_interval = absl::Milliseconds(50);
  return o;
}

ReferralsServer::ReferralsServer(RegistryServer* registry, Options options) {
  base_ = pdps::testing::TestBase("referrals", registry->db().Conninfo("referrals_app"),
                                  &ReferralsAccessPolicy(), &registry->clock());
  referrals_ =
      pdps::testing::OrDie(Assemble(*base_, options, pdps::testing::TestServiceTokens("referrals")),
                           "referrals assembly");
  pdps::testing::StartOrDie(*base_);
  channel_ = grpc::CreateChannel(pdps::testing::Address(*base_), grpc::InsecureChannelCredentials());
  stub_ = v1::ReferralsService::NewStub(channel_);
  feed_ = pdps::common::v1::EventFeedService::NewStub(channel_);
}

void ReferralsServer::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  base_->runner->Shutdown();
}

ReferralsServer::~ReferralsServer() { Shutdown(); }

v1::Referral SampleReferral(const std::string& lot, const std::string& area,
                            const std::string& funder) {
  v1::Referral r;
  r.set_lot_id(lot);
  r.set_urgency(v1::Referral::ROUTINE);
  r.set_area(area);
  r.set_planned_weekly_hours(10.5);
  r.set_session_pattern("Mon-Fri 07:30-08:30 and 17:00-18:00");
  r.add_outcomes("Personal care with dignity");
  r.add_outcomes("Friendships outside school");
  r.set_needs_summary("Autistic young person, non-verbal, needs two carers for hoisting.");
  r.mutable_start_date()->set_value("2026-12-14");
  r.mutable_preferences()->set_worker_gender("female");
  r.mutable_preferences()->add_languages("Polish");
  r.add_extra_competencies("gastrostomy");
  r.set_care_plan_extract("Section 4: morning routine, PEG feed at 07:45.");
  auto* f = r.add_funding();
  f->set_organisation_id(funder);
  f->set_share_basis_points(10000);
  f->set_funding_stream("social care");
  return r;
}

v1::PersonDetails SamplePerson() {
  v1::PersonDetails p;
  p.set_full_name("Alex Testperson");
  p.mutable_date_of_birth()->set_value("2012-03-04");
  p.add_address_lines("1 Example Road");
  p.add_address_lines("London");
  p.set_postcode("SE1 1AA");
  p.set_nhs_number("9434765919");
  p.set_key_safe_code("KS-4321");  // not a run of hex digits a UUID could hold
  auto* c = p.add_contacts();
  c->set_name("Sam Testperson");
  c->set_relationship("mother");
  c->set_phone("020 7946 0000");
  return p;
}

}  // namespace pdps::referrals::testing
