// Identifiers: what IsUuid and IsCompetencyCode accept, and NewUuid's form.
#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace pdps {
namespace {

TEST(IsUuid, CanonicalFormInEitherCase) {
  const std::pair<const char*, bool> cases[] = {
      {"123e4567-e89b-42d3-a456-426614174000", true},
      {"123E4567-E89B-42D3-A456-426614174000", true},
      {"123e4567-E89B-42d3-A456-426614174000", true},  // mixed case
      {"00000000-0000-0000-0000-000000000000", true},
      {"ffffffff-ffff-ffff-ffff-ffffffffffff", true},
      // A hyphen one place early or late, or a hex digit where a hyphen belongs.
      {"123e456-7e89b-42d3-a456-426614174000", false},
      {"123e4567e-89b-42d3-a456-426614174000", false},
      {"123e4567-e89b-42d3a-456-426614174000", false},
      {"123e4567-e89b-42d3-a4564-26614174000", false},
      {"123e4567xe89b-42d3-a456-426614174000", false},
      // 35 and 37 characters, and other lengths.
      {"123e4567-e89b-42d3-a456-42661417400", false},
      {"123e4567-e89b-42d3-a456-4266141740000", false},
      {"{123e4567-e89b-42d3-a456-426614174000", false},
      {"123e4567e89b42d3a456426614174000", false},  // no hyphens
      // Not hex.
      {"123e4567-e89b-42d3-a456-42661417400g", false},
      {"g23e4567-e89b-42d3-a456-426614174000", false},
      {"123e4567-e89b-42d3-a456-42661417400G", false},
      {"123e4567-e89b-42d3-a456-4266141740 0", false},
      {"123e4567-e89b-42d3-a456-426614174-00", false},
      {"", false},
  };
  for (const auto& [s, want] : cases) EXPECT_EQ(IsUuid(s), want) << '"' << s << '"';
}

TEST(IsCompetencyCode, LowerSnakeCaseStartingWithALetterAtMost64) {
  const std::string a64(64, 'a');
  const std::pair<std::string, bool> cases[] = {
      {"safeguarding_level_2", true},
      {"a", true},
      {"z9", true},
      {"first_aid_", true},
      {"a__b", true},
      {a64, true},
      {a64 + "a", false},
      {"", false},
      {"Safeguarding", false},
      {"safeguarding_Level_2", false},
      {"2_safeguarding", false},
      {"_safeguarding", false},
      {"first-aid", false},
      {"first aid", false},
      {"first.aid", false},
      {"caf\xc3\xa9", false},
  };
  for (const auto& [s, want] : cases) EXPECT_EQ(IsCompetencyCode(s), want) << '"' << s << '"';
}

TEST(NewUuid, DistinctLowerCaseVersion4Ids) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewUuid();
    ASSERT_TRUE(IsUuid(id)) << id;
    for (char c : id) EXPECT_FALSE(c >= 'A' && c <= 'Z') << id;
    // The version nibble, and the RFC 4122 variant's two high bits (10xx).
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_TRUE(seen.insert(id).second) << "repeated " << id;
  }
}

}  // namespace
}  // namespace pdps
