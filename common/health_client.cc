// Health check over the generic stub.
#include "common/health_client.h"

#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/str_cat.h"

namespace pdps::health {

const char* Name(Serving s) {
  switch (s) {
    case Serving::kServing:
      return "SERVING";
    case Serving::kNotServing:
      return "NOT_SERVING";
    case Serving::kServiceUnknown:
      return "SERVICE_UNKNOWN";
    default:
      return "UNKNOWN";
  }
}

absl::StatusOr<Serving> Check(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& service, absl::Duration timeout) {
  // HealthCheckRequest { string service = 1; }
  std::string body;
  if (!service.empty()) {
    body.push_back(0x0a);
    body.push_back(static_cast<char>(service.size()));  // services names are < 128 bytes
    body += service;
  }
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::Status st;
  auto call = stub.PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", request, &cq);
  call->StartCall();
  call->Finish(&response, &st, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!st.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                        absl::StrCat("health check failed: ", st.error_message()));
  }
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  std::string raw;
  for (auto& s : slices) raw.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse { ServingStatus status = 1; } — absent means UNKNOWN (0).
  if (raw.size() >= 2 && raw[0] == 0x08) return static_cast<Serving>(raw[1]);
  return Serving::kUnknown;
}

}  // namespace pdps::health
