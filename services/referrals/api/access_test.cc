// The referrals access policy as a table: every RPC of the service is listed, and each
// role gets exactly the answer below.
#include "services/referrals/api/access.h"

#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "pdps/referrals/v1/referrals_service.grpc.pb.h"

namespace pdps::referrals {
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

const google::protobuf::ServiceDescriptor* Service() {
  return v1::CreateReferralRequest::descriptor()->file()->FindServiceByName("ReferralsService");
}

std::set<std::string> TableMethods() {
  std::set<std::string> out;
  for (const Row& row : kTable) out.insert(row.method);
  return out;
}

TEST(ReferralsAccess, EveryRpcHasAPolicyAndARow) {
  const auto* svc = Service();
  ASSERT_NE(svc, nullptr);
  std::set<std::string> rpcs;
  for (int i = 0; i < svc->method_count(); ++i) {
    const std::string& name = svc->method(i)->name();
    rpcs.insert(name);
    EXPECT_TRUE(ReferralsAccessPolicy().Knows(name)) << name;
  }
  EXPECT_TRUE(ReferralsAccessPolicy().Knows("ListEvents"));
  EXPECT_FALSE(ReferralsAccessPolicy().Knows("DeleteReferral"));
  // The table below covers the service exactly (plus the outbox's ListEvents).
  rpcs.insert("ListEvents");
  EXPECT_EQ(TableMethods(), rpcs);
}

// The .proto source agrees: a guard against a stale generated descriptor.
TEST(ReferralsAccess, ProtoFileRpcsAreKnown) {
  std::string root;
  if (const char* env = std::getenv("PDPS_SOURCE_DIR"); env != nullptr && *env != '\0') {
    root = env;
  } else {
    std::string here = __FILE__;
    const std::string suffix = "services/referrals/api/access_test.cc";
    if (here.size() >= suffix.size() &&
        here.compare(here.size() - suffix.size(), suffix.size(), suffix) == 0) {
      root = here.substr(0, here.size() - suffix.size());
    }
  }
  if (root.empty()) GTEST_SKIP() << "PDPS_SOURCE_DIR is not set";
  std::ifstream in(root + "/protos/pdps/referrals/v1/referrals_service.proto");
  if (!in) GTEST_SKIP() << "no proto source under " << root;
  std::stringstream text;
  text << in.rdbuf();
  const std::string body = text.str();
  std::set<std::string> rpcs;
  const std::regex rpc(R"(\brpc\s+([A-Za-z0-9_]+)\s*\()");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), rpc); it != std::sregex_iterator();
       ++it) {
    rpcs.insert((*it)[1].str());
  }
  EXPECT_EQ(rpcs.size(), static_cast<size_t>(Service()->method_count()));
  for (const auto& name : rpcs) {
    EXPECT_TRUE(ReferralsAccessPolicy().Knows(name)) << name;
    EXPECT_EQ(TableMethods().count(name), 1u) << name;
  }
}

TEST(ReferralsAccess, Table) {
  for (const Row& row : kTable) {
    for (int i = 0; i < kRoles; ++i) {
      auth::Principal p{"u", "o", {kRoleColumns[i]}};
      absl::Status st = ReferralsAccessPolicy().Check(row.method, p);
      EXPECT_EQ(st.ok(), row.allowed[i]) << row.method << " as " << auth::RoleName(kRoleColumns[i]);
      if (!st.ok()) {
        EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << row.method;
      }
    }
  }
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
  for (const Row& row : kTable) {
    if (std::string(row.method) == "ListEvents") continue;
    EXPECT_FALSE(ReferralsAccessPolicy().Check(row.method, svc).ok()) << row.method;
  }
}

TEST(ReferralsAccess, NoRolesAndUnknownMethodsAreDenied) {
  auth::Principal nobody{"u", "o", {}};
  for (const Row& row : kTable) {
    EXPECT_FALSE(ReferralsAccessPolicy().Check(row.method, nobody).ok()) << row.method;
  }
  auth::Principal everyone{"u", "o", {}};
  for (R role : auth::AllRoles()) everyone.roles.insert(role);
  EXPECT_FALSE(ReferralsAccessPolicy().Check("DeleteReferral", everyone).ok());
}

}  // namespace
}  // namespace pdps::referrals
