// Identifiers: random (version 4) UUIDs, and their validation.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace pdps {

// A new random UUID in lower-case canonical form.
std::string NewUuid();
// True for a lower- or upper-case canonical UUID.
bool IsUuid(absl::string_view s);

}  // namespace pdps
