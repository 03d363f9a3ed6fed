// The registry's access policy as a table: every RPC of the service is listed, and each
// role gets exactly the answer below.
#include "services/registry/api/access.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <array>

#include "pdps/registry/v1/registry_service.grpc.pb.h"

namespace pdps::registry {
namespace {

using R = auth::Role;

TEST(RegistryAccess, EveryRpcHasAPolicy) {
  const auto* svc =
      v1::CreateOrganisationRequest::descriptor()->file()->FindServiceByName("RegistryService");
  ASSERT_NE(svc, nullptr);
  for (int i = 0; i < svc->method_count(); ++i) {
    EXPECT_TRUE(RegistryAccessPolicy().Knows(svc->method(i)->name())) << svc->method(i)->name();
  }
  EXPECT_TRUE(RegistryAccessPolicy().Knows("ListEvents"));
}

TEST(RegistryAccess, Table) {
  // Columns: operator, commissioner, brokerage, finance, provider admin, coordinator, service.
  struct Row {
    const char* method;
    std::array<bool, 7> allowed;
  };
  const R roles[7] = {R::kPlatformOperator, R::kCommissioner,  R::kBrokerageOfficer,
                      R::kFinanceOfficer,   R::kProviderAdmin, R::kProviderCoordinator,
                      R::kService};
  const Row rows[] = {
      {"CreateOrganisation", {1, 0, 0, 0, 0, 0, 0}},
      {"ListOrganisations", {1, 1, 1, 1, 1, 1, 1}},
      {"CreatePartnership", {1, 0, 0, 0, 0, 0, 0}},
      {"CreateFramework", {0, 1, 0, 0, 0, 0, 0}},
      {"UpdateFramework", {0, 1, 0, 0, 0, 0, 0}},
      {"GetFramework", {1, 1, 1, 1, 1, 1, 1}},
      {"CreateLot", {0, 1, 0, 0, 0, 0, 0}},
      {"ApplyForAdmission", {0, 0, 0, 0, 1, 0, 0}},
      {"GetAdmission", {0, 1, 1, 1, 1, 1, 1}},
      {"AdmitProvider", {0, 1, 0, 0, 0, 0, 0}},
      {"SuspendAdmission", {0, 1, 0, 0, 0, 0, 1}},
      {"ReinstateAdmission", {0, 1, 0, 0, 0, 0, 0}},
      {"TerminateAdmission", {0, 1, 0, 0, 0, 0, 0}},
      {"AddActionPlanItems", {0, 1, 0, 0, 0, 0, 0}},
      {"CompleteActionPlanItem", {0, 1, 0, 0, 0, 0, 0}},
      {"GetProvider", {0, 1, 1, 1, 1, 1, 1}},
      {"UpdateProvider", {0, 0, 0, 0, 1, 0, 0}},
      {"CreateComplianceDocument", {0, 0, 0, 0, 1, 0, 0}},
      {"ListComplianceDocuments", {0, 1, 1, 1, 1, 1, 1}},
      {"CreateCapacityReturn", {0, 0, 0, 0, 1, 1, 0}},
      {"ListLateCapacityReturns", {0, 1, 0, 0, 0, 0, 0}},
      {"ListEligibleProviders", {0, 1, 1, 0, 0, 0, 1}},
      {"ListEvents", {0, 0, 0, 0, 0, 0, 1}},
  };
  for (const auto& row : rows) {
    for (int i = 0; i < 7; ++i) {
      auth::Principal p{"u", "o", {roles[i]}};
      EXPECT_EQ(RegistryAccessPolicy().Check(row.method, p).ok(), row.allowed[i])
          << row.method << " as " << auth::RoleName(roles[i]);
    }
  }
}

}  // namespace
}  // namespace pdps::registry
