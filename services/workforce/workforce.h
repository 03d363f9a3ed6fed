// Assembles the workforce service on a service::Base: store, gRPC services and the
// event feed. Used by main.cc and by the tests, so both run exactly the same wiring.
// The service calls no peer yet.
#pragma once

#include <memory>
#include <string>

#include "common/config.h"
#include "common/events.h"
#include "common/service.h"
#include "services/workforce/api/workforce_service.h"
#include "services/workforce/store/store.h"

namespace pdps::workforce {

inline constexpr int kGrpcPort = 7004;
inline constexpr int kMetricsPort = 9004;

struct Options {
  std::string holiday_changes_file;  // PDPS_HOLIDAY_CHANGES_FILE (optional)
};

// Reads the workforce settings; the caller reports errors with Settings::Finish().
Options ReadOptions(Settings& s);

struct Workforce {
  std::unique_ptr<Store> store;
  std::unique_ptr<WorkforceServiceImpl> api;
  std::unique_ptr<events::FeedService> feed;
};

// Registers the services on `base` (not yet started).
absl::StatusOr<std::unique_ptr<Workforce>> Assemble(service::Base& base, const Options& options);

}  // namespace pdps::workforce
