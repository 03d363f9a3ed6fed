// What every PDPS service process has in common: its configuration, its database pool,
// token verifier, metrics, gate and runner, the `migrate` sub-command, and main().
// A service's own main supplies only its name, ports, policy and what it registers.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth.h"
#include "common/calendar/calendar.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/db.h"
#include "common/metrics.h"
#include "common/server.h"

namespace pdps::service {

struct Config {
  std::string service;          // "registry"
  std::string grpc_addr;        // PDPS_GRPC_ADDR
  std::string metrics_addr;     // PDPS_METRICS_ADDR ("" disables)
  std::string database_url;     // PDPS_DATABASE_URL: runtime role
  std::string migration_database_url;  // PDPS_MIGRATION_DATABASE_URL: owner role
  std::string bootstrap_database_url;  // PDPS_BOOTSTRAP_DATABASE_URL: superuser, local only
  std::string migrations_dir;   // PDPS_MIGRATIONS_DIR
  bool migrate_on_start = false;  // PDPS_MIGRATE_ON_START
  // PDPS_MIGRATE_LOCK_TIMEOUT: a migration's wait for each table lock (db::MigrateOptions)
  absl::Duration migrate_lock_timeout = absl::Seconds(5);
  std::string jwt_issuer, jwt_audience, jwt_keys_dir;
  std::string log_level = "info";
  int db_pool_size = 8;
  absl::Duration db_acquire_timeout = absl::Seconds(2);
  absl::Duration default_deadline = absl::Seconds(10);
  absl::Duration max_deadline = absl::Seconds(60);
  absl::Duration shutdown_grace = absl::Seconds(20);
  absl::Duration shutdown_drain = absl::Seconds(1);  // PDPS_SHUTDOWN_DRAIN
};

// The grpc.health.v1 name a service reports: "registry" → "pdps.registry.v1.RegistryService".
std::string HealthServiceName(const std::string& service);

// PDPS_HOLIDAY_CHANGES_FILE (optional): changes to the England & Wales bank holidays
// (decision 0008). When serving, a file that is missing or does not parse is reported
// with the other settings, before anything starts.
std::string ReadHolidayChangesFile(Settings& s);
// England & Wales bank holidays with the changes in `path` ("" for none).
absl::StatusOr<calendar::HolidayCalendar> LoadHolidays(const std::string& path);

// Reads the common settings; the caller reads its own extras from `s` and then calls
// s.Finish() to report every bad value at once.
Config ReadConfig(Settings& s, const std::string& service, int default_grpc_port,
                  int default_metrics_port);

// PDPS_* variables in the environment that nothing read from `s` (after every setting
// was read) and that are not another PDPS program's (pdpsctl, make run): misspelt, most
// likely. main() logs them as a warning at start.
std::vector<std::string> UnknownVariables(const Settings& s);

// The parts every service process wires together.
struct Base {
  Config config;
  const Clock* clock = nullptr;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<auth::Verifier> verifier;
  std::unique_ptr<metrics::Registry> metrics;
  std::unique_ptr<server::Gate> gate;
  std::unique_ptr<server::Runner> runner;
};

// Connects the pool (migrating first if configured), loads keys, builds gate and runner.
absl::StatusOr<std::unique_ptr<Base>> Build(const Config& config, const auth::AccessPolicy* policy,
                                            const Clock* clock,
                                            std::unique_ptr<auth::Verifier> verifier = nullptr);

// Bootstraps roles (if a superuser URL is given) and applies the service's migrations.
absl::Status Migrate(const Config& config);

// main() for a service: parses settings, runs `migrate` or `serve`. `extra` reads
// service-specific settings; `serve` registers services and workers on the base, returns
// an object kept alive until shutdown.
using ServeFn = std::function<absl::StatusOr<std::shared_ptr<void>>(Base&)>;
// Reads a service's own settings (peers, worker intervals) before they are checked, so
// that every bad or unknown value of either kind is reported at once.
using ExtraFn = std::function<void(Settings&)>;
int Main(int argc, char** argv, const std::string& service, int grpc_port, int metrics_port,
         const auth::AccessPolicy* policy, const ServeFn& serve, const ExtraFn& extra = nullptr);

}  // namespace pdps::service
