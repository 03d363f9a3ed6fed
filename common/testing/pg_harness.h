// Test support: a fresh database per test suite in the throwaway cluster that the ctest
// fixture (tests/pg/start.sh) starts. Never skips: without the cluster the test fails.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/db.h"

namespace pdps::testing {

class TestDatabase {
 public:
  // Creates database "t_<prefix>_<random>", bootstraps the roles of `services`, and
  // applies each service's migrations from services/<name>/migrations as its owner.
  // Aborts the test binary with a clear message if the cluster is not reachable.
  static std::unique_ptr<TestDatabase> Create(const std::string& prefix,
                                              const std::vector<std::string>& services);
  ~TestDatabase();

  const std::string& name() const { return name_; }
  // conninfo for a role in this database: "postgres", "<svc>_owner" or "<svc>_app".
  std::string Conninfo(const std::string& role) const;
  // A pool for the service's runtime role.
  std::unique_ptr<db::Pool> AppPool(const std::string& service, int size = 4) const;
  // Runs one statement as the superuser in this database (fixtures, inspection), with
  // `params` as $1, $2, ..., returning the column named "v" of every row.
  std::vector<std::string> Query(const std::string& sql,
                                 const std::vector<db::Param>& params = {}) const;
  // Runs a script of statements as the superuser in this database.
  void Run(const std::string& script) const;
  // The migrations directory of a service in the source tree.
  static std::string MigrationsDir(const std::string& service);
  // Runs one of a service's migration files again, as the superuser: a test of a data
  // migration sets up the rows it was written for, then runs it (the file must be safe
  // to run twice).
  void RunMigration(const std::string& service, const std::string& file) const;

 private:
  std::string super_conninfo_;  // server, without dbname
  std::string name_;
};

}  // namespace pdps::testing
