// Page tokens round-trip and refuse misuse.
#include "common/paging.h"

#include <gtest/gtest.h>

namespace pdps::paging {
namespace {

TEST(Paging, DefaultsAndCaps) {
  EXPECT_EQ(Parse(0, "", "f")->size, 50);
  EXPECT_EQ(Parse(10000, "", "f")->size, 500);
  EXPECT_EQ(Parse(-1, "", "f").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Paging, TokenRoundTripsWithTheSameFilter) {
  Page p = *Parse(2, "", "lot=1");
  EXPECT_EQ(p.limit(), 3);
  EXPECT_EQ(p.take(3), 2);
  std::string next = Next(3, p, "key-2", "lot=1");
  ASSERT_FALSE(next.empty());
  EXPECT_EQ(Parse(2, next, "lot=1")->after, "key-2");
  EXPECT_EQ(Parse(2, next, "lot=2").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse(2, "%%%garbage", "lot=1").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Paging, ShortPageEndsTheList) { EXPECT_EQ(Next(1, *Parse(2, "", ""), "k", ""), ""); }

// AIP-158: a page that ends exactly at the end of the list carries no token.
TEST(Paging, FullLastPageEndsTheList) {
  Page p = *Parse(2, "", "");
  EXPECT_EQ(p.take(2), 2);
  EXPECT_EQ(Next(2, p, "k", ""), "");
}

}  // namespace
}  // namespace pdps::paging
