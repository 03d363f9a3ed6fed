// Identifiers: random (version 4) UUIDs, and their validation.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace pdps {

// A new random UUID in lower-case canonical form.
std::string NewUuid();
// A UUID derived from a name (version-5 style over SHA-256): the same name always gives
// the same id, e.g. a service's user id or a demo loader's request ids.
std::string NameUuid(absl::string_view name);
// Lower-case hex SHA-256 of `data` (migration checksums, request fingerprints).
std::string Sha256Hex(absl::string_view data);
// True for a lower- or upper-case canonical UUID.
bool IsUuid(absl::string_view s);
// A competency code, the one form every service uses (lots' base sets, training
// matrices and records, packages' extra competencies): lower_snake_case, starting with
// a letter, at most 64 characters, e.g. "safeguarding_level_2".
bool IsCompetencyCode(absl::string_view s);
// The most competencies a lot's base set (and a version of its training matrix) may
// hold, and the most extra ones one package (a referral, a gate check) may ask for.
inline constexpr int kMaxLotCompetencies = 200;
inline constexpr int kMaxExtraCompetencies = 100;

}  // namespace pdps
