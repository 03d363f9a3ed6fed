// Area codes: the districts or boroughs ("SOUTHWARK", "SOUTH CAMBRIDGESHIRE") in which a
// framework commissions care, providers cover and referrals are raised. Every service
// compares them one way: case-insensitively, with runs of spaces as one.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace pdps::areas {

// Upper case, single spaces, no leading or trailing space: as codes are stored.
std::string Normalise(absl::string_view area);

// Whether the text has a digit: a postcode or street address, never a district code.
// A referral's area is shown to every provider offered it, so it must not be one.
bool LooksLikeAnAddress(absl::string_view area);

}  // namespace pdps::areas
