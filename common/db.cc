// libpq behind RAII handles. Every error leaves through StatusFrom(), so callers see
// canonical codes and short messages; the server's own text goes only to the log.
#include "common/db.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
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

// libpq's or the server's own words for a failure, for the log only (ReasonOf).
constexpr char kReasonPayload[] = "pdps.dev/db-reason";
// Marks a failure because the connection broke: InTx and Read may run again on a new one.
constexpr char kLostPayload[] = "pdps.dev/db-connection-lost";

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

std::string ReasonOf(const absl::Status& status) {
  auto reason = status.GetPayload(kReasonPayload);
  return reason.has_value() ? std::string(*reason) : std::string();
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

Result::Result(pg_result* res) : res_(res, [](pg_result* r) { PQclear(r); }) {
  auto columns = std::make_shared<std::vector<std::pair<std::string_view, int>>>();
  const int n = PQnfields(res);
  columns->reserve(n);
  for (int c = 0; c < n; ++c) columns->emplace_back(PQfname(res, c), c);
  // Sorted by name, then number: a name given twice finds its first column, as PQfnumber.
  std::sort(columns->begin(), columns->end());
  columns_ = std::move(columns);
}

int Result::rows() const { return res_ ? PQntuples(res_.get()) : 0; }

int64_t Result::affected() const {
  if (!res_) return 0;
  int64_t n = 0;
  (void)absl::SimpleAtoi(PQcmdTuples(res_.get()), &n);
  return n;
}

std::string Result::command() const { return res_ ? PQcmdStatus(res_.get()) : ""; }

int Result::Col(const char* col) const {
  if (columns_) {
    const std::string_view name(col);
    auto it = std::lower_bound(columns_->begin(), columns_->end(), name,
                               [](const auto& e, std::string_view n) { return e.first < n; });
    if (it != columns_->end() && it->first == name) return it->second;
  }
  // Not as the server spelt it (case, quotes): libpq's own folding decides.
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

// What every connection gets unless its conninfo sets it (PGCONNECT_TIMEOUT counts for
// connect_timeout): a server that hangs or a network that drops packets must neither
// hold a connection attempt for ever nor leave a connection to die unnoticed
// (docs/decisions/0050). Keepalives and tcp_user_timeout apply to TCP only.
struct ConnectDefault {
  const char* key;
  const char* value;
};
// connect_timeout is in seconds, for the whole attempt over all hosts (Open enforces it);
// tcp_user_timeout in milliseconds that sent data may stay unacknowledged.
constexpr ConnectDefault kConnectDefaults[] = {
    {"connect_timeout", "5"},     {"keepalives", "1"},       {"keepalives_idle", "15"},
    {"keepalives_interval", "5"}, {"keepalives_count", "3"}, {"tcp_user_timeout", "30000"},
};
// Past the deadline, how long a statement's answer is awaited: the server's own
// statement_timeout (set to the deadline) answers within it and keeps the connection.
constexpr absl::Duration kServerGrace = absl::Milliseconds(200);
// How long a cancel request may hold the caller (it connects to the server anew).
constexpr absl::Duration kCancelWait = absl::Seconds(1);

std::string Trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A status for the caller, and libpq's reason for the log (ReasonOf).
absl::Status WithReason(absl::Status st, absl::string_view reason) {
  if (!reason.empty()) st.SetPayload(kReasonPayload, absl::Cord(reason));
  return st;
}

absl::Status ConnectFailed(const std::string& reason, bool deadline_passed = false) {
  log::Warning("db: connect failed", {{"error", reason}});
  return WithReason(deadline_passed ? absl::DeadlineExceededError(
                                          "the call's deadline passed while connecting to the "
                                          "database")
                                    : Unavailable(),
                    reason);
}

// PQcancel connects to the server and waits for it to close: against a hung server it
// would block for ever, so it runs on a thread of its own that the caller waits for
// only kCancelWait (the thread ends when the server, or TCP, gives up).
void CancelBounded(PGcancel* cancel) {
  struct Done {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
  };
  auto state = std::make_shared<Done>();
  try {
    std::thread([cancel, state] {
      char err[256] = "";
      if (PQcancel(cancel, err, sizeof err) != 1) {
        log::Warning("db: cancel request failed", {{"error", Trimmed(err)}});
      }
      PQfreeCancel(cancel);
      std::lock_guard<std::mutex> lock(state->mu);
      state->done = true;
      state->cv.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    PQfreeCancel(cancel);
    return;
  }
  std::unique_lock<std::mutex> lock(state->mu);
  if (!state->cv.wait_for(lock, absl::ToChronoNanoseconds(kCancelWait),
                          [&] { return state->done; })) {
    log::Warning("db: cancel request not answered; the connection is closed anyway");
  }
}

}  // namespace

void Connection::ResultFree::operator()(pg_result* r) const { PQclear(r); }

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo,
                                                             absl::Time deadline) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string reason = parse_error != nullptr ? Trimmed(parse_error) : "out of memory";
    if (parse_error != nullptr) PQfreemem(parse_error);
    return ConnectFailed(reason);
  }
  std::vector<const char*> keys, values;
  const char* env_timeout = std::getenv("PGCONNECT_TIMEOUT");
  std::string connect_timeout = env_timeout != nullptr ? env_timeout : "";
  for (PQconninfoOption* o = parsed; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || o->val[0] == '\0') continue;
    keys.push_back(o->keyword);
    values.push_back(o->val);
    if (std::strcmp(o->keyword, "connect_timeout") == 0) connect_timeout = o->val;
  }
  for (const ConnectDefault& d : kConnectDefaults) {
    bool is_timeout = std::strcmp(d.key, "connect_timeout") == 0;
    if (is_timeout && !connect_timeout.empty()) continue;
    bool set = false;
    for (const char* k : keys) set = set || std::strcmp(k, d.key) == 0;
    if (set) continue;
    keys.push_back(d.key);
    values.push_back(d.value);
    if (is_timeout) connect_timeout = d.value;
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* raw = PQconnectStartParams(keys.data(), values.data(), 0);
  PQconninfoFree(parsed);  // libpq copied the values
  if (raw == nullptr) return ConnectFailed("out of memory");
  std::unique_ptr<Connection> conn(new Connection(raw));

  // libpq's rule for connect_timeout: none if 0 or less, at least 2 seconds. PQconnectPoll
  // leaves enforcing it to us; we make it cover the whole attempt.
  absl::Time until = deadline;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(connect_timeout, &seconds) && seconds > 0) {
    until = std::min(until, absl::Now() + absl::Seconds(std::max<int64_t>(seconds, 2)));
  }
  PostgresPollingStatusType polled = PGRES_POLLING_WRITING;
  while (PQstatus(raw) != CONNECTION_BAD && polled != PGRES_POLLING_OK &&
         polled != PGRES_POLLING_FAILED) {
    absl::Status ready = conn->Await(polled == PGRES_POLLING_READING ? POLLIN : POLLOUT, until);
    if (absl::IsDeadlineExceeded(ready)) {
      return ConnectFailed(
          absl::StrCat("no answer from the database within ",
                       until == deadline ? std::string("the call's deadline")
                                         : absl::StrCat("connect_timeout (", connect_timeout, "s)"),
                       " while connecting"),
          until == deadline);
    }
    if (!ready.ok()) return ConnectFailed(conn->lost_);  // closed: raw is gone
    polled = PQconnectPoll(raw);
  }
  if (PQstatus(raw) != CONNECTION_OK) return ConnectFailed(Trimmed(PQerrorMessage(raw)));
  // Waits are ours (Await): libpq must never block in send or receive.
  if (PQsetnonblocking(raw, 1) != 0) return ConnectFailed(Trimmed(PQerrorMessage(raw)));
  // libpq prints the server's notices ("schema ... already exists, skipping") on stderr as
  // plain text; our logs are one JSON object per line, so they go through the logger, at
  // debug level: a notice is never something to act on. A FATAL one (the server closing
  // an idle connection) is kept to say why the connection was lost.
  PQsetNoticeProcessor(
      raw,
      [](void* arg, const char* message) {
        std::string text = Trimmed(message);
        if (absl::StartsWith(text, "FATAL")) static_cast<Connection*>(arg)->fatal_ = text;
        log::Debug("db: notice", {{"notice", text}});
      },
      conn.get());
  conn->deadline_ = until;
  auto st = conn->ExecScript("SET TimeZone = 'UTC'; SET DateStyle = 'ISO'");
  if (!st.ok()) return st;
  conn->deadline_ = absl::InfiniteFuture();
  return conn;
}

