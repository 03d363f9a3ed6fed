// Assembles the registry on a service::Base: store, gRPC services, background workers.
// Used by main.cc and by the tests, so both run exactly the same wiring.
#pragma once

#include <memory>

#include "common/events.h"
#include "common/service.h"
#include "services/registry/api/registry_service.h"
#include "services/registry/store/store.h"

namespace pdps::registry {

inline constexpr int kGrpcPort = 7001;
inline constexpr int kMetricsPort = 9001;

struct Registry {
  std::unique_ptr<Store> store;
  std::unique_ptr<RegistryServiceImpl> api;
  std::unique_ptr<events::FeedService> feed;
};

// Registers the registry's services and its expiry sweeper on `base` (not yet started).
std::unique_ptr<Registry> Assemble(service::Base& base,
                                   absl::Duration sweep_interval = absl::Minutes(5));

}  // namespace pdps::registry
