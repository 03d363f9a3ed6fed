// System-test support: runs a real service binary on a free loopback port.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

namespace pdps::systemtest {

// A free TCP port on 127.0.0.1.
int FreePort();

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

 private:
  pid_t pid_ = -1;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Runs a shell command, returning its exit status and standard output.
int RunCommand(const std::string& command, std::string* out);

// The build tree (PDPS_BINARY_DIR, set by ctest).
std::string BinaryDir();

}  // namespace pdps::systemtest
