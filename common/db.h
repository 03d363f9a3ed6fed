// PostgreSQL access for every service: a bounded RAII connection pool, transactions
// that carry the acting organisation and user (transaction-local settings read by
// row-level security policies), prepared-statement caching, and one SQLSTATE →
// absl::Status mapping.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct pg_conn;
struct pg_result;

namespace pdps::db {

// A statement parameter in PostgreSQL text form; std::nullopt is SQL NULL.
using Param = std::optional<std::string>;

Param P(absl::string_view v);
Param P(const char* v);
Param P(const std::string& v);
Param P(int64_t v);
Param P(int v);
Param P(bool v);
Param P(absl::Time v);  // timestamptz, microsecond precision
Param Null();
// NULL when empty: for optional text such as filters.
Param OrNull(absl::string_view v);
// A uuid[] (or any array of unquoted words) from ids, for `= ANY($n::uuid[])`.
template <typename Ids>
Param IdArray(const Ids& ids) {
  std::string out = "{";
  for (const auto& id : ids) {
    if (out.size() > 1) out += ',';
    out += id;
  }
  return out + "}";
}

// The rows of one statement. Columns are addressed by name.
class Result {
 public:
  Result() = default;
  explicit Result(pg_result* res);
  int rows() const;
  // Rows changed by INSERT/UPDATE/DELETE.
  int64_t affected() const;
  // The command tag, e.g. "COMMIT" (or "ROLLBACK" for a COMMIT of a failed transaction).
  std::string command() const;
  bool IsNull(int row, const char* col) const;
  std::string String(int row, const char* col) const;  // "" for NULL
  int64_t Int64(int row, const char* col) const;       // 0 for NULL
  bool Bool(int row, const char* col) const;
  double Double(int row, const char* col) const;
  absl::Time Time(int row, const char* col) const;  // InfinitePast for NULL

 private:
  int Col(const char* col) const;
  const char* Raw(int row, const char* col) const;
  std::shared_ptr<pg_result> res_;
  // The result's column names (owned by res_) in sorted order with their numbers, built
  // once: PQfnumber copies, folds and scans the name on every call, which cost a read of
  // a wide row more than the rest of its parsing (docs/decisions/0053).
  std::shared_ptr<const std::vector<std::pair<std::string_view, int>>> columns_;
};

// A statement and its parameters, for pipelines.
struct Statement {
  std::string_view sql;
  std::vector<Param> params;
};

// One libpq connection. Not thread-safe; used through a Pool lease.
//
// No wait for the server is open-ended (docs/decisions/0050): the connection is opened
// within `deadline` and the conninfo's connect_timeout, with TCP keepalives and
// tcp_user_timeout added unless the conninfo sets them (kConnectDefaults in db.cc); every
// wait for a result ends at the connection's deadline (set_deadline), after which the
// statement is cancelled, the connection closed (broken()) and the call fails
// DEADLINE_EXCEEDED.
class Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& conninfo, absl::Time deadline = absl::InfiniteFuture());
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a parameterised statement, preparing it on first use on this connection.
  absl::StatusOr<Result> Exec(std::string_view sql, const std::vector<Param>& params);
  // Sends several statements in one round trip (libpq pipeline mode) and returns one
  // Result per statement. On failure returns the first error; the server skips the rest.
  // Without an explicit BEGIN the statements form one implicit transaction.
  absl::StatusOr<std::vector<Result>> Pipeline(const std::vector<Statement>& statements);
  // Runs one or more statements without parameters (BEGIN, COMMIT, migration files).
  absl::Status ExecScript(const std::string& sql);
  // Quotes a literal for ExecScript.
  std::string Literal(absl::string_view value);
  // True once the server connection is lost; the pool then replaces it.
  bool broken() const;
  // The value libpq uses for conninfo keyword `key` ("" if none).
  std::string Option(const char* key) const;
  // When waits for the server end (InfiniteFuture: only TCP ends them). The pool sets
  // the caller's deadline on every lease.
  void set_deadline(absl::Time deadline) { deadline_ = deadline; }
  // Whether an idle connection still looks alive, read without waiting: a server that
  // closed it (restart, pg_terminate_backend, a keepalive that failed) has left EOF or
  // an error on the socket. Logs `db: connection lost` when it has.
  bool Alive();

 private:
  struct ResultFree {
    void operator()(pg_result* r) const;
  };
  using OwnedResult = std::unique_ptr<pg_result, ResultFree>;
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  absl::Status ErrorFrom(pg_result* res);
  // UNAVAILABLE for a connection found broken, logged once with libpq's reason.
  absl::Status Lost();
  // Waits for poll(2) `events` on the socket until `until`: OK when ready,
  // DEADLINE_EXCEEDED when `until` passed first.
  absl::Status Await(short events, absl::Time until);
  void Close();
  // Sends what libpq has buffered (the connection is non-blocking).
  absl::Status Flush();
  // The next result of what was sent (nullptr after the last one of a command).
  absl::StatusOr<OwnedResult> NextResult();
  // The deadline passed with a statement in flight: cancels it (bounded) and closes.
  absl::Status Abandon();
  pg_conn* conn_;
  absl::Time deadline_ = absl::InfiniteFuture();
  // The pool's shutdown cut-off (Pool::StopBy), in Unix nanoseconds; null outside a pool.
  const std::atomic<int64_t>* cutoff_ = nullptr;
  std::string lost_;   // libpq's reason, once the connection was found broken
  std::string fatal_;  // the server's last FATAL message (it says why it closed)
  std::unordered_map<std::string, std::string> prepared_;  // sql → statement name
  friend class Pool;
};

