// The gRPC server scaffold every service uses.
//
// Gate::Run is the single interceptor chain of our handlers: request id, bearer-token
// authentication, the per-service access policy, a bounded deadline, the call itself,
// the one absl::Status → grpc::Status mapping, the access log line and the metrics.
// Runner owns the process: gRPC server with health and reflection, metrics exporter,
// background workers, and the graceful shutdown on SIGTERM/SIGINT.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/metrics.h"

namespace pdps::server {

// What a handler knows about the call it serves.
struct Call {
  auth::Principal principal;
  std::string request_id;
  std::string method;
  absl::Time deadline;
  absl::Time now;
  // The database actor for this caller (organisation and user from the token).
  db::Actor actor() const {
    std::vector<std::string> roles;
    for (auth::Role r : principal.roles) roles.emplace_back(auth::RoleName(r));
    return db::Actor{principal.organisation_id, principal.user_id, principal.IsService(),
                     absl::StrJoin(roles, ",")};
  }
};

// The user id recorded for work the service does itself (schedulers, feed consumers).
inline constexpr char kSystemUser[] = "system";

// The INVALID_ARGUMENT message for a request that is not this method's request message
// at all: bytes that are not a protobuf message, or a string field that is not UTF-8
// (which of the two, gRPC does not let a server tell).
inline constexpr char kUnparsableRequestMessage[] =
    "the request could not be parsed (malformed message or invalid UTF-8 in a string field): "
    "send this method's request message, built with the protos of this service";

// A call made by the service itself at `now`: the service role, user "system", no
// organisation. Its actor reads across tenants where a policy allows services.
inline Call SystemCall(absl::Time now) {
  Call c;
  c.principal.user_id = kSystemUser;
  c.principal.roles = {auth::Role::kService};
  c.now = now;
  c.deadline = absl::InfiniteFuture();
  return c;
}

struct GateOptions {
  std::string service;  // e.g. "registry"
  absl::Duration default_deadline = absl::Seconds(10);
  absl::Duration max_deadline = absl::Seconds(60);
};

class Gate {
 public:
  Gate(GateOptions options, const auth::Verifier* verifier, const auth::AccessPolicy* policy,
       metrics::Registry* metrics, const Clock* clock)
      : options_(std::move(options)),
        verifier_(verifier),
        policy_(policy),
        metrics_(metrics),
        clock_(clock) {}

  // Runs `fn` for an authenticated, authorised caller whose `request` keeps the limits
  // of every request (common/request_shape.h), and maps its result.
  grpc::Status Run(grpc::ServerContext* ctx, const char* method,
                   const google::protobuf::Message& request,
                   const std::function<absl::Status(const Call&)>& fn) const;

  const Clock* clock() const { return clock_; }

  // Called with every FAILED_PRECONDITION a handler returns without a
  // google.rpc.PreconditionFailure (LacksPreconditionReason, a bug: decision 77), after
  // Run has logged it as an error. Set before serving; the service harness fails the
  // test with it.
  using ReasonlessRefusal = std::function<void(const char* method, const absl::Status&)>;
  void OnReasonlessRefusal(ReasonlessRefusal f) { reasonless_ = std::move(f); }

 private:
  struct RpcCells {
    double* requests;
    metrics::Registry::Histogram* duration;
  };
  // The metric cells of (method, code), resolved once.
  RpcCells Cells(const char* method, const char* code) const;

  GateOptions options_;
  const auth::Verifier* verifier_;
  const auth::AccessPolicy* policy_;
  metrics::Registry* metrics_;
  const Clock* clock_;
  ReasonlessRefusal reasonless_;
  mutable std::mutex cells_mu_;
  mutable std::unordered_map<std::string, RpcCells> cells_;
};

// "NOT_FOUND" etc.
const char* CodeName(grpc::StatusCode code);

// absl::Status → grpc::Status with google.rpc.Status details (BadRequest field
// violations). Internal errors are replaced by a message naming the request id only.
grpc::Status ToGrpc(const absl::Status& status, const std::string& request_id);

// A stop signal for background loops: Sleep returns false once stopping.
class Stopper {
 public:
  bool Sleep(absl::Duration d);
  void Stop();
  bool stopping() const { return stopping_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
};

struct RunnerOptions {
  std::string service;       // e.g. "registry", the metrics' service label
  std::string grpc_addr;     // "host:port"; port 0 picks one
  std::string metrics_addr;  // "" disables the exporter
  std::string health_service;  // e.g. "pdps.registry.v1.RegistryService"
  // After health turns NOT_SERVING, calls are still served this long so that load
  // balancers and probes notice before the listener closes.
  absl::Duration drain_delay = absl::Seconds(1);
  absl::Duration shutdown_grace = absl::Seconds(20);
  int max_message_bytes = 4 << 20;
};

class Runner {
 public:
  Runner(RunnerOptions options, metrics::Registry* metrics);
  ~Runner();
  void AddService(grpc::Service* service) { services_.push_back(service); }
  // A loop run on its own thread until shutdown.
  void AddWorker(std::string name, std::function<void(Stopper&)> loop);
  // A worker that runs `pass` at start and then `interval` after each pass ends, until
  // shutdown.
  void AddPeriodicWorker(std::string name, absl::Duration interval, std::function<void()> pass);
  absl::Status Start();
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const;
  // Health goes NOT_SERVING; after the drain delay new calls are refused and in-flight
  // calls get the grace period to finish; workers stop.
  void Shutdown();

 private:
  RunnerOptions options_;
  metrics::Registry* metrics_;
  std::vector<grpc::Service*> services_;
  std::vector<std::pair<std::string, std::function<void(Stopper&)>>> worker_loops_;
  std::vector<std::thread> workers_;
  Stopper stopper_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<metrics::HttpExporter> exporter_;
  int grpc_port_ = 0;
  bool shut_down_ = false;
};

// Blocks SIGTERM/SIGINT for every thread started afterwards; call first thing in main.
void BlockShutdownSignals();
// Waits for SIGTERM or SIGINT; returns its name.
std::string WaitForShutdownSignal();

}  // namespace pdps::server
