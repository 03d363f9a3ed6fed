// Gate and Runner.
#include "common/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/server_interceptor.h>
#include <signal.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/net.h"
#include "common/request_shape.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pdps::server {
namespace {

std::string Metadata(const grpc::ServerContextBase* ctx, const char* key) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(key);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

bool SaneRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// The caller's x-request-id when it is sane, else a new one.
std::string RequestIdOf(const grpc::ServerContextBase* ctx) {
  std::string id = Metadata(ctx, "x-request-id");
  return SaneRequestId(id) ? id : NewUuid();
}

// The RPC counter, written by the gate and by the interceptor below alike.
constexpr char kRequestsMetric[] = "pdps_rpc_requests_total";
constexpr char kRequestsHelp[] = "RPCs handled, by method and status code.";

// An error travels in the trailers, which clients cap (8 KiB by default): the message and
// the violations are kept well within that, however much a request did wrong.
constexpr size_t kMaxMessageBytes = 1000;
constexpr size_t kMaxViolationPartBytes = 300;
constexpr size_t kViolationsBudgetBytes = 3000;

// `text` cut to at most `max` bytes on a UTF-8 character boundary, marked with "…".
std::string Shorten(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  constexpr char kEllipsis[] = "\u2026";
  size_t cut = max - (sizeof(kEllipsis) - 1);
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + kEllipsis;
}

// A request gRPC cannot parse (a string field that is not UTF-8, bytes of another
// message) never reaches the gate: gRPC answers INTERNAL with an empty message, which
// says "our bug" to the caller. This interceptor, the only one, turns exactly that
// answer into the INVALID_ARGUMENT it is. Every INTERNAL of ours carries a message.
// Which of the two it was cannot be told: protobuf's parser answers only false, and gRPC
// clears the bytes before any interceptor could look at them, so the message names both.
class UnparsableRequest : public grpc::experimental::Interceptor {
 public:
  UnparsableRequest(grpc::experimental::ServerRpcInfo* info, metrics::Registry* metrics,
                    const std::string* service)
      : info_(info), metrics_(metrics), service_(service) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status st = methods->GetSendStatus();
      if (st.error_code() == grpc::StatusCode::INTERNAL && st.error_message().empty()) {
        const std::string request_id = RequestIdOf(info_->server_context());
        // Logged and counted as the gate does every other call ("/pkg.Service/Method"
        // becomes "Method"), so that a client sending bad bytes shows in the same places.
        absl::string_view method = info_->method();
        method = method.substr(method.rfind('/') + 1);
        log::Rpc({request_id, method, "INVALID_ARGUMENT", 0, "", "", false, ""});
        metrics_->Increment(kRequestsMetric, kRequestsHelp,
                            {{"service", *service_},
                             {"method", std::string(method)},
                             {"code", "INVALID_ARGUMENT"}});
        methods->ModifySendStatus(
            ToGrpc(absl::InvalidArgumentError(kUnparsableRequestMessage), request_id));
        // No handler ran to send the x-request-id header: the status is sent alone
        // (trailers only), so it goes with the status.
        methods->GetSendTrailingMetadata()->emplace("x-request-id", request_id);
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  metrics::Registry* metrics_;
  const std::string* service_;
};

class UnparsableRequestFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  UnparsableRequestFactory(metrics::Registry* metrics, const std::string* service)
      : metrics_(metrics), service_(service) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new UnparsableRequest(info, metrics_, service_);
  }

 private:
  metrics::Registry* metrics_;
  const std::string* service_;
};

}  // namespace

const char* CodeName(grpc::StatusCode c) {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  int i = static_cast<int>(c);
  return i >= 0 && i <= 16 ? kNames[i] : "UNKNOWN";
}

namespace {

// Packs `items` into one `Detail` (BadRequest, PreconditionFailure) of `details` while it
// stays within kViolationsBudgetBytes; a last entry says how many did not fit. `add`
// appends an empty entry to the detail, `set` fills it from an item.
template <typename Detail, typename Item, typename Add, typename Set>
void PackWithinBudget(const std::vector<Item>& items, Add add, Set set,
                      google::rpc::Status* details) {
  if (items.empty()) return;
  Detail detail;
  size_t kept = 0;
  for (const auto& item : items) {
    if (detail.ByteSizeLong() > kViolationsBudgetBytes) break;
    set(add(&detail), item);
    ++kept;
  }
  if (kept < items.size()) {
    add(&detail)->set_description(
        absl::StrCat("and ", items.size() - kept, " more violations not listed"));
  }
  details->add_details()->PackFrom(detail);
}

}  // namespace

