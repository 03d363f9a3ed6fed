// SetTimestamp's microseconds, JoinKey/SplitKey's keyset paging keys, and enums read by name.
#include "common/proto_util.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "absl/time/time.h"
#include "google/protobuf/type.pb.h"

namespace pdps::protoutil {
namespace {

// An enum stored by name reads back as its value; an empty (NULL) column and a name the
// enum does not have both read as the zero value.
TEST(EnumFromName, ReadsKnownNamesAndTheZeroValueOtherwise) {
  using Kind = google::protobuf::Field::Kind;
  EXPECT_EQ(EnumFromName<Kind>("TYPE_STRING"), google::protobuf::Field::TYPE_STRING);
  EXPECT_EQ(EnumFromName<Kind>("TYPE_DOUBLE"), google::protobuf::Field::TYPE_DOUBLE);
  EXPECT_EQ(EnumFromName<Kind>(""), google::protobuf::Field::TYPE_UNKNOWN);
  EXPECT_EQ(EnumFromName<Kind>("TYPE_STRINGS"), google::protobuf::Field::TYPE_UNKNOWN);
  EXPECT_EQ(EnumFromName<Kind>("type_string"), google::protobuf::Field::TYPE_UNKNOWN);
}

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

TEST(JoinKey, SplitKeyGivesBackBothParts) {
  const std::pair<std::string, std::string> cases[] = {
      {"2026-12-02", "123e4567-e89b-42d3-a456-426614174000"},
      {"Smith", ""},
      {"", "123e4567-e89b-42d3-a456-426614174000"},
      {"", ""},
      {"with spaces, and: punctuation", "é"},
  };
  for (const auto& [a, b] : cases) {
    const std::string key = JoinKey(a, b);
    EXPECT_EQ(SplitKey(key), std::make_pair(a, b)) << '"' << a << "\", \"" << b << '"';
  }
}

TEST(JoinKey, PartsAreJoinedByTheUnitSeparator) {
  EXPECT_EQ(JoinKey("a", "b"), std::string("a\x1f") + "b");
  EXPECT_EQ(JoinKey("a", ""), "a\x1f");
}

}  // namespace
}  // namespace pdps::protoutil
