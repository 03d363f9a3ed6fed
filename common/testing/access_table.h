// Test support: a service's access policy held to a table (each service's
// api/access_test.cc). The table lists every RPC the service serves, with one column a
// role; the harness checks the table covers the service and the policy exactly, and that
// each role gets the answer its column says.
#pragma once

#include <google/protobuf/descriptor.h>

#include <array>
#include <string>
#include <vector>

#include "common/auth.h"

namespace pdps::testing {

// The columns, in auth::AllRoles() order: platform operator, commissioner, brokerage
// officer, finance officer, provider admin, provider coordinator, service.
inline constexpr int kAccessColumns = 7;

// An RPC and, a column a role, whether that role alone may call it (1) or gets
// PERMISSION_DENIED (0).
struct AccessRow {
  const char* method;
  std::array<bool, kAccessColumns> allowed;
};

// Holds `policy` to `rows` (gtest expectations, one SCOPED_TRACE a part):
//  - the RPCs of `service` and of the event feed every service serves
//    (pdps.common.v1.EventFeedService: ListEvents), the methods `policy` lists and the
//    methods of `rows` are the same, and no row is there twice;
//  - each role alone gets OK where its column says 1 and PERMISSION_DENIED where it says
//    0; a caller with no role is denied every row, and a method outside the policy is
//    denied even to a caller holding every role;
//  - the .proto source of `service` (protos/<its file> under $PDPS_SOURCE_DIR, which
//    ctest sets) declares exactly its RPCs: a guard against a stale generated
//    descriptor. Without the source this part is left out, with a note on stdout.
void ExpectAccessTable(const auth::AccessPolicy& policy,
                       const google::protobuf::ServiceDescriptor* service,
                       const std::vector<AccessRow>& rows);

}  // namespace pdps::testing
