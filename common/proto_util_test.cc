// Conversions between protos and the database's values.
#include "common/proto_util.h"

#include <gtest/gtest.h>

#include "absl/time/time.h"

namespace pdps::protoutil {
namespace {

TEST(SetTimestamp, KeepsTheDatabasesMicrosecondsSoEventsAndReadsAgree) {
  // 2026-12-02T16:51:16.119056908Z: PostgreSQL keeps .119056.
  absl::Time t = absl::FromUnixSeconds(1796230276) + absl::Nanoseconds(119056908);
  google::protobuf::Timestamp ts;
  SetTimestamp(t, &ts);
  EXPECT_EQ(ts.seconds(), 1796230276);
  EXPECT_EQ(ts.nanos(), 119056000);
  EXPECT_EQ(FromTimestamp(ts), absl::FromUnixMicros(1796230276119056));
  // Before 1970 too, rounded down as the database's text form is.
  SetTimestamp(absl::FromUnixNanos(-1500), &ts);
  EXPECT_EQ(ts.seconds(), -1);
  EXPECT_EQ(ts.nanos(), 999998000);
}

}  // namespace
}  // namespace pdps::protoutil
