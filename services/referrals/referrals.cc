// Referrals assembly.
#include "services/referrals/referrals.h"

#include <algorithm>
#include <atomic>
#include <memory>

#include "absl/time/clock.h"
#include "common/event_types.h"
#include "common/log.h"
#include "common/peer.h"
#include "common/status.h"

namespace pdps::referrals {

Options ReadOptions(Settings& s) {
  Options o;
  o.registry_addr =
      service::ReadRequiredPeer(s, "registry_addr", o.registry_addr,
                                "must not be empty: referrals asks the registry who is eligible");
  o.registry_timeout = s.Duration("registry_timeout", o.registry_timeout, absl::Milliseconds(100),
                                  absl::Minutes(1));
  o.workforce_addr = service::ReadRequiredPeer(
      s, "workforce_addr", "",
      "is required: referrals checks every worker a provider names in a proposal with "
      "workforce's compliance gate (decision 0043)");
  o.workforce_timeout = s.Duration("workforce_timeout", o.workforce_timeout,
                                   absl::Milliseconds(100), absl::Minutes(1));
  o.identity = auth::ReadServiceIdentityConfig(s, /*required=*/true);
  o.holiday_changes_file = service::ReadHolidayChangesFile(s);
  o.scheduler_interval = s.Duration("scheduler_interval", o.scheduler_interval,
                                    absl::Milliseconds(50), absl::Minutes(10));
  o.feed_poll_interval = service::ReadFeedPollInterval(s);
  return o;
}

absl::StatusOr<std::unique_ptr<Referrals>> Assemble(service::Base& base, const Options& options,
                                                    std::unique_ptr<auth::ServiceTokenSource> tokens) {
  auto r = std::make_unique<Referrals>();
  ASSIGN_OR_RETURN(r->tokens, service::ServiceTokens(base, options.identity, std::move(tokens)));
  ASSIGN_OR_RETURN(calendar::HolidayCalendar holidays,
                   service::LoadHolidays(options.holiday_changes_file));
  r->registry_channel = peer::Channel(options.registry_addr);
  r->registry = std::make_unique<GrpcRegistryClient>(r->registry_channel, r->tokens.get(),
                                                     options.registry_timeout);
  r->workforce = std::make_unique<GrpcWorkforceClient>(peer::Channel(options.workforce_addr),
                                                       r->tokens.get(), options.workforce_timeout);
  r->store = std::make_unique<Store>(base.pool.get(), std::move(holidays));
  r->brokerage =
      std::make_unique<Brokerage>(r->store.get(), r->registry.get(), r->workforce.get());
  r->api = std::make_unique<ReferralsServiceImpl>(base.gate.get(), r->store.get(),
                                                  r->brokerage.get());
  r->feed = service::AddApiAndFeed(base, r->api.get(), &r->store->outbox());

  Store* store = r->store.get();
  const Clock* clock = base.clock;
  r->registry_feed = service::AddFeedConsumer(
      base, r->tokens.get(),
      {"registry",
       r->registry_channel,
       {event_types::registry::kAdmissionSuspended, event_types::registry::kAdmissionTerminated},
       [store, clock](db::Tx& tx, const pdps::common::v1::Event& e) {
         return store->ApplyAdmissionEvent(tx, e, clock->Now());
       },
       options.feed_poll_interval},
      options.start_workers);
  if (!options.start_workers) return r;

  metrics::Registry* m = base.metrics.get();
  absl::Duration interval = options.scheduler_interval;
  // Fires offer windows and bid deadlines. Every replica runs it: each due referral is
  // claimed with SKIP LOCKED and advanced in one transaction.
  // Resolved now, so that each series is scraped (at 0) before anything happens: alerts
  // on its rate see it from the start.
  double* steps = m->CounterCell("pdps_referrals_steps_total",
                                 "Referrals advanced by the deadline scheduler.", {});
  double* step_failures = m->CounterCell(
      "pdps_referrals_step_failures_total",
      "Deadline-scheduler steps that failed; each such referral is retried after a backoff "
      "while the others go on.",
      {});
  metrics::Registry::Histogram* lag = m->HistogramCell(
      "pdps_referrals_step_lag_seconds",
      "How long after its deadline each scheduler step ran: up to PDPS_SCHEDULER_INTERVAL "
      "normally; more when every replica was down or the scheduler could not run.",
      {});
  // Shared with the gauge, which the metrics registry may read after this worker is gone.
  auto last_sweep = std::make_shared<std::atomic<double>>(0);
  m->Gauge("pdps_referrals_scheduler_last_sweep_timestamp_seconds",
           "Unix time this replica's deadline scheduler last finished a sweep (0: none yet).", {},
           [last_sweep] { return last_sweep->load(); });
  base.runner->AddPeriodicWorker(
      "deadline-scheduler", interval,
      [store, clock, m, interval, steps, step_failures, lag, last_sweep] {
        auto n = store->RunDue(clock->Now(), 100, absl::Now() + absl::Seconds(30));
        if (!n.ok()) {
          log::Warning("deadline scheduler failed", {{"error", std::string(n.status().message())}});
          return;
        }
        last_sweep->store(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
        m->Add(steps, n->advanced);
        m->Add(step_failures, n->failed);
        absl::Duration latest;
        for (absl::Duration d : n->lags) {
          m->Observe(lag, absl::ToDoubleSeconds(d));
          latest = std::max(latest, d);
        }
        // A deadline that fired well after its time (the scheduler was down or stuck): the
        // on-call should know, whatever the metrics scrape shows.
        if (latest > interval + absl::Minutes(1)) {
          log::Warning(
              "deadlines fired late: the scheduler was not running when they fell due",
              {{"steps", n->advanced},
               {"latest_lag_seconds", static_cast<int64_t>(absl::ToInt64Seconds(latest))}});
        }
      });
  return r;
}

}  // namespace pdps::referrals
