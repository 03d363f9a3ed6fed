// The real registry binary shuts down gracefully: SIGTERM → health NOT_SERVING → the
// in-flight call completes → exit status 0.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/health_client.h"
#include "common/ids.h"
#include "common/testing/pg_harness.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"
#include "tests/system/service_process.h"

namespace pdps {
namespace {

TEST(Shutdown, SigtermDrainsInFlightCallsAndExitsZero) {
  auto db = testing::TestDatabase::Create("shutdown", {"registry"});
  systemtest::DevKeys keys("pdps-shutdown-keys");
  auto env = systemtest::RegistryAloneEnv(keys);
  env["PDPS_SHUTDOWN_DRAIN"] = "1500ms";
  env["PDPS_SHUTDOWN_GRACE"] = "20s";
  systemtest::ServiceProcess registry("registry", db->Conninfo("registry_app"), env);
  auto channel = registry.channel();

  // Hold a lock so that a create blocks inside the server: an in-flight call.
  auto locker = std::move(db::Connection::Open(db->Conninfo("postgres"))).value();
  ASSERT_TRUE(locker->ExecScript("BEGIN; LOCK TABLE registry.organisations IN EXCLUSIVE MODE").ok());
  grpc::Status call_status;
  pdps::registry::v1::Organisation created;
  std::thread in_flight([&] {
    auto stub = pdps::registry::v1::RegistryService::NewStub(channel);
    pdps::registry::v1::CreateOrganisationRequest req;
    req.mutable_organisation()->set_display_name("Created During Shutdown Ltd");
    req.mutable_organisation()->set_kind(pdps::registry::v1::Organisation::PROVIDER);
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization",
                    "Bearer " + keys.Mint(NewUuid(), auth::Role::kPlatformOperator));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
    call_status = stub->CreateOrganisation(&ctx, req, &created);
  });
  absl::SleepFor(absl::Milliseconds(300));
  ASSERT_EQ(kill(registry.pid(), SIGTERM), 0);

  bool not_serving = false;
  for (int i = 0; i < 20 && !not_serving; ++i) {
    auto h = health::Check(channel, "pdps.registry.v1.RegistryService", absl::Seconds(1));
    not_serving = h.ok() && *h == health::Serving::kNotServing;
    if (!not_serving) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(not_serving) << "health did not turn NOT_SERVING after SIGTERM";

  absl::SleepFor(absl::Milliseconds(1500));  // past the drain: the listener is closing
  ASSERT_TRUE(locker->ExecScript("COMMIT").ok());
  in_flight.join();
  EXPECT_TRUE(call_status.ok()) << call_status.error_message();
  EXPECT_FALSE(created.id().empty());

  EXPECT_EQ(registry.Wait(), 0);
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM registry.organisations WHERE display_name = "
                      "'Created During Shutdown Ltd'")[0],
            "1");
}

TEST(Startup, BadConfigurationIsReportedClearlyAndExitsNonZero) {
  std::string binary = systemtest::BinaryDir() + "/services/registry/registry";
  std::string out = absl::StrCat(::testing::TempDir(), "/bad-config-", getpid(), ".txt");
  std::string cmd = absl::StrCat("env -i PDPS_DB_POOL_SIZE=zero PDPS_SHUTDOWN_GRACE=soon ", binary,
                                 " serve --colour=blue > ", out, " 2>&1");
  int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 2);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* want : {"PDPS_DB_POOL_SIZE", "PDPS_SHUTDOWN_GRACE", "PDPS_DATABASE_URL",
                           "PDPS_JWT_ISSUER", "PDPS_JWT_KEYS_DIR", "--colour: unknown flag"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << " missing from:\n" << text;
  }
}

