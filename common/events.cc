// Outbox, feed and consumer.
#include "common/events.h"

#include <google/protobuf/any.pb.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/proto_util.h"
#include "common/status.h"

namespace pdps::events {
namespace {

using pdps::common::v1::Event;

db::Actor FeedActor() { return db::Actor::Internal(""); }

}  // namespace

Outbox::Outbox(std::string schema, std::vector<std::string> event_types)
    : event_types_(std::move(event_types)) {
  const std::string t = schema + ".outbox";
  insert_sql_ = absl::StrCat(
      "INSERT INTO ", t,
      " (event_id, event_type, aggregate_type, aggregate_id, organisation_id, payload)"
      " VALUES ($1, $2, $3, $4, $5::uuid, decode($6, 'base64'))");
  // Serialised by an advisory lock held to commit, so positions follow stamping order
  // and every stamped row was committed before any later stamp. The lock is its own
  // statement: the stamp that follows takes its snapshot once the lock is held, so it
  // sees every earlier stamp (taken in one statement, a stamper that waited for the lock
  // would still see the rows the other just published as unpublished, and number them
  // again).
  lock_sql_ =
      absl::StrCat("SELECT pg_advisory_xact_lock(hashtextextended('pdps.outbox.", schema, "', 0))");
  stamp_sql_ =
      absl::StrCat("WITH pending AS (SELECT o.id, row_number() OVER (ORDER BY o.id) AS rn FROM ", t,
                   " o WHERE o.position IS NULL ORDER BY o.id LIMIT 1000),"
                   " base AS (SELECT COALESCE(max(position), 0) AS p FROM ",
                   t, ") UPDATE ", t,
                   " o SET position = base.p + pending.rn FROM pending, base"
                   " WHERE o.id = pending.id");
  // The feed's head and the page in one snapshot: every position up to the head is
  // published and visible (stamps commit in position order), so a reader may resume
  // after it. Always one row at least: the page's columns are null when it is empty.
  read_sql_ = absl::StrCat(
      "SELECT h.head, e.position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id,"
      " COALESCE(e.organisation_id::text, '') AS organisation_id,"
      " encode(e.payload, 'base64') AS payload, e.occurred_at"
      " FROM (SELECT COALESCE(max(position), 0) AS head FROM ",
      t,
      ") h LEFT JOIN LATERAL (SELECT position, event_id, event_type, aggregate_type,"
      " aggregate_id, organisation_id, payload, occurred_at FROM ",
      t,
      " WHERE position > $1 AND ($3::text[] IS NULL OR event_type = ANY($3::text[]))"
      " ORDER BY position LIMIT $2) e ON true ORDER BY e.position");
}

bool Outbox::Publishes(const std::string& event_type) const {
  return std::find(event_types_.begin(), event_types_.end(), event_type) != event_types_.end();
}

absl::Status Outbox::Append(db::Tx& tx, const Draft& d) const {
  if (!Publishes(d.event_type)) {
    return absl::InternalError(
        absl::StrCat("event type ", d.event_type, " is not among this feed's event types"));
  }
  google::protobuf::Any any;
  any.PackFrom(*d.payload);
  std::string b64;
  absl::Base64Escape(any.SerializeAsString(), &b64);
  // Sent with COMMIT: appending an event costs no round trip of its own.
  tx.Defer(insert_sql_, {db::P(NewUuid()), db::P(d.event_type), db::P(d.aggregate_type),
                         db::P(d.aggregate_id), db::OrNull(d.organisation_id), db::P(b64)});
  return absl::OkStatus();
}

absl::StatusOr<Outbox::Page> Outbox::Read(db::Pool& pool, int64_t after, int limit,
                                          const std::vector<std::string>& types,
                                          absl::Time deadline) const {
  RETURN_IF_ERROR(pool.InTx(FeedActor(), deadline, [&](db::Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Exec(lock_sql_).status());
    tx.Defer(stamp_sql_, {});  // sent with COMMIT: no round trip of its own
    return absl::OkStatus();
  }));
  Page page;
  db::Param type_filter = db::Null();
  if (!types.empty()) {
    std::string arr = "{";
    for (size_t i = 0; i < types.size(); ++i) {
      absl::StrAppend(&arr, i ? "," : "", "\"", types[i], "\"");
    }
    type_filter = arr + "}";
  }
  RETURN_IF_ERROR(pool.InTx(FeedActor(), deadline, [&](db::Tx& tx) -> absl::Status {
    page = Page();  // InTx may run the body again (db.h)
    ASSIGN_OR_RETURN(db::Result r, tx.Exec(read_sql_, {db::P(after), db::P(limit), type_filter}));
    int64_t head = 0;
    for (int i = 0; i < r.rows(); ++i) {
      head = r.Int64(i, "head");
      if (r.IsNull(i, "position")) continue;  // no events: the head's row alone
      Event e;
      e.set_position(r.Int64(i, "position"));
      e.set_event_id(r.String(i, "event_id"));
      e.set_event_type(r.String(i, "event_type"));
      e.set_aggregate_type(r.String(i, "aggregate_type"));
      e.set_aggregate_id(r.String(i, "aggregate_id"));
      e.set_organisation_id(r.String(i, "organisation_id"));
      protoutil::SetTimestamp(r.Time(i, "occurred_at"), e.mutable_occur_time());
      std::string raw;
      // PostgreSQL wraps base64 output every 76 characters.
      std::string b64 = r.String(i, "payload");
      b64.erase(std::remove(b64.begin(), b64.end(), '\n'), b64.end());
      if (!absl::Base64Unescape(b64, &raw) || !e.mutable_payload()->ParseFromString(raw)) {
        return absl::InternalError("corrupt event payload");
      }
      page.events.push_back(std::move(e));
    }
    if (after > head) {
      return absl::OutOfRangeError(absl::StrCat(
          "after_position ", after, " is beyond this feed's last position ", head,
          ": the feed was restored from a backup, or the position is from another service's "
          "feed; read again from a position you have applied that is at most ",
          head, " (0 reads from the start)"));
    }
    page.last_position =
        static_cast<int>(page.events.size()) == limit ? page.events.back().position() : head;
    return absl::OkStatus();
  }));
  return page;
}