// Who is acting: read by row-level security through current_setting('pdps.*').
struct Actor {
  std::string organisation_id;  // UUID from the token; empty for internal work
  std::string user_id;
  // Service identities (feeds, schedulers, peer services) may read across tenants where
  // a policy allows it explicitly.
  bool service = false;
  // The caller's role names, comma-separated ("commissioner,brokerage_officer"), for the
  // few policies that depend on a role (pdps.roles); empty for internal work.
  std::string roles;

  // Internal work (feeds, schedulers, sweeps) in the name of `user`: a service actor of no
  // organisation and no roles.
  static Actor Internal(std::string user) { return Actor{"", std::move(user), true, ""}; }
};

// A transaction in progress. Obtained only from Pool::InTx. BEGIN and the actor's
// settings travel with the first statement, and deferred statements with COMMIT, so a
// transaction costs no round trips beyond its own statements.
class Tx {
 public:
  absl::StatusOr<Result> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Runs `sql` at commit, in the same round trip as COMMIT (e.g. outbox rows); an error
  // there fails the commit. `sql` must outlive the transaction (a constant).
  void Defer(std::string_view sql, std::vector<Param> params);

 private:
  friend class Pool;
  Tx(Connection* conn, std::vector<Statement> prologue)
      : conn_(conn), prologue_(std::move(prologue)) {}
  absl::Status Commit();
  Connection* conn_;
  std::vector<Statement> prologue_;  // sent with the first statement
  std::vector<Statement> deferred_;  // sent with COMMIT
  bool begun_ = false;
  bool commit_sent_ = false;  // from here on the outcome may be unknown: never retried
};

// A row with a natural key (a unique index), inserted with `insert`, an
// "INSERT ... ON CONFLICT DO NOTHING RETURNING ..." statement: its rows when inserted.
// When the key is taken, ALREADY_EXISTS naming the row already there, so that a client
// can read it without parsing the message: google.rpc.ResourceInfo with resource_type
// `type` and resource_name its id, read with `existing` (a SELECT of an `id` column, as
// the caller may see it), and the message "<message> (<id>)"; `message` alone, without
// ResourceInfo, when the caller may not read that row.
absl::StatusOr<Result> InsertUnique(Tx& tx, const Statement& insert, const Statement& existing,
                                    absl::string_view message, absl::string_view type);

