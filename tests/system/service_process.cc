// ServiceProcess.
#include "tests/system/service_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/health_client.h"
#include "common/ids.h"
#include "common/service.h"
#include "common/testing/pg_harness.h"

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

std::string UnansweredAddress() { return absl::StrCat("127.0.0.1:", FreePort()); }

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) {
    std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) response.append(buf, n);
    }
  }
  close(fd);
  size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
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
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // A test binary that aborts (a failed harness, a crash) must not leave services
    // behind holding ports and database connections.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    execl(binary.c_str(), binary.c_str(), "serve", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Each probe has a channel of its own: one that failed to connect while the process
  // started waits out its reconnect backoff (seconds, whatever the channel arguments say)
  // before it tries again, which made every start take several seconds.
  for (int i = 0; i < 300; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto probe = grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
    auto h = health::Check(probe, service::HealthServiceName(service), absl::Seconds(1));
    if (h.ok() && *h == health::Serving::kServing) {
      channel_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
      return;
    }
    absl::SleepFor(absl::Milliseconds(20));
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

int ServiceProcess::Kill() {
  if (pid_ > 0) kill(pid_, SIGKILL);
  return Wait();
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

// A directory of its own per run: two checkouts' tests running at once on one machine
// must not overwrite each other's keys (TempDir() is /tmp for every run).
DevKeys::DevKeys(const std::string& name)
    : dir_(absl::StrCat(::testing::TempDir(), "/", name, "-", getpid(), "-",
                        NewUuid().substr(0, 8))) {
  std::filesystem::create_directories(dir_ + "/public");
  auto kp = auth::GenerateKeyPair(2048);
  if (!kp.ok()) {
    std::fprintf(stderr, "no key pair: %s\n", std::string(kp.status().message()).c_str());
    std::abort();
  }
  private_pem_ = kp->first;
  std::ofstream(dir_ + "/dev-1.pem") << kp->first;
  std::ofstream(dir_ + "/public/dev-1.pem") << kp->second;
}

DevKeys::~DevKeys() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::map<std::string, std::string> DevKeys::Env() const {
  return {{"PDPS_JWT_ISSUER", "https://pdps.local/dev"},
          {"PDPS_JWT_KEYS_DIR", dir_ + "/public"},
          {"PDPS_SERVICE_KEY_FILE", private_key_file()},
          {"PDPS_SERVICE_KEY_ID", "dev-1"}};
}

std::map<std::string, std::string> RegistryAloneEnv(const DevKeys& keys) {
  auto env = keys.Env();
  env["PDPS_WORKFORCE_ADDR"] = UnansweredAddress();
  return env;
}

std::string DevKeys::Mint(const std::string& org, auth::Role role) const {
  auth::MintOptions o;
  o.kid = "dev-1";
  o.private_key_pem = private_pem_;
  o.issuer = "https://pdps.local/dev";
  o.audience = "pdps";
  o.user_id = NewUuid();
  o.organisation_id = org;
  o.roles = {role};
  o.issued_at = absl::Now() - absl::Seconds(5);
  auto t = auth::Mint(o);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : "";
}

std::string DemoCommand(const DevKeys& keys, const std::string& flags) {
  return absl::StrCat(BinaryDir(), "/deploy/demo/pdps-demo --key=", keys.private_key_file(), " ",
                      flags, " 2>&1");
}

std::string WaitFor(const testing::TestDatabase& db, const std::string& sql,
                    const std::vector<::pdps::db::Param>& params, const std::string& want,
                    absl::Duration timeout) {
  std::string got;
  for (absl::Time end = absl::Now() + timeout;;) {
    auto rows = db.Query(sql, params);
    got = rows.empty() ? "" : rows[0];
    if (got == want || absl::Now() >= end) return got;
    absl::SleepFor(absl::Milliseconds(100));
  }
}

Platform::Platform(const testing::TestDatabase& db, const DevKeys& keys,
                   std::map<std::string, std::map<std::string, std::string>> extra) {
  auto env = [&](const std::string& service) {
    auto e = keys.Env();
    e["PDPS_FEED_POLL_INTERVAL"] = "100ms";
    for (const auto& [k, v] : extra[service]) e[k] = v;
    return e;
  };
  const std::string workforce_addr = absl::StrCat("127.0.0.1:", FreePort());
  const std::string referrals_addr = absl::StrCat("127.0.0.1:", FreePort());
  auto reg = env("registry");
  reg["PDPS_WORKFORCE_ADDR"] = workforce_addr;
  registry = std::make_unique<ServiceProcess>("registry", db.Conninfo("registry_app"), reg);
  auto wf = env("workforce");
  wf["PDPS_GRPC_ADDR"] = workforce_addr;
  wf["PDPS_REGISTRY_ADDR"] = registry->address();
  wf["PDPS_REFERRALS_ADDR"] = referrals_addr;
  workforce = std::make_unique<ServiceProcess>("workforce", db.Conninfo("workforce_app"), wf);
  auto ref = env("referrals");
  ref["PDPS_GRPC_ADDR"] = referrals_addr;
  ref["PDPS_REGISTRY_ADDR"] = registry->address();
  ref["PDPS_WORKFORCE_ADDR"] = workforce_addr;
  referrals = std::make_unique<ServiceProcess>("referrals", db.Conninfo("referrals_app"), ref);
}

std::string Platform::DemoFlags() const {
  return absl::StrCat("--registry=", registry->address(), " --referrals=", referrals->address(),
                      " --workforce=", workforce->address());
}

}  // namespace pdps::systemtest
