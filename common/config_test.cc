// Settings: flags over environment, every bad value reported at once.
#include "common/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "common/service.h"

namespace pdps {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Settings, FlagsOverrideEnvironment) {
  setenv("PDPS_DB_POOL_SIZE", "4", 1);
  setenv("PDPS_LOG_LEVEL", "debug", 1);
  const char* argv[] = {"svc", "--db-pool-size=9", "serve"};
  auto s = Settings::FromArgs(3, argv);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Int("db_pool_size", 8, 1, 64), 9);
  EXPECT_EQ(s->String("log_level", "info"), "debug");
  EXPECT_EQ(s->positional(), std::vector<std::string>{"serve"});
  EXPECT_TRUE(s->Finish().ok());
  unsetenv("PDPS_DB_POOL_SIZE");
  unsetenv("PDPS_LOG_LEVEL");
}

TEST(Settings, ReportsEveryBadValueAndUnknownFlag) {
  auto s = Settings::FromMap({{"db_pool_size", "lots"},
                              {"shutdown_grace", "forever"},
                              {"migrate_on_start", "perhaps"},
                              {"colour", "blue"}});
  s.Int("db_pool_size", 8, 1, 64);
  s.Duration("shutdown_grace", absl::Seconds(20), absl::ZeroDuration(), absl::Minutes(5));
  s.Bool("migrate_on_start", false);
  s.Required("database_url");
  auto st = s.Finish();
  ASSERT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  std::string m(st.message());
  EXPECT_THAT(m, HasSubstr("--db-pool-size / PDPS_DB_POOL_SIZE: must be a whole number"));
  EXPECT_THAT(m, HasSubstr("--shutdown-grace / PDPS_SHUTDOWN_GRACE: must be a duration"));
  EXPECT_THAT(m, HasSubstr("PDPS_MIGRATE_ON_START: must be true or false"));
  EXPECT_THAT(m, HasSubstr("PDPS_DATABASE_URL: is required"));
  EXPECT_THAT(m, HasSubstr("--colour: unknown flag"));
}

TEST(Settings, UnreadEnvironmentVariablesAreListed) {
  setenv("PDPS_DB_POOLSIZE", "4", 1);
  setenv("PDPS_SHUTDOWN_GRACE_PERIOD", "1", 1);
  setenv("PDPS_LOG_LEVEL", "debug", 1);
  setenv("PDPS_TOKEN", "ey...", 1);  // pdpsctl's
  const char* argv[] = {"registry", "migrate", "--migration-database-url=host=db"};
  auto s = Settings::FromArgs(3, argv);
  ASSERT_TRUE(s.ok());
  service::ReadConfig(*s, "registry", 7001, 9001);
  EXPECT_THAT(s->UnreadVariables(),
              ::testing::IsSupersetOf({"PDPS_DB_POOLSIZE", "PDPS_SHUTDOWN_GRACE_PERIOD"}));
  EXPECT_THAT(s->UnreadVariables(), ::testing::Contains("PDPS_TOKEN"));
  auto unknown = service::UnknownVariables(*s);
  EXPECT_THAT(unknown, ::testing::IsSupersetOf({"PDPS_DB_POOLSIZE", "PDPS_SHUTDOWN_GRACE_PERIOD"}));
  EXPECT_THAT(unknown, Not(::testing::Contains("PDPS_TOKEN")));
  EXPECT_THAT(unknown, Not(::testing::Contains("PDPS_LOG_LEVEL")));
  EXPECT_THAT(s->VariablesRead(), ::testing::Contains("PDPS_LOG_LEVEL"));
  EXPECT_TRUE(s->Finish().ok()) << "an unread variable is a warning, not an error";
  for (const char* v :
       {"PDPS_DB_POOLSIZE", "PDPS_SHUTDOWN_GRACE_PERIOD", "PDPS_LOG_LEVEL", "PDPS_TOKEN"}) {
    unsetenv(v);
  }
}

TEST(Settings, RangeIsChecked) {
  auto s = Settings::FromMap({{"db_pool_size", "0"}});
  EXPECT_EQ(s.Int("db_pool_size", 8, 1, 64), 8);
  EXPECT_FALSE(s.Finish().ok());
}

