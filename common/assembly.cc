// What the services' assembly files share.
#include "common/assembly.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status.h"

namespace pdps::service {

absl::Duration ReadFeedPollInterval(Settings& s) {
  return s.Duration("feed_poll_interval", kFeedPollInterval, absl::Milliseconds(50),
                    absl::Minutes(10));
}

absl::Duration ReadExpirySweepInterval(Settings& s, absl::Duration default_interval) {
  return s.Duration("expiry_sweep_interval", default_interval, absl::Seconds(1), absl::Hours(24));
}

std::string ReadRequiredPeer(Settings& s, const std::string& name, const std::string& default_value,
                             const std::string& what) {
  std::string addr = s.String(name, default_value);
  if (s.Serving() && addr.empty()) s.Invalid(name, what);
  return addr;
}

std::unique_ptr<events::FeedService> AddApiAndFeed(Base& base, grpc::Service* api,
                                                   const events::Outbox* outbox) {
  auto feed = std::make_unique<events::FeedService>(base.gate.get(), base.pool.get(), outbox);
  base.runner->AddService(api);
  base.runner->AddService(feed.get());
  return feed;
}

absl::StatusOr<std::unique_ptr<auth::ServiceTokenSource>> ServiceTokens(
    Base& base, const auth::ServiceIdentityConfig& config,
    std::unique_ptr<auth::ServiceTokenSource> given) {
  if (given == nullptr) {
    ASSIGN_OR_RETURN(
        given, auth::ServiceTokenSource::Create(config, base.config.service, base.config.jwt_issuer,
                                                base.config.jwt_audience, base.clock));
  }
  auth::ExportTokenExpiry(*base.metrics, base.config.service, given.get());
  return given;
}

std::unique_ptr<events::Consumer> AddFeedConsumer(Base& base, auth::ServiceTokenSource* tokens,
                                                  Feed feed, bool start_worker) {
  auto consumer = std::make_unique<events::Consumer>(
      absl::StrCat(base.config.service, "<-", feed.peer), base.config.service, base.pool.get(),
      std::move(feed.channel), [tokens] { return tokens->Token(); }, std::move(feed.apply),
      std::move(feed.event_types));
  if (start_worker) {
    events::Consumer* c = consumer.get();
    metrics::Registry* m = base.metrics.get();
    absl::Duration poll = feed.poll_interval;
    base.runner->AddWorker(absl::StrCat(feed.peer, "-feed"),
                           [c, poll, m](server::Stopper& stop) { c->Run(stop, poll, m); });
  }
  return consumer;
}

void AddSweep(Base& base, std::string name, absl::Duration interval, std::vector<SweepStep> steps) {
  metrics::Registry* m = base.metrics.get();
  std::vector<double*> counters;
  for (const SweepStep& step : steps)
    counters.push_back(m->CounterCell(step.counter, step.help, {}));
  base.runner->AddPeriodicWorker(
      std::move(name), interval, [m, steps = std::move(steps), counters = std::move(counters)] {
        for (size_t i = 0; i < steps.size(); ++i) {
          auto n = steps[i].run();
          if (!n.ok()) {
            log::Warning(steps[i].failure, {{"error", std::string(n.status().message())}});
          } else {
            m->Add(counters[i], *n);
          }
        }
      });
}

}  // namespace pdps::service
