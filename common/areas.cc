#include "common/areas.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace pdps::areas {

std::string Normalise(absl::string_view area) {
  std::vector<absl::string_view> words =
      absl::StrSplit(absl::StripAsciiWhitespace(area), ' ', absl::SkipEmpty());
  return absl::AsciiStrToUpper(absl::StrJoin(words, " "));
}

bool LooksLikeAnAddress(absl::string_view area) {
  for (char ch : area) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(ch))) return true;
  }
  return false;
}

}  // namespace pdps::areas
