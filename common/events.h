// The transactional outbox and event feed (ARCHITECTURE.md, "Between services").
//
// Producers append events in the same transaction as the change (Outbox::Append).
// Positions are assigned later, by a "stamping" transaction serialised with an advisory
// lock, only to rows already committed: so a reader never sees position N+1 while an
// event that will become N is still in flight, and consumers may keep a single cursor.
// Consumers apply each event and move their cursor in one transaction: exactly-once
// effect over at-least-once delivery.
//
// Each service's first migration creates <schema>.outbox and <schema>.feed_cursors
// (see services/registry/migrations/0001_*.sql for the shape).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db.h"
#include "common/metrics.h"
#include "common/server.h"
#include "pdps/common/v1/events.grpc.pb.h"

namespace pdps::events {

struct Draft {
  std::string event_type;      // e.g. "pdps.registry.v1.AdmissionSuspended"
  std::string aggregate_type;  // e.g. "admission"
  std::string aggregate_id;
  std::string organisation_id;  // the tenant whose data changed
  const google::protobuf::Message* payload = nullptr;
};

class Outbox {
 public:
  // `schema` is the service's schema, e.g. "registry"; `event_types` every event type
  // the service publishes (Append refuses others; ListEvents filters only by these).
  Outbox(std::string schema, std::vector<std::string> event_types);

  const std::vector<std::string>& event_types() const { return event_types_; }
  bool Publishes(const std::string& event_type) const;

  // Appends an event inside the caller's transaction (written with its COMMIT).
  absl::Status Append(db::Tx& tx, const Draft& draft) const;

  // One read of the feed: the events, and the position a reader resumes after.
  struct Page {
    std::vector<pdps::common::v1::Event> events;
    // A full page: its last event's position. A shorter one: the feed's head as the read
    // saw it (never below `after`), so that a reader filtering by type moves past the
    // events of other types instead of scanning them again on every read.
    int64_t last_position = 0;
  };
  // Gives positions to committed, unpublished events, then reads up to `limit` events
  // after `after` (only `types`, when given). OUT_OF_RANGE when `after` is beyond the
  // feed's head (a cursor from before a restore, or from another feed).
  absl::StatusOr<Page> Read(db::Pool& pool, int64_t after, int limit,
                            const std::vector<std::string>& types, absl::Time deadline) const;

 private:
  std::vector<std::string> event_types_;
  std::string insert_sql_;
  std::string lock_sql_;
  std::string stamp_sql_;
  std::string read_sql_;
};

// pdps.common.v1.EventFeedService over an Outbox; callers must be service identities.
class FeedService final : public pdps::common::v1::EventFeedService::Service {
 public:
  FeedService(const server::Gate* gate, db::Pool* pool, const Outbox* outbox)
      : gate_(gate), pool_(pool), outbox_(outbox) {}
  grpc::Status ListEvents(grpc::ServerContext* ctx,
                          const pdps::common::v1::ListEventsRequest* req,
                          pdps::common::v1::ListEventsResponse* resp) override;
  static constexpr char kMethod[] = "ListEvents";

 private:
  const server::Gate* gate_;
  db::Pool* pool_;
  const Outbox* outbox_;
};

// Pulls a peer's feed and applies events with the cursor in the same transaction.
class Consumer {
 public:
  using Handler = std::function<absl::Status(db::Tx&, const pdps::common::v1::Event&)>;
  // `schema` holds this service's feed_cursors table; `name` identifies the cursor,
  // e.g. "registry<-workforce". `token` returns the bearer token for the peer.
  Consumer(std::string name, std::string schema, db::Pool* pool,
           std::shared_ptr<grpc::Channel> peer, std::function<std::string()> token,
           Handler handler, std::vector<std::string> event_types = {});

  // Reads one page and applies it; returns how many events had an effect applied.
  absl::StatusOr<int> PollOnce(absl::Duration timeout = absl::Seconds(10));
  // Polls until stopped, sleeping `idle` when caught up or after an error. Counts
  // events applied and failed polls in `metrics` (pdps_feed_events_applied_total,
  // pdps_feed_poll_failures_total, label consumer): a consumer stuck on one event shows
  // as failures rising while nothing is applied; pdps_feed_last_success_timestamp_seconds
  // is when a poll last succeeded, caught up or not.
  void Run(server::Stopper& stop, absl::Duration idle, metrics::Registry* metrics);
  // The stored cursor.
  absl::StatusOr<int64_t> Position();

 private:
  std::string name_;
  std::string schema_;
  db::Pool* pool_;
  std::unique_ptr<pdps::common::v1::EventFeedService::Stub> stub_;
  std::function<std::string()> token_;
  Handler handler_;
  std::vector<std::string> types_;
  std::string ensure_sql_, lock_sql_, advance_sql_, skip_sql_;
};

}  // namespace pdps::events
