// Who may call which registry RPC: the one place this is decided (tested as a table in
// api/access_test.cc). Row-level security and the store then decide which records.
#pragma once

#include "common/auth.h"
#include "pdps/registry/v1/registry.pb.h"

namespace pdps::registry {

const auth::AccessPolicy& RegistryAccessPolicy();

// An organisation as `caller` may see it. The directory (name, kind, reference) is open
// to every signed-in user, but its etag and audit stamps say when and by whom the
// organisation last changed its private provider profile: they are kept for the
// organisation itself and platform operators, and cleared for everyone else.
void ShapeOrganisation(const auth::Principal& caller, pdps::registry::v1::Organisation* org);

}  // namespace pdps::registry
