// What referrals asks workforce: is the worker a provider proposes compliant for the
// package (lot, extra competencies, start date)? Asked before the proposal's
// transaction, with the service's identity and a deadline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/service_identity.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"

namespace pdps::referrals {

struct WorkerCheck {
  bool eligible = false;
  std::vector<std::string> reasons;  // e.g. "DBS_EXPIRED", "COMPETENCY_MISSING gastrostomy"
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

}  // namespace pdps::referrals
