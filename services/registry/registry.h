// Assembles the registry on a service::Base: store, gRPC services, background workers.
// Used by main.cc and by the tests, so both run exactly the same wiring.
#pragma once

#include <memory>
#include <string>

#include "common/assembly.h"
#include "common/config.h"
#include "common/events.h"
#include "common/service.h"
#include "common/service_identity.h"
#include "services/registry/api/registry_service.h"
#include "services/registry/store/store.h"

namespace pdps::registry {

inline constexpr int kGrpcPort = 7001;
inline constexpr int kMetricsPort = 9001;

struct Options {
  // Announcing lapsed mandatory documents (PDPS_EXPIRY_SWEEP_INTERVAL).
  absl::Duration expiry_sweep_interval = absl::Minutes(5);
  // The workforce service, whose feed carries the automatic suspension rules that trip
  // (PDPS_WORKFORCE_ADDR). Required, so that no registry runs without applying them
  // (decision 0076).
  std::string workforce_addr;
  auth::ServiceIdentityConfig identity;  // to read the workforce feed
  absl::Duration feed_poll_interval = service::kFeedPollInterval;  // PDPS_FEED_POLL_INTERVAL
  bool start_workers = true;  // tests may drive the workers by hand
};

// Reads the registry's own settings; the caller reports errors with Settings::Finish().
Options ReadOptions(Settings& s);

struct Registry {
  std::unique_ptr<Store> store;
  std::unique_ptr<RegistryServiceImpl> api;
  std::unique_ptr<events::FeedService> feed;
  std::unique_ptr<auth::ServiceTokenSource> tokens;
  std::unique_ptr<events::Consumer> workforce_feed;
};

// Registers the registry's services and workers on `base` (not yet started). `tokens`
// replaces the configured service identity (tests).
absl::StatusOr<std::unique_ptr<Registry>> Assemble(
    service::Base& base, const Options& options,
    std::unique_ptr<auth::ServiceTokenSource> tokens = nullptr);

}  // namespace pdps::registry
