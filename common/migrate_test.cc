// `migrate` as the Jobs and the local runner run it (service::Migrate: bootstrap the
// roles as the superuser, then apply the migrations as the owner), many at once on a
// fresh database: every run must succeed, as operations.md promises. And a migration
// that cannot take a table's lock gives up and tries again, naming who holds it.
#include "common/migrate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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

// The registry's migrations plus one that alters the organisations table.
std::vector<MigrationFile> WithAlteringFile() {
  auto files = LoadMigrations(TestDatabase::MigrationsDir("registry"));
  EXPECT_TRUE(files.ok()) << files.status();
  MigrationFile f;
  f.version = static_cast<int>(files->size()) + 1;
  f.name = absl::StrCat(f.version, "_probe.sql");
  f.sql = "ALTER TABLE registry.organisations ADD COLUMN probe integer;";
  f.checksum = "probe";
  files->push_back(f);
  return *files;
}

MigrateOptions Quick(int attempts) {
  MigrateOptions o;
  o.lock_timeout = absl::Milliseconds(50);
  o.attempts = attempts;
  o.first_pause = absl::Milliseconds(20);
  o.max_pause = absl::Milliseconds(40);
  return o;
}

TEST(MigrateLocks, AMigrationBehindALongTransactionGivesUpNamingItAndWritesNothing) {
  auto db = TestDatabase::Create("mlock", {"registry"});
  const std::string before =
      db->Query("SELECT count(*)::text AS v FROM registry.schema_migrations")[0];
  auto reader =
      std::move(Connection::Open(db->Conninfo("postgres") + " application_name=long_reader"))
          .value();
  ASSERT_TRUE(reader->ExecScript("BEGIN; SELECT count(*) FROM registry.organisations;").ok());

  auto owner = std::move(Connection::Open(db->Conninfo("registry_owner"))).value();
  absl::Time start = absl::Now();
  auto r = Migrate(*owner, "registry", WithAlteringFile(), Quick(3));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
  EXPECT_THAT(
      std::string(r.status().message()),
      ::testing::AllOf(::testing::HasSubstr("_probe.sql"), ::testing::HasSubstr("3 times"),
                       ::testing::HasSubstr("long_reader"), ::testing::HasSubstr("organisations")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));  // 3 × 50 ms + two pauses, not forever
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM registry.schema_migrations")[0], before);
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM information_schema.columns "
                      "WHERE table_schema = 'registry' AND column_name = 'probe'")[0],
            "0");
  // And the reader, which was never blocked for long, still works.
  EXPECT_TRUE(reader->ExecScript("SELECT 1; COMMIT;").ok());
}

TEST(MigrateLocks, AMigrationTriesAgainAndAppliesOnceTheLockIsFree) {
  auto db = TestDatabase::Create("mlock", {"registry"});
  auto reader = std::move(Connection::Open(db->Conninfo("postgres"))).value();
  ASSERT_TRUE(reader->ExecScript("BEGIN; SELECT count(*) FROM registry.organisations;").ok());
  std::thread release([&] {
    absl::SleepFor(absl::Milliseconds(200));
    (void)reader->ExecScript("COMMIT");
  });
  auto owner = std::move(Connection::Open(db->Conninfo("registry_owner"))).value();
  auto r = Migrate(*owner, "registry", WithAlteringFile(), Quick(50));
  release.join();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->applied, 1);
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM information_schema.columns "
                      "WHERE table_schema = 'registry' AND column_name = 'probe'")[0],
            "1");
}

// A file corrected in place names the checksum of its first text: a database that
// applied that text goes on, and one that applied any other text is still refused.
TEST(MigrateChecksums, ACorrectedFileAcceptsOnlyTheTextItReplaces) {
  auto db = TestDatabase::Create("mcsum", {"registry"});
  auto owner = std::move(Connection::Open(db->Conninfo("registry_owner"))).value();
  std::vector<MigrationFile> files = WithAlteringFile();
  ASSERT_TRUE(Migrate(*owner, "registry", files).ok());
  MigrationFile& probe = files.back();
  const std::string first = probe.checksum;
  probe.sql = "-- corrected\nALTER TABLE registry.organisations ADD COLUMN probe integer;";
  probe.checksum = "corrected";
  auto r = Migrate(*owner, "registry", files);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::HasSubstr("changed after it was applied"));
  probe.replaces = {first};
  r = Migrate(*owner, "registry", files);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->applied, 0);
  probe.replaces = {"another"};
  EXPECT_FALSE(Migrate(*owner, "registry", files).ok());
}

// The line is read from the file's opening comments only.
TEST(MigrateChecksums, TheReplacedChecksumsAreReadFromTheOpeningComments) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/migrations_",
                                       ::testing::UnitTest::GetInstance()->random_seed());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/0001_first.sql")
      << "-- pdps-migration: replaces aaa\n-- why\n-- pdps-migration: replaces bbb \n"
         "SELECT 1;\n-- pdps-migration: replaces ccc\n";
  auto files = LoadMigrations(dir);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_THAT((*files)[0].replaces, ::testing::ElementsAre("aaa", "bbb"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace pdps::db
