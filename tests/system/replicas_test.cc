// Two referrals processes on one database, as two replicas run in production: every
// deadline fires exactly once, and SIGKILL of one in the middle of its scheduler's work
// (a step claimed, half applied, not committed) loses nothing (decision 0012).
//
// The binaries use the wall clock, so the test moves the offers' deadlines into the
// past in the database instead of waiting for them. To kill a replica at a known point
// inside a step, a trigger makes the step of one chosen referral wait on an advisory
// lock the test holds: the replica has then claimed that referral and timed out its
// offers, uncommitted, when the test kills it.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/db.h"
#include "common/ids.h"
#include "common/testing/pg_harness.h"
#include "pdps/common/v1/events.grpc.pb.h"
#include "pdps/referrals/v1/referrals_events.pb.h"
#include "pdps/referrals/v1/referrals_service.grpc.pb.h"
#include "tests/system/service_process.h"

namespace pdps {
namespace {

namespace v1 = ::pdps::referrals::v1;
using Stub = v1::ReferralsService::Stub;
using systemtest::Call;
using systemtest::ServiceProcess;
using systemtest::WaitFor;

constexpr int kReferrals = 20;
constexpr int kGated = 9;  // the 10th referral in due order waits at the gate
constexpr char kGate[] = "hashtextextended('pdps.test.replicas.gate', 0)";

// A referral on the demo's broadcast lot, raised and opened by a Peterborough officer:
// every eligible provider has an offer at once.
std::string RaiseAndOpen(Stub& stub, const std::string& officer, const std::string& lot,
                         const std::string& council, int n) {
  v1::CreateReferralRequest create;
  v1::Referral* r = create.mutable_referral();
  r->set_lot_id(lot);
  r->set_area("PETERBOROUGH");
  r->set_urgency(v1::Referral::ROUTINE);
  r->set_planned_weekly_hours(6);
  r->set_session_pattern("Mon-Fri 16:00-17:15");
  r->add_outcomes("Stays living at home with family");
  r->set_needs_summary(absl::StrCat("Young person ", n, "; personal care after school."));
  r->mutable_start_date()->set_value(dates::FormatDay(dates::TodayInLondon(absl::Now()) + 14));
  r->add_funding()->set_organisation_id(council);
  r->mutable_funding(0)->set_share_basis_points(10000);
  v1::PersonDetails* p = create.mutable_person();
  p->set_full_name(absl::StrCat("Replica Testperson ", n));
  // Fourteen today, so always within the lot's age range whatever the year.
  p->mutable_date_of_birth()->set_value(
      dates::FormatDay(dates::TodayInLondon(absl::Now()) - 14 * 365));
  p->add_address_lines("1 Example Road");
  p->set_postcode("PE1 9ZZ");
  p->set_nhs_number("9434765919");
  create.set_request_id(NewUuid());
  v1::Referral made;
  auto st = Call(stub, officer, &Stub::CreateReferral, create, &made);
  EXPECT_TRUE(st.ok()) << st.error_message();
  v1::OpenReferralRequest open;
  open.set_id(made.id());
  open.set_etag(made.etag());
  v1::Referral opened;
  st = Call(stub, officer, &Stub::OpenReferral, open, &opened);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(opened.state(), v1::Referral::OPEN);
  return made.id();
}

TEST(Replicas, EachDeadlineFiresOnceAndAKilledReplicaLosesNothing) {
  auto db = testing::TestDatabase::Create("replicas", {"registry", "referrals"});
  systemtest::DevKeys keys("pdps-replicas-keys");
  ServiceProcess registry("registry", db->Conninfo("registry_app"),
                          systemtest::RegistryAloneEnv(keys));
  std::string out;
  ASSERT_EQ(systemtest::RunCommand(
                systemtest::DemoCommand(keys, "--registry=" + registry.address()), &out),
            0)
      << out;
  auto env = keys.Env();
  env["PDPS_REGISTRY_ADDR"] = registry.address();
  // Nothing here names a worker in a proposal, so workforce is a port nobody answers on.
  env["PDPS_WORKFORCE_ADDR"] = systemtest::UnansweredAddress();
  env["PDPS_SCHEDULER_INTERVAL"] = "50ms";
  const std::string conninfo = db->Conninfo("referrals_app");
  auto a = std::make_unique<ServiceProcess>("referrals", conninfo, env);

  // Cambridgeshire and Peterborough's Complex Home Care lot: broadcast, first responder.
  auto lot = db->Query("SELECT id::text AS v FROM registry.lots WHERE code = 'CHC'");
  auto council = db->Query(
      "SELECT id::text AS v FROM registry.organisations WHERE "
      "display_name = 'Peterborough City Council'");
  ASSERT_EQ(lot.size(), 1u);
  ASSERT_EQ(council.size(), 1u);
  const std::string officer = keys.Mint(council[0], auth::Role::kBrokerageOfficer);
  std::vector<std::string> ids;
  {
    auto stub = v1::ReferralsService::NewStub(a->channel());
    for (int i = 0; i < kReferrals; ++i) {
      ids.push_back(RaiseAndOpen(*stub, officer, lot[0], council[0], i));
    }
  }
  const std::string in = absl::StrCat("('", absl::StrJoin(ids, "','"), "')");
  const int offers = std::stoi(db->Query(absl::StrCat(
      "SELECT count(*)::text AS v FROM referrals.offers WHERE state = 'OPEN' AND referral_id IN ",
      in))[0]);
  ASSERT_EQ(offers, 2 * kReferrals) << "two eligible providers, each offered every referral";

  // The gate: the step of referral kGated waits for the test's lock just before it
  // records UNCOVERED, after timing out the referral's offers.
  const std::string gated = ids[kGated];
  const std::string wait_at_gate =
      absl::StrCat("BEGIN PERFORM pg_advisory_xact_lock_shared(", kGate, "); RETURN NEW; END");
  db->Run(absl::StrCat(
      "CREATE FUNCTION referrals.test_gate() RETURNS trigger LANGUAGE plpgsql AS $$", wait_at_gate,
      "$$; CREATE TRIGGER test_gate BEFORE INSERT ON referrals.referral_transitions",
      " FOR EACH ROW WHEN (NEW.referral_id = '", gated, "' AND NEW.to_state = 'UNCOVERED')",
      " EXECUTE FUNCTION referrals.test_gate();"));
  auto lock = db::Connection::Open(db->Conninfo("postgres"));
  ASSERT_TRUE(lock.ok()) << lock.status();
  ASSERT_TRUE((*lock)->Exec(absl::StrCat("SELECT pg_advisory_lock(", kGate, ")"), {}).ok());

  // Every window ends now, in one statement; the scheduler takes referrals in due order.
  std::vector<std::string> due;
  for (int i = 0; i < kReferrals; ++i) {
    due.push_back(absl::StrCat("('", ids[i], "'::uuid, ", kReferrals - i, ")"));
  }
  absl::Time fired = absl::Now();
  db->Run(absl::StrCat(
      "UPDATE referrals.offers SET deadline = now() WHERE state = 'OPEN' AND referral_id IN ", in,
      "; UPDATE referrals.referrals r SET stage_deadline = now(), next_due_at = now() - d.k * "
      "interval '1 millisecond' FROM (VALUES ",
      absl::StrJoin(due, ", "), ") AS d(id, k) WHERE r.id = d.id;"));
  const std::string uncovered = absl::StrCat(
      "SELECT count(*)::text AS v FROM referrals.referrals WHERE state = 'UNCOVERED' AND id IN ",
      in);
  const std::string waiting = absl::StrCat(
      "SELECT count(*)::text AS v FROM pg_locks l JOIN pg_database d ON d.oid = "
      "l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' "
      "AND NOT l.granted AND l.objid::bigint = (",
      kGate, " & 4294967295)");
  // Replica A has stepped the first nine and holds the tenth, half done.
  ASSERT_EQ(WaitFor(*db, waiting, "1"), "1");
  EXPECT_EQ(db->Query(uncovered)[0], std::to_string(kGated));
  EXPECT_EQ(db->Query("SELECT state AS v FROM referrals.referrals WHERE id = $1", {gated})[0],
            "OPEN");

  // Replica B joins and steps the rest, skipping the one A has locked.
  ServiceProcess b("referrals", conninfo, env);
  EXPECT_EQ(WaitFor(*db, uncovered, std::to_string(kReferrals - 1)),
            std::to_string(kReferrals - 1));
  // A dies mid-step; it comes back as a new process, as a pod would.
  EXPECT_EQ(a->Kill(), -1);
  const std::string killed = absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone());
  a = std::make_unique<ServiceProcess>("referrals", conninfo, env);
  // The gate opens: A's orphaned transaction finds its client gone and rolls back, and
  // the referral is still due for whichever replica looks next.
  ASSERT_TRUE((*lock)->Exec(absl::StrCat("SELECT pg_advisory_unlock(", kGate, ")"), {}).ok());
  EXPECT_EQ(WaitFor(*db, uncovered, std::to_string(kReferrals)), std::to_string(kReferrals));
  std::printf("all %d referrals UNCOVERED %.1f s after their windows ended\n", kReferrals,
              absl::ToDoubleSeconds(absl::Now() - fired));

