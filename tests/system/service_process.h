// System-test support: runs a real service binary on a free loopback port, with the
// development keys `make run` uses, and waits on what the database shows.
#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/auth.h"
#include "common/db.h"

namespace pdps::testing {
class TestDatabase;
}

namespace pdps::systemtest {

// A free TCP port on 127.0.0.1.
int FreePort();
// An address nobody answers on, for a peer a test leaves out: calls to it fail
// UNAVAILABLE, and polls of its feed fail and are retried.
std::string UnansweredAddress();

class ServiceProcess {
 public:
  // Starts `<service> serve` (services/<service>/<service> in the build tree) with these
  // PDPS_* settings (plus database, and a free address unless PDPS_GRPC_ADDR is given)
  // and waits until it reports SERVING;
  // aborts the test binary if it does not.
  ServiceProcess(const std::string& service, const std::string& database_url,
                 std::map<std::string, std::string> env);
  ~ServiceProcess();  // SIGTERM and wait, if still running

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // Waits for exit; returns the exit status (or -1 if killed by a signal).
  int Wait();
  // SIGKILL, as a crash or an evicted pod: no drain, open transactions left to the
  // database to roll back. Returns Wait()'s result.
  int Kill();

 private:
  pid_t pid_ = -1;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Runs a unary RPC with `token` as bearer and a 20 s deadline:
// `Call(stub, token, &Stub::Method, request, &response)`.
template <typename S, typename Req, typename Resp>
grpc::Status Call(S& stub, const std::string& token,
                  grpc::Status (S::*method)(grpc::ClientContext*, const Req&, Resp*),
                  const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return (stub.*method)(&ctx, req, resp);
}

// The body of `GET path` from 127.0.0.1:`port` (HTTP/1.0), or "" if it cannot be read.
std::string HttpGet(int port, const std::string& path);

// Runs a shell command, returning its exit status and standard output.
int RunCommand(const std::string& command, std::string* out);

// The build tree (PDPS_BINARY_DIR, set by ctest).
std::string BinaryDir();

// A development key pair as `make run` makes it, in a directory of the test's own:
// <dir>/dev-1.pem (the demo loader, pdpsctl and services' own identities sign with it)
// and <dir>/public/dev-1.pem (services check tokens against it).
class DevKeys {
 public:
  explicit DevKeys(const std::string& name);
  ~DevKeys();
  DevKeys(const DevKeys&) = delete;
  DevKeys& operator=(const DevKeys&) = delete;
  const std::string& dir() const { return dir_; }
  std::string private_key_file() const { return dir_ + "/dev-1.pem"; }
  // PDPS_JWT_ISSUER, PDPS_JWT_KEYS_DIR, PDPS_SERVICE_KEY_FILE and PDPS_SERVICE_KEY_ID.
  std::map<std::string, std::string> Env() const;
  // A token for a user of `org` acting as `role`.
  std::string Mint(const std::string& org, auth::Role role) const;

 private:
  std::string dir_;
  std::string private_pem_;
};

// The registry's settings when a test runs it without workforce: `keys`' and
// workforce's feed at an address nobody answers on (the registry requires one, decision
// 0076; nothing such a test does trips a suspension rule).
std::map<std::string, std::string> RegistryAloneEnv(const DevKeys& keys);

// The registry, workforce and referrals on one database, wired to each other as
// `make run` wires them (each reading the feeds it follows, workforce and referrals at
// addresses fixed before any starts), feeds polled every 100 ms. `extra` adds settings
// per service name (e.g. {"workforce", {{"PDPS_EXPIRY_SWEEP_INTERVAL", "1s"}}}).
struct Platform {
  Platform(const testing::TestDatabase& db, const DevKeys& keys,
           std::map<std::string, std::map<std::string, std::string>> extra = {});
  std::unique_ptr<ServiceProcess> registry, workforce, referrals;
  // The demo loader's flags for the three.
  std::string DemoFlags() const;
};

// The demo loader's command line with these keys and `flags` (e.g. --registry=...),
// standard error folded into standard output.
std::string DemoCommand(const DevKeys& keys, const std::string& flags);

// Runs `sql` with `params` (its column "v", first row) every 100 ms until it gives `want`
// or `timeout` has passed; returns what it gave last ("" for no row).
std::string WaitFor(const testing::TestDatabase& db, const std::string& sql,
                    const std::vector<::pdps::db::Param>& params, const std::string& want,
                    absl::Duration timeout = absl::Seconds(15));
inline std::string WaitFor(const testing::TestDatabase& db, const std::string& sql,
                           const std::string& want, absl::Duration timeout = absl::Seconds(15)) {
  return WaitFor(db, sql, {}, want, timeout);
}

}  // namespace pdps::systemtest
