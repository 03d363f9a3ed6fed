// Workforce assembly.
#include "services/workforce/workforce.h"

#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status.h"

namespace pdps::workforce {

Options ReadOptions(Settings& s) {
  Options o;
  o.holiday_changes_file = s.String("holiday_changes_file", "");
  o.registry_addr = s.String("registry_addr", "127.0.0.1:7001");
  o.registry_timeout = s.Duration("registry_timeout", o.registry_timeout, absl::Milliseconds(100),
                                  absl::Minutes(1));
  o.identity = auth::ReadServiceIdentityConfig(s);
  o.expiry_sweep_interval = s.Duration("expiry_sweep_interval", o.expiry_sweep_interval,
                                       absl::Seconds(1), absl::Hours(24));
  return o;
}

absl::StatusOr<std::unique_ptr<Workforce>> Assemble(service::Base& base, const Options& options,
                                                    std::unique_ptr<auth::ServiceTokenSource> tokens) {
  auto w = std::make_unique<Workforce>();
  if (!options.registry_addr.empty()) {
    if (tokens == nullptr) {
      ASSIGN_OR_RETURN(tokens, auth::ServiceTokenSource::Create(
                                   options.identity, "workforce", base.config.jwt_issuer,
                                   base.config.jwt_audience, base.clock));
    }
    w->tokens = std::move(tokens);
    w->registry = std::make_unique<registry::GrpcRegistryClient>(
        grpc::CreateChannel(options.registry_addr, grpc::InsecureChannelCredentials()),
        w->tokens.get(), options.registry_timeout);
  } else {
    log::Warning("PDPS_REGISTRY_ADDR is empty: framework-scoped writes are not checked");
  }
  w->check = std::make_unique<CommissioningCheck>(w->registry.get());
  calendar::HolidayCalendar holidays = calendar::HolidayCalendar::EnglandAndWales();
  if (!options.holiday_changes_file.empty()) {
    RETURN_IF_ERROR(holidays.LoadChangesFile(options.holiday_changes_file));
  }
  w->store = std::make_unique<Store>(base.pool.get(), std::move(holidays));
  w->api = std::make_unique<WorkforceServiceImpl>(base.gate.get(), w->store.get(), w->check.get());
  w->feed = std::make_unique<events::FeedService>(base.gate.get(), base.pool.get(),
                                                  &w->store->outbox());
  base.runner->AddService(w->api.get());
  base.runner->AddService(w->feed.get());
  if (!options.start_workers) return w;
  // The expiry watch's events (ComplianceLapsing): every replica sweeps; each item and
  // stage is announced once (a unique row written with the event).
  Store* store = w->store.get();
  const Clock* clock = base.clock;
  metrics::Registry* m = base.metrics.get();
  absl::Duration interval = options.expiry_sweep_interval;
  base.runner->AddWorker("expiry-watch", [store, clock, m, interval](server::Stopper& stop) {
    do {
      auto n = store->AnnounceExpiries(clock->Now(), absl::Now() + absl::Seconds(60));
      if (!n.ok()) {
        log::Warning("expiry watch failed", {{"error", std::string(n.status().message())}});
      } else if (*n > 0) {
        m->Increment("pdps_workforce_expiries_announced_total",
                     "Worker compliance items announced as lapsing or lapsed.", {}, *n);
      }
    } while (stop.Sleep(interval));
  });
  return w;
}

}  // namespace pdps::workforce