struct PoolOptions {
  std::string conninfo;
  int size = 8;
  // How long a caller waits for a free connection before UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(2);
};

struct PoolStats {
  int size = 0;    // configured maximum
  int open = 0;    // connections open
  int in_use = 0;  // leased now
  int64_t waits = 0;
  int64_t timeouts = 0;
  int64_t replaced = 0;  // broken connections discarded
};

class Pool {
 public:
  // Opens one connection to check the settings; the rest open on demand.
  static absl::StatusOr<std::unique_ptr<Pool>> Create(PoolOptions options);
  ~Pool();

  // Runs `fn` in one transaction as `actor`, committing when it returns OK and rolling
  // back otherwise. Serialization failures and deadlocks are retried, and so, once, on a
  // newly opened connection, is a transaction whose connection broke before its COMMIT
  // was sent (nothing can have been committed); a connection lost after COMMIT was sent
  // is UNAVAILABLE (outcome unknown). Statements are cancelled when `deadline` passes
  // (DEADLINE_EXCEEDED), by the server or, if it does not answer, by the client, which
  // then discards the connection. So `fn` may run more than once: it must only touch the
  // database, and set what it hands back afresh on each run (`out = {};` first, never
  // only append to it).
  absl::Status InTx(const Actor& actor, absl::Time deadline,
                    const std::function<absl::Status(Tx&)>& fn);

  // One read-only statement as `actor`, in a single round trip (the settings and the
  // statement form one implicit transaction). Run again once, on a newly opened
  // connection, if its connection is found broken.
  absl::StatusOr<Result> Read(const Actor& actor, absl::Time deadline, std::string_view sql,
                              const std::vector<Param>& params);
  // Read-only statements that do not depend on each other's results, as `actor`, in one
  // round trip and one implicit transaction (each statement sees what was committed when
  // it started, as in any READ COMMITTED transaction); a result per statement, in order.
  absl::StatusOr<std::vector<Result>> ReadAll(const Actor& actor, absl::Time deadline,
                                              const std::vector<Statement>& statements);

  // Runs `fn` with a connection outside any transaction (migrations, advisory locks).
  absl::Status WithConnection(absl::Time deadline,
                              const std::function<absl::Status(Connection&)>& fn);

  PoolStats stats() const;

  // Shutdown: database work, in flight or new, ends by `t` whatever its deadline, as
  // UNAVAILABLE ("the server is shutting down"), so that SIGTERM's drain + grace bounds
  // the process's exit even with the database hung.
  void StopBy(absl::Time t);

 private:
  explicit Pool(PoolOptions options) : options_(std::move(options)) {}
  // A connection whose waits end at `deadline`: an idle one that is still alive, or,
  // with `fresh` (a retry after a lost connection), always a newly opened one.
  absl::StatusOr<std::unique_ptr<Connection>> Acquire(absl::Time deadline, bool fresh = false);
  // The set_config statement carrying the actor and the deadline.
  static absl::StatusOr<Statement> Settings(const Actor& actor, absl::Time deadline);
  void Release(std::unique_ptr<Connection> conn);

  PoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  int64_t waits_ = 0;
  int64_t timeouts_ = 0;
  int64_t replaced_ = 0;
  std::atomic<int64_t> cutoff_ns_{INT64_MAX};
  // UNAVAILABLE once the cut-off passed; else `deadline`, no later than the cut-off.
  absl::StatusOr<absl::Time> Bound(absl::Time deadline) const;
};

// Maps a SQLSTATE to a canonical status code (CONVENTIONS.md).
absl::StatusCode CodeForSqlState(absl::string_view sqlstate);

// Why a database operation failed, in libpq's or the server's own words ("role \"x\" does
// not exist", "Connection refused"), or "" if the status carries no such reason. It
// travels as a payload of the status for the logs (start-up failed, migrate failed);
// server::ToGrpc never sends payloads but field violations to a client.
std::string ReasonOf(const absl::Status& status);

}  // namespace pdps::db
