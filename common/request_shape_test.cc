// The limits every request keeps, checked on the common protos.
#include "common/request_shape.h"

#include <google/protobuf/type.pb.h>
#include <gtest/gtest.h>

#include "common/status.h"
#include "pdps/common/v1/common.pb.h"
#include "pdps/common/v1/events.pb.h"

namespace pdps::shape {
namespace {

std::vector<std::string> FieldsOf(const absl::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(st)) out.push_back(v.field);
  return out;
}

TEST(RequestShape, AnOrdinaryRequestPasses) {
  pdps::common::v1::ListEventsRequest req;
  req.set_page_size(10);
  req.add_event_types("ReferralOpened");
  EXPECT_TRUE(Check(req).ok());
}

TEST(RequestShape, ANulCharacterIsNamedByItsPath) {
  pdps::common::v1::ListEventsResponse resp;  // nested and repeated messages
  resp.add_events()->set_event_type("OfferMade");
  resp.add_events()->set_organisation_id(std::string("ab\0c", 4));
  absl::Status st = Check(resp);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"events[1].organisation_id"});
  // The message names it too, for a client that shows only the message.
  EXPECT_EQ(st.message().substr(0, 25), "events[1].organisation_id");
}

TEST(RequestShape, TextUpToTheLimitPassesAndOneByteMoreDoesNot) {
  pdps::common::v1::Date d;
  d.set_value(std::string(kMaxTextBytes, 'a'));
  EXPECT_TRUE(Check(d).ok());
  d.set_value(std::string(kMaxTextBytes + 1, 'a'));
  EXPECT_EQ(FieldsOf(Check(d)), std::vector<std::string>{"value"});
}

TEST(RequestShape, AListUpToTheLimitPassesAndOneItemMoreDoesNot) {
  pdps::common::v1::ListEventsRequest req;
  for (int i = 0; i < kMaxItems; ++i) req.add_event_types("x");
  EXPECT_TRUE(Check(req).ok());
  req.add_event_types(std::string("\0", 1));  // not looked at: the list is too long
  absl::Status st = Check(req);
  ASSERT_EQ(FieldViolationsOf(st).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(st)[0].field, "event_types");
  EXPECT_EQ(FieldViolationsOf(st)[0].description, "must have at most 1000 items (has 1001)");
}

TEST(RequestShape, MoneyBeyondATrillionPoundsEitherWayIsRefused) {
  pdps::common::v1::Money m;
  for (int64_t p : {kMaxPence, -kMaxPence, int64_t{0}}) {
    m.set_pence(p);
    EXPECT_TRUE(Check(m).ok()) << p;
  }
  for (int64_t p : {kMaxPence + 1, -kMaxPence - 1, INT64_MIN}) {
    m.set_pence(p);
    EXPECT_EQ(FieldsOf(Check(m)), std::vector<std::string>{"pence"}) << p;
  }
}

// Proto3 keeps an enum number it does not define; it is a violation wherever it appears,
// list filters included, naming the values there are.
TEST(RequestShape, AnEnumNumberTheProtoDoesNotDefineIsRefused) {
  google::protobuf::Field f;
  f.set_kind(google::protobuf::Field::TYPE_STRING);
  EXPECT_TRUE(Check(f).ok());
  f.set_kind(static_cast<google::protobuf::Field::Kind>(99));
  absl::Status st = Check(f);
  ASSERT_EQ(FieldViolationsOf(st).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(st)[0].field, "kind");
  EXPECT_EQ(FieldViolationsOf(st)[0].description.substr(0, 47),
            "99 is not one of Kind's values: TYPE_DOUBLE, TY");
  google::protobuf::Type t;
  t.add_fields()->set_cardinality(static_cast<google::protobuf::Field::Cardinality>(7));
  EXPECT_EQ(FieldsOf(Check(t)), std::vector<std::string>{"fields[0].cardinality"});
}

TEST(RequestShape, EveryViolationIsListed) {
  pdps::common::v1::ListEventsRequest req;
  req.add_event_types(std::string("\0", 1));
  req.add_event_types("ok");
  req.add_event_types(std::string(kMaxTextBytes + 1, 'a'));
  EXPECT_EQ(FieldsOf(Check(req)), (std::vector<std::string>{"event_types[0]", "event_types[2]"}));
}

TEST(RequestShape, AMalformedRequestIdIsListedWithTheOtherViolations) {
  const absl::Status bad_id = InvalidField("request_id", "must be a UUID");
  Violations body;
  body.Add("capacity_return.month", "must be a month YYYY-MM");
  body.Add("capacity_return.framework_id", "must be a UUID");
  EXPECT_EQ(FieldsOf(WithRequestId(body.ToStatus(), bad_id)),
            (std::vector<std::string>{"capacity_return.month", "capacity_return.framework_id",
                                      "request_id"}));
  // Named once, when the answer already names it (the store's own check).
  EXPECT_EQ(FieldsOf(WithRequestId(bad_id, bad_id)), (std::vector<std::string>{"request_id"}));
  // Any other answer gives way: nothing runs with a malformed key.
  EXPECT_EQ(FieldsOf(WithRequestId(absl::NotFoundError("no such lot"), bad_id)),
            (std::vector<std::string>{"request_id"}));
  EXPECT_EQ(FieldsOf(WithRequestId(absl::OkStatus(), bad_id)),
            (std::vector<std::string>{"request_id"}));
  // A well-formed key changes nothing.
  EXPECT_EQ(WithRequestId(absl::NotFoundError("no such lot"), absl::OkStatus()).code(),
            absl::StatusCode::kNotFound);
}

TEST(RequestShape, ARequestWithoutARequestIdFieldHasNoneToCheck) {
  pdps::common::v1::ListEventsRequest req;
  EXPECT_TRUE(CheckRequestId(req).ok());
}

}  // namespace
}  // namespace pdps::shape
