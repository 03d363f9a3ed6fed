// ServiceProcess.
#include "tests/system/service_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/health_client.h"
#include "common/service.h"

namespace pdps::systemtest {

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(fd);
  return port;
}

std::string BinaryDir() {
  const char* dir = std::getenv("PDPS_BINARY_DIR");
  return dir != nullptr ? dir : ".";
}

ServiceProcess::ServiceProcess(const std::string& service, const std::string& database_url,
                               std::map<std::string, std::string> env) {
  // A caller may fix the address (peers that must know it before the process starts).
  address_ = env.count("PDPS_GRPC_ADDR") ? env["PDPS_GRPC_ADDR"]
                                         : absl::StrCat("127.0.0.1:", FreePort());
  env["PDPS_DATABASE_URL"] = database_url;
  env["PDPS_GRPC_ADDR"] = address_;
  env.emplace("PDPS_METRICS_ADDR", "127.0.0.1:0");
  env.emplace("PDPS_LOG_LEVEL", "warning");
  std::string binary = BinaryDir() + "/services/" + service + "/" + service;
  pid_ = fork();
  if (pid_ == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    execl(binary.c_str(), binary.c_str(), "serve", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Reconnect quickly while the process starts: gRPC's default backoff (1 s, growing)
  // would otherwise make a slow start look like a hang.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  channel_ = grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
  for (int i = 0; i < 300; ++i) {
    auto h = health::Check(channel_, service::HealthServiceName(service), absl::Seconds(1));
    if (h.ok() && *h == health::Serving::kServing) return;
    absl::SleepFor(absl::Milliseconds(100));
  }
  std::fprintf(stderr, "%s did not become SERVING at %s\n", service.c_str(), address_.c_str());
  std::abort();
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    Wait();
  }
}

int ServiceProcess::Wait() {
  int status = 0;
  if (pid_ <= 0 || waitpid(pid_, &status, 0) != pid_) return -1;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int RunCommand(const std::string& command, std::string* out) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  out->clear();
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out->append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace pdps::systemtest
