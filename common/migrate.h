// Forward-only schema migrations: numbered SQL files applied in order, each in its own
// transaction, under a per-schema advisory lock so that replicas starting together
// apply each file exactly once. Applied files are recorded with a checksum in
// <schema>.schema_migrations; an applied file that later changed is refused.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db.h"

namespace pdps::db {

struct MigrationFile {
  int version = 0;
  std::string name;  // file name
  std::string sql;
  std::string checksum;  // SHA-256 hex of sql
  // Checksums of earlier texts of this file that stay accepted where they were applied:
  // a line "-- pdps-migration: replaces <sha256 hex>" among its opening comment lines.
  // Only for a file corrected in place because its first text failed wherever it had
  // work to do (where it applied, it did nothing the correction does differently).
  std::vector<std::string> replaces;
};

// Reads NNNN_description.sql files from `dir`, sorted; versions must run 1, 2, 3, ...
// An applied file whose checksum is neither its own nor one it replaces is refused.
absl::StatusOr<std::vector<MigrationFile>> LoadMigrations(const std::string& dir);

struct MigrationReport {
  int applied = 0;
  int already = 0;
};

// How long a migration may wait for a table lock. A migration that alters a table needs
// its ACCESS EXCLUSIVE lock; waiting behind a long transaction would queue every call of
// the running service behind it. So each file waits at most `lock_timeout`, rolls back,
// and tries again after a pause (1 s, doubling, at most `max_pause`), `attempts` times in
// all; then the migration fails, naming the sessions that held locks on the schema.
struct MigrateOptions {
  absl::Duration lock_timeout = absl::Seconds(5);
  int attempts = 10;
  absl::Duration first_pause = absl::Seconds(1);
  absl::Duration max_pause = absl::Seconds(15);
};

// Applies what is missing, connected as the schema's owner role.
absl::StatusOr<MigrationReport> Migrate(Connection& conn, const std::string& schema,
                                        const std::vector<MigrationFile>& files,
                                        const MigrateOptions& options = {});

}  // namespace pdps::db

namespace pdps::db {

// Creates the service's roles if missing — "<service>_owner" (owns the schema, runs
// migrations) and "<service>_app" (the runtime login: owns nothing, gets only the grants
// the migrations give it) — and lets the owner create its schema in `database`.
// Run as a superuser; used by the local runner and the test harness. In Kubernetes,
// CloudNativePG creates the roles (k8s/base/postgres).
absl::Status BootstrapRoles(Connection& superuser, const std::string& service,
                            const std::string& database);

}  // namespace pdps::db
