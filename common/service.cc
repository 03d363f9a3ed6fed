// Service process plumbing shared by every binary.
#include "common/service.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/migrate.h"
#include "common/status.h"

namespace pdps::service {
namespace {

std::string DefaultMigrationsDir(const std::string& service) {
  std::string installed = "/usr/local/share/pdps/" + service + "/migrations";
  std::error_code ec;
  if (std::filesystem::is_directory(installed, ec)) return installed;
  return std::string(PDPS_SOURCE_DIR) + "/services/" + service + "/migrations";
}

// The fields of a `start-up failed` / `migrate failed` line: the message, and the
// database's own reason when there is one ("role \"x\" does not exist", "Connection
// refused", a bad conninfo), which clients are never told.
nlohmann::json Failure(const absl::Status& st) {
  nlohmann::json f = {{"error", std::string(st.message())}};
  if (std::string reason = db::ReasonOf(st); !reason.empty()) {
    f["reason"] = reason;
    // What a client is told ("the database is unavailable; retry the call") invites the
    // operator to retry a wrong role or password: the reason says what to fix.
    if (st.code() == absl::StatusCode::kUnavailable) {
      f["error"] = "the database could not be used; the reason says why";
    }
  }
  return f;
}

// PDPS_* variables of the platform's other programs, which a developer's shell may export
// beside a service's: pdpsctl's, `make run`'s (deploy/local/run.sh) and the tests'.
constexpr const char* kOtherProgramsVariables[] = {"PDPS_TOKEN",
                                                   "PDPS_REGISTRY_ADDR",
                                                   "PDPS_REFERRALS_ADDR",
                                                   "PDPS_WORKFORCE_ADDR",
                                                   "PDPS_DEV_KEY",
                                                   "PDPS_PG_PORT",
                                                   "PDPS_REGISTRY_GRPC_PORT",
                                                   "PDPS_REFERRALS_GRPC_PORT",
                                                   "PDPS_WORKFORCE_GRPC_PORT",
                                                   "PDPS_REGISTRY_METRICS_PORT",
                                                   "PDPS_REFERRALS_METRICS_PORT",
                                                   "PDPS_WORKFORCE_METRICS_PORT",
                                                   "PDPS_SOURCE_DIR",
                                                   "PDPS_BINARY_DIR",
                                                   "PDPS_TEST_PG_ENV"};

}  // namespace

std::vector<std::string> UnknownVariables(const Settings& s) {
  std::vector<std::string> out;
  for (const auto& name : s.UnreadVariables()) {
    if (std::find(std::begin(kOtherProgramsVariables), std::end(kOtherProgramsVariables), name) ==
        std::end(kOtherProgramsVariables)) {
      out.push_back(name);
    }
  }
  return out;
}

std::string HealthServiceName(const std::string& service) {
  if (service.empty()) return "";
  return absl::StrCat("pdps.", service, ".v1.",
                      std::string(1, static_cast<char>(std::toupper(service[0]))),
                      service.substr(1), "Service");
}

Config ReadConfig(Settings& s, const std::string& service, int grpc_port, int metrics_port) {
  Config c;
  c.service = service;
  c.grpc_addr = s.Address("grpc_addr", absl::StrCat("127.0.0.1:", grpc_port));
  c.metrics_addr =
      s.Address("metrics_addr", absl::StrCat("127.0.0.1:", metrics_port), /*empty_ok=*/true);
  c.database_url = s.String("database_url", "");
  c.migration_database_url = s.String("migration_database_url", "");
  c.bootstrap_database_url = s.String("bootstrap_database_url", "");
  c.migrations_dir = s.String("migrations_dir", DefaultMigrationsDir(service));
  c.migrate_on_start = s.Bool("migrate_on_start", false);
  c.migrate_lock_timeout = s.Duration("migrate_lock_timeout", absl::Seconds(5),
                                      absl::Milliseconds(10), absl::Minutes(10));
  c.jwt_issuer = s.String("jwt_issuer", "");
  c.jwt_audience = s.String("jwt_audience", "pdps");
  c.jwt_keys_dir = s.String("jwt_keys_dir", "");
  c.log_level = s.String("log_level", "info");
  c.db_pool_size = s.Int("db_pool_size", 8, 1, 256);
  c.db_acquire_timeout = s.Duration("db_acquire_timeout", absl::Seconds(2),
                                    absl::Milliseconds(10), absl::Minutes(1));
  c.default_deadline = s.Duration("default_deadline", absl::Seconds(10), absl::Milliseconds(100),
                                  absl::Minutes(10));
  c.max_deadline = s.Duration("max_deadline", absl::Seconds(60), absl::Milliseconds(100),
                              absl::Minutes(30));
  c.shutdown_grace =
      s.Duration("shutdown_grace", absl::Seconds(20), absl::ZeroDuration(), absl::Minutes(10));
  c.shutdown_drain =
      s.Duration("shutdown_drain", absl::Seconds(1), absl::ZeroDuration(), absl::Minutes(1));
  if (c.default_deadline > c.max_deadline) {
    s.Invalid("default_deadline", absl::StrCat("must not exceed PDPS_MAX_DEADLINE (",
                                               absl::FormatDuration(c.max_deadline), "), got ",
                                               absl::FormatDuration(c.default_deadline)));
  }
  // Migrating needs the owner's connection: say so now, with the other bad settings.
  if ((!s.Serving() || c.migrate_on_start) && c.migration_database_url.empty()) {
    s.Required("migration_database_url");
  }
  return c;
}

absl::Status Migrate(const Config& c) {
  if (c.migration_database_url.empty()) {
    return absl::InvalidArgumentError(
        "PDPS_MIGRATION_DATABASE_URL (--migration-database-url) is required to migrate");
  }
  ASSIGN_OR_RETURN(auto files, db::LoadMigrations(c.migrations_dir));
  if (!c.bootstrap_database_url.empty()) {
    ASSIGN_OR_RETURN(auto su, db::Connection::Open(c.bootstrap_database_url));
    ASSIGN_OR_RETURN(db::Result r, su->Exec("SELECT current_database() AS db", {}));
    RETURN_IF_ERROR(db::BootstrapRoles(*su, c.service, r.String(0, "db")));
  }
  ASSIGN_OR_RETURN(auto owner, db::Connection::Open(c.migration_database_url));
  db::MigrateOptions options;
  options.lock_timeout = c.migrate_lock_timeout;
  ASSIGN_OR_RETURN(db::MigrationReport rep, db::Migrate(*owner, c.service, files, options));
  log::Info("migrations done", {{"applied", rep.applied}, {"already_applied", rep.already}});
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Base>> Build(const Config& c, const auth::AccessPolicy* policy,
                                            const Clock* clock,
                                            std::unique_ptr<auth::Verifier> verifier) {
  auto b = std::make_unique<Base>();
  b->config = c;
  b->clock = clock;
  if (c.migrate_on_start) RETURN_IF_ERROR(Migrate(c));
  if (verifier == nullptr) {
    ASSIGN_OR_RETURN(verifier, auth::Verifier::FromDirectory(
                                   c.jwt_keys_dir, {c.jwt_issuer, c.jwt_audience}));
  }
  b->verifier = std::move(verifier);
  db::PoolOptions po;
  po.conninfo = c.database_url;
  po.size = c.db_pool_size;
  po.acquire_timeout = c.db_acquire_timeout;
  ASSIGN_OR_RETURN(b->pool, db::Pool::Create(po));
  b->metrics = std::make_unique<metrics::Registry>();
  db::Pool* pool = b->pool.get();
  const metrics::Labels labels = {{"service", c.service}};
  b->metrics->Gauge("pdps_db_pool_size", "Configured maximum database connections.", labels,
                    [pool] { return pool->stats().size; });
  b->metrics->Gauge("pdps_db_pool_open", "Open database connections.", labels,
                    [pool] { return pool->stats().open; });
  b->metrics->Gauge("pdps_db_pool_in_use", "Database connections leased now.", labels,
                    [pool] { return pool->stats().in_use; });
  b->metrics->CounterFunc("pdps_db_pool_wait_timeouts_total",
                          "Callers that gave up waiting for a connection.", labels,
                          [pool] { return static_cast<double>(pool->stats().timeouts); });
  b->metrics->CounterFunc("pdps_db_pool_replaced_total", "Broken connections discarded.", labels,
                          [pool] { return static_cast<double>(pool->stats().replaced); });
  server::GateOptions go;
  go.service = c.service;
  go.default_deadline = c.default_deadline;
  go.max_deadline = c.max_deadline;
  b->gate = std::make_unique<server::Gate>(go, b->verifier.get(), policy, b->metrics.get(), clock);
  server::RunnerOptions ro;
  ro.service = c.service;
  ro.grpc_addr = c.grpc_addr;
  ro.metrics_addr = c.metrics_addr;
  ro.health_service = HealthServiceName(c.service);
  ro.shutdown_grace = c.shutdown_grace;
  ro.drain_delay = c.shutdown_drain;
  b->runner = std::make_unique<server::Runner>(ro, b->metrics.get());
  return b;
}

std::string ReadHolidayChangesFile(Settings& s) {
  std::string path = s.String("holiday_changes_file", "");
  if (!path.empty() && s.Serving()) {
    if (auto loaded = LoadHolidays(path); !loaded.ok()) {
      s.Invalid("holiday_changes_file", std::string(loaded.status().message()));
    }
  }
  return path;
}

absl::StatusOr<calendar::HolidayCalendar> LoadHolidays(const std::string& path) {
  calendar::HolidayCalendar holidays = calendar::HolidayCalendar::EnglandAndWales();
  if (!path.empty()) RETURN_IF_ERROR(holidays.LoadChangesFile(path));
  return holidays;
}

int Main(int argc, char** argv, const std::string& service, int grpc_port, int metrics_port,
         const auth::AccessPolicy* policy, const ServeFn& serve, const ExtraFn& extra) {
  server::BlockShutdownSignals();
  auto settings = Settings::FromArgs(argc, argv);
  if (!settings.ok()) {
    std::fprintf(stderr, "%s\n", settings.status().ToString().c_str());
    return 2;
  }
  Config config = ReadConfig(*settings, service, grpc_port, metrics_port);
  std::string command = settings->positional().empty() ? "serve" : settings->positional()[0];
  if (extra) extra(*settings);
  if (command == "serve") {
    if (config.database_url.empty()) settings->Required("database_url");
    if (config.jwt_issuer.empty()) settings->Required("jwt_issuer");
    if (config.jwt_keys_dir.empty()) settings->Required("jwt_keys_dir");
  } else if (command != "migrate") {
    std::fprintf(stderr, "usage: %s [serve|migrate] [--flag=value ...]\n", service.c_str());
    return 2;
  }
  log::Level level;
  if (!log::ParseLevel(config.log_level, &level)) {
    settings->Invalid("log_level", absl::StrCat("must be debug, info, warning or error, got \"",
                                                config.log_level, "\""));
  }
  if (auto st = settings->Finish(); !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", service.c_str(), std::string(st.message()).c_str());
    return 2;
  }
  log::Init(service, level);
  // Kubernetes configures services through the environment only, where a misspelt name
  // would otherwise pass unnoticed (flags are checked above).
  if (auto unknown = UnknownVariables(*settings); !unknown.empty()) {
    log::Warning("ignoring PDPS_* environment variables that this service does not read",
                 {{"variables", unknown}});
  }
  if (command == "migrate") {
    auto st = Migrate(config);
    if (!st.ok()) {
      log::Error("migrate failed", Failure(st));
      return 1;
    }
    return 0;
  }
  auto base = Build(config, policy, SystemClock::Get());
  if (!base.ok()) {
    log::Error("start-up failed", Failure(base.status()));
    return 1;
  }
  auto keep = serve(**base);
  if (!keep.ok()) {
    log::Error("start-up failed", Failure(keep.status()));
    return 1;
  }
  if (auto st = (*base)->runner->Start(); !st.ok()) {
    log::Error("start-up failed", Failure(st));
    return 1;
  }
  std::string sig = server::WaitForShutdownSignal();
  log::Info("signal received", {{"signal", sig}});
  // Calls may have deadlines beyond drain + grace (up to PDPS_MAX_DEADLINE), workers too:
  // their database work is cut off when the grace ends, so the process exits then.
  (*base)->pool->StopBy(absl::Now() + config.shutdown_drain + config.shutdown_grace);
  (*base)->runner->Shutdown();
  return 0;
}

}  // namespace pdps::service