// What each service needs of its own to serve is reported with the common settings, all
// at once, before anything is opened: exit status 2, every setting named.
TEST(Startup, EachServicesOwnSettingsAreReportedWithTheRest) {
  struct Case {
    const char* service;
    const char* env;
    std::vector<const char*> want;
  };
  const std::string holidays =
      absl::StrCat(::testing::TempDir(), "/bad-holidays-", getpid(), ".txt");
  std::ofstream(holidays) << "2027-13-45 add Not a day\n";
  const Case cases[] = {
      {"registry",
       "PDPS_WORKFORCE_ADDR=",
       {"PDPS_WORKFORCE_ADDR: is required", "PDPS_SERVICE_TOKEN_FILE", "PDPS_JWT_ISSUER"}},
      {"referrals",
       "PDPS_LOG_LEVEL=loud",
       {"PDPS_WORKFORCE_ADDR", "PDPS_SERVICE_TOKEN_FILE", "PDPS_DATABASE_URL",
        "PDPS_LOG_LEVEL: must be debug, info, warning or error, got \"loud\""}},
      {"workforce",
       "PDPS_REGISTRY_ADDR=",
       {"PDPS_REGISTRY_ADDR", "PDPS_SERVICE_TOKEN_FILE", "PDPS_HOLIDAY_CHANGES_FILE"}},
  };
  for (const Case& c : cases) {
    std::string binary =
        absl::StrCat(systemtest::BinaryDir(), "/services/", c.service, "/", c.service);
    std::string out = absl::StrCat(::testing::TempDir(), "/bad-", c.service, "-", getpid(), ".txt");
    std::string cmd = absl::StrCat("env -i ", c.env, " PDPS_HOLIDAY_CHANGES_FILE=", holidays, " ",
                                   binary, " serve > ", out, " 2>&1");
    int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc));
    EXPECT_EQ(WEXITSTATUS(rc), 2) << c.service;
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* want : c.want) {
      EXPECT_NE(text.find(want), std::string::npos) << want << " missing from:\n" << text;
    }
  }
}

// A second replica started on a taken port says so in the system's words and exits 1,
// rather than "cannot listen" alone (an SRE's 3 a.m. question is why).
TEST(Startup, ATakenPortIsNamedWithTheSystemsReason) {
  auto db = testing::TestDatabase::Create("takenport", {"registry"});
  systemtest::DevKeys keys("pdps-takenport-keys");
  auto env = systemtest::RegistryAloneEnv(keys);
  systemtest::ServiceProcess first("registry", db->Conninfo("registry_app"), env);
  env["PDPS_GRPC_ADDR"] = first.address();
  env["PDPS_DATABASE_URL"] = db->Conninfo("registry_app");
  env["PDPS_METRICS_ADDR"] = "127.0.0.1:0";
  std::string cmd = "env -i";
  for (const auto& [k, v] : env) absl::StrAppend(&cmd, " ", k, "='", v, "'");
  const std::string out = absl::StrCat(::testing::TempDir(), "/taken-port-", getpid(), ".txt");
  absl::StrAppend(&cmd, " ", systemtest::BinaryDir(), "/services/registry/registry serve > ", out,
                  " 2>&1");
  int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find(absl::StrCat("cannot listen for gRPC on ", first.address(),
                                   ": Address already in use")),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("start-up failed"), std::string::npos) << text;
}

// An operator running `migrate` with a role that does not exist is told what to fix (the
// server's own words), not the clients' "retry the call".
TEST(Startup, AMigrateThatCannotUseTheDatabaseSaysWhy) {
  auto db = testing::TestDatabase::Create("badrole", {"registry"});
  std::string binary = systemtest::BinaryDir() + "/services/registry/registry";
  std::string out = absl::StrCat(::testing::TempDir(), "/bad-role-", getpid(), ".txt");
  std::string cmd =
      absl::StrCat("env -i PDPS_MIGRATION_DATABASE_URL='", db->Conninfo("nosuch_owner"), "' ",
                   binary, " migrate > ", out, " 2>&1");
  int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("migrate failed"), std::string::npos) << text;
  EXPECT_NE(text.find("role \\\"nosuch_owner\\\" does not exist"), std::string::npos) << text;
  EXPECT_EQ(text.find("retry the call"), std::string::npos) << text;
}

}  // namespace
}  // namespace pdps
