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

TEST(ShapeOrganisation, OthersSeeTheDirectoryNotWhenOrWhoLastChangedIt) {
  v1::Organisation org;
  org.set_id("aaaaaaaa-1111-4111-8111-111111111111");
  org.set_display_name("Riverside Children's Nursing");
  org.set_etag("7");
  org.mutable_audit()->set_update_user("bbbbbbbb-2222-4222-8222-222222222222");
  auto as = [&](const std::string& caller_org, R role) {
    auth::Principal p;
    p.organisation_id = caller_org;
    p.roles = {role};
    v1::Organisation seen = org;
    ShapeOrganisation(p, &seen);
    return seen;
  };
  EXPECT_EQ(as("AAAAAAAA-1111-4111-8111-111111111111", R::kProviderAdmin).etag(), "7");  // itself
  EXPECT_TRUE(as("cccccccc-3333-4333-8333-333333333333", R::kPlatformOperator).has_audit());
  EXPECT_EQ(as("cccccccc-3333-4333-8333-333333333333", R::kService).etag(), "7");
  v1::Organisation other = as("dddddddd-4444-4444-8444-444444444444", R::kFinanceOfficer);
  EXPECT_EQ(other.display_name(), "Riverside Children's Nursing");
  EXPECT_TRUE(other.etag().empty());
  EXPECT_FALSE(other.has_audit());
}

}  // namespace
}  // namespace pdps::registry
