// libpq behind RAII handles. Every error leaves through StatusFrom(), so callers see
// canonical codes and short messages; the server's own text goes only to the log.
#include "common/db.h"

#include <libpq-fe.h>

#include <cstdlib>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status.h"

namespace pdps::db {
namespace {

constexpr size_t kMaxPrepared = 512;
constexpr int kMaxAttempts = 3;
// Marks database errors (serialization failure, deadlock) that InTx may retry.
constexpr char kRetryablePayload[] = "pdps.dev/db-retryable";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

absl::Status Unavailable() {
  return absl::UnavailableError("the database is unavailable; retry the call");
}

}  // namespace

absl::StatusCode CodeForSqlState(absl::string_view s) {
  if (s == "23505") return absl::StatusCode::kAlreadyExists;
  if (s == "23503") return absl::StatusCode::kFailedPrecondition;
  if (s == "23514" || s == "23502" || s.substr(0, 2) == "22") {
    return absl::StatusCode::kInvalidArgument;
  }
  if (s == "40001" || s == "40P01") return absl::StatusCode::kAborted;
  if (s == "57014") return absl::StatusCode::kDeadlineExceeded;
  if (s == "42501") return absl::StatusCode::kPermissionDenied;
  if (s == "55P03") return absl::StatusCode::kAborted;  // lock_not_available
  if (s.substr(0, 2) == "08" || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300") {
    return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kInternal;
}

Param P(absl::string_view v) { return std::string(v); }
Param P(const char* v) { return std::string(v); }
Param P(const std::string& v) { return v; }
Param P(int64_t v) { return absl::StrCat(v); }
Param P(int v) { return absl::StrCat(v); }
Param P(bool v) { return v ? std::string("true") : std::string("false"); }
Param P(absl::Time v) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", v, absl::UTCTimeZone());
}
Param Null() { return std::nullopt; }
Param OrNull(absl::string_view v) {
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

// ---------------------------------------------------------------- Result ---

Result::Result(pg_result* res) : res_(res, [](pg_result* r) { PQclear(r); }) {}

int Result::rows() const { return res_ ? PQntuples(res_.get()) : 0; }

int64_t Result::affected() const {
  if (!res_) return 0;
  int64_t n = 0;
  (void)absl::SimpleAtoi(PQcmdTuples(res_.get()), &n);
  return n;
}

std::string Result::command() const { return res_ ? PQcmdStatus(res_.get()) : ""; }

int Result::Col(const char* col) const {
  int c = PQfnumber(res_.get(), col);
  if (c < 0) {
    // A programming error in a store: the SQL constant and the reader disagree.
    log::Error("db: result has no such column", {{"column", col}});
    std::abort();
  }
  return c;
}

const char* Result::Raw(int row, const char* col) const {
  int c = Col(col);
  if (PQgetisnull(res_.get(), row, c)) return nullptr;
  return PQgetvalue(res_.get(), row, c);
}

bool Result::IsNull(int row, const char* col) const { return Raw(row, col) == nullptr; }

std::string Result::String(int row, const char* col) const {
  const char* v = Raw(row, col);
  return v == nullptr ? std::string() : std::string(v);
}

int64_t Result::Int64(int row, const char* col) const {
  const char* v = Raw(row, col);
  int64_t n = 0;
  if (v != nullptr) (void)absl::SimpleAtoi(v, &n);
  return n;
}

bool Result::Bool(int row, const char* col) const {
  const char* v = Raw(row, col);
  return v != nullptr && v[0] == 't';
}

double Result::Double(int row, const char* col) const {
  const char* v = Raw(row, col);
  double d = 0;
  if (v != nullptr) (void)absl::SimpleAtod(v, &d);
  return d;
}

absl::Time Result::Time(int row, const char* col) const {
  const char* v = Raw(row, col);
  if (v == nullptr) return absl::InfinitePast();
  // Sessions run with TimeZone=UTC and DateStyle=ISO: "2026-11-24 08:59:00.123+00".
  std::string text(v);
  auto plus = text.find_last_of("+-");
  if (plus != std::string::npos && plus > 10) text.resize(plus);
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &t, &err)) {
    return absl::InfinitePast();
  }
  return t;
}

