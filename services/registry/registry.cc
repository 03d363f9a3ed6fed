// Registry assembly.
#include "services/registry/registry.h"

#include "absl/time/clock.h"
#include "common/event_types.h"
#include "common/log.h"
#include "common/status.h"

namespace pdps::registry {

Options ReadOptions(Settings& s) {
  Options o;
  o.workforce_addr = s.String("workforce_addr", "");
  // The identity reads workforce's feed: needed only with an address to read it at.
  o.identity = auth::ReadServiceIdentityConfig(s, /*required=*/!o.workforce_addr.empty());
  o.feed_poll_interval = s.Duration("feed_poll_interval", o.feed_poll_interval,
                                    absl::Milliseconds(50), absl::Minutes(10));
  return o;
}

absl::StatusOr<std::unique_ptr<Registry>> Assemble(service::Base& base, const Options& options,
                                                   std::unique_ptr<auth::ServiceTokenSource> tokens) {
  auto r = std::make_unique<Registry>();
  r->store = std::make_unique<Store>(base.pool.get());
  r->api = std::make_unique<RegistryServiceImpl>(base.gate.get(), r->store.get());
  r->feed = std::make_unique<events::FeedService>(base.gate.get(), base.pool.get(),
                                                  &r->store->outbox());
  base.runner->AddService(r->api.get());
  base.runner->AddService(r->feed.get());
  Store* store = r->store.get();
  const Clock* clock = base.clock;

  if (!options.workforce_addr.empty()) {
    if (tokens == nullptr) {
      ASSIGN_OR_RETURN(tokens, auth::ServiceTokenSource::Create(
                                   options.identity, "registry", base.config.jwt_issuer,
                                   base.config.jwt_audience, base.clock));
    }
    r->tokens = std::move(tokens);
    auth::ServiceTokenSource* source = r->tokens.get();
    auth::ExportTokenExpiry(*base.metrics, "registry", source);
    r->workforce_feed = std::make_unique<events::Consumer>(
        "registry<-workforce", "registry", base.pool.get(),
        grpc::CreateChannel(options.workforce_addr, grpc::InsecureChannelCredentials()),
        [source] { return source->Token(); },
        [store, clock](db::Tx& tx, const pdps::common::v1::Event& e) {
          return store->ApplySuspensionRule(tx, e, clock->Now());
        },
        std::vector<std::string>{event_types::workforce::kSuspensionRuleTripped});
  } else {
    log::Warning("PDPS_WORKFORCE_ADDR is not set: automatic suspension rules are not applied");
  }
  if (!options.start_workers) return r;

  metrics::Registry* m = base.metrics.get();
  absl::Duration sweep_interval = options.sweep_interval;
  // Announces lapsed mandatory documents (ComplianceDocumentExpired); every replica may
  // run it, rows are claimed with SKIP LOCKED.
  // Resolved now, so that the series is scraped (at 0) before the first sweep.
  double* expired = m->CounterCell("pdps_registry_documents_expired_total",
                                   "Mandatory compliance documents announced as expired.", {});
  base.runner->AddWorker("expiry-sweeper", [store, clock, m, sweep_interval,
                                            expired](server::Stopper& stop) {
    do {
      auto n = store->AnnounceExpiredDocuments(clock->Now(), absl::Now() + absl::Seconds(30));
      if (!n.ok()) {
        log::Warning("expiry sweep failed", {{"error", std::string(n.status().message())}});
      } else if (*n > 0) {
        m->Add(expired, *n);
        log::Info("expired documents announced", {{"count", *n}});
      }
    } while (stop.Sleep(sweep_interval));
  });
  if (r->workforce_feed != nullptr) {
    events::Consumer* consumer = r->workforce_feed.get();
    absl::Duration poll = options.feed_poll_interval;
    base.runner->AddWorker("workforce-feed",
                           [consumer, poll, m](server::Stopper& stop) {
                             consumer->Run(stop, poll, m);
                           });
  }
  return r;
}

}  // namespace pdps::registry
