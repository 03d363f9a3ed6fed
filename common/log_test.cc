// Log levels as the log_level setting names them.
#include "common/log.h"

#include <gtest/gtest.h>

namespace pdps::log {
namespace {

TEST(ParseLevel, TheFourNamesAndWarn) {
  const struct {
    const char* text;
    Level want;
  } cases[] = {
      {"debug", Level::kDebug},  {"info", Level::kInfo},   {"warning", Level::kWarning},
      {"warn", Level::kWarning}, {"error", Level::kError},
  };
  for (const auto& c : cases) {
    Level got = c.want == Level::kDebug ? Level::kError : Level::kDebug;
    EXPECT_TRUE(ParseLevel(c.text, &got)) << c.text;
    EXPECT_EQ(got, c.want) << c.text;
  }
}

TEST(ParseLevel, AnythingElseIsRefusedAndLeavesTheLevel) {
  for (const char* text : {"", "INFO", "Info", " info", "info ", "err", "fatal", "trace", "2"}) {
    Level got = Level::kWarning;
    EXPECT_FALSE(ParseLevel(text, &got)) << '"' << text << '"';
    EXPECT_EQ(got, Level::kWarning) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace pdps::log