// ------------------------------------------------------------ Connection ---

namespace {
// libpq prints the server's notices ("schema ... already exists, skipping") on stderr as
// plain text; our logs are one JSON object per line, so they go through the logger, at
// debug level: a notice is never something to act on.
void LogNotice(void* /*arg*/, const char* message) {
  std::string text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  log::Debug("db: notice", {{"notice", text}});
}
}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* raw = PQconnectdb(conninfo.c_str());
  if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
    log::Warning("db: connect failed",
                 {{"error", raw != nullptr ? PQerrorMessage(raw) : "out of memory"}});
    if (raw != nullptr) PQfinish(raw);
    return Unavailable();
  }
  PQsetNoticeProcessor(raw, LogNotice, nullptr);
  std::unique_ptr<Connection> conn(new Connection(raw));
  auto st = conn->ExecScript("SET TimeZone = 'UTC'; SET DateStyle = 'ISO'");
  if (!st.ok()) return st;
  return conn;
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool Connection::broken() const { return PQstatus(conn_) != CONNECTION_OK; }

absl::Status Connection::ErrorFrom(pg_result* res) {
  if (broken()) {
    log::Warning("db: connection lost", {{"error", PQerrorMessage(conn_)}});
    return Unavailable();
  }
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "XX000";
  std::string detail = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
  absl::StatusCode code = CodeForSqlState(sqlstate);
  std::string message;
  switch (code) {
    case absl::StatusCode::kAlreadyExists:
      message = "a record with the same unique values already exists";
      break;
    case absl::StatusCode::kFailedPrecondition:
      message = "the request refers to a record that does not exist";
      break;
    case absl::StatusCode::kInvalidArgument:
      message = "a value is out of range or badly formed";
      break;
    case absl::StatusCode::kAborted:
      message = "the change conflicted with a concurrent change; retry the call";
      break;
    case absl::StatusCode::kDeadlineExceeded:
      message = "the call's deadline passed while the database was working";
      break;
    case absl::StatusCode::kPermissionDenied:
      message = "your organisation may not change this record";
      break;
    case absl::StatusCode::kUnavailable:
      message = "the database is unavailable; retry the call";
      break;
    default:
      message = "internal database error";
      break;
  }
  if (code == absl::StatusCode::kInternal || code == absl::StatusCode::kPermissionDenied) {
    log::Error("db: statement failed", {{"sqlstate", sqlstate}, {"error", detail}});
  } else {
    log::Debug("db: statement failed", {{"sqlstate", sqlstate}, {"error", detail}});
  }
  absl::Status st(code, message);
  st.SetPayload("pdps.dev/sqlstate", absl::Cord(sqlstate));
  if (sqlstate == "40001" || sqlstate == "40P01") {
    st.SetPayload(kRetryablePayload, absl::Cord("1"));
  }
  return st;
}

absl::StatusOr<Result> Connection::Exec(std::string_view sql, const std::vector<Param>& params) {
  // One statement is a pipeline of one: a single way to prepare, cache and run.
  ASSIGN_OR_RETURN(std::vector<Result> results, Pipeline({{sql, params}}));
  return std::move(results[0]);
}

