// Workforce assembly.
#include "services/workforce/workforce.h"

#include "absl/time/clock.h"
#include "common/event_types.h"
#include "common/log.h"
#include "common/status.h"

namespace pdps::workforce {

Options ReadOptions(Settings& s) {
  Options o;
  o.holiday_changes_file = service::ReadHolidayChangesFile(s);
  o.registry_addr = s.String("registry_addr", "127.0.0.1:7001");
  if (s.Serving() && o.registry_addr.empty()) {
    s.Invalid("registry_addr",
              "must not be empty: workforce asks the registry who commissions a framework");
  }
  o.registry_timeout = s.Duration("registry_timeout", o.registry_timeout, absl::Milliseconds(100),
                                  absl::Minutes(1));
  o.referrals_addr = s.String("referrals_addr", "127.0.0.1:7002");
  o.feed_poll_interval = s.Duration("feed_poll_interval", o.feed_poll_interval,
                                    absl::Milliseconds(50), absl::Minutes(10));
  o.identity = auth::ReadServiceIdentityConfig(s, /*required=*/true);
  o.expiry_sweep_interval = s.Duration("expiry_sweep_interval", o.expiry_sweep_interval,
                                       absl::Seconds(1), absl::Hours(24));
  return o;
}

absl::StatusOr<int> CheckTrainedStaff(Store& store, registry::RegistryClient& registry,
                                      absl::Time now) {
  ASSIGN_OR_RETURN(auto frameworks, store.TrainedStaffRuleFrameworks(absl::Now() + absl::Seconds(30)));
  int tripped = 0;
  for (const auto& framework : frameworks) {
    // Who is ACTIVE on the framework is the registry's to say, asked outside any
    // transaction.
    ASSIGN_OR_RETURN(auto admissions, registry.ActiveAdmissions(framework));
    ASSIGN_OR_RETURN(int n, store.CheckTrainedStaff(now, framework, admissions,
                                                    absl::Now() + absl::Seconds(60)));
    tripped += n;
  }
  return tripped;
}

absl::StatusOr<std::unique_ptr<Workforce>> Assemble(service::Base& base, const Options& options,
                                                    std::unique_ptr<auth::ServiceTokenSource> tokens) {
  auto w = std::make_unique<Workforce>();
  if (options.registry_addr.empty()) {
    return absl::InvalidArgumentError(
        "PDPS_REGISTRY_ADDR is empty: workforce needs the registry to know who commissions a "
        "framework, so it does not start without one");
  }
  if (tokens == nullptr) {
    ASSIGN_OR_RETURN(tokens, auth::ServiceTokenSource::Create(
                                 options.identity, "workforce", base.config.jwt_issuer,
                                 base.config.jwt_audience, base.clock));
  }
  w->tokens = std::move(tokens);
  auth::ExportTokenExpiry(*base.metrics, "workforce", w->tokens.get());
  w->registry = std::make_unique<registry::GrpcRegistryClient>(
      grpc::CreateChannel(options.registry_addr, grpc::InsecureChannelCredentials()),
      w->tokens.get(), options.registry_timeout);
  w->check = std::make_unique<CommissioningCheck>(*w->registry);
  ASSIGN_OR_RETURN(calendar::HolidayCalendar holidays,
                   service::LoadHolidays(options.holiday_changes_file));
  w->store = std::make_unique<Store>(base.pool.get(), std::move(holidays));
  w->api = std::make_unique<WorkforceServiceImpl>(base.gate.get(), w->store.get(), w->check.get());
  w->feed = std::make_unique<events::FeedService>(base.gate.get(), base.pool.get(),
                                                  &w->store->outbox());
  base.runner->AddService(w->api.get());
  base.runner->AddService(w->feed.get());
  Store* store = w->store.get();
  if (!options.referrals_addr.empty()) {
    auth::ServiceTokenSource* source = w->tokens.get();
    w->referrals_feed = std::make_unique<events::Consumer>(
        "workforce<-referrals", "workforce", base.pool.get(),
        grpc::CreateChannel(options.referrals_addr, grpc::InsecureChannelCredentials()),
        [source] { return source->Token(); },
        [store](db::Tx& tx, const pdps::common::v1::Event& e) {
          return store->ApplyReferralAwarded(tx, e);
        },
        std::vector<std::string>{event_types::referrals::kReferralAwarded});
  } else {
    log::Warning("PDPS_REFERRALS_ADDR is empty: awarded packages are not followed");
  }
  if (!options.start_workers) return w;
  metrics::Registry* m = base.metrics.get();
  if (w->referrals_feed != nullptr) {
    events::Consumer* consumer = w->referrals_feed.get();
    absl::Duration poll = options.feed_poll_interval;
    base.runner->AddWorker("referrals-feed",
                           [consumer, poll, m](server::Stopper& stop) {
                             consumer->Run(stop, poll, m);
                           });
  }
  // The expiry watch's events (ComplianceLapsing) and the package-worker suspension
  // rule: every replica sweeps; each item and stage is announced once, each rule trips
  // once per assignment and reasons (unique rows written with the events).
  const Clock* clock = base.clock;
  absl::Duration interval = options.expiry_sweep_interval;
  registry::RegistryClient* registry = w->registry.get();
  // Resolved now, so that each series is scraped (at 0) before the first sweep: alerts on
  // its rate see it from the start.
  struct Counters {
    double* announced;
    double* package_worker_trips;
    double* trained_staff_trips;
  } counters{
      m->CounterCell("pdps_workforce_expiries_announced_total",
                     "Worker compliance items announced as lapsing or lapsed.", {}),
      m->CounterCell("pdps_workforce_package_worker_trips_total",
                     "Suspension rules tripped by a named worker not eligible for a package.", {}),
      m->CounterCell("pdps_workforce_trained_staff_trips_total",
                     "Suspension rules tripped by a provider's trained staff below target.", {})};
  base.runner->AddWorker("expiry-watch", [store, registry, clock, m, interval,
                                          counters](server::Stopper& stop) {
    do {
      auto n = store->AnnounceExpiries(clock->Now(), absl::Now() + absl::Seconds(60));
      if (!n.ok()) {
        log::Warning("expiry watch failed", {{"error", std::string(n.status().message())}});
      } else {
        m->Add(counters.announced, *n);
      }
      auto t = store->CheckPackageWorkers(clock->Now(), absl::Now() + absl::Seconds(60));
      if (!t.ok()) {
        log::Warning("package worker check failed",
                     {{"error", std::string(t.status().message())}});
      } else {
        m->Add(counters.package_worker_trips, *t);
      }
      auto trained = CheckTrainedStaff(*store, *registry, clock->Now());
      if (!trained.ok()) {
        log::Warning("trained staff check failed",
                     {{"error", std::string(trained.status().message())}});
      } else {
        m->Add(counters.trained_staff_trips, *trained);
      }
    } while (stop.Sleep(interval));
  });
  return w;
}

}  // namespace pdps::workforce
