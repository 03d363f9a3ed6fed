// Migration runner.
#include "common/migrate.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/status.h"

namespace pdps::db {
namespace {

bool ValidSchemaName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
}

bool IsLockTimeout(const absl::Status& st) {
  auto state = st.GetPayload("pdps.dev/sqlstate");
  return state.has_value() && *state == "55P03";
}

// The other sessions holding locks on the schema's tables, for the operator: "pid 4711
// (registry_app, registry) on admissions". Which of them blocked us is gone with our
// rolled-back attempt; a long-running one will still be there.
std::string LockHolders(Connection& conn, const std::string& schema) {
  absl::StatusOr<Result> r = conn.Exec(
      "SELECT l.pid::text AS pid, coalesce(a.usename::text, '?') AS who,"
      "       coalesce(nullif(a.application_name, ''), '-') AS app,"
      "       string_agg(DISTINCT c.relname, ', ' ORDER BY c.relname) AS tables"
      "  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
      "  JOIN pg_namespace n ON n.oid = c.relnamespace"
      "  LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
      " WHERE n.nspname = $1 AND l.granted AND l.pid <> pg_backend_pid()"
      " GROUP BY l.pid, a.usename, a.application_name ORDER BY l.pid LIMIT 5",
      {schema});
  if (!r.ok() || r->rows() == 0) return "none now";
  std::vector<std::string> holders;
  for (int i = 0; i < r->rows(); ++i) {
    holders.push_back(absl::StrCat("pid ", r->String(i, "pid"), " (", r->String(i, "who"), ", ",
                                   r->String(i, "app"), ") on ", r->String(i, "tables")));
  }
  return absl::StrJoin(holders, "; ");
}

// One file in its own transaction, waiting at most options.lock_timeout for each lock,
// tried again (MigrateOptions) while that is why it failed.
absl::Status Apply(Connection& conn, const std::string& schema, const MigrationFile& f,
                   const MigrateOptions& options) {
  const std::string script = absl::StrCat(
      "BEGIN;\nSET LOCAL lock_timeout = ",
      std::max<int64_t>(1, absl::ToInt64Milliseconds(options.lock_timeout)), ";\n", f.sql,
      "\n;INSERT INTO ", schema, ".schema_migrations (version, name, checksum) VALUES (", f.version,
      ", ", conn.Literal(f.name), ", ", conn.Literal(f.checksum), ");\nCOMMIT;");
  absl::Duration pause = options.first_pause;
  for (int attempt = 1;; ++attempt) {
    absl::Status st = conn.ExecScript(script);
    if (st.ok()) return st;
    (void)conn.ExecScript("ROLLBACK");
    if (!IsLockTimeout(st)) return st;
    const std::string holders = LockHolders(conn, schema);
    if (attempt >= options.attempts) {
      absl::Status out = absl::UnavailableError(absl::StrCat(
          "could not take its locks within ", absl::FormatDuration(options.lock_timeout), ", ",
          attempt, " times; sessions holding locks on ", schema, ": ", holders,
          ". End or wait for them (pg_stat_activity), then migrate again"));
      st.ForEachPayload(
          [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
      return out;
    }
    log::Warning("migration waits for a lock; trying again",
                 {{"schema", schema},
                  {"file", f.name},
                  {"attempt", attempt},
                  {"pause", absl::FormatDuration(pause)},
                  {"lock_holders", holders}});
    absl::SleepFor(pause);
    pause = std::min(pause * 2, options.max_pause);
  }
}

// The checksums a file's opening comment lines say it replaces (MigrationFile::replaces).
std::vector<std::string> Replaced(const std::string& sql) {
  constexpr absl::string_view kMark = "-- pdps-migration: replaces ";
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    if (!absl::StartsWith(line, "--")) break;
    if (absl::ConsumePrefix(&line, kMark)) {
      out.emplace_back(absl::StripAsciiWhitespace(line));
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<MigrationFile>> LoadMigrations(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("migrations directory ", dir, " not found"));
  }
  std::vector<MigrationFile> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    auto underscore = name.find('_');
    MigrationFile f;
    if (underscore == std::string::npos ||
        !absl::SimpleAtoi(name.substr(0, underscore), &f.version) || f.version <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration file ", name, " must be named NNNN_description.sql"));
    }
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    f.name = name;
    f.sql = ss.str();
    f.checksum = Sha256Hex(f.sql);
    f.replaces = Replaced(f.sql);
    files.push_back(std::move(f));
  }
  std::sort(files.begin(), files.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.version < b.version; });
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].version != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migrations must be numbered 1, 2, 3, ... without gaps; found ", files[i].name));
    }
  }
  return files;
}

