// TestDatabase.
#include "common/testing/pg_harness.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/ids.h"
#include "common/migrate.h"

namespace pdps::testing {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "pg_harness: %s\n", what.c_str());
  std::abort();
}

std::string ServerConninfo() {
  const char* env = std::getenv("PDPS_TEST_PG_ENV");
  if (env == nullptr) {
    Die("PDPS_TEST_PG_ENV is not set: run database tests through ctest, which starts the "
        "throwaway PostgreSQL cluster (tests/pg/start.sh)");
  }
  std::ifstream in(env);
  std::string line;
  if (!std::getline(in, line) || line.empty()) {
    Die(absl::StrCat("no cluster conninfo in ", env, ": did the pg fixture start?"));
  }
  // Drop the trailing dbname so we can pick the database ourselves.
  return absl::StrReplaceAll(line, {{" dbname=postgres", ""}});
}

std::unique_ptr<db::Connection> Connect(const std::string& conninfo) {
  auto c = db::Connection::Open(conninfo);
  if (!c.ok()) Die(absl::StrCat("cannot connect: ", c.status().ToString()));
  return std::move(c).value();
}

}  // namespace

std::string TestDatabase::MigrationsDir(const std::string& service) {
  const char* src = std::getenv("PDPS_SOURCE_DIR");
  return absl::StrCat(src != nullptr ? src : ".", "/services/", service, "/migrations");
}

std::unique_ptr<TestDatabase> TestDatabase::Create(const std::string& prefix,
                                                   const std::vector<std::string>& services) {
  auto t = std::unique_ptr<TestDatabase>(new TestDatabase());
  t->super_conninfo_ = ServerConninfo();
  t->name_ = absl::StrCat("t_", prefix, "_", NewUuid().substr(0, 8));
  {
    auto su = Connect(t->super_conninfo_ + " dbname=postgres");
    auto st = su->ExecScript(absl::StrCat("CREATE DATABASE ", t->name_));
    if (!st.ok()) Die(st.ToString());
  }
  auto su = Connect(t->Conninfo("postgres"));
  for (const auto& svc : services) {
    auto st = db::BootstrapRoles(*su, svc, t->name_);
    if (!st.ok()) Die(st.ToString());
    auto files = db::LoadMigrations(MigrationsDir(svc));
    if (!files.ok()) Die(files.status().ToString());
    auto owner = Connect(t->Conninfo(svc + "_owner"));
    auto rep = db::Migrate(*owner, svc, *files);
    if (!rep.ok()) Die(rep.status().ToString());
  }
  return t;
}

TestDatabase::~TestDatabase() {
  // Databases are left for inspection; the cluster is deleted when the run ends.
}

std::string TestDatabase::Conninfo(const std::string& role) const {
  return absl::StrCat(absl::StrReplaceAll(super_conninfo_, {{"user=postgres", ""}}),
                      " user=", role, " dbname=", name_);
}

std::unique_ptr<db::Pool> TestDatabase::AppPool(const std::string& service, int size) const {
  db::PoolOptions o;
  o.conninfo = Conninfo(service + "_app");
  o.size = size;
  auto p = db::Pool::Create(o);
  if (!p.ok()) Die(p.status().ToString());
  return std::move(p).value();
}

std::vector<std::string> TestDatabase::Query(const std::string& sql,
                                             const std::vector<db::Param>& params) const {
  auto c = Connect(Conninfo("postgres"));
  auto r = c->Exec(sql, params);
  if (!r.ok()) Die(absl::StrCat("query failed: ", sql, ": ", r.status().ToString()));
  std::vector<std::string> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(r->String(i, "v"));
  return out;
}

void TestDatabase::Run(const std::string& script) const {
  auto c = Connect(Conninfo("postgres"));
  auto st = c->ExecScript(script);
  if (!st.ok()) Die(absl::StrCat("script failed: ", script, ": ", st.ToString()));
}

void TestDatabase::RunMigration(const std::string& service, const std::string& file) const {
  std::string path = absl::StrCat(MigrationsDir(service), "/", file);
  std::ifstream in(path);
  if (!in) Die(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  Run(text.str());
}

}  // namespace pdps::testing
