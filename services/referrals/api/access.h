// Who may call which referrals RPC: the one place this is decided (tested as a table in
// api/access_test.cc). Row-level security and the store then decide which records.
#pragma once

#include "common/auth.h"

namespace pdps::referrals {

const auth::AccessPolicy& ReferralsAccessPolicy();

}  // namespace pdps::referrals
