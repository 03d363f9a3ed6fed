#include "common/areas.h"

#include <gtest/gtest.h>

namespace pdps::areas {
namespace {

TEST(Areas, NormalisedUpperCaseWithSingleSpaces) {
  EXPECT_EQ(Normalise("  south   east  london "), "SOUTH EAST LONDON");
  EXPECT_EQ(Normalise("Southwark"), "SOUTHWARK");
  EXPECT_EQ(Normalise("   "), "");
}

TEST(Areas, ADigitMakesItAnAddress) {
  EXPECT_TRUE(LooksLikeAnAddress("SE1 7EU"));
  EXPECT_TRUE(LooksLikeAnAddress("12 High Street"));
  EXPECT_FALSE(LooksLikeAnAddress("SOUTH CAMBRIDGESHIRE"));
  EXPECT_FALSE(LooksLikeAnAddress("KING'S LYNN"));
}

}  // namespace
}  // namespace pdps::areas