Connection::~Connection() { Close(); }

void Connection::Close() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
}

std::string Connection::Option(const char* key) const {
  std::string out;
  if (conn_ == nullptr) return out;
  PQconninfoOption* options = PQconninfo(conn_);
  for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, key) == 0 && o->val != nullptr) out = o->val;
  }
  PQconninfoFree(options);
  return out;
}

bool Connection::broken() const { return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK; }

absl::Status Connection::Lost() {
  if (lost_.empty()) {
    std::string libpq = conn_ != nullptr ? Trimmed(PQerrorMessage(conn_)) : "";
    if (fatal_.empty() || absl::StrContains(libpq, fatal_)) {
      lost_ = libpq;
    } else {
      lost_ = libpq.empty() ? fatal_ : absl::StrCat(fatal_, "; ", libpq);
    }
    if (lost_.empty()) lost_ = "connection closed";
    log::Warning("db: connection lost", {{"error", lost_}});
  }
  Close();  // whatever state libpq is in, the pool must replace it
  absl::Status st = WithReason(Unavailable(), lost_);
  st.SetPayload(kLostPayload, absl::Cord("1"));
  return st;
}

absl::Status Connection::Await(short events, absl::Time until) {
  const int fd = PQsocket(conn_);
  if (fd < 0) return Lost();
  for (;;) {
    const absl::Time now = absl::Now();
    absl::Time end = until;
    if (cutoff_ != nullptr) end = std::min(end, absl::FromUnixNanos(cutoff_->load()));
    if (now >= end) return absl::DeadlineExceededError("deadline");
    // The pool's cut-off may be set while we wait (shutdown): looked at every 100 ms.
    absl::Time wake = cutoff_ != nullptr ? std::min(end, now + absl::Milliseconds(100)) : end;
    int timeout_ms = -1;
    if (wake != absl::InfiniteFuture()) {
      timeout_ms = static_cast<int>(std::min<int64_t>(
          absl::ToInt64Milliseconds(absl::Ceil(wake - now, absl::Milliseconds(1))), 1 << 30));
    }
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, timeout_ms);
    if (n > 0) return absl::OkStatus();  // ready, or an error libpq will find and report
    if (n < 0 && errno != EINTR) return Lost();
  }
}

