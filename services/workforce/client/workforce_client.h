// The workforce service's client for its peers, over gRPC with a deadline and the caller's
// service identity: is this worker compliant for a package (lot, extra competencies,
// date)? Referrals asks it for the worker a provider names in a proposal, before the
// proposal's transaction; care planning will ask it before assigning a worker to a
// session. Failures are mapped by common/peer.h (decision 0018).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/service_identity.h"
#include "common/status.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"

namespace pdps::workforce {

struct WorkerCheck {
  bool eligible = false;
  // Why not, one per reason: type "COMPETENCY_MISSING", subject "gastrostomy" (or
  // "staff_member/<id>"), description "COMPETENCY_MISSING gastrostomy".
  std::vector<PreconditionViolation> reasons;
};

class WorkforceClient {
 public:
  virtual ~WorkforceClient() = default;
  // NOT_FOUND if the worker is not `provider_id`'s; FAILED_PRECONDITION if the lot has no
  // training matrix in force; UNAVAILABLE if workforce cannot answer.
  virtual absl::StatusOr<WorkerCheck> CheckWorker(const std::string& staff_id,
                                                  const std::string& provider_id,
                                                  const std::string& lot_id,
                                                  const std::vector<std::string>& extras,
                                                  const std::string& date) = 0;
};

class GrpcWorkforceClient final : public WorkforceClient {
 public:
  GrpcWorkforceClient(std::shared_ptr<grpc::Channel> channel, auth::ServiceTokenSource* tokens,
                      absl::Duration timeout);
  absl::StatusOr<WorkerCheck> CheckWorker(const std::string& staff_id,
                                          const std::string& provider_id,
                                          const std::string& lot_id,
                                          const std::vector<std::string>& extras,
                                          const std::string& date) override;

 private:
  std::unique_ptr<pdps::workforce::v1::WorkforceService::Stub> stub_;
  auth::ServiceTokenSource* tokens_;
  absl::Duration timeout_;
};

}  // namespace pdps::workforce