grpc::Status FeedService::ListEvents(grpc::ServerContext* ctx,
                                     const pdps::common::v1::ListEventsRequest* req,
                                     pdps::common::v1::ListEventsResponse* resp) {
  return gate_->Run(ctx, kMethod, *req, [&](const server::Call& call) -> absl::Status {
    Violations v;
    if (req->after_position() < 0) v.Add("after_position", "must not be negative");
    if (req->page_size() < 0 || req->page_size() > 1000) {
      v.Add("page_size", "must be from 0 (default 100) to 1000");
    }
    for (int i = 0; i < req->event_types_size(); ++i) {
      if (!outbox_->Publishes(req->event_types(i))) {
        v.Add(absl::StrCat("event_types[", i, "]"),
              absl::StrCat("is not an event this feed publishes (",
                           absl::StrJoin(outbox_->event_types(), ", "), ")"));
      }
    }
    RETURN_IF_ERROR(v.ToStatus());
    int limit = req->page_size() == 0 ? 100 : req->page_size();
    std::vector<std::string> types(req->event_types().begin(), req->event_types().end());
    ASSIGN_OR_RETURN(auto page,
                     outbox_->Read(*pool_, req->after_position(), limit, types, call.deadline));
    resp->set_last_position(page.last_position);
    for (auto& e : page.events) *resp->add_events() = std::move(e);
    return absl::OkStatus();
  });
}

Consumer::Consumer(std::string name, std::string schema, db::Pool* pool,
                   std::shared_ptr<grpc::Channel> peer, std::function<std::string()> token,
                   Handler handler, std::vector<std::string> event_types)
    : name_(std::move(name)),
      schema_(std::move(schema)),
      pool_(pool),
      stub_(pdps::common::v1::EventFeedService::NewStub(peer)),
      token_(std::move(token)),
      handler_(std::move(handler)),
      types_(std::move(event_types)) {
  const std::string t = schema_ + ".feed_cursors";
  ensure_sql_ = absl::StrCat("INSERT INTO ", t,
                             " (consumer, position) VALUES ($1, 0) ON CONFLICT DO NOTHING");
  lock_sql_ = absl::StrCat("SELECT position FROM ", t, " WHERE consumer = $1 FOR UPDATE");
  advance_sql_ = absl::StrCat("UPDATE ", t,
                              " SET position = $2, updated_at = now() WHERE consumer = $1");
  skip_sql_ = absl::StrCat("UPDATE ", t,
                           " SET position = $2, updated_at = now() WHERE consumer = $1"
                           " AND position < $2");
}

