// One way to write an amount of money (common/money.h).
#include "common/money.h"

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace pdps::money {

std::string FormatPounds(int64_t pence) {
  // Unsigned, so that the most negative amount has a magnitude too.
  uint64_t magnitude = pence < 0 ? 0 - static_cast<uint64_t>(pence) : pence;
  std::string whole = std::to_string(magnitude / 100);
  for (size_t i = whole.size(); i > 3; i -= 3) whole.insert(i - 3, ",");
  char fraction[4];
  std::snprintf(fraction, sizeof(fraction), "%02u", static_cast<unsigned>(magnitude % 100));
  return absl::StrCat(pence < 0 ? "-" : "", "£", whole, ".", fraction);
}

}  // namespace pdps::money
