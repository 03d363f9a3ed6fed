// The workforce access policy as a table: every RPC of the service is listed, and each
// role gets exactly the answer below.
#include "services/workforce/api/access.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "pdps/workforce/v1/workforce_service.grpc.pb.h"

namespace pdps::workforce {
namespace {

using R = auth::Role;

// Columns: operator, commissioner, brokerage, finance, provider admin, coordinator, service.
constexpr int kRoles = 7;
const R kRoleColumns[kRoles] = {R::kPlatformOperator, R::kCommissioner,  R::kBrokerageOfficer,
                                R::kFinanceOfficer,   R::kProviderAdmin, R::kProviderCoordinator,
                                R::kService};
struct Row {
  const char* method;
  std::array<bool, kRoles> allowed;
};
const Row kTable[] = {
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

TEST(WorkforceAccess, EveryRpcHasAPolicyAndARow) {
  const auto* svc =
      v1::CreateStaffMemberRequest::descriptor()->file()->FindServiceByName("WorkforceService");
  ASSERT_NE(svc, nullptr);
  std::set<std::string> rpcs = {"ListEvents"}, table;
  for (int i = 0; i < svc->method_count(); ++i) rpcs.insert(svc->method(i)->name());
  for (const Row& row : kTable) table.insert(row.method);
  EXPECT_EQ(table, rpcs);
  for (const auto& m : rpcs) EXPECT_TRUE(WorkforceAccessPolicy().Knows(m)) << m;
  EXPECT_FALSE(WorkforceAccessPolicy().Knows("DeleteStaffMember"));
}

TEST(WorkforceAccess, Table) {
  for (const Row& row : kTable) {
    for (int i = 0; i < kRoles; ++i) {
      auth::Principal p{"u", "o", {kRoleColumns[i]}};
      absl::Status st = WorkforceAccessPolicy().Check(row.method, p);
      EXPECT_EQ(st.ok(), row.allowed[i]) << row.method << " as " << auth::RoleName(kRoleColumns[i]);
      if (!st.ok()) {
        EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << row.method;
      }
    }
  }
}

TEST(WorkforceAccess, NoRolesAreDenied) {
  auth::Principal nobody{"u", "o", {}};
  for (const Row& row : kTable) {
    EXPECT_FALSE(WorkforceAccessPolicy().Check(row.method, nobody).ok()) << row.method;
  }
}

}  // namespace
}  // namespace pdps::workforce
