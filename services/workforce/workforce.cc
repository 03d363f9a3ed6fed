// Workforce assembly.
#include "services/workforce/workforce.h"

#include "absl/time/clock.h"
#include "common/event_types.h"
#include "common/log.h"
#include "common/peer.h"
#include "common/status.h"

namespace pdps::workforce {

Options ReadOptions(Settings& s) {
  Options o;
  o.holiday_changes_file = service::ReadHolidayChangesFile(s);
  o.registry_addr = service::ReadRequiredPeer(
      s, "registry_addr", "127.0.0.1:7001",
      "must not be empty: workforce asks the registry who commissions a framework");
  o.registry_timeout = s.Duration("registry_timeout", o.registry_timeout, absl::Milliseconds(100),
                                  absl::Minutes(1));
  o.referrals_addr = s.String("referrals_addr", "127.0.0.1:7002");
  o.feed_poll_interval = service::ReadFeedPollInterval(s);
  o.identity = auth::ReadServiceIdentityConfig(s, /*required=*/true);
  o.expiry_sweep_interval = service::ReadExpirySweepInterval(s, o.expiry_sweep_interval);
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
  ASSIGN_OR_RETURN(w->tokens, service::ServiceTokens(base, options.identity, std::move(tokens)));
  w->registry = std::make_unique<registry::GrpcRegistryClient>(
      peer::Channel(options.registry_addr), w->tokens.get(), options.registry_timeout);
  w->check = std::make_unique<CommissioningCheck>(*w->registry);
  ASSIGN_OR_RETURN(calendar::HolidayCalendar holidays,
                   service::LoadHolidays(options.holiday_changes_file));
  w->store = std::make_unique<Store>(base.pool.get(), std::move(holidays));
  w->api = std::make_unique<WorkforceServiceImpl>(base.gate.get(), w->store.get(), w->check.get());
  w->feed = service::AddApiAndFeed(base, w->api.get(), &w->store->outbox());
  Store* store = w->store.get();
  if (!options.referrals_addr.empty()) {
    w->referrals_feed =
        service::AddFeedConsumer(base, w->tokens.get(),
                                 {"referrals",
                                  peer::Channel(options.referrals_addr),
                                  {event_types::referrals::kReferralAwarded},
                                  [store](db::Tx& tx, const pdps::common::v1::Event& e) {
                                    return store->ApplyReferralAwarded(tx, e);
                                  },
                                  options.feed_poll_interval},
                                 options.start_workers);
  } else {
    log::Warning("PDPS_REFERRALS_ADDR is empty: awarded packages are not followed");
  }
  if (!options.start_workers) return w;
  // The expiry watch's events (ComplianceLapsing) and the package-worker suspension
  // rule: every replica sweeps; each item and stage is announced once, each rule trips
  // once per assignment and reasons (unique rows written with the events).
  const Clock* clock = base.clock;
  registry::RegistryClient* registry = w->registry.get();
  service::AddSweep(
      base, "expiry-watch", options.expiry_sweep_interval,
      {{"expiry watch failed", "pdps_workforce_expiries_announced_total",
        "Worker compliance items announced as lapsing or lapsed.",
        [store, clock] {
          return store->AnnounceExpiries(clock->Now(), absl::Now() + absl::Seconds(60));
        }},
       {"package worker check failed", "pdps_workforce_package_worker_trips_total",
        "Suspension rules tripped by a named worker not eligible for a package.",
        [store, clock] {
          return store->CheckPackageWorkers(clock->Now(), absl::Now() + absl::Seconds(60));
        }},
       {"trained staff check failed", "pdps_workforce_trained_staff_trips_total",
        "Suspension rules tripped by a provider's trained staff below target.",
        [store, registry, clock] { return CheckTrainedStaff(*store, *registry, clock->Now()); }}});
  return w;
}

}  // namespace pdps::workforce