  // The tenth was stepped again after the kill, not by A's orphaned transaction.
  EXPECT_EQ(db->Query("SELECT (at > $1::timestamptz)::text AS v FROM"
                      " referrals.referral_transitions WHERE to_state = 'UNCOVERED'"
                      " AND referral_id = $2",
                      {killed, gated}),
            std::vector<std::string>{"true"});

  // Exactly once, in the data...
  EXPECT_EQ(db->Query(absl::StrCat("SELECT count(*)::text AS v FROM referrals.offers WHERE",
                                   " state = 'TIMED_OUT' AND referral_id IN ", in))[0],
            std::to_string(offers));
  EXPECT_EQ(db->Query(absl::StrCat("SELECT count(*) || ' ' || count(DISTINCT referral_id) AS v FROM"
                                   " referrals.referral_transitions WHERE to_state = 'UNCOVERED'"
                                   " AND referral_id IN ",
                                   in))[0],
            absl::StrCat(kReferrals, " ", kReferrals));

  // ...and on the event feed, read from either replica once every event is stamped.
  auto feed = pdps::common::v1::EventFeedService::NewStub(b.channel());
  const std::string service =
      keys.Mint("00000000-0000-4000-8000-000000000001", auth::Role::kService);
  std::map<std::string, int> uncovered_events, timed_out_events;
  for (absl::Time end = absl::Now() + absl::Seconds(10); absl::Now() < end;) {
    uncovered_events.clear();
    timed_out_events.clear();
    pdps::common::v1::ListEventsRequest req;
    req.set_page_size(1000);
    for (;;) {
      pdps::common::v1::ListEventsResponse resp;
      auto st =
          Call(*feed, service, &pdps::common::v1::EventFeedService::Stub::ListEvents, req, &resp);
      ASSERT_TRUE(st.ok()) << st.error_message();
      for (const auto& e : resp.events()) {
        v1::OfferChanged oc;
        if (e.event_type() == "pdps.referrals.v1.ReferralUncovered") {
          ++uncovered_events[e.aggregate_id()];
        } else if (e.event_type() == "pdps.referrals.v1.OfferAnswered" &&
                   e.payload().UnpackTo(&oc) && oc.offer().state() == v1::Offer::TIMED_OUT) {
          ++timed_out_events[oc.offer().id()];
        }
      }
      if (resp.events_size() < req.page_size()) break;
      req.set_after_position(resp.last_position());
    }
    if (static_cast<int>(timed_out_events.size()) == offers &&
        static_cast<int>(uncovered_events.size()) == kReferrals) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  for (const auto& id : ids) EXPECT_EQ(uncovered_events[id], 1) << id;
  EXPECT_EQ(static_cast<int>(uncovered_events.size()), kReferrals);
  EXPECT_EQ(static_cast<int>(timed_out_events.size()), offers);
  for (const auto& [offer, n] : timed_out_events) EXPECT_EQ(n, 1) << offer;
}

}  // namespace
}  // namespace pdps