absl::StatusOr<int64_t> Consumer::Position() {
  int64_t pos = 0;
  RETURN_IF_ERROR(pool_->InTx(FeedActor(), absl::Now() + absl::Seconds(10),
                              [&](db::Tx& tx) -> absl::Status {
                                RETURN_IF_ERROR(tx.Exec(ensure_sql_, {db::P(name_)}).status());
                                ASSIGN_OR_RETURN(db::Result r, tx.Exec(lock_sql_, {db::P(name_)}));
                                pos = r.Int64(0, "position");
                                return absl::OkStatus();
                              }));
  return pos;
}

absl::StatusOr<int> Consumer::PollOnce(absl::Duration timeout) {
  ASSIGN_OR_RETURN(int64_t cursor, Position());
  pdps::common::v1::ListEventsRequest req;
  req.set_after_position(cursor);
  req.set_page_size(100);
  for (const auto& t : types_) req.add_event_types(t);
  pdps::common::v1::ListEventsResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  ctx.AddMetadata("authorization", "Bearer " + token_());
  grpc::Status st = stub_->ListEvents(&ctx, req, &resp);
  if (!st.ok()) {
    return absl::UnavailableError(
        absl::StrCat("feed read failed: ", st.error_code(), " ", st.error_message()));
  }
  int applied = 0;
  for (const auto& e : resp.events()) {
    bool effect = false;
    // The event, on every line its effect writes (db errors).
    log::Context event("consumer", name_);
    event.Set("event_position", e.position());
    RETURN_IF_ERROR(
        pool_->InTx(FeedActor(), absl::Now() + timeout, [&](db::Tx& tx) -> absl::Status {
          effect = false;  // the body may run again (db.h)
          ASSIGN_OR_RETURN(db::Result r, tx.Exec(lock_sql_, {db::P(name_)}));
          // Another replica got here first: nothing to do.
          if (r.Int64(0, "position") >= e.position()) return absl::OkStatus();
          RETURN_IF_ERROR(handler_(tx, e));
          effect = true;
          return tx.Exec(advance_sql_, {db::P(name_), db::P(e.position())}).status();
        }));
    if (effect) ++applied;
  }
  // Every event of ours up to last_position is applied: move past the others' too, so
  // the next read starts there (forward only: another replica may be further on).
  if (resp.last_position() > cursor) {
    RETURN_IF_ERROR(pool_->InTx(FeedActor(), absl::Now() + timeout, [&](db::Tx& tx) {
      return tx.Exec(skip_sql_, {db::P(name_), db::P(resp.last_position())}).status();
    }));
  }
  return applied;
}

void Consumer::Run(server::Stopper& stop, absl::Duration idle, metrics::Registry* metrics) {
  const metrics::Labels labels = {{"consumer", name_}};
  double* applied = metrics->CounterCell("pdps_feed_events_applied_total",
                                         "Events of a peer's feed applied by this consumer.",
                                         labels);
  double* failed = metrics->CounterCell(
      "pdps_feed_poll_failures_total",
      "Polls of a peer's feed that failed (peer unreachable, or an event's effect failed).",
      labels);
  // Shared with the gauge, which the registry may read after this consumer is gone.
  auto last_success = std::make_shared<std::atomic<double>>(0);
  metrics->Gauge("pdps_feed_last_success_timestamp_seconds",
                 "Unix time of this consumer's last successful poll of its peer's feed (0: "
                 "none yet); the cursor moves only when the feed has, this on every poll.",
                 labels, [last_success] { return last_success->load(); });
  while (!stop.stopping()) {
    auto n = PollOnce();
    if (n.ok()) last_success->store(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
    if (!n.ok()) {
      metrics->Add(failed, 1);
      log::Warning("consumer poll failed",
                   {{"consumer", name_}, {"error", std::string(n.status().message())}});
    } else if (*n > 0) {
      metrics->Add(applied, *n);
    }
    if (!n.ok() || *n == 0) {
      if (!stop.Sleep(idle)) return;
    }
  }
}

}  // namespace pdps::events
