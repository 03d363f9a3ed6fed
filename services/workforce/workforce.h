// Assembles the workforce service on a service::Base: store, gRPC services and the
// event feed. Used by main.cc and by the tests, so both run exactly the same wiring.
// It asks the registry who commissions a framework, and follows the referrals feed for
// awarded packages.
#pragma once

#include <memory>
#include <string>

#include "common/assembly.h"
#include "common/config.h"
#include "common/events.h"
#include "common/service.h"
#include "common/service_identity.h"
#include "services/registry/client/registry_client.h"
#include "services/workforce/api/workforce_service.h"
#include "services/workforce/store/store.h"

namespace pdps::workforce {

inline constexpr int kGrpcPort = 7004;
inline constexpr int kMetricsPort = 9004;

struct Options {
  std::string holiday_changes_file;  // PDPS_HOLIDAY_CHANGES_FILE (optional)
  // The registry, which says who commissions a framework and which lots are its
  // (PDPS_REGISTRY_ADDR, default 127.0.0.1:7001 in the binary). Required: every
  // commissioner's call is checked with it, so there is no unchecked mode; ReadOptions
  // reports it missing (decision 0043).
  std::string registry_addr;
  absl::Duration registry_timeout = absl::Seconds(3);  // PDPS_REGISTRY_TIMEOUT
  // The referrals service, whose feed announces awarded packages (PDPS_REFERRALS_ADDR,
  // default 127.0.0.1:7002 in the binary). Empty: no packages are known, so no named
  // workers (a warning at start); only tests of this service alone do that.
  std::string referrals_addr;
  absl::Duration feed_poll_interval = service::kFeedPollInterval;  // PDPS_FEED_POLL_INTERVAL
  auth::ServiceIdentityConfig identity;                // to call the registry
  absl::Duration expiry_sweep_interval = absl::Hours(1);  // PDPS_EXPIRY_SWEEP_INTERVAL
  bool start_workers = true;  // tests may drive the sweep by hand
};

// Reads the workforce settings; the caller reports errors with Settings::Finish().
Options ReadOptions(Settings& s);

struct Workforce {
  std::unique_ptr<auth::ServiceTokenSource> tokens;
  std::unique_ptr<registry::RegistryClient> registry;
  std::unique_ptr<CommissioningCheck> check;
  std::unique_ptr<Store> store;
  std::unique_ptr<WorkforceServiceImpl> api;
  std::unique_ptr<events::FeedService> feed;
  std::unique_ptr<events::Consumer> referrals_feed;  // null without referrals_addr
};

// One pass of the trained staff suspension rule (seed 004 Appendix A): for every
// framework that sets a target, its ACTIVE admissions from the registry against each
// lot's matrix today. Run by the compliance sweep; tests call it directly.
absl::StatusOr<int> CheckTrainedStaff(Store& store, registry::RegistryClient& registry,
                                      absl::Time now);

// Registers the services on `base` (not yet started).
// `tokens` replaces the configured service identity (tests).
absl::StatusOr<std::unique_ptr<Workforce>> Assemble(
    service::Base& base, const Options& options,
    std::unique_ptr<auth::ServiceTokenSource> tokens = nullptr);

}  // namespace pdps::workforce
