// Why a listen address cannot be bound, in the system's words. gRPC and the metrics
// server say only that they could not listen; start-up's log line should say why
// ("Address already in use", "Cannot assign requested address").
#pragma once

#include <string>

namespace pdps::net {

// Binds a socket of our own to `host_port` ("127.0.0.1:7001", "0.0.0.0:9001",
// "[::1]:7001") with SO_REUSEADDR, as the servers do, and releases it. Returns the
// system's reason it failed, or "" when it can be bound (or the address does not parse:
// the settings check that).
std::string BindProblem(const std::string& host_port);

}  // namespace pdps::net
