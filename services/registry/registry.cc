// Registry assembly.
#include "services/registry/registry.h"

#include "absl/time/clock.h"
#include "common/log.h"

namespace pdps::registry {

std::unique_ptr<Registry> Assemble(service::Base& base, absl::Duration sweep_interval) {
  auto r = std::make_unique<Registry>();
  r->store = std::make_unique<Store>(base.pool.get());
  r->api = std::make_unique<RegistryServiceImpl>(base.gate.get(), r->store.get());
  r->feed = std::make_unique<events::FeedService>(base.gate.get(), base.pool.get(),
                                                  &r->store->outbox());
  base.runner->AddService(r->api.get());
  base.runner->AddService(r->feed.get());
  Store* store = r->store.get();
  const Clock* clock = base.clock;
  metrics::Registry* m = base.metrics.get();
  // Announces lapsed mandatory documents (ComplianceDocumentExpired); every replica may
  // run it, rows are claimed with SKIP LOCKED.
  base.runner->AddWorker("expiry-sweeper", [store, clock, m, sweep_interval](server::Stopper& stop) {
    do {
      auto n = store->AnnounceExpiredDocuments(clock->Now(), absl::Now() + absl::Seconds(30));
      if (!n.ok()) {
        log::Warning("expiry sweep failed", {{"error", std::string(n.status().message())}});
      } else if (*n > 0) {
        m->Increment("pdps_registry_documents_expired_total",
                     "Mandatory compliance documents announced as expired.", {}, *n);
        log::Info("expired documents announced", {{"count", *n}});
      }
    } while (stop.Sleep(sweep_interval));
  });
  return r;
}

}  // namespace pdps::registry
