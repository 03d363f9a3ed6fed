// Registry assembly.
#include "services/registry/registry.h"

#include "absl/time/clock.h"
#include "common/event_types.h"
#include "common/log.h"
#include "common/peer.h"
#include "common/status.h"

namespace pdps::registry {

Options ReadOptions(Settings& s) {
  Options o;
  o.workforce_addr = service::ReadRequiredPeer(
      s, "workforce_addr", "",
      "is required: the registry applies the automatic suspension rules that trip on "
      "workforce's feed (decision 0076)");
  o.identity = auth::ReadServiceIdentityConfig(s, /*required=*/true);
  o.feed_poll_interval = service::ReadFeedPollInterval(s);
  o.expiry_sweep_interval = service::ReadExpirySweepInterval(s, o.expiry_sweep_interval);
  return o;
}

absl::StatusOr<std::unique_ptr<Registry>> Assemble(service::Base& base, const Options& options,
                                                   std::unique_ptr<auth::ServiceTokenSource> tokens) {
  auto r = std::make_unique<Registry>();
  r->store = std::make_unique<Store>(base.pool.get());
  r->api = std::make_unique<RegistryServiceImpl>(base.gate.get(), r->store.get());
  r->feed = service::AddApiAndFeed(base, r->api.get(), &r->store->outbox());
  Store* store = r->store.get();
  const Clock* clock = base.clock;

  ASSIGN_OR_RETURN(r->tokens, service::ServiceTokens(base, options.identity, std::move(tokens)));
  r->workforce_feed =
      service::AddFeedConsumer(base, r->tokens.get(),
                               {"workforce",
                                peer::Channel(options.workforce_addr),
                                {event_types::workforce::kSuspensionRuleTripped},
                                [store, clock](db::Tx& tx, const pdps::common::v1::Event& e) {
                                  return store->ApplySuspensionRule(tx, e, clock->Now());
                                },
                                options.feed_poll_interval},
                               options.start_workers);
  if (!options.start_workers) return r;

  // Announces lapsed mandatory documents (ComplianceDocumentExpired); every replica may
  // run it, rows are claimed with SKIP LOCKED.
  service::AddSweep(base, "expiry-sweeper", options.expiry_sweep_interval,
                    {{"expiry sweep failed", "pdps_registry_documents_expired_total",
                      "Mandatory compliance documents announced as expired.",
                      [store, clock]() -> absl::StatusOr<int> {
                        ASSIGN_OR_RETURN(int n, store->AnnounceExpiredDocuments(
                                                    clock->Now(), absl::Now() + absl::Seconds(30)));
                        if (n > 0) log::Info("expired documents announced", {{"count", n}});
                        return n;
                      }}});
  return r;
}

}  // namespace pdps::registry
