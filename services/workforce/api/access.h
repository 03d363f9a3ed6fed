// Who may call which workforce RPC: the one place this is decided (tested as a table in
// api/access_test.cc). Row-level security and the store then decide which records.
#pragma once

#include "common/auth.h"

namespace pdps::workforce {

const auth::AccessPolicy& WorkforceAccessPolicy();

}  // namespace pdps::workforce
