// Test support: a service's access policy held to a table.
#include "common/testing/access_table.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "pdps/common/v1/events.pb.h"

namespace pdps::testing {
namespace {

std::set<std::string> RpcsOf(const google::protobuf::ServiceDescriptor* service) {
  std::set<std::string> out;
  for (int i = 0; i < service->method_count(); ++i) out.insert(service->method(i)->name());
  return out;
}

// The names of `a` that `b` lacks, comma-separated.
std::string Missing(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  for (const auto& name : a) {
    if (b.count(name) == 0) out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

void ExpectEveryRpcHasAPolicyAndARow(const auth::AccessPolicy& policy,
                                     const google::protobuf::ServiceDescriptor* service,
                                     const std::vector<AccessRow>& rows) {
  const auto* feed = pdps::common::v1::ListEventsRequest::descriptor()->file()->FindServiceByName(
      "EventFeedService");
  ASSERT_NE(feed, nullptr);
  std::set<std::string> rpcs = RpcsOf(service);
  for (const auto& name : RpcsOf(feed)) {
    EXPECT_TRUE(rpcs.insert(name).second) << service->name() << " also declares " << name;
  }
  std::set<std::string> table;
  for (const AccessRow& row : rows) {
    EXPECT_TRUE(table.insert(row.method).second) << "two rows for " << row.method;
  }
  EXPECT_EQ(Missing(rpcs, table), "") << "RPCs of " << service->name() << " with no row";
  EXPECT_EQ(Missing(table, rpcs), "") << "rows for no RPC of " << service->name();
  const std::vector<std::string> methods = policy.Methods();
  const std::set<std::string> listed(methods.begin(), methods.end());
  EXPECT_EQ(Missing(rpcs, listed), "") << "RPCs of " << service->name() << " with no policy";
  EXPECT_EQ(Missing(listed, rpcs), "") << "policies for no RPC of " << service->name();
}

void ExpectRowsAnswered(const auth::AccessPolicy& policy, const std::vector<AccessRow>& rows) {
  const std::vector<auth::Role> columns = auth::AllRoles();
  ASSERT_EQ(columns.size(), static_cast<size_t>(kAccessColumns));
  const auth::Principal nobody{"u", "o", {}};
  const auth::Principal everyone{"u", "o", {columns.begin(), columns.end()}};
  for (const AccessRow& row : rows) {
    for (int i = 0; i < kAccessColumns; ++i) {
      const auth::Principal p{"u", "o", {columns[i]}};
      const absl::Status st = policy.Check(row.method, p);
      EXPECT_EQ(st.ok(), row.allowed[i]) << row.method << " as " << auth::RoleName(columns[i]);
      if (!st.ok()) {
        EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << row.method;
      }
    }
    EXPECT_EQ(policy.Check(row.method, nobody).code(), absl::StatusCode::kPermissionDenied)
        << row.method << " with no role";
  }
  EXPECT_FALSE(policy.Knows("NoSuchMethod"));
  EXPECT_EQ(policy.Check("NoSuchMethod", everyone).code(), absl::StatusCode::kPermissionDenied);
}

void ExpectProtoSourceDeclares(const google::protobuf::ServiceDescriptor* service) {
  const std::string proto_path = "protos/" + service->file()->name();
  const char* root = std::getenv("PDPS_SOURCE_DIR");
  std::ifstream in;
  if (root != nullptr && *root != '\0') in.open(std::string(root) + "/" + proto_path);
  if (!in.is_open()) {
    std::cout << "note: no " << proto_path << " under $PDPS_SOURCE_DIR; not compared\n";
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string body = text.str();
  std::set<std::string> declared;
  const std::regex rpc(R"(\brpc\s+([A-Za-z0-9_]+)\s*\()");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), rpc); it != std::sregex_iterator();
       ++it) {
    declared.insert((*it)[1].str());
  }
  EXPECT_EQ(declared, RpcsOf(service)) << proto_path;
}

}  // namespace

void ExpectAccessTable(const auth::AccessPolicy& policy,
                       const google::protobuf::ServiceDescriptor* service,
                       const std::vector<AccessRow>& rows) {
  ASSERT_NE(service, nullptr);
  {
    SCOPED_TRACE("every RPC has a policy and a row");
    ExpectEveryRpcHasAPolicyAndARow(policy, service, rows);
  }
  {
    SCOPED_TRACE("each role gets its column's answer");
    ExpectRowsAnswered(policy, rows);
  }
  SCOPED_TRACE("the .proto source declares the RPCs");
  ExpectProtoSourceDeclares(service);
}

}  // namespace pdps::testing