absl::Status Connection::Abandon() {
  const absl::Duration late = absl::Now() - deadline_;
  const bool cut_off = cutoff_ != nullptr && absl::Now() >= absl::FromUnixNanos(cutoff_->load());
  if (PGcancel* cancel = PQgetCancel(conn_)) CancelBounded(cancel);
  Close();
  if (cut_off) {
    log::Warning("db: shutting down; statement cancelled, connection closed");
    return WithReason(absl::UnavailableError("the server is shutting down; retry the call"),
                      "database work cut off by shutdown");
  }
  log::Warning("db: no answer by the deadline; statement cancelled, connection closed",
               {{"late_ms", absl::ToInt64Milliseconds(late)}});
  return WithReason(
      absl::DeadlineExceededError("the call's deadline passed while the database was working"),
      "the database did not answer by the call's deadline");
}

absl::Status Connection::Flush() {
  for (;;) {
    int r = PQflush(conn_);
    if (r == 0) return absl::OkStatus();
    if (r < 0) return Lost();
    absl::Status ready = Await(POLLIN | POLLOUT, deadline_ + kServerGrace);
    if (absl::IsDeadlineExceeded(ready)) return Abandon();
    RETURN_IF_ERROR(ready);
    // The server may be sending while we are: read it so that neither side stalls.
    if (PQconsumeInput(conn_) != 1) return Lost();
  }
}

absl::StatusOr<Connection::OwnedResult> Connection::NextResult() {
  while (PQisBusy(conn_)) {
    absl::Status ready = Await(POLLIN, deadline_ + kServerGrace);
    if (absl::IsDeadlineExceeded(ready)) return Abandon();
    RETURN_IF_ERROR(ready);
    if (PQconsumeInput(conn_) != 1) return Lost();
  }
  return OwnedResult(PQgetResult(conn_));
}

bool Connection::Alive() {
  for (int reads = 0; !broken() && reads < 4; ++reads) {
    pollfd p{PQsocket(conn_), POLLIN, 0};
    int n = ::poll(&p, 1, 0);
    if (n == 0) return true;  // nothing waiting, as for any idle connection
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || PQconsumeInput(conn_) != 1) break;
    (void)PQisBusy(conn_);  // parses what came: a notice, or the server's FATAL
  }
  if (broken()) {
    (void)Lost();
    return false;
  }
  return true;
}

