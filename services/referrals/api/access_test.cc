// The referrals access policy as a table: every RPC of the service is listed, and each
// role gets exactly the answer below.
#include "services/referrals/api/access.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/testing/access_table.h"
#include "pdps/referrals/v1/referrals_service.grpc.pb.h"

namespace pdps::referrals {
namespace {

using R = auth::Role;
using ::pdps::testing::AccessRow;

// Columns: operator, commissioner, brokerage, finance, provider admin, coordinator, service.
const std::vector<AccessRow> kTable = {
    {"CreateReferral", {0, 1, 1, 0, 0, 0, 0}},
    {"GetReferral", {0, 1, 1, 0, 1, 1, 0}},
    {"ListReferrals", {0, 1, 1, 0, 1, 1, 0}},
    {"UpdateReferral", {0, 1, 1, 0, 0, 0, 0}},
    {"OpenReferral", {0, 1, 1, 0, 0, 0, 0}},
    {"ReopenReferral", {0, 1, 1, 0, 0, 0, 0}},
    {"AwardReferral", {0, 1, 1, 0, 0, 0, 0}},
    {"WithdrawReferral", {0, 1, 1, 0, 0, 0, 0}},
    {"GetPersonDetails", {0, 1, 1, 0, 1, 1, 0}},  // the store limits providers to awards
    {"UpdatePersonDetails", {0, 1, 1, 0, 0, 0, 0}},
    {"ListPersonDetailsAccess", {0, 1, 1, 0, 0, 0, 0}},
    {"GetOffer", {0, 1, 1, 0, 1, 1, 0}},
    {"ListOffers", {0, 1, 1, 0, 1, 1, 0}},
    {"AcceptOffer", {0, 0, 0, 0, 1, 1, 0}},
    {"DeclineOffer", {0, 0, 0, 0, 1, 1, 0}},
    {"SubmitProposal", {0, 0, 0, 0, 1, 1, 0}},
    {"SubmitBid", {0, 0, 0, 0, 1, 1, 0}},
    {"ReviewProposal", {0, 1, 1, 0, 0, 0, 0}},
    {"EvaluateBid", {0, 1, 1, 0, 0, 0, 0}},
    {"GetBrokerageReturn", {0, 1, 1, 0, 1, 1, 0}},  // a provider its own (brokerage_return.cc)
    {"ListEvents", {0, 0, 0, 0, 0, 0, 1}},
};

TEST(ReferralsAccess, Table) {
  const auto* file = v1::CreateReferralRequest::descriptor()->file();
  pdps::testing::ExpectAccessTable(ReferralsAccessPolicy(),
                                   file->FindServiceByName("ReferralsService"), kTable);
}

TEST(ReferralsAccess, ProvidersAndOfficersKeepToTheirOwnVerbs) {
  const std::set<std::string> provider_only = {"AcceptOffer", "DeclineOffer", "SubmitProposal",
                                               "SubmitBid"};
  const std::set<std::string> officer_only = {
      "CreateReferral", "UpdateReferral", "OpenReferral",
      "ReopenReferral", "AwardReferral",  "WithdrawReferral",
      "ReviewProposal", "EvaluateBid",    "ListPersonDetailsAccess",
      "UpdatePersonDetails"};
  for (R provider : {R::kProviderAdmin, R::kProviderCoordinator}) {
    auth::Principal p{"u", "o", {provider}};
    for (const auto& m : officer_only) {
      EXPECT_FALSE(ReferralsAccessPolicy().Check(m, p).ok())
          << m << " as " << auth::RoleName(provider);
    }
    for (const auto& m : provider_only) {
      EXPECT_TRUE(ReferralsAccessPolicy().Check(m, p).ok())
          << m << " as " << auth::RoleName(provider);
    }
  }
  for (R officer : {R::kBrokerageOfficer, R::kCommissioner}) {
    auth::Principal p{"u", "o", {officer}};
    for (const auto& m : provider_only) {
      EXPECT_FALSE(ReferralsAccessPolicy().Check(m, p).ok())
          << m << " as " << auth::RoleName(officer);
    }
    for (const auto& m : officer_only) {
      EXPECT_TRUE(ReferralsAccessPolicy().Check(m, p).ok())
          << m << " as " << auth::RoleName(officer);
    }
  }
}

TEST(ReferralsAccess, ListEventsIsForServicesOnly) {
  for (R role : auth::AllRoles()) {
    auth::Principal p{"u", "o", {role}};
    EXPECT_EQ(ReferralsAccessPolicy().Check("ListEvents", p).ok(), role == R::kService)
        << auth::RoleName(role);
  }
  // A service identity calls nothing else.
  auth::Principal svc{"registry", "", {R::kService}};
  for (const AccessRow& row : kTable) {
    if (std::string(row.method) == "ListEvents") continue;
    EXPECT_FALSE(ReferralsAccessPolicy().Check(row.method, svc).ok()) << row.method;
  }
}

}  // namespace
}  // namespace pdps::referrals
