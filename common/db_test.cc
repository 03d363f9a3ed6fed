// The database layer against a real PostgreSQL: pool, tenancy settings, error mapping,
// lost connections, migrations under concurrency, and the outbox feed's ordering.
#include "common/db.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <stdexcept>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/any.pb.h"
#include "common/events.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/migrate.h"
#include "common/status.h"
#include "common/testing/pg_harness.h"
#include "google/protobuf/wrappers.pb.h"

namespace pdps::db {
namespace {

using ::pdps::testing::TestDatabase;

absl::Time Soon() { return absl::Now() + absl::Seconds(10); }

// Writes an organisation in `tx` (tests check it was rolled back).
absl::Status InsertOrg(Tx& tx, const std::string& org) {
  return tx.Exec("INSERT INTO registry.organisations (id, display_name, kind) VALUES ($1, 'X', "
                 "'PROVIDER')",
                 {P(org)})
      .status();
}

// Appends an event carrying `text` to the registry outbox in c's open transaction, as
// Outbox::Append does at commit.
absl::Status AppendRawEvent(Connection& c, const std::string& org, const std::string& text) {
  google::protobuf::StringValue m;
  m.set_value(text);
  google::protobuf::Any any;
  any.PackFrom(m);
  std::string b64;
  absl::Base64Escape(any.SerializeAsString(), &b64);
  return c
      .Exec(
          "INSERT INTO registry.outbox (event_id, event_type, aggregate_type, aggregate_id,"
          " organisation_id, payload) VALUES ($1, 't', 'x', '1', $2, decode($3, 'base64'))",
          {P(NewUuid()), P(org), P(b64)})
      .status();
}

class DbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { db_ = TestDatabase::Create("common", {"registry"}).release(); }
  static TestDatabase* db_;
};
TestDatabase* DbTest::db_ = nullptr;

TEST_F(DbTest, TransactionSettingsAreTransactionLocal) {
  auto pool = db_->AppPool("registry", 1);
  std::string org = NewUuid();
  std::string seen;
  ASSERT_TRUE(pool->InTx({org, "u1", false, "platform_operator"}, Soon(),
                         [&](Tx& tx) -> absl::Status {
                           auto r = tx.Exec("SELECT current_setting('pdps.organisation_id') AS v");
                           if (!r.ok()) return r.status();
                           seen = r->String(0, "v");
                           return absl::OkStatus();
                         })
                  .ok());
  EXPECT_EQ(seen, org);
  // The same (only) connection, outside a transaction: nothing left behind.
  ASSERT_TRUE(pool->WithConnection(Soon(), [&](Connection& c) -> absl::Status {
    auto r = c.Exec("SELECT current_setting('pdps.organisation_id', true) AS v", {});
    if (!r.ok()) return r.status();
    seen = r->String(0, "v");
    return absl::OkStatus();
  }).ok());
  EXPECT_EQ(seen, "");
}

TEST_F(DbTest, SingleStatementReadCarriesTheActorAndLeavesNothingBehind) {
  auto pool = db_->AppPool("registry", 1);
  std::string org = NewUuid();
  auto r = pool->Read({org, "u1", false, ""}, Soon(),
                      "SELECT current_setting('pdps.organisation_id') AS v, "
                      "registry.current_org()::text AS w",
                      {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->String(0, "v"), org);
  EXPECT_EQ(r->String(0, "w"), org);
  auto after = pool->Read({"", "", false, ""}, Soon(),
                          "SELECT current_setting('pdps.organisation_id', true) AS v", {});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->String(0, "v"), "");
  // An error is reported, and the connection stays usable.
  EXPECT_EQ(pool->Read({org, "u", false, ""}, Soon(), "SELECT 1/0 AS v", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(pool->Read({org, "u", false, ""}, Soon(), "SELECT 1 AS v", {}).ok());
}

// Several reads in one round trip: every statement runs as the actor, results in order,
// and one failing fails the call without leaving anything on the connection.
TEST_F(DbTest, ReadAllRunsEveryStatementAsTheActor) {
  auto pool = db_->AppPool("registry", 1);
  std::string org = NewUuid();
  auto r = pool->ReadAll({org, "u1", false, ""}, Soon(),
                         {{"SELECT current_setting('pdps.organisation_id') AS v", {}},
                          {"SELECT registry.current_org()::text AS v, $1::text AS w", {P("x")}}});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].String(0, "v"), org);
  EXPECT_EQ((*r)[1].String(0, "v"), org);
  EXPECT_EQ((*r)[1].String(0, "w"), "x");
  EXPECT_EQ(
      pool->ReadAll({org, "u", false, ""}, Soon(), {{"SELECT 1 AS v", {}}, {"SELECT 1/0", {}}})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  auto after = pool->Read({"", "", false, ""}, Soon(),
                          "SELECT current_setting('pdps.organisation_id', true) AS v", {});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->String(0, "v"), "");
}

TEST_F(DbTest, DeferredStatementsCommitWithTheTransactionOrNotAtAll) {
  auto pool = db_->AppPool("registry", 1);
  std::string org = NewUuid();
  const std::string insert =
      "INSERT INTO registry.organisations (id, display_name, kind) VALUES ($1, 'D', 'PROVIDER')";
  std::string ok_id = NewUuid();
  ASSERT_TRUE(pool->InTx({org, "u", false, "platform_operator"}, Soon(),
                         [&](Tx& tx) {
                           tx.Defer(insert, {P(ok_id)});
                           return absl::OkStatus();
                         })
                  .ok());
  EXPECT_EQ(db_->Query("SELECT count(*)::text AS v FROM registry.organisations WHERE id = $1",
                       {ok_id})[0],
            "1");
  // A failing deferred statement fails the commit: the earlier statement is undone too.
  std::string first = NewUuid();
  auto st = pool->InTx({org, "u", false, "platform_operator"}, Soon(), [&](Tx& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.Exec(insert, {P(first)}).status());
    tx.Defer(insert, {P(ok_id)});  // duplicate key at commit
    return absl::OkStatus();
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(db_->Query("SELECT count(*)::text AS v FROM registry.organisations WHERE id = $1",
                       {first})[0],
            "0");
}

TEST_F(DbTest, FailedTransactionWritesNothing) {
  auto pool = db_->AppPool("registry", 1);
  std::string org = NewUuid();
  auto st =
      pool->InTx({org, "u1", false, "platform_operator"}, Soon(), [&](Tx& tx) -> absl::Status {
        RETURN_IF_ERROR(InsertOrg(tx, org));
        return absl::InvalidArgumentError("changed my mind");
      });
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      db_->Query("SELECT id::text AS v FROM registry.organisations WHERE id = $1", {org}).empty());
}

// A handler that throws (a bug, or stored data it cannot read) gets INTERNAL; its writes
// roll back and its connection goes back to the pool, so the next caller is served.
TEST_F(DbTest, AnExceptionInATransactionRollsBackAndFreesTheConnection) {
  auto pool = db_->AppPool("registry", 1);
  std::string org = NewUuid();
  auto st =
      pool->InTx({org, "u1", false, "platform_operator"}, Soon(), [&](Tx& tx) -> absl::Status {
        RETURN_IF_ERROR(InsertOrg(tx, org));
        throw std::runtime_error("type_error: value is a string, not a number");
      });
  EXPECT_EQ(st.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(st.message()), ::testing::HasSubstr("not a number"));
  EXPECT_TRUE(
      db_->Query("SELECT id::text AS v FROM registry.organisations WHERE id = $1", {org}).empty());
  EXPECT_EQ(pool->stats().in_use, 0);
  EXPECT_TRUE(pool->InTx({org, "u1", false, "platform_operator"}, Soon(),
                         [](Tx& tx) { return tx.Exec("SELECT 1", {}).status(); })
                  .ok());
}

TEST_F(DbTest, SqlStatesMapToCanonicalCodes) {
  EXPECT_EQ(CodeForSqlState("23505"), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeForSqlState("23503"), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeForSqlState("23514"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForSqlState("22P02"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForSqlState("40001"), absl::StatusCode::kAborted);
  EXPECT_EQ(CodeForSqlState("40P01"), absl::StatusCode::kAborted);
  EXPECT_EQ(CodeForSqlState("57014"), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(CodeForSqlState("08006"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("57P01"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("XX000"), absl::StatusCode::kInternal);

  auto pool = db_->AppPool("registry", 1);
  std::string org = NewUuid();
  auto insert = [&](Tx& tx) {
    return tx.Exec(
        "INSERT INTO registry.organisations (id, display_name, kind) VALUES ($1, 'Dup', "
        "'PROVIDER')",
        {P(org)}).status();
  };
  ASSERT_TRUE(pool->InTx({org, "u", false, "platform_operator"}, Soon(), insert).ok());
  EXPECT_EQ(pool->InTx({org, "u", false, "platform_operator"}, Soon(), insert).code(),
            absl::StatusCode::kAlreadyExists);
  auto bad_kind = pool->InTx({org, "u", false, "platform_operator"}, Soon(), [&](Tx& tx) {
    return tx.Exec("INSERT INTO registry.organisations (id, display_name, kind) VALUES ($1, 'K', "
                   "'ALIEN')",
                   {P(NewUuid())}).status();
  });
  EXPECT_EQ(bad_kind.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(DbTest, DeadlineCancelsSlowStatements) {
  auto pool = db_->AppPool("registry", 1);
  auto st = pool->InTx({NewUuid(), "u", false, "platform_operator"},
                       absl::Now() + absl::Milliseconds(200),
                       [&](Tx& tx) { return tx.Exec("SELECT pg_sleep(5)").status(); });
  EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded);
}

// The pid of the backend serving `pool`'s next call.
std::string BackendPid(Pool& pool) {
  auto r = pool.Read({"", "u", false, ""}, Soon(), "SELECT pg_backend_pid()::text AS v", {});
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->String(0, "v") : "0";
}

// Until the server has let go of backends `where` selects in pg_stat_activity.
void WaitForBackendsGone(const TestDatabase& db, const std::string& where) {
  for (int i = 0; i < 200; ++i) {
    if (db.Query("SELECT count(*)::text AS v FROM pg_stat_activity WHERE " + where)[0] == "0") {
      return;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  ADD_FAILURE() << "backends still there: " << where;
}

// A connection the server closed while it sat in the pool is found dead on lease, logged,
// and replaced: the call itself is served.
TEST_F(DbTest, AConnectionLostWhileIdleIsReplacedBeforeUse) {
  auto pool = db_->AppPool("registry", 1);
  std::string pid = BackendPid(*pool);
  db_->Query("SELECT pg_terminate_backend(" + pid + ")::text AS v");
  WaitForBackendsGone(*db_, "pid = " + pid);
  ::testing::internal::CaptureStdout();
  EXPECT_TRUE(pool->InTx({NewUuid(), "u", false, "platform_operator"}, Soon(),
                         [&](Tx& tx) { return tx.Exec("SELECT 1 AS v").status(); })
                  .ok());
  std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(pool->stats().replaced, 1);
  EXPECT_THAT(log, ::testing::HasSubstr("\"msg\":\"db: connection lost\""));
  EXPECT_THAT(log, ::testing::HasSubstr("terminating connection due to administrator command"));
}

// A database restart leaves every idle connection dead: the next calls are all served.
TEST_F(DbTest, APoolWhoseIdleConnectionsWereAllKilledServesTheNextCalls) {
  auto pool = db_->AppPool("registry", 3);
  // Three connections open at once, then idle.
  ASSERT_TRUE(pool->WithConnection(Soon(),
                                   [&](Connection&) {
                                     return pool->WithConnection(Soon(), [&](Connection&) {
                                       return pool->WithConnection(
                                           Soon(), [](Connection&) { return absl::OkStatus(); });
                                     });
                                   })
                  .ok());
  ASSERT_EQ(pool->stats().open, 3);
  const std::string mine = "datname = current_database() AND usename = 'registry_app'";
  db_->Query("SELECT count(pg_terminate_backend(pid))::text AS v FROM pg_stat_activity WHERE " +
             mine);
  WaitForBackendsGone(*db_, mine);
  absl::SleepFor(absl::Milliseconds(50));  // their sockets close just after
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(pool->InTx({NewUuid(), "u", false, "platform_operator"}, Soon(),
                           [&](Tx& tx) { return tx.Exec("SELECT 1 AS v").status(); })
                    .ok())
        << i;
    EXPECT_TRUE(pool->Read({"", "u", false, ""}, Soon(), "SELECT 1 AS v", {}).ok()) << i;
  }
  EXPECT_EQ(pool->stats().replaced, 3);
}

// The connection breaks in the middle of a transaction, before COMMIT was sent: nothing
// was committed, so the transaction runs once more, on a new connection, and commits.
TEST_F(DbTest, ATransactionLostBeforeCommitRunsOnceMoreOnANewConnection) {
  auto pool = db_->AppPool("registry", 2);
  std::string org = NewUuid();
  int runs = 0;
  std::string first_pid;
  auto st =
      pool->InTx({org, "u1", false, "platform_operator"}, Soon(), [&](Tx& tx) -> absl::Status {
        ++runs;
        ASSIGN_OR_RETURN(Result r, tx.Exec("SELECT pg_backend_pid()::text AS v"));
        RETURN_IF_ERROR(InsertOrg(tx, org));
        if (runs == 1) {
          first_pid = r.String(0, "v");
          db_->Query("SELECT pg_terminate_backend(" + first_pid + ")::text AS v");
          WaitForBackendsGone(*db_, "pid = " + first_pid);
        } else {
          EXPECT_NE(r.String(0, "v"), first_pid);
        }
        return tx.Exec("SELECT 1 AS v").status();
      });
  EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(db_->Query("SELECT count(*)::text AS v FROM registry.organisations WHERE id = '" + org +
                       "'")[0],
            "1");
}

// Once COMMIT was sent, a lost connection leaves the outcome unknown: UNAVAILABLE, and
// the transaction is not run again.
TEST_F(DbTest, AConnectionLostAfterCommitWasSentIsNotRetried) {
  auto pool = db_->AppPool("registry", 2);
  int runs = 0;
  auto st = pool->InTx({NewUuid(), "u1", false, "platform_operator"}, Soon(),
                       [&](Tx& tx) -> absl::Status {
                         ++runs;
                         RETURN_IF_ERROR(tx.Exec("SELECT 1 AS v").status());
                         // Travels with COMMIT, in the same round trip: the backend ends itself.
                         tx.Defer("SELECT pg_terminate_backend(pg_backend_pid())", {});
                         return absl::OkStatus();
                       });
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(pool->Read({"", "u", false, ""}, Soon(), "SELECT 1 AS v", {}).ok());
}

// A server that stops answering (a hung host, a partition: here its backend is stopped
// with SIGSTOP, so even statement_timeout cannot fire) fails the call at its deadline,
// and the connection is discarded, not returned to the pool.
TEST_F(DbTest, AServerThatStopsAnsweringFailsTheCallAtItsDeadline) {
  auto pool = db_->AppPool("registry", 1);
  pid_t pid = std::stoi(BackendPid(*pool));
  ASSERT_EQ(::kill(pid, SIGSTOP), 0) << "the test must run as the cluster's user";
  struct Resume {
    pid_t pid;
    ~Resume() { ::kill(pid, SIGCONT); }
  } resume{pid};
  absl::Time start = absl::Now();
  auto st =
      pool->InTx({NewUuid(), "u", false, "platform_operator"}, start + absl::Milliseconds(300),
                 [&](Tx& tx) { return tx.Exec("SELECT 1 AS v").status(); });
  absl::Duration took = absl::Now() - start;
  EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded) << st;
  EXPECT_GE(took, absl::Milliseconds(300));
  // The deadline, the server's grace (200 ms) and at most the cancel's 1 s.
  EXPECT_LT(took, absl::Milliseconds(300 + 200 + 1000 + 500));
  EXPECT_EQ(pool->stats().replaced, 1);
  EXPECT_EQ(pool->stats().open, 0);
  EXPECT_NE(BackendPid(*pool), std::to_string(pid));  // served by a new connection
}

// A statement waiting on a lock, with no statement_timeout to stop it (outside a
// transaction of the pool's), ends at the deadline too; the cancel reaches the server,
// which stops waiting.
TEST_F(DbTest, AStatementBlockedOnALockEndsAtTheDeadlineAndIsCancelled) {
  auto pool = db_->AppPool("registry", 1);
  auto holder = std::move(Connection::Open(db_->Conninfo("postgres"))).value();
  ASSERT_TRUE(holder->ExecScript("BEGIN; LOCK TABLE registry.organisations").ok());
  absl::Time start = absl::Now();
  auto st = pool->WithConnection(start + absl::Milliseconds(300), [](Connection& c) {
    return c.Exec("SELECT count(*) AS v FROM registry.organisations", {}).status();
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded) << st;
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(pool->stats().replaced, 1);
  WaitForBackendsGone(*db_,
                      "datname = current_database() AND usename = 'registry_app' AND "
                      "wait_event_type = 'Lock'");
  ASSERT_TRUE(holder->ExecScript("ROLLBACK").ok());
}

// At shutdown (SIGTERM) the pool cuts off database work at the end of the grace, however
// far its deadline: a call stuck waiting ends then, and later ones fail at once.
TEST_F(DbTest, ShutdownCutsOffDatabaseWorkWhateverItsDeadline) {
  auto pool = db_->AppPool("registry", 1);
  auto holder = std::move(Connection::Open(db_->Conninfo("postgres"))).value();
  ASSERT_TRUE(holder->ExecScript("BEGIN; LOCK TABLE registry.organisations").ok());
  absl::Time start = absl::Now();
  std::thread stop([&] {
    absl::SleepFor(absl::Milliseconds(100));
    pool->StopBy(absl::Now() + absl::Milliseconds(200));
  });
  auto st = pool->InTx(
      {NewUuid(), "u", false, "platform_operator"}, start + absl::Seconds(30),
      [](Tx& tx) { return tx.Exec("SELECT count(*) AS v FROM registry.organisations").status(); });
  stop.join();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_EQ(st.message(), "the server is shutting down; retry the call");
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(pool->Read({"", "u", false, ""}, Soon(), "SELECT 1 AS v", {}).status().code(),
            absl::StatusCode::kUnavailable);
  ASSERT_TRUE(holder->ExecScript("ROLLBACK").ok());
}

// The database's own message is logged with the id of the request that met it (the gate
// sets it for the call), as the client is told to quote that id.
TEST_F(DbTest, AStatementFailureIsLoggedWithTheRequestId) {
  auto pool = db_->AppPool("registry", 1);
  log::Context call("request_id", "req-db-test-7");
  ::testing::internal::CaptureStdout();
  auto r = pool->Read({"", "u", false, ""}, Soon(), "SELECT v FROM registry.no_such_table", {});
  std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(r.status().message(), "internal database error");
  std::string line;
  for (absl::string_view l : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(l, "db: statement failed")) line = std::string(l);
  }
  EXPECT_THAT(line, ::testing::HasSubstr("\"request_id\":\"req-db-test-7\""));
  EXPECT_THAT(line, ::testing::HasSubstr("no_such_table"));
}

// A bad conninfo says why (libpq's words) to the log and to ReasonOf, for start-up
// failed lines; the status's message stays the generic one clients may see.
TEST_F(DbTest, AConnectFailureCarriesLibpqsReason) {
  auto bad = Connection::Open("notaconninfo");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(bad.status().message(), "the database is unavailable; retry the call");
  EXPECT_THAT(ReasonOf(bad.status()), ::testing::HasSubstr("missing \"=\""));
  auto role = Connection::Open(db_->Conninfo("nosuch_role"));
  EXPECT_THAT(ReasonOf(role.status()), ::testing::HasSubstr("nosuch_role"));
}

// The settings a connection gets unless its conninfo names them; the operator's win.
TEST_F(DbTest, ConnectionsGetTimeoutsAndKeepalivesUnlessTheConninfoSetsThem) {
  auto c = std::move(Connection::Open(db_->Conninfo("registry_app"))).value();
  auto mine = std::move(Connection::Open(db_->Conninfo("registry_app") +
                                         " tcp_user_timeout=12345 connect_timeout=7"))
                  .value();
  EXPECT_EQ(c->Option("connect_timeout"), "5");
  EXPECT_EQ(c->Option("keepalives"), "1");
  EXPECT_EQ(c->Option("keepalives_idle"), "15");
  EXPECT_EQ(c->Option("tcp_user_timeout"), "30000");
  EXPECT_EQ(mine->Option("tcp_user_timeout"), "12345");
  EXPECT_EQ(mine->Option("connect_timeout"), "7");
  EXPECT_EQ(mine->Option("keepalives_count"), "3");
  EXPECT_TRUE(mine->Exec("SELECT 1 AS v", {}).ok());
}

TEST_F(DbTest, PoolIsBoundedAndTimesOut) {
  PoolOptions o;
  o.conninfo = db_->Conninfo("registry_app");
  o.size = 1;
  o.acquire_timeout = absl::Milliseconds(100);
  auto pool = std::move(Pool::Create(o)).value();
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    (void)pool->InTx({NewUuid(), "u", false, "platform_operator"}, Soon(), [&](Tx& tx) {
      holding = true;
      return tx.Exec("SELECT pg_sleep(0.5)").status();
    });
  });
  while (!holding) absl::SleepFor(absl::Milliseconds(5));
  auto st = pool->InTx({NewUuid(), "u", false, "platform_operator"}, Soon(),
                       [&](Tx& tx) { return tx.Exec("SELECT 1 AS v").status(); });
  holder.join();
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool->stats().timeouts, 1);
  EXPECT_LE(pool->stats().open, 1);
}

TEST_F(DbTest, MigrationsApplyOnceWhenStartedConcurrently) {
  auto fresh = TestDatabase::Create("migr", {});
  auto su = std::move(Connection::Open(fresh->Conninfo("postgres"))).value();
  ASSERT_TRUE(BootstrapRoles(*su, "registry", fresh->name()).ok());
  auto files = LoadMigrations(TestDatabase::MigrationsDir("registry"));
  ASSERT_TRUE(files.ok()) << files.status();
  std::vector<absl::StatusOr<MigrationReport>> reports(4, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto c = Connection::Open(fresh->Conninfo("registry_owner"));
      reports[i] = c.ok() ? Migrate(**c, "registry", *files) : c.status();
    });
  }
  for (auto& t : threads) t.join();
  int applied = 0;
  for (const auto& r : reports) {
    ASSERT_TRUE(r.ok()) << r.status();
    applied += r->applied;
  }
  EXPECT_EQ(applied, static_cast<int>(files->size()));
  EXPECT_EQ(fresh->Query("SELECT count(*)::text AS v FROM registry.schema_migrations")[0],
            std::to_string(files->size()));
  // And a changed, already-applied file is refused.
  auto changed = *files;
  changed[0].checksum = "different";
  auto c = std::move(Connection::Open(fresh->Conninfo("registry_owner"))).value();
  EXPECT_EQ(Migrate(*c, "registry", changed).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// A create's request_id replays the first create only: same method and same body.
TEST_F(DbTest, ARequestIdReplaysOnlyTheSameCreate) {
  auto pool = db_->AppPool("registry", 1);
  idempotency::Ledger ledger("registry");
  const std::string org = NewUuid();
  const std::string request_id = NewUuid();
  google::protobuf::StringValue body;
  body.set_value("Lot A: children's nurses");
  const std::string same = idempotency::Fingerprint({idempotency::Canonical(body)});
  body.set_value("Lot B: support workers");
  const std::string other = idempotency::Fingerprint({idempotency::Canonical(body)});
  ASSERT_NE(same, other);
  EXPECT_NE(idempotency::Fingerprint({"ab", "c"}), idempotency::Fingerprint({"a", "bc"}));
  auto claim = [&](const std::string& method, const std::string& fingerprint,
                   const std::string& new_id) {
    absl::StatusOr<std::optional<std::string>> out = absl::UnknownError("not run");
    auto st =
        pool->InTx({org, "u1", false, "platform_operator"}, Soon(), [&](Tx& tx) -> absl::Status {
          out = ledger.Claim(tx, org, request_id, method, fingerprint, new_id);
          return out.status();
        });
    return st.ok() ? out : absl::StatusOr<std::optional<std::string>>(st);
  };
  auto first = claim("CreateLot", same, "id-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->has_value());
  auto retry = claim("CreateLot", same, "id-2");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->value_or(""), "id-1");
  // A UUID's case carries nothing: the upper-cased request_id is the same request.
  absl::StatusOr<std::optional<std::string>> upper = absl::UnknownError("not run");
  ASSERT_TRUE(pool->InTx({org, "u1", false, "platform_operator"}, Soon(),
                         [&](Tx& tx) -> absl::Status {
                           upper = ledger.Claim(tx, org, absl::AsciiStrToUpper(request_id),
                                                "CreateLot", same, "id-7");
                           return upper.status();
                         })
                  .ok());
  EXPECT_EQ(upper->value_or(""), "id-1");
  auto changed = claim("CreateLot", other, "id-3");
  EXPECT_EQ(changed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(changed.status().message()), ::testing::HasSubstr("different body"));
  EXPECT_EQ(claim("CreateFramework", same, "id-4").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(claim("CreateLot", same, "id-5").value_or("").value_or(""), "id-1");
  // A claim kept before fingerprints were (no fingerprint) replays whatever the body.
  db_->Query("UPDATE registry.request_ids SET fingerprint = NULL WHERE request_id = $1",
             {request_id});
  EXPECT_EQ(claim("CreateLot", other, "id-6").value_or("").value_or(""), "id-1");
}

// CreateOnce inserts on the first call only; a retry returns the first call's id without
// inserting, and a failed insert rolls its claim back with it, so the retry creates.
TEST_F(DbTest, CreateOnceInsertsOnTheFirstCallOnly) {
  auto pool = db_->AppPool("registry", 1);
  idempotency::Ledger ledger("registry");
  const std::string org = NewUuid();
  const std::string request_id = NewUuid();
  const std::string fingerprint = idempotency::Fingerprint({"Lot A"});
  std::vector<std::string> inserted;
  auto create = [&](absl::Status insert_result) {
    absl::StatusOr<std::string> out = absl::UnknownError("not run");
    auto st =
        pool->InTx({org, "u1", false, "platform_operator"}, Soon(), [&](Tx& tx) -> absl::Status {
          out = ledger.CreateOnce(tx, org, request_id, "CreateLot", fingerprint,
                                  [&](const std::string& id) {
                                    inserted.push_back(id);
                                    return insert_result;
                                  });
          return out.status();
        });
    return st.ok() ? out : absl::StatusOr<std::string>(st);
  };
  EXPECT_EQ(create(absl::FailedPreconditionError("the lot is closed")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(inserted.size(), 1u);
  auto first = create(absl::OkStatus());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(inserted.size(), 2u);
  EXPECT_EQ(*first, inserted[1]);
  EXPECT_NE(inserted[0], inserted[1]);
  auto retry = create(absl::OkStatus());
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(*retry, *first);
  EXPECT_EQ(inserted.size(), 2u);
  // Without a request_id nothing is claimed: every call creates.
  absl::StatusOr<std::string> unclaimed = absl::UnknownError("not run");
  ASSERT_TRUE(pool->InTx({org, "u1", false, "platform_operator"}, Soon(),
                         [&](Tx& tx) -> absl::Status {
                           unclaimed = ledger.CreateOnce(tx, org, "", "CreateLot", fingerprint,
                                                         [&](const std::string& id) {
                                                           inserted.push_back(id);
                                                           return absl::OkStatus();
                                                         });
                           return unclaimed.status();
                         })
                  .ok());
  EXPECT_EQ(inserted.size(), 3u);
  EXPECT_EQ(unclaimed.value_or(""), inserted[2]);
}

// Two transactions append events; the later-starting one commits first. The feed must
// never show a position that lets a reader skip the other.
TEST_F(DbTest, FeedNeverSkipsAnEventCommittedOutOfOrder) {
  auto pool = db_->AppPool("registry", 2);
  events::Outbox outbox("registry", {"t"});
  std::string org = NewUuid();
  auto open_tx = [&]() {
    auto c = std::move(Connection::Open(db_->Conninfo("registry_app"))).value();
    EXPECT_TRUE(c->ExecScript("BEGIN; SELECT set_config('pdps.organisation_id', '" + org +
                              "', true)")
                    .ok());
    return c;
  };
  // Baseline: where the feed is now.
  auto before = outbox.Read(*pool, 0, 1000, {}, Soon());
  ASSERT_TRUE(before.ok()) << before.status();
  int64_t cursor = before->last_position;

  auto c1 = open_tx();
  auto c2 = open_tx();
  ASSERT_TRUE(AppendRawEvent(*c1, org, "A").ok());  // first in, id smaller
  ASSERT_TRUE(AppendRawEvent(*c2, org, "B").ok());
  ASSERT_TRUE(c2->ExecScript("COMMIT").ok());  // but commits first

  auto page1 = outbox.Read(*pool, cursor, 1000, {}, Soon());
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->events.size(), 1u);
  cursor = page1->last_position;
  EXPECT_EQ(cursor, page1->events.back().position());

  ASSERT_TRUE(c1->ExecScript("COMMIT").ok());
  auto page2 = outbox.Read(*pool, cursor, 1000, {}, Soon());
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->events.size(), 1u) << "the event committed later must follow, not be skipped";
  EXPECT_GT(page2->events.back().position(), cursor);
}

// Two readers stamp at once: the second waits for the first's lock. It must then see
// the first's positions, never give an already-published event a new one (a reader
// that had passed it would skip the event that took its place).
TEST_F(DbTest, AStamperThatWaitedForTheLockNeverRenumbersPublishedEvents) {
  auto pool = db_->AppPool("registry", 2);
  events::Outbox outbox("registry", {"t"});
  std::string org = NewUuid();
  auto open_tx = [&](const std::string& settings) {
    auto c = std::move(Connection::Open(db_->Conninfo("registry_app"))).value();
    EXPECT_TRUE(c->ExecScript("BEGIN; " + settings).ok());
    return c;
  };
  auto as_org = "SELECT set_config('pdps.organisation_id', '" + org + "', true)";
  auto as_service = std::string("SELECT set_config('pdps.service', 'on', true)");
  auto before = outbox.Read(*pool, 0, 1000, {}, Soon());
  ASSERT_TRUE(before.ok()) << before.status();
  int64_t cursor = before->last_position;

  // X is appended first (smaller id) but commits after Y.
  auto x = open_tx(as_org);
  auto y = open_tx(as_org);
  ASSERT_TRUE(AppendRawEvent(*x, org, "X").ok());
  ASSERT_TRUE(AppendRawEvent(*y, org, "Y").ok());
  ASSERT_TRUE(y->ExecScript("COMMIT").ok());

  // Stamper A holds the feed's lock and publishes Y at cursor + 1, not yet committed.
  auto a = open_tx(as_service);
  ASSERT_TRUE(a->ExecScript("SELECT pg_advisory_xact_lock(hashtextextended("
                            "'pdps.outbox.registry', 0))")
                  .ok());
  ASSERT_TRUE(a->ExecScript("UPDATE registry.outbox SET position = " + std::to_string(cursor + 1) +
                            " WHERE position IS NULL")
                  .ok());
  ASSERT_TRUE(x->ExecScript("COMMIT").ok());

  // Stamper B (a reader) starts now, sees X and Y unpublished and waits for A's lock.
  absl::StatusOr<events::Outbox::Page> read_b;
  std::thread b([&] { read_b = outbox.Read(*pool, cursor, 1000, {}, Soon()); });
  auto admin = std::move(Connection::Open(db_->Conninfo("postgres"))).value();
  for (int i = 0; i < 500; ++i) {
    auto waiting = admin->Exec(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", {});
    ASSERT_TRUE(waiting.ok()) << waiting.status();
    if (waiting->Int64(0, "n") > 0) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(a->ExecScript("COMMIT").ok());
  b.join();
  ASSERT_TRUE(read_b.ok()) << read_b.status();
  const auto& got = read_b->events;
  ASSERT_EQ(got.size(), 2u);
  google::protobuf::StringValue first, second;
  ASSERT_TRUE(got[0].payload().UnpackTo(&first));
  ASSERT_TRUE(got[1].payload().UnpackTo(&second));
  EXPECT_EQ(first.value(), "Y") << "Y was published first and keeps its position";
  EXPECT_EQ(got[0].position(), cursor + 1);
  EXPECT_EQ(second.value(), "X");
  EXPECT_EQ(got[1].position(), cursor + 2);
}

// A reader filtering by type resumes after the feed's head when its page is short, so it
// does not scan the other types' events again; a full page resumes after its last event.
TEST_F(DbTest, AFilteredReadResumesAfterTheEventsOfOtherTypes) {
  auto pool = db_->AppPool("registry", 2);
  events::Outbox outbox("registry", {"t"});
  std::string org = NewUuid();
  auto start = outbox.Read(*pool, 0, 1000, {}, Soon());
  ASSERT_TRUE(start.ok()) << start.status();
  const int64_t cursor = start->last_position;
  auto c = std::move(Connection::Open(db_->Conninfo("registry_app"))).value();
  ASSERT_TRUE(
      c->ExecScript("BEGIN; SELECT set_config('pdps.organisation_id', '" + org + "', true)").ok());
  for (const char* text : {"1", "2", "3"}) ASSERT_TRUE(AppendRawEvent(*c, org, text).ok());
  ASSERT_TRUE(c->ExecScript("COMMIT").ok());

  auto none = outbox.Read(*pool, cursor, 10, {"pdps.test.Other"}, Soon());
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->events.empty());
  EXPECT_EQ(none->last_position, cursor + 3) << "past the three events of another type";
  auto all = outbox.Read(*pool, cursor, 10, {"t"}, Soon());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->events.size(), 3u);
  EXPECT_EQ(all->last_position, cursor + 3);
  auto full = outbox.Read(*pool, cursor, 2, {}, Soon());
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->events.size(), 2u);
  EXPECT_EQ(full->last_position, cursor + 2) << "a full page resumes after its last event";
  auto beyond = outbox.Read(*pool, cursor + 100, 10, {}, Soon());
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kOutOfRange)
      << "a cursor beyond the head is an error, not a quiet feed";
}

}  // namespace
}  // namespace pdps::db
