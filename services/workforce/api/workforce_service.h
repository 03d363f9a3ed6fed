// gRPC handlers of pdps.workforce.v1.WorkforceService: validate, call the store, copy
// the result. Authentication, authorisation, deadlines, logging, metrics and error
// mapping happen in server::Gate.
#pragma once

#include <set>
#include <string>

#include "common/server.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"
#include "services/workforce/api/commissioning.h"
#include "services/workforce/store/store.h"

namespace pdps::workforce {

class WorkforceServiceImpl final : public v1::WorkforceService::Service {
 public:
  WorkforceServiceImpl(const server::Gate* gate, Store* store, const CommissioningCheck* check)
      : gate_(gate), store_(store), check_(check) {}

#define PDPS_RPC(Name, Req, Resp) \
  grpc::Status Name(grpc::ServerContext* ctx, const v1::Req* req, v1::Resp* resp) override;
  PDPS_RPC(CreateStaffMember, CreateStaffMemberRequest, StaffMember)
  PDPS_RPC(GetStaffMember, GetStaffMemberRequest, StaffMember)
  PDPS_RPC(ListStaffMembers, ListStaffMembersRequest, ListStaffMembersResponse)
  PDPS_RPC(UpdateStaffMember, UpdateStaffMemberRequest, StaffMember)
  PDPS_RPC(CreateTrainingMatrix, CreateTrainingMatrixRequest, TrainingMatrix)
  PDPS_RPC(GetTrainingMatrix, GetTrainingMatrixRequest, TrainingMatrix)
  PDPS_RPC(ListTrainingMatrices, ListTrainingMatricesRequest, ListTrainingMatricesResponse)
  PDPS_RPC(CreateTrainingRecord, CreateTrainingRecordRequest, TrainingRecord)
  PDPS_RPC(ListTrainingRecords, ListTrainingRecordsRequest, ListTrainingRecordsResponse)
  PDPS_RPC(VoidTrainingRecord, VoidTrainingRecordRequest, TrainingRecord)
  PDPS_RPC(CheckWorkerEligibility, CheckWorkerEligibilityRequest, CheckWorkerEligibilityResponse)
  PDPS_RPC(GetWorkforceCompliance, GetWorkforceComplianceRequest, WorkforceCompliance)
  PDPS_RPC(ListExpiries, ListExpiriesRequest, ListExpiriesResponse)
  PDPS_RPC(CreateComplaint, CreateComplaintRequest, Complaint)
  PDPS_RPC(GetComplaint, GetComplaintRequest, Complaint)
  PDPS_RPC(ListComplaints, ListComplaintsRequest, ListComplaintsResponse)
  PDPS_RPC(AcknowledgeComplaint, AcknowledgeComplaintRequest, Complaint)
  PDPS_RPC(AnswerComplaint, AnswerComplaintRequest, Complaint)
  PDPS_RPC(CreateMonitoringVisit, CreateMonitoringVisitRequest, MonitoringVisit)
  PDPS_RPC(ListMonitoringVisits, ListMonitoringVisitsRequest, ListMonitoringVisitsResponse)
  PDPS_RPC(CreateActionPlan, CreateActionPlanRequest, ActionPlan)
  PDPS_RPC(ListActionPlans, ListActionPlansRequest, ListActionPlansResponse)
  PDPS_RPC(CompleteActionItem, CompleteActionItemRequest, ActionPlan)
  PDPS_RPC(RecordFinancialAccounts, RecordFinancialAccountsRequest, FinancialAccounts)
  PDPS_RPC(ReviseFinancialAccounts, ReviseFinancialAccountsRequest, FinancialAccounts)
  PDPS_RPC(GetFinancialAccounts, GetFinancialAccountsRequest, FinancialAccounts)
  PDPS_RPC(ListFinancialAccounts, ListFinancialAccountsRequest, ListFinancialAccountsResponse)
  PDPS_RPC(SetSuspensionRules, SetSuspensionRulesRequest, SuspensionRules)
  PDPS_RPC(GetSuspensionRules, GetSuspensionRulesRequest, SuspensionRules)
  PDPS_RPC(GetWorkforceReturn, GetWorkforceReturnRequest, WorkforceReturn)
  PDPS_RPC(GetPackage, GetPackageRequest, Package)
  PDPS_RPC(ListPackages, ListPackagesRequest, ListPackagesResponse)
  PDPS_RPC(CreatePackageAssignment, CreatePackageAssignmentRequest, PackageAssignment)
  PDPS_RPC(EndPackageAssignment, EndPackageAssignmentRequest, PackageAssignment)
  PDPS_RPC(ListPackageWorkers, ListPackageWorkersRequest, ListPackageWorkersResponse)
#undef PDPS_RPC

 private:
  // A staff record's lot_ids against the lots its provider works on, as the registry
  // says (domain::ValidateStaffLots); `kept`: the lots the stored record names.
  absl::Status RequireWorkingLots(const server::Call& c, const v1::StaffMember& s,
                                  const std::set<std::string>& kept) const;

  const server::Gate* gate_;
  Store* store_;
  const CommissioningCheck* check_;
};

}  // namespace pdps::workforce