absl::Status Connection::ExecScript(const std::string& sql) {
  ResultPtr res(PQexec(conn_, sql.c_str()));
  auto status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return ErrorFrom(res.get());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Result>> Connection::Pipeline(const std::vector<Statement>& stmts) {
  if (PQenterPipelineMode(conn_) != 1) return ErrorFrom(nullptr);
  // What was sent, in order: a prepare (to cache on success) or a statement.
  struct Sent {
    bool prepare;
    size_t index;  // statement index
    std::string name;
  };
  std::vector<Sent> sent;
  std::vector<std::vector<const char*>> values(stmts.size());
  bool send_ok = true;
  for (size_t i = 0; i < stmts.size() && send_ok; ++i) {
    const Statement& st = stmts[i];
    for (const auto& p : st.params) values[i].push_back(p.has_value() ? p->c_str() : nullptr);
    std::string key(st.sql);
    int n = static_cast<int>(st.params.size());
    auto it = prepared_.find(key);
    std::string name;
    if (it != prepared_.end()) {
      name = it->second;
    } else if (prepared_.size() < kMaxPrepared) {
      // Names are unique per connection even if this prepare fails.
      name = absl::StrCat("pdps_p", prepared_.size() + 1, "_", sent.size());
      send_ok = PQsendPrepare(conn_, name.c_str(), key.c_str(), n, nullptr) == 1;
      sent.push_back({true, i, name});
    }
    if (!send_ok) break;
    if (!name.empty()) {
      send_ok = PQsendQueryPrepared(conn_, name.c_str(), n, values[i].data(), nullptr, nullptr, 0) == 1;
    } else {
      send_ok = PQsendQueryParams(conn_, key.c_str(), n, nullptr, values[i].data(), nullptr,
                                  nullptr, 0) == 1;
    }
    sent.push_back({false, i, ""});
  }
  if (!send_ok || PQpipelineSync(conn_) != 1) {
    log::Warning("db: pipeline send failed", {{"error", PQerrorMessage(conn_)}});
    return Unavailable();
  }
  std::vector<Result> out(stmts.size());
  absl::Status first_error;
  for (const Sent& s : sent) {
    ResultPtr res(PQgetResult(conn_));
    if (!res) {
      return broken() ? Unavailable() : absl::InternalError("pipeline result missing");
    }
    // Each command's result is followed by a NULL.
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    auto status = PQresultStatus(res.get());
    if (status == PGRES_PIPELINE_ABORTED) continue;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      if (first_error.ok()) first_error = ErrorFrom(res.get());
      continue;
    }
    if (s.prepare) {
      prepared_.emplace(std::string(stmts[s.index].sql), s.name);
    } else {
      out[s.index] = Result(res.release());
    }
  }
  ResultPtr sync(PQgetResult(conn_));
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    return broken() ? Unavailable() : absl::InternalError("pipeline lost its sync point");
  }
  if (PQexitPipelineMode(conn_) != 1) return ErrorFrom(nullptr);
  if (!first_error.ok()) return first_error;
  return out;
}

std::string Connection::Literal(absl::string_view value) {
  char* lit = PQescapeLiteral(conn_, value.data(), value.size());
  if (lit == nullptr) return "''";
  std::string out(lit);
  PQfreemem(lit);
  return out;
}

// ------------------------------------------------------------------ Pool ---

absl::StatusOr<std::unique_ptr<Pool>> Pool::Create(PoolOptions options) {
  if (options.size < 1) {
    return absl::InvalidArgumentError("pool size must be at least 1");
  }
  std::unique_ptr<Pool> pool(new Pool(std::move(options)));
  auto conn = Connection::Open(pool->options_.conninfo);
  if (!conn.ok()) return conn.status();
  pool->open_ = 1;
  pool->idle_.push_back(std::move(conn).value());
  return pool;
}

Pool::~Pool() = default;

absl::StatusOr<std::unique_ptr<Connection>> Pool::Acquire(absl::Time deadline) {
  absl::Time until = std::min(deadline, absl::Now() + options_.acquire_timeout);
  std::unique_lock<std::mutex> lock(mu_);
  bool waited = false;
  while (idle_.empty() && open_ >= options_.size) {
    if (!waited) {
      ++waits_;
      waited = true;
    }
    if (cv_.wait_until(lock, absl::ToChronoTime(until)) == std::cv_status::timeout &&
        idle_.empty() && open_ >= options_.size) {
      ++timeouts_;
      return absl::UnavailableError("all database connections are busy; retry the call");
    }
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    ++in_use_;
    return conn;
  }
  ++open_;
  ++in_use_;
  lock.unlock();
  auto conn = Connection::Open(options_.conninfo);
  if (!conn.ok()) {
    lock.lock();
    --open_;
    --in_use_;
    cv_.notify_one();
  }
  return conn;
}

