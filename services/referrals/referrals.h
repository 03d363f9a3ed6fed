// Assembles the referrals service on a service::Base: the registry client, store, gRPC
// services, and the background workers (deadline scheduler, registry feed consumer).
// Used by main.cc and by the tests, so both run exactly the same wiring.
#pragma once

#include <memory>
#include <string>

#include "common/assembly.h"
#include "common/config.h"
#include "common/events.h"
#include "common/service.h"
#include "common/service_identity.h"
#include "services/referrals/api/brokerage.h"
#include "services/referrals/api/referrals_service.h"
#include "services/referrals/store/store.h"
#include "services/registry/client/registry_client.h"

namespace pdps::referrals {

inline constexpr int kGrpcPort = 7002;
inline constexpr int kMetricsPort = 9002;

struct Options {
  std::string registry_addr = "127.0.0.1:7001";     // PDPS_REGISTRY_ADDR
  absl::Duration registry_timeout = absl::Seconds(3);  // PDPS_REGISTRY_TIMEOUT
  // The workforce service, which checks the workers named in proposals
  // (PDPS_WORKFORCE_ADDR). Required: ReadOptions reports it missing (decision 0043).
  std::string workforce_addr;
  absl::Duration workforce_timeout = absl::Seconds(3);  // PDPS_WORKFORCE_TIMEOUT
  auth::ServiceIdentityConfig identity;              // PDPS_SERVICE_TOKEN_FILE / _KEY_FILE
  std::string holiday_changes_file;                  // PDPS_HOLIDAY_CHANGES_FILE (optional)
  absl::Duration scheduler_interval = absl::Seconds(5);  // PDPS_SCHEDULER_INTERVAL
  absl::Duration feed_poll_interval = service::kFeedPollInterval;  // PDPS_FEED_POLL_INTERVAL
  bool start_workers = true;  // tests may drive the workers by hand
};

// Reads the referrals settings; the caller reports errors with Settings::Finish().
Options ReadOptions(Settings& s);

struct Referrals {
  std::unique_ptr<auth::ServiceTokenSource> tokens;
  std::shared_ptr<grpc::Channel> registry_channel;
  std::unique_ptr<RegistryClient> registry;
  std::unique_ptr<WorkforceClient> workforce;
  std::unique_ptr<Store> store;
  std::unique_ptr<Brokerage> brokerage;
  std::unique_ptr<ReferralsServiceImpl> api;
  std::unique_ptr<events::FeedService> feed;
  std::unique_ptr<events::Consumer> registry_feed;
};

// Registers the services and workers on `base` (not yet started). `tokens` replaces the
// configured service identity (tests).
absl::StatusOr<std::unique_ptr<Referrals>> Assemble(
    service::Base& base, const Options& options,
    std::unique_ptr<auth::ServiceTokenSource> tokens = nullptr);

}  // namespace pdps::referrals
