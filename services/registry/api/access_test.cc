// The registry's access policy as a table: every RPC of the service is listed, and each
// role gets exactly the answer below.
#include "services/registry/api/access.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/testing/access_table.h"
#include "pdps/registry/v1/registry_service.grpc.pb.h"

namespace pdps::registry {
namespace {

using R = auth::Role;
using ::pdps::testing::AccessRow;

// Columns: operator, commissioner, brokerage, finance, provider admin, coordinator, service.
// Which records a caller then sees (its partnership's, its own organisation's) is the
// store's and row-level security's: this is only who may call at all.
const std::vector<AccessRow> kTable = {
    {"CreateOrganisation", {1, 0, 0, 0, 0, 0, 0}},
    {"GetOrganisation", {1, 1, 1, 1, 1, 1, 1}},
    {"ListOrganisations", {1, 1, 1, 1, 1, 1, 1}},
    {"CreatePartnership", {1, 0, 0, 0, 0, 0, 0}},
    {"GetPartnership", {1, 1, 1, 1, 1, 1, 1}},
    {"ListPartnerships", {1, 1, 1, 1, 1, 1, 1}},
    {"CreateFramework", {0, 1, 0, 0, 0, 0, 0}},
    {"GetFramework", {1, 1, 1, 1, 1, 1, 1}},
    {"ListFrameworks", {1, 1, 1, 1, 1, 1, 1}},
    {"UpdateFramework", {0, 1, 0, 0, 0, 0, 0}},
    {"CreateLot", {0, 1, 0, 0, 0, 0, 0}},
    {"GetLot", {1, 1, 1, 1, 1, 1, 1}},
    {"ListLots", {1, 1, 1, 1, 1, 1, 1}},
    {"UpdateLot", {0, 1, 0, 0, 0, 0, 0}},
    {"ApplyForAdmission", {0, 0, 0, 0, 1, 0, 0}},
    {"GetAdmission", {0, 1, 1, 1, 1, 1, 1}},
    {"ListAdmissions", {0, 1, 1, 1, 1, 1, 1}},  // services: the peers' registry_client
    {"AdmitProvider", {0, 1, 0, 0, 0, 0, 0}},
    {"RejectApplication", {0, 1, 0, 0, 0, 0, 0}},
    {"SuspendAdmission", {0, 1, 0, 0, 0, 0, 1}},  // a service: automatic suspension rules
    {"ReinstateAdmission", {0, 1, 0, 0, 0, 0, 0}},
    {"TerminateAdmission", {0, 1, 0, 0, 0, 0, 0}},
    {"AddActionPlanItems", {0, 1, 0, 0, 0, 0, 0}},
    {"CompleteActionPlanItem", {0, 1, 0, 0, 0, 0, 0}},
    {"GetProvider", {0, 1, 1, 1, 1, 1, 1}},
    {"UpdateProvider", {0, 0, 0, 0, 1, 0, 0}},
    {"CreateComplianceDocument", {0, 0, 0, 0, 1, 0, 0}},
    {"GetComplianceDocument", {0, 1, 1, 1, 1, 1, 1}},
    {"ListComplianceDocuments", {0, 1, 1, 1, 1, 1, 1}},
    {"UpdateComplianceDocument", {0, 0, 0, 0, 1, 0, 0}},
    {"CreateCapacityReturn", {0, 0, 0, 0, 1, 1, 0}},
    {"ListCapacityReturns", {0, 1, 1, 1, 1, 1, 1}},
    {"ListLateCapacityReturns", {0, 1, 0, 0, 0, 0, 0}},
    {"ListEligibleProviders", {0, 1, 1, 0, 0, 0, 1}},
    {"ListEvents", {0, 0, 0, 0, 0, 0, 1}},
};

TEST(RegistryAccess, Table) {
  const auto* file = v1::CreateOrganisationRequest::descriptor()->file();
  pdps::testing::ExpectAccessTable(RegistryAccessPolicy(),
                                   file->FindServiceByName("RegistryService"), kTable);
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