void Pool::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  --in_use_;
  if (conn->broken()) {
    --open_;
    ++replaced_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

absl::Status Pool::WithConnection(absl::Time deadline,
                                  const std::function<absl::Status(Connection&)>& fn) {
  auto conn = Acquire(deadline);
  if (!conn.ok()) return conn.status();
  absl::Status st = fn(**conn);
  Release(std::move(conn).value());
  return st;
}

absl::StatusOr<Result> Tx::Exec(std::string_view sql, const std::vector<Param>& params) {
  if (begun_) return conn_->Exec(sql, params);
  std::vector<Statement> batch = std::move(prologue_);
  batch.push_back({sql, params});
  begun_ = true;
  auto results = conn_->Pipeline(batch);
  if (!results.ok()) return results.status();
  return std::move(results->back());
}

void Tx::Defer(std::string_view sql, std::vector<Param> params) {
  deferred_.push_back({sql, std::move(params)});
}

absl::Status Tx::Commit() {
  if (!begun_ && deferred_.empty()) return absl::OkStatus();  // nothing was done
  std::vector<Statement> batch;
  if (!begun_) batch = std::move(prologue_);
  begun_ = true;
  for (auto& d : deferred_) batch.push_back(std::move(d));
  deferred_.clear();
  batch.push_back({"COMMIT", {}});
  auto results = conn_->Pipeline(batch);
  if (!results.ok()) return results.status();
  if (results->back().command() != "COMMIT") {
    return absl::AbortedError("the transaction was rolled back; retry the call");
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> Pool::Settings(const Actor& actor, absl::Time deadline) {
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError("the call's deadline passed");
  }
  // statement_timeout bounds database work by the caller's deadline.
  std::string timeout = "0";
  if (deadline != absl::InfiniteFuture()) {
    timeout = absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(left) + 1));
  }
  return Statement{
      "SELECT set_config('pdps.organisation_id', $1, true), set_config('pdps.user_id', $2, true),"
      " set_config('pdps.service', $3, true), set_config('statement_timeout', $4, true)",
      {actor.organisation_id, actor.user_id, std::string(actor.service ? "on" : "off"), timeout}};
}

absl::StatusOr<Result> Pool::Read(const Actor& actor, absl::Time deadline, std::string_view sql,
                                  const std::vector<Param>& params) {
  ASSIGN_OR_RETURN(Statement settings, Settings(actor, deadline));
  auto leased = Acquire(deadline);
  if (!leased.ok()) return leased.status();
  std::unique_ptr<Connection> conn = std::move(leased).value();
  auto results = conn->Pipeline({settings, {sql, params}});
  Release(std::move(conn));
  if (!results.ok()) return results.status();
  return std::move(results->back());
}

absl::Status Pool::InTx(const Actor& actor, absl::Time deadline,
                        const std::function<absl::Status(Tx&)>& fn) {
  absl::Status st;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    ASSIGN_OR_RETURN(Statement settings, Settings(actor, deadline));
    auto leased = Acquire(deadline);
    if (!leased.ok()) return leased.status();
    std::unique_ptr<Connection> conn = std::move(leased).value();
    // The transaction-local settings keep the actor from leaking to the next user of the
    // connection, or through a transaction-mode pooler.
    Tx tx(conn.get(), {{"BEGIN", {}}, settings});
    try {
      st = fn(tx);
    } catch (const std::exception& e) {
      // A bug or unreadable stored data must not leak the connection or leave the
      // transaction open: it rolls back like any failure.
      st = absl::InternalError(absl::StrCat("unexpected exception in a transaction: ", e.what()));
    }
    if (st.ok()) st = tx.Commit();
    if (!st.ok() && tx.begun_ && !conn->broken()) {
      (void)conn->ExecScript("ROLLBACK");
    }
    Release(std::move(conn));
    if (st.ok() || !st.GetPayload(kRetryablePayload).has_value()) {
      return st;
    }
  }
  return st;
}

PoolStats Pool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  PoolStats s;
  s.size = options_.size;
  s.open = open_;
  s.in_use = in_use_;
  s.waits = waits_;
  s.timeouts = timeouts_;
  s.replaced = replaced_;
  return s;
}

}  // namespace pdps::db