absl::Status Connection::ErrorFrom(pg_result* res) {
  if (broken()) return Lost();
  // FATAL ends the session (pg_terminate_backend, a shutting-down server) even if libpq
  // has not yet read the close: the connection is lost.
  const char* severity =
      res != nullptr ? PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED) : nullptr;
  if (severity != nullptr &&
      (std::strcmp(severity, "FATAL") == 0 || std::strcmp(severity, "PANIC") == 0)) {
    fatal_ = Trimmed(PQresultErrorMessage(res));
    return Lost();
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
  // A foreign key names no resource a client knows (the schema is not the API): the
  // violation has a type and no subject.
  absl::Status st = WithReason(code == absl::StatusCode::kFailedPrecondition
                                   ? FailedPrecondition(message, "REFERENCED_RECORD_MISSING", "")
                                   : absl::Status(code, message),
                               Trimmed(detail.c_str()));
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
  if (broken()) return Lost();
  if (PQsendQuery(conn_, sql.c_str()) != 1) return ErrorFrom(nullptr);
  RETURN_IF_ERROR(Flush());
  // As PQexec: the first error wins (the server skips the rest of the script).
  absl::Status first_error;
  for (;;) {
    ASSIGN_OR_RETURN(OwnedResult res, NextResult());
    if (!res) break;
    auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && first_error.ok()) {
      first_error = ErrorFrom(res.get());
      if (broken()) return first_error;
    }
  }
  return first_error;
}

