// `migrate` as the Jobs and the local runner run it (service::Migrate: bootstrap the
// roles as the superuser, then apply the migrations as the owner), many at once on a
// fresh database: every run must succeed, as operations.md promises.
#include "common/migrate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "common/service.h"
#include "common/testing/pg_harness.h"

namespace pdps::db {
namespace {

using ::pdps::testing::TestDatabase;

TEST(ConcurrentMigrate, EveryRunOfEveryServiceSucceedsOnAFreshDatabase) {
  // Several rounds: the bootstrap race this guards against did not show every time.
  for (int round = 0; round < 3; ++round) {
    auto fresh = TestDatabase::Create("cmig", {});
    const std::vector<std::string> services = {"registry", "referrals", "workforce"};
    constexpr int kEach = 4;
    std::vector<absl::Status> results(services.size() * kEach, absl::UnknownError("not run"));
    std::vector<std::thread> threads;
    for (size_t i = 0; i < results.size(); ++i) {
      threads.emplace_back([&, i] {
        service::Config c;
        c.service = services[i % services.size()];
        c.bootstrap_database_url = fresh->Conninfo("postgres");
        c.migration_database_url = fresh->Conninfo(c.service + "_owner");
        c.migrations_dir = TestDatabase::MigrationsDir(c.service);
        results[i] = service::Migrate(c);
      });
    }
    for (auto& t : threads) t.join();
    for (size_t i = 0; i < results.size(); ++i) {
      EXPECT_TRUE(results[i].ok())
          << "round " << round << ", " << services[i % services.size()] << ": " << results[i];
    }
    for (const auto& svc : services) {
      auto files = LoadMigrations(TestDatabase::MigrationsDir(svc));
      ASSERT_TRUE(files.ok()) << files.status();
      EXPECT_EQ(fresh->Query("SELECT count(*)::text AS v FROM " + svc + ".schema_migrations")[0],
                std::to_string(files->size()));
    }
  }
}

}  // namespace
}  // namespace pdps::db
