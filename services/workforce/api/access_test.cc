// The workforce access policy as a table: every RPC of the service is listed, and each
// role gets exactly the answer below.
#include "services/workforce/api/access.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/testing/access_table.h"
#include "pdps/workforce/v1/workforce_service.grpc.pb.h"

namespace pdps::workforce {
namespace {

using ::pdps::testing::AccessRow;

// Columns: operator, commissioner, brokerage, finance, provider admin, coordinator, service.
const std::vector<AccessRow> kTable = {
    {"CreateStaffMember", {0, 0, 0, 0, 1, 1, 0}},
    {"GetStaffMember", {0, 0, 0, 0, 1, 1, 0}},
    {"ListStaffMembers", {0, 0, 0, 0, 1, 1, 0}},
    {"UpdateStaffMember", {0, 0, 0, 0, 1, 1, 0}},
    {"CreateTrainingMatrix", {0, 1, 0, 0, 0, 0, 0}},
    {"GetTrainingMatrix", {0, 1, 0, 0, 1, 1, 1}},
    {"ListTrainingMatrices", {0, 1, 0, 0, 1, 1, 1}},
    {"CreateTrainingRecord", {0, 0, 0, 0, 1, 1, 0}},
    {"ListTrainingRecords", {0, 0, 0, 0, 1, 1, 0}},
    {"VoidTrainingRecord", {0, 0, 0, 0, 1, 1, 0}},
    {"CheckWorkerEligibility", {0, 0, 0, 0, 1, 1, 1}},
    {"GetWorkforceCompliance", {0, 1, 0, 0, 1, 1, 1}},  // providers: their own only
    {"ListExpiries", {0, 0, 0, 0, 1, 1, 0}},
    {"CreateComplaint", {0, 0, 0, 0, 1, 1, 0}},
    {"GetComplaint", {0, 0, 0, 0, 1, 1, 0}},
    {"ListComplaints", {0, 0, 0, 0, 1, 1, 0}},
    {"AcknowledgeComplaint", {0, 0, 0, 0, 1, 1, 0}},
    {"AnswerComplaint", {0, 0, 0, 0, 1, 1, 0}},
    {"CreateMonitoringVisit", {0, 1, 0, 0, 0, 0, 0}},
    {"ListMonitoringVisits", {0, 1, 0, 0, 1, 1, 0}},
    {"CreateActionPlan", {0, 1, 0, 0, 0, 0, 0}},
    {"ListActionPlans", {0, 1, 0, 0, 1, 1, 0}},
    {"CompleteActionItem", {0, 1, 0, 0, 1, 1, 0}},
    {"RecordFinancialAccounts", {0, 1, 0, 0, 0, 0, 0}},
    {"ReviseFinancialAccounts", {0, 1, 0, 0, 0, 0, 0}},
    {"GetFinancialAccounts", {0, 1, 0, 0, 1, 1, 0}},
    {"ListFinancialAccounts", {0, 1, 0, 0, 1, 1, 0}},
    {"SetSuspensionRules", {0, 1, 0, 0, 0, 0, 0}},
    {"GetSuspensionRules", {0, 1, 0, 0, 1, 1, 1}},
    {"GetWorkforceReturn", {0, 1, 0, 0, 1, 1, 1}},  // others: the lot's commissioners
    {"GetPackage", {0, 1, 1, 0, 1, 1, 1}},
    {"ListPackages", {0, 0, 0, 0, 1, 1, 1}},
    {"CreatePackageAssignment", {0, 0, 0, 0, 1, 1, 0}},
    {"EndPackageAssignment", {0, 0, 0, 0, 1, 1, 0}},
    {"ListPackageWorkers", {0, 1, 1, 0, 1, 1, 1}},
    {"ListEvents", {0, 0, 0, 0, 0, 0, 1}},
};

TEST(WorkforceAccess, Table) {
  const auto* file = v1::CreateStaffMemberRequest::descriptor()->file();
  pdps::testing::ExpectAccessTable(WorkforceAccessPolicy(),
                                   file->FindServiceByName("WorkforceService"), kTable);
}

}  // namespace
}  // namespace pdps::workforce