absl::StatusOr<std::vector<Result>> Connection::Pipeline(const std::vector<Statement>& stmts) {
  if (broken()) return Lost();
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
    log::Warning("db: pipeline send failed", {{"error", Trimmed(PQerrorMessage(conn_))}});
    return Lost();
  }
  RETURN_IF_ERROR(Flush());
  std::vector<Result> out(stmts.size());
  absl::Status first_error;
  for (const Sent& s : sent) {
    ASSIGN_OR_RETURN(OwnedResult res, NextResult());
    if (!res) {
      return broken() ? Lost() : absl::InternalError("pipeline result missing");
    }
    // Each command's result is followed by a NULL.
    for (;;) {
      ASSIGN_OR_RETURN(OwnedResult extra, NextResult());
      if (!extra) break;
    }
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
  ASSIGN_OR_RETURN(OwnedResult sync, NextResult());
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    return broken() ? Lost() : absl::InternalError("pipeline lost its sync point");
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

absl::StatusOr<std::unique_ptr<Connection>> Pool::Acquire(absl::Time deadline, bool fresh) {
  absl::Time until = std::min(deadline, absl::Now() + options_.acquire_timeout);
  std::unique_lock<std::mutex> lock(mu_);
  bool waited = false;
  std::unique_ptr<Connection> dropped;  // an idle connection giving its slot to a new one
  for (;;) {
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
    if (idle_.empty() || (fresh && open_ < options_.size)) break;  // open a new one
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    if (fresh) {
      if (!conn->Alive()) ++replaced_;
      dropped = std::move(conn);
      --open_;
      break;
    }
    ++in_use_;
    lock.unlock();
    if (conn->Alive()) {
      conn->cutoff_ = &cutoff_ns_;
      conn->set_deadline(deadline);
      return conn;
    }
    // Closed by the server while idle (restart, failover): its slot opens a new one.
    lock.lock();
    --in_use_;
    --open_;
    ++replaced_;
  }
  ++open_;
  ++in_use_;
  lock.unlock();
  dropped.reset();
  auto conn = Connection::Open(options_.conninfo, deadline);
  if (!conn.ok()) {
    lock.lock();
    --open_;
    --in_use_;
    cv_.notify_one();
    return conn;
  }
  (*conn)->set_deadline(deadline);
  (*conn)->cutoff_ = &cutoff_ns_;
  return conn;
}

void Pool::StopBy(absl::Time t) { cutoff_ns_ = absl::ToUnixNanos(t); }

absl::StatusOr<absl::Time> Pool::Bound(absl::Time deadline) const {
  const int64_t ns = cutoff_ns_.load();
  if (ns == INT64_MAX) return deadline;  // not shutting down
  absl::Time cutoff = absl::FromUnixNanos(ns);
  if (absl::Now() >= cutoff)
    return absl::UnavailableError("the server is shutting down; retry the call");
  return std::min(deadline, cutoff);
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

absl::Status Pool::WithConnection(absl::Time until,
                                  const std::function<absl::Status(Connection&)>& fn) {
  ASSIGN_OR_RETURN(absl::Time deadline, Bound(until));
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

absl::StatusOr<Result> InsertUnique(Tx& tx, const Statement& insert, const Statement& existing,
                                    absl::string_view message, absl::string_view type) {
  ASSIGN_OR_RETURN(Result inserted, tx.Exec(insert.sql, insert.params));
  if (inserted.rows() > 0) return inserted;
  // The conflicting row was committed before ON CONFLICT gave up, so this statement,
  // with a snapshot of its own, sees it if the caller may.
  ASSIGN_OR_RETURN(Result there, tx.Exec(existing.sql, existing.params));
  if (there.rows() == 0) return absl::AlreadyExistsError(message);
  const std::string id = there.String(0, "id");
  return AlreadyExists(absl::StrCat(message, " (", id, ")"), type, id);
}

absl::Status Tx::Commit() {
  if (!begun_ && deferred_.empty()) return absl::OkStatus();  // nothing was done
  std::vector<Statement> batch;
  if (!begun_) batch = std::move(prologue_);
  begun_ = true;
  commit_sent_ = true;
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
      " set_config('pdps.service', $3, true), set_config('statement_timeout', $4, true),"
      " set_config('pdps.roles', $5, true)",
      {actor.organisation_id, actor.user_id, std::string(actor.service ? "on" : "off"), timeout,
       actor.roles}};
}

namespace {
// A transaction whose connection broke before COMMIT was sent: nothing was committed.
bool LostConnection(const absl::Status& st) { return st.GetPayload(kLostPayload).has_value(); }
}  // namespace

absl::StatusOr<Result> Pool::Read(const Actor& actor, absl::Time until, std::string_view sql,
                                  const std::vector<Param>& params) {
  ASSIGN_OR_RETURN(std::vector<Result> results, ReadAll(actor, until, {{sql, params}}));
  return std::move(results.back());
}

absl::StatusOr<std::vector<Result>> Pool::ReadAll(const Actor& actor, absl::Time until,
                                                  const std::vector<Statement>& statements) {
  ASSIGN_OR_RETURN(absl::Time deadline, Bound(until));
  for (bool fresh = false;; fresh = true) {
    ASSIGN_OR_RETURN(Statement settings, Settings(actor, deadline));
    auto leased = Acquire(deadline, fresh);
    if (!leased.ok()) return leased.status();
    std::unique_ptr<Connection> conn = std::move(leased).value();
    std::vector<Statement> batch = {settings};
    batch.insert(batch.end(), statements.begin(), statements.end());
    auto results = conn->Pipeline(batch);
    Release(std::move(conn));
    // A read changes nothing: once more on a new connection if this one was lost.
    if (!results.ok() && LostConnection(results.status()) && !fresh) continue;
    if (!results.ok()) return results.status();
    results->erase(results->begin());  // the settings'
    return std::move(results).value();
  }
}

absl::Status Pool::InTx(const Actor& actor, absl::Time until,
                        const std::function<absl::Status(Tx&)>& fn) {
  ASSIGN_OR_RETURN(absl::Time deadline, Bound(until));
  absl::Status st;
  bool fresh = false;        // this attempt follows a lost connection: on a new one
  bool reconnected = false;  // that happens once per call
  for (int attempt = 1; attempt <= kMaxAttempts;) {
    ASSIGN_OR_RETURN(Statement settings, Settings(actor, deadline));
    auto leased = Acquire(deadline, fresh);
    fresh = false;
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
      // Past the deadline a statement timed out on the server: the rollback still gets
      // the grace a statement gets, then the connection is closed instead.
      conn->set_deadline(std::max(deadline, absl::Now()));
      (void)conn->ExecScript("ROLLBACK");
    }
    Release(std::move(conn));
    if (st.ok()) return st;
    // Lost before COMMIT was sent: nothing was committed, so once more on a new
    // connection (after a restart the idle ones are likely dead too). After COMMIT was
    // sent the outcome is unknown: UNAVAILABLE, never run twice.
    if (LostConnection(st) && !tx.commit_sent_ && !reconnected) {
      fresh = reconnected = true;
      log::Info("db: transaction runs again on a new connection");
      continue;
    }
    if (!st.GetPayload(kRetryablePayload).has_value()) return st;
    ++attempt;
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
