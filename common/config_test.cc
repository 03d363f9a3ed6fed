// Settings: flags over environment, every bad value reported at once.
#include "common/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace pdps {
namespace {

using ::testing::HasSubstr;

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

TEST(Settings, RangeIsChecked) {
  auto s = Settings::FromMap({{"db_pool_size", "0"}});
  EXPECT_EQ(s.Int("db_pool_size", 8, 1, 64), 8);
  EXPECT_FALSE(s.Finish().ok());
}

}  // namespace
}  // namespace pdps
