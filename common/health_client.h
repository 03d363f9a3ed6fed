// A client for grpc.health.v1.Health/Check. Debian ships no generated health stubs, and
// the two messages are one field each, so they are encoded here by hand.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pdps::health {

enum class Serving { kUnknown = 0, kServing = 1, kNotServing = 2, kServiceUnknown = 3 };
const char* Name(Serving s);

absl::StatusOr<Serving> Check(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& service, absl::Duration timeout);

}  // namespace pdps::health