grpc::Status ToGrpc(const absl::Status& status, const std::string& request_id) {
  if (status.ok()) return grpc::Status::OK;
  auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  if (code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
      code == grpc::StatusCode::DATA_LOSS) {
    message = absl::StrCat("internal error; quote request id ", request_id, " to support");
  }
  message = Shorten(message, kMaxMessageBytes);
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  PackWithinBudget<google::rpc::BadRequest>(
      FieldViolationsOf(status), [](auto* d) { return d->add_field_violations(); },
      [](auto* out, const FieldViolation& v) {
        out->set_field(Shorten(v.field, kMaxViolationPartBytes));
        out->set_description(Shorten(v.description, kMaxViolationPartBytes));
      },
      &details);
  PackWithinBudget<google::rpc::PreconditionFailure>(
      PreconditionViolationsOf(status), [](auto* d) { return d->add_violations(); },
      [](auto* out, const PreconditionViolation& v) {
        out->set_type(Shorten(v.type, kMaxViolationPartBytes));
        out->set_subject(Shorten(v.subject, kMaxViolationPartBytes));
        out->set_description(Shorten(v.description, kMaxViolationPartBytes));
      },
      &details);
  google::rpc::ResourceInfo resource;
  if (const std::string raw = ResourceInfoOf(status);
      !raw.empty() && resource.ParseFromString(raw)) {
    details.add_details()->PackFrom(resource);
  }
  google::rpc::RequestInfo info;
  info.set_request_id(request_id);
  details.add_details()->PackFrom(info);
  return grpc::Status(code, message, details.SerializeAsString());
}

grpc::Status Gate::Run(grpc::ServerContext* ctx, const char* method,
                       const google::protobuf::Message& request,
                       const std::function<absl::Status(const Call&)>& fn) const {
  const absl::Time started = absl::Now();
  Call call;
  call.method = method;
  call.now = clock_->Now();
  call.request_id = RequestIdOf(ctx);
  ctx->AddInitialMetadata("x-request-id", call.request_id);
  // Every line the call writes (db: statement failed with the database's own message)
  // carries its request id: the one the client is told to quote.
  log::Context log_context("request_id", call.request_id);

  absl::Time client_deadline = absl::FromChrono(ctx->deadline());
  absl::Time cap = started + options_.max_deadline;
  call.deadline = client_deadline >= absl::Now() + absl::Hours(24 * 365)
                      ? started + options_.default_deadline
                      : std::min(client_deadline, cap);

  absl::Status st = [&]() -> absl::Status {
    auto token = auth::BearerToken(Metadata(ctx, "authorization"));
    if (!token.ok()) return token.status();
    auto principal = verifier_->Verify(*token, absl::Now());
    if (!principal.ok()) return principal.status();
    call.principal = std::move(principal).value();
    auto allowed = policy_->Check(method, call.principal);
    if (!allowed.ok()) return allowed;
    // A malformed request_id is listed with the handler's own violations (one pass to fix
    // a request), and the store refuses to claim it, so nothing runs with it.
    const absl::Status request_id = shape::CheckRequestId(request);
    absl::Status shaped = shape::Check(request);
    if (!shaped.ok()) return shape::WithRequestId(shaped, request_id);
    try {
      return shape::WithRequestId(fn(call), request_id);
    } catch (const std::exception& e) {
      // INTERNAL for the caller (logged with the request id), never a dead process.
      return absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
    }
  }();

  if (LacksPreconditionReason(st)) {
    log::Error("FAILED_PRECONDITION without a PreconditionFailure (decision 77)",
               {{"method", method}, {"error", std::string(st.message())}});
    if (reasonless_) reasonless_(method, st);
  }
  grpc::Status out = ToGrpc(st, call.request_id);
  double seconds = absl::ToDoubleSeconds(absl::Now() - started);
  const char* code = CodeName(out.error_code());
  log::Rpc({call.request_id, method, code, seconds * 1000.0, call.principal.organisation_id,
            out.error_code() == grpc::StatusCode::INTERNAL ? st.message() : "",
            out.ok() && std::strcmp(method, "ListEvents") == 0,
            out.error_code() == grpc::StatusCode::UNAUTHENTICATED ? st.message() : ""});
  RpcCells cells = Cells(method, code);
  metrics_->Add(cells.requests, 1);
  metrics_->Observe(cells.duration, seconds);
  return out;
}

