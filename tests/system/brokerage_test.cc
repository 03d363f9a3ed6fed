// Brokerage on the real binaries, as `make run` wires them: registry and referrals
// processes on one database, the referrals process calling the registry with its own
// service identity (minted from the development key) and following the registry's feed.
// The demo loader fills both through the public APIs (twice: idempotent), passing one
// bid deadline in referrals' database as the clock would; pdpsctl then walks a
// provider's inbox, and a suspension in the registry reaches referrals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/testing/pg_harness.h"
#include "tests/system/service_process.h"

namespace pdps {
namespace {

using ::testing::HasSubstr;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(Brokerage, DemoLoadsEveryStateAndTheFeedCarriesSuspensions) {
  auto db = testing::TestDatabase::Create("brokerage", {"registry", "referrals"});
  systemtest::DevKeys keys("pdps-brokerage-keys");
  systemtest::ServiceProcess registry("registry", db->Conninfo("registry_app"),
                                      systemtest::RegistryAloneEnv(keys));
  auto env = keys.Env();
  env["PDPS_REGISTRY_ADDR"] = registry.address();
  // Nothing here names a worker in a proposal, so workforce is a port nobody answers on.
  env["PDPS_WORKFORCE_ADDR"] = systemtest::UnansweredAddress();
  env["PDPS_FEED_POLL_INTERVAL"] = "100ms";
  env["PDPS_SCHEDULER_INTERVAL"] = "200ms";
  systemtest::ServiceProcess referrals("referrals", db->Conninfo("referrals_app"), env);

  const std::string bin = systemtest::BinaryDir();
  // The referrals database as make run gives it: the loader's clock for one bid deadline.
  const std::string demo = systemtest::DemoCommand(
      keys, absl::StrCat("--registry=", registry.address(), " --referrals=", referrals.address(),
                         " --referrals-database='", db->Conninfo("referrals_app"), "'"));
  std::string out;
  ASSERT_EQ(systemtest::RunCommand(demo, &out), 0) << out;
  ASSERT_EQ(systemtest::RunCommand(demo, &out), 0) << "second load: " << out;
  // Every state, and each framework with its own method.
  for (const char* state : {"DRAFT", "OPEN", "EVALUATING", "AWARDED", "UNCOVERED", "WITHDRAWN"}) {
    EXPECT_NE(db->Query("SELECT count(*)::text AS v FROM referrals.referrals WHERE state = $1",
                        {std::string(state)})[0],
              "0")
        << state;
  }
  // EVALUATING: the Dorset mini-competition whose bid deadline the loader passed.
  EXPECT_EQ(db->Query("SELECT r.method || ' ' || count(o.id) AS v FROM referrals.referrals r JOIN "
                      "referrals.offers o ON o.referral_id = r.id AND o.state = 'SUBMITTED' "
                      "WHERE r.state = 'EVALUATING' GROUP BY r.id, r.method"),
            std::vector<std::string>{"MINI_COMPETITION 2"});
  auto methods = db->Query(
      "SELECT string_agg(DISTINCT method, ',' ORDER BY method) AS v FROM referrals.referrals "
      "WHERE method <> ''");
  EXPECT_EQ(methods[0],
            "BROADCAST_FIRST_RESPONDER,COMPETITIVE_OFFERS,MINI_COMPETITION,ROTATIONAL_FIRST_REFUSAL");
  EXPECT_NE(db->Query("SELECT count(*)::text AS v FROM referrals.referrals r WHERE state = "
                      "'AWARDED' AND award_method = 'DIRECT_AWARD'")[0],
            "0");
  std::string total = db->Query("SELECT count(*)::text AS v FROM referrals.referrals")[0];

  // A provider with a live offer finds it in its inbox, as a pen portrait, and accepts.
  auto live = db->Query(
      "SELECT o.id || ' ' || o.provider_id || ' ' || o.kind AS v FROM referrals.offers o "
      "WHERE o.state = 'OPEN' AND o.kind IN ('EXCLUSIVE', 'BROADCAST') ORDER BY o.offer_time, o.id");
  ASSERT_GE(live.size(), 2u);
  std::vector<std::string> first = absl::StrSplit(live[0], ' ');
  const std::string ctl = absl::StrCat("PDPS_DEV_KEY=", keys.private_key_file(), " ", bin,
                                       "/tools/pdpsctl/pdpsctl --addr=", registry.address(),
                                       " --referrals-addr=", referrals.address());
  std::string token;
  ASSERT_EQ(systemtest::RunCommand(ctl + " token --org=" + first[1] + " --roles=provider_admin",
                                   &token),
            0)
      << token;
  token = Trim(token);
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + token + " inbox --live --json", &out), 0)
      << out;
  EXPECT_THAT(out, HasSubstr(first[0]));
  EXPECT_THAT(out, HasSubstr("needs_summary"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("full_name")));
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + token + " accept " + first[0] + " 2>&1",
                                   &out),
            0)
      << out;
  EXPECT_EQ(systemtest::RunCommand(ctl + " --token=" + token + " accept " + first[0] + " 2>&1",
                                   &out),
            1);
  EXPECT_THAT(out, HasSubstr("FAILED_PRECONDITION"));

  // A commissioner suspends another provider that holds a live offer: through the
  // registry's feed, referrals withdraws the offer within moments.
  std::string victim;
  for (size_t i = 1; i < live.size() && victim.empty(); ++i) {
    std::vector<std::string> f = absl::StrSplit(live[i], ' ');
    if (f[1] != first[1] &&
        db->Query("SELECT state AS v FROM referrals.offers WHERE id = $1", {f[0]})[0] == "OPEN") {
      victim = live[i];
    }
  }
  ASSERT_FALSE(victim.empty());
  std::vector<std::string> v = absl::StrSplit(victim, ' ');
  auto admission = db->Query(
      "SELECT a.id::text AS v FROM registry.admissions a JOIN referrals.offers o ON o.lot_id = "
      "a.lot_id AND o.provider_id = a.provider_id WHERE o.id = $1",
      {v[0]});
  ASSERT_EQ(admission.size(), 1u);
  auto org = db->Query(
      "SELECT r.create_organisation AS v FROM referrals.referrals r JOIN referrals.offers o ON "
      "o.referral_id = r.id WHERE o.id = $1",
      {v[0]});
  std::string commissioner;
  ASSERT_EQ(systemtest::RunCommand(ctl + " token --org=" + org[0] + " --roles=commissioner",
                                   &commissioner),
            0);
  commissioner = Trim(commissioner);
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + commissioner + " admissions suspend " +
                                       admission[0] + " --reason='Safeguarding concern'" +
                                       " --action='Meet the safeguarding lead@2099-01-05' 2>&1",
                                   &out),
            0)
      << out;
  std::string state;
  for (int i = 0; i < 100 && state != "WITHDRAWN"; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    state = db->Query("SELECT state AS v FROM referrals.offers WHERE id = $1", {v[0]})[0];
  }
  EXPECT_EQ(state, "WITHDRAWN");
  EXPECT_THAT(db->Query("SELECT state_reason AS v FROM referrals.offers WHERE id = $1", {v[0]})[0],
              HasSubstr("Safeguarding concern"));
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM referrals.referrals")[0], total);

  // Southwark's framework lists its district (decision 78): its commissioner adds one
  // with pdpsctl, and an officer's referral for a district it does not serve is refused,
  // naming them, with nothing written.
  auto southwark = db->Query(
      "SELECT f.id::text || ' ' || l.id::text || ' ' || f.partnership_id::text AS v"
      " FROM registry.frameworks f JOIN registry.lots l ON l.framework_id = f.id"
      " WHERE f.specification_reference = 'seed 002' ORDER BY l.code LIMIT 1");
  ASSERT_EQ(southwark.size(), 1u);
  std::vector<std::string> sw = absl::StrSplit(southwark[0], ' ');
  EXPECT_EQ(db->Query("SELECT array_to_string(service_areas, ',') AS v FROM registry.frameworks"
                      " WHERE id = $1",
                      {sw[0]})[0],
            "SOUTHWARK");
  auto council = db->Query(
      "SELECT o.id::text AS v FROM registry.organisations o JOIN registry.partnership_members m"
      " ON m.organisation_id = o.id WHERE m.partnership_id = $1 AND o.kind = 'COUNCIL'",
      {sw[2]});
  ASSERT_EQ(council.size(), 1u);
  ASSERT_EQ(systemtest::RunCommand(ctl + " token --org=" + council[0] + " --roles=commissioner",
                                   &commissioner),
            0);
  commissioner = Trim(commissioner);
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + commissioner + " frameworks areas " + sw[0] +
                                       " --areas=Southwark,Lambeth 2>&1",
                                   &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("LAMBETH"));
  std::string officer;
  ASSERT_EQ(systemtest::RunCommand(
                ctl + " token --org=" + council[0] + " --roles=brokerage_officer", &officer),
            0);
  officer = Trim(officer);
  const std::string raise =
      absl::StrCat(ctl, " --token=", officer, " referrals raise --lot=", sw[1],
                   " --hours=6 --pattern='Sat 10:00-13:00' --outcomes=A --needs='Personal care'",
                   " --start=2099-01-05 --direct-payment --name='Sam Test' --dob=2015-01-01",
                   " --address='1 Test Road' --postcode='SE1 1AA'");
  EXPECT_EQ(systemtest::RunCommand(raise + " --area=Croydon 2>&1", &out), 1);
  EXPECT_THAT(out, HasSubstr("referral.area: must be one of the framework's service areas: "
                             "SOUTHWARK, LAMBETH"));
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM referrals.referrals")[0], total);
}

}  // namespace
}  // namespace pdps