TEST(Settings, AddressMustBeHostAndPort) {
  auto s = Settings::FromMap({{"grpc_addr", "garbage"},
                              {"metrics_addr", "nonsense"},
                              {"a", "0.0.0.0:7001"},
                              {"b", "[::]:0"},
                              {"c", "localhost:99999"},
                              {"d", ":7001"},
                              {"e", "host:70x1"},
                              {"f", ""}});
  EXPECT_EQ(s.Address("a", "x:1"), "0.0.0.0:7001");
  EXPECT_EQ(s.Address("b", "x:1"), "[::]:0");
  EXPECT_EQ(s.Address("c", "x:1"), "x:1");
  EXPECT_EQ(s.Address("d", "x:1"), "x:1");
  EXPECT_EQ(s.Address("e", "x:1"), "x:1");
  EXPECT_EQ(s.Address("f", "x:1", /*empty_ok=*/true), "");
  s.Address("grpc_addr", "x:1");
  s.Address("metrics_addr", "x:1", /*empty_ok=*/true);
  std::string m(s.Finish().message());
  EXPECT_THAT(
      m, HasSubstr("PDPS_GRPC_ADDR: must be host:port, such as 0.0.0.0:7001, got \"garbage\""));
  EXPECT_THAT(m,
              HasSubstr("PDPS_METRICS_ADDR: must be host:port, such as 0.0.0.0:7001 (or empty)"));
  EXPECT_THAT(m, HasSubstr("PDPS_C: must be host:port"));
  EXPECT_THAT(m, HasSubstr("PDPS_D: must be host:port"));
  EXPECT_THAT(m, HasSubstr("PDPS_E: must be host:port"));
  EXPECT_THAT(m, Not(HasSubstr("PDPS_A:")));
  EXPECT_THAT(m, Not(HasSubstr("PDPS_B:")));
  EXPECT_THAT(m, Not(HasSubstr("PDPS_F:")));
}

// What the binaries used to find only once running is reported with the rest at start.
TEST(ReadConfig, ReportsAddressesAndDeadlinesWithTheOtherSettings) {
  auto s = Settings::FromMap({{"grpc_addr", "garbage"},
                              {"metrics_addr", "nonsense"},
                              {"default_deadline", "5m"},
                              {"max_deadline", "1s"}});
  service::ReadConfig(s, "registry", 7001, 9001);
  std::string m(s.Finish().message());
  EXPECT_THAT(m, HasSubstr("PDPS_GRPC_ADDR: must be host:port"));
  EXPECT_THAT(m, HasSubstr("PDPS_METRICS_ADDR: must be host:port"));
  EXPECT_THAT(m,
              HasSubstr("PDPS_DEFAULT_DEADLINE: must not exceed PDPS_MAX_DEADLINE (1s), got 5m"));
  EXPECT_THAT(m, Not(HasSubstr("MIGRATION_DATABASE_URL")));  // serving, not migrating on start
}

TEST(ReadConfig, MigratingRequiresTheOwnersDatabaseUrl) {
  const char* migrate[] = {"registry", "migrate"};
  auto s = Settings::FromArgs(2, migrate);
  ASSERT_TRUE(s.ok());
  service::ReadConfig(*s, "registry", 7001, 9001);
  EXPECT_THAT(std::string(s->Finish().message()),
              HasSubstr("--migration-database-url / PDPS_MIGRATION_DATABASE_URL: is required"));

  auto on_start = Settings::FromMap({{"migrate_on_start", "true"}});
  service::ReadConfig(on_start, "registry", 7001, 9001);
  EXPECT_THAT(std::string(on_start.Finish().message()),
              HasSubstr("PDPS_MIGRATION_DATABASE_URL: is required"));

  auto given = Settings::FromMap({{"migrate_on_start", "true"}, {"migration_database_url", "x"}});
  service::ReadConfig(given, "registry", 7001, 9001);
  EXPECT_TRUE(given.Finish().ok()) << given.Finish();
}

}  // namespace
}  // namespace pdps
