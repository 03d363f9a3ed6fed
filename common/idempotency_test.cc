// Fingerprint and Canonical: what idempotency.h promises of them (the Ledger, which needs
// a database, is tested through each service's creates).
#include "common/idempotency.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <gtest/gtest.h>

#include <string>

namespace pdps::idempotency {
namespace {

TEST(Fingerprint, HexSha256OfLengthPrefixedParts) {
  const std::string f = Fingerprint({"ab", "c"});
  ASSERT_EQ(f.size(), 64u);
  for (char c : f) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << f;
  EXPECT_EQ(Fingerprint({"ab", "c"}), f);
  // Length-prefixing: moving a boundary changes the digest.
  EXPECT_NE(Fingerprint({"a", "bc"}), f);
  EXPECT_NE(Fingerprint({"abc"}), f);
  EXPECT_NE(Fingerprint({"", "abc"}), Fingerprint({"abc", ""}));
  EXPECT_NE(Fingerprint({"abc"}), Fingerprint({"abc", ""}));
}

TEST(Fingerprint, OfAMessageIsOfItsCanonicalBytes) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(1796230276);
  ts.set_nanos(119056000);
  EXPECT_EQ(Fingerprint(ts), Fingerprint({Canonical(ts)}));
  google::protobuf::Timestamp other = ts;
  other.set_nanos(0);
  EXPECT_NE(Fingerprint(other), Fingerprint(ts));
}

TEST(Canonical, EqualMessagesGiveEqualBytes) {
  // A map is where serialization order could differ: insert in opposite orders.
  google::protobuf::Struct a, b;
  for (const char* k : {"alpha", "bravo", "charlie", "delta", "echo"}) {
    (*a.mutable_fields())[k].set_string_value(k);
  }
  for (const char* k : {"echo", "delta", "charlie", "bravo", "alpha"}) {
    (*b.mutable_fields())[k].set_string_value(k);
  }
  EXPECT_EQ(Canonical(a), Canonical(b));
  EXPECT_EQ(Fingerprint(a), Fingerprint(b));
}

}  // namespace
}  // namespace pdps::idempotency
