// What the services' assembly files (services/<svc>/<svc>.cc) share, so that the three
// are wired, named and configured one way: the settings of peers and workers, the
// service's own identity, the consumers of its peers' feeds, and its sweeps.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config.h"
#include "common/events.h"
#include "common/service.h"
#include "common/service_identity.h"

namespace pdps::service {

// PDPS_FEED_POLL_INTERVAL's default in every service: how often a consumer that has caught
// up reads its peer's feed again. A package is known to workforce, a suspension to
// referrals, this long after it happened (decision 0041).
inline constexpr absl::Duration kFeedPollInterval = absl::Seconds(1);
absl::Duration ReadFeedPollInterval(Settings& s);

// PDPS_EXPIRY_SWEEP_INTERVAL: how often each replica runs its expiry sweep. The default is
// the service's own: what a pass costs differs (the registry's reads one table,
// workforce's puts every named worker through the gate).
absl::Duration ReadExpirySweepInterval(Settings& s, absl::Duration default_interval);

// The address of a peer the service cannot serve without (setting `name`, e.g.
// "workforce_addr"): when serving, an empty one is reported with the other bad settings,
// `what` saying why it is needed (decision 0048).
std::string ReadRequiredPeer(Settings& s, const std::string& name, const std::string& default_value,
                             const std::string& what);

// Serves `api` and the event feed of `outbox` (to service identities only). The feed
// service returned must outlive the runner.
std::unique_ptr<events::FeedService> AddApiAndFeed(Base& base, grpc::Service* api,
                                                   const events::Outbox* outbox);

// The identity the service calls its peers under: `given` (tests) or one made from
// `config`. Its token's expiry is exported (pdps_service_token_expiry_timestamp_seconds).
absl::StatusOr<std::unique_ptr<auth::ServiceTokenSource>> ServiceTokens(
    Base& base, const auth::ServiceIdentityConfig& config,
    std::unique_ptr<auth::ServiceTokenSource> given);

// A peer's feed that the service follows.
struct Feed {
  // e.g. "workforce": the consumer is "<service><-workforce" (its cursor in
  // <service>.feed_cursors, its metrics' label), its worker "workforce-feed".
  std::string peer;
  std::shared_ptr<grpc::Channel> channel;
  std::vector<std::string> event_types;  // the only events it reads
  events::Consumer::Handler apply;       // an event's effect, in the cursor's transaction
  absl::Duration poll_interval = kFeedPollInterval;
};
// The consumer of `feed`, calling under `tokens`. With `start_worker` a worker polls it
// until shutdown; without, tests poll it by hand.
std::unique_ptr<events::Consumer> AddFeedConsumer(Base& base, auth::ServiceTokenSource* tokens,
                                                  Feed feed, bool start_worker);

// One step of a sweep: `run` does its work and says how many things it did.
struct SweepStep {
  std::string failure;  // the warning when it fails, with the error
  std::string counter;  // the counter its counts are added to, and its help text
  std::string help;
  std::function<absl::StatusOr<int>()> run;
};
// A worker running `steps` in turn at start and then every `interval` until shutdown; a
// step that fails is logged and the others still run. The counters are exposed at 0 at
// once, so that alerts on their rate see them before the first pass.
void AddSweep(Base& base, std::string name, absl::Duration interval, std::vector<SweepStep> steps);

}  // namespace pdps::service