absl::StatusOr<MigrationReport> Migrate(Connection& conn, const std::string& schema,
                                        const std::vector<MigrationFile>& files,
                                        const MigrateOptions& options) {
  if (!ValidSchemaName(schema)) {
    return absl::InvalidArgumentError("schema name must be lower-case letters and _");
  }
  const std::string lock =
      absl::StrCat("SELECT pg_advisory_lock(hashtextextended('pdps.migrate.", schema, "', 0))");
  const std::string unlock =
      absl::StrCat("SELECT pg_advisory_unlock(hashtextextended('pdps.migrate.", schema, "', 0))");
  RETURN_IF_ERROR(conn.ExecScript(lock));
  MigrationReport report;
  absl::Status st = [&]() -> absl::Status {
    RETURN_IF_ERROR(conn.ExecScript(absl::StrCat(
        "CREATE SCHEMA IF NOT EXISTS ", schema, ";",
        "CREATE TABLE IF NOT EXISTS ", schema, ".schema_migrations (",
        "  version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,",
        "  applied_at timestamptz NOT NULL DEFAULT now());",
        "ALTER TABLE ", schema, ".schema_migrations ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE ", schema, ".schema_migrations FORCE ROW LEVEL SECURITY;",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = '", schema,
        "' AND tablename = 'schema_migrations') THEN ",
        "CREATE POLICY owner_only ON ", schema,
        ".schema_migrations USING (true); END IF; END $$;")));  // only the owner has grants
    ASSIGN_OR_RETURN(Result applied,
                     conn.Exec(absl::StrCat("SELECT version, name, checksum FROM ", schema,
                                            ".schema_migrations ORDER BY version"),
                               {}));
    for (const auto& f : files) {
      bool done = false;
      for (int r = 0; r < applied.rows(); ++r) {
        if (applied.Int64(r, "version") == f.version) {
          done = true;
          const std::string was = applied.String(r, "checksum");
          if (was != f.checksum &&
              std::find(f.replaces.begin(), f.replaces.end(), was) == f.replaces.end()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "migration ", f.name, " changed after it was applied; add a new migration"));
          }
        }
      }
      if (done) {
        ++report.already;
        continue;
      }
      absl::Status apply = Apply(conn, schema, f, options);
      if (!apply.ok()) {
        log::Error("migration failed", {{"schema", schema}, {"file", f.name}});
        absl::Status failed(apply.code(),
                            absl::StrCat("migration ", f.name, " failed: ", apply.message()));
        // The database's reason (db::ReasonOf) goes on to the `migrate failed` line.
        apply.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
          failed.SetPayload(url, payload);
        });
        return failed;
      }
      log::Info("migration applied", {{"schema", schema}, {"file", f.name}});
      ++report.applied;
    }
    return absl::OkStatus();
  }();
  (void)conn.ExecScript(unlock);
  if (!st.ok()) return st;
  return report;
}

absl::Status BootstrapRoles(Connection& su, const std::string& service,
                            const std::string& database) {
  if (!ValidSchemaName(service)) {
    return absl::InvalidArgumentError("service name must be lower-case letters and _");
  }
  // Every service's migrate runs this, the Jobs all at once: two GRANTs on the database
  // at the same moment fail with "tuple concurrently updated" (its ACL is one catalog
  // row). So bootstrap runs one at a time, under a database-wide advisory lock that its
  // transaction holds. Roles are cluster-wide, and a bootstrap in another database is not
  // serialised by that lock: tolerate another process creating them at the same moment.
  std::string script =
      "BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('pdps.bootstrap', 0));";
  for (const char* suffix : {"_owner", "_app"}) {
    absl::StrAppend(&script, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '",
                    service, suffix, "') THEN CREATE ROLE ", service, suffix,
                    " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; END IF; "
                    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;");
  }
  absl::StrAppend(&script, "GRANT CONNECT, CREATE ON DATABASE \"", database, "\" TO ", service,
                  "_owner; GRANT CONNECT ON DATABASE \"", database, "\" TO ", service,
                  "_app; COMMIT;");
  absl::Status st = su.ExecScript(script);
  if (!st.ok()) (void)su.ExecScript("ROLLBACK");
  return st;
}

}  // namespace pdps::db