Gate::RpcCells Gate::Cells(const char* method, const char* code) const {
  std::string key = absl::StrCat(method, "/", code);
  std::lock_guard<std::mutex> lock(cells_mu_);
  auto it = cells_.find(key);
  if (it != cells_.end()) return it->second;
  RpcCells c{
      metrics_->CounterCell(kRequestsMetric, kRequestsHelp,
                            {{"service", options_.service}, {"method", method}, {"code", code}}),
      metrics_->HistogramCell("pdps_rpc_duration_seconds", "RPC latency in seconds, by method.",
                              {{"service", options_.service}, {"method", method}})};
  cells_.emplace(std::move(key), c);
  return c;
}

bool Stopper::Sleep(absl::Duration d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, absl::ToChronoNanoseconds(d), [this] { return stopping_.load(); });
  return !stopping_.load();
}

void Stopper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
}

Runner::Runner(RunnerOptions options, metrics::Registry* metrics)
    : options_(std::move(options)), metrics_(metrics) {}

Runner::~Runner() { Shutdown(); }

void Runner::AddWorker(std::string name, std::function<void(Stopper&)> loop) {
  worker_loops_.emplace_back(std::move(name), std::move(loop));
}

void Runner::AddPeriodicWorker(std::string name, absl::Duration interval,
                               std::function<void()> pass) {
  AddWorker(std::move(name), [interval, pass = std::move(pass)](Stopper& stop) {
    do {
      pass();
    } while (stop.Sleep(interval));
  });
}

int Runner::metrics_port() const { return exporter_ ? exporter_->port() : 0; }

absl::Status Runner::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.grpc_addr, grpc::InsecureServerCredentials(), &grpc_port_);
  // No SO_REUSEPORT: a second process started on a taken port fails to start instead of
  // silently taking a share of the traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  for (grpc::Service* s : services_) builder.RegisterService(s);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<UnparsableRequestFactory>(metrics_, &options_.service));
  builder.experimental().SetInterceptorCreators(std::move(creators));
  // Keep a pool of handler threads instead of starting and ending one per burst (the
  // default of 1..2 pollers per queue makes threads churn under load).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS, 2);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  server_ = builder.BuildAndStart();
  if (!server_ || grpc_port_ == 0) {
    const std::string why = net::BindProblem(options_.grpc_addr);
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", options_.grpc_addr,
                                               why.empty() ? "" : ": ", why));
  }
  auto* health = server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(options_.health_service, true);
  if (!options_.metrics_addr.empty()) {
    exporter_ = std::make_unique<metrics::HttpExporter>(metrics_);
    auto st = exporter_->Start(options_.metrics_addr);
    if (!st.ok()) return st;
  }
  for (auto& [name, loop] : worker_loops_) {
    workers_.emplace_back([this, name = name, loop = loop] {
      log::Context log_context("worker", name);
      log::Info("worker started", {{"worker", name}});
      loop(stopper_);
      log::Info("worker stopped", {{"worker", name}});
    });
  }
  log::Info("serving", {{"grpc_port", grpc_port_}, {"metrics_port", metrics_port()}});
  return absl::OkStatus();
}

void Runner::Shutdown() {
  if (shut_down_ || !server_) return;
  shut_down_ = true;
  log::Info("shutting down", {{"grace_ms", absl::ToInt64Milliseconds(options_.shutdown_grace)}});
  // Load balancers and probes see NOT_SERVING before the listener closes.
  server_->GetHealthCheckService()->SetServingStatus(false);
  absl::SleepFor(options_.drain_delay);
  stopper_.Stop();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  if (exporter_) exporter_->Stop();
  log::Info("stopped");
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  return sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

}  // namespace pdps::server
