#include "common/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace pdps::money {
namespace {

TEST(FormatPounds, ThousandsSeparatorsAndTwoDecimals) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "£0.00"},
      {5, "£0.05"},
      {2150, "£21.50"},
      {100000, "£1,000.00"},
      {500000000, "£5,000,000.00"},
      {499999999, "£4,999,999.99"},
      {-1500000, "-£15,000.00"},
      {1000000000, "£10,000,000.00"},
      {48000000, "£480,000.00"},
      {99999, "£999.99"},
      {-5, "-£0.05"},
      {-12345678, "-£123,456.78"},
      {std::numeric_limits<int64_t>::min(), "-£92,233,720,368,547,758.08"},
  };
  for (const auto& [pence, text] : cases) EXPECT_EQ(FormatPounds(pence), text) << pence;
}

}  // namespace
}  // namespace pdps::money
