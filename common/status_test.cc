// Errors carry field violations to the client as google.rpc.BadRequest.
#include "common/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/dates.h"
#include "common/server.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pdps {
namespace {

TEST(Status, ViolationsBecomeBadRequestDetails) {
  Violations v;
  v.Add("lot.code", "is required");
  v.Add("lot.max_age", "must be at least min_age");
  grpc::Status g = server::ToGrpc(v.ToStatus(), "req-1");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  google::rpc::BadRequest bad;
  bool found = false;
  for (const auto& any : details.details()) {
    if (any.UnpackTo(&bad)) found = true;
  }
  ASSERT_TRUE(found);
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "lot.code");
  // The message alone names the first field, for clients that log only the message.
  EXPECT_EQ(g.error_message(), "lot.code: is required (and 1 more invalid field)");
}

TEST(Status, TheMessageNamesTheOnlyViolationOrTheFirstAndHowManyMore) {
  Violations one;
  one.Add("referral.area", "is required");
  EXPECT_EQ(one.ToStatus().message(), "referral.area: is required");
  Violations three;
  three.Add("a", "is required");
  three.Add("b", "is required");
  three.Add("c", "is required");
  EXPECT_EQ(three.ToStatus().message(), "a: is required (and 2 more invalid fields)");
  Violations fieldless;
  fieldless.Add("", "the lot is closed");
  EXPECT_EQ(fieldless.ToStatus().message(), "the lot is closed");
  EXPECT_EQ(three.ToStatus("a message of the caller's own").message(),
            "a message of the caller's own");
}

TEST(Status, OneUnmetRuleIsOneViolationDescribedByTheMessage) {
  absl::Status st = FailedPrecondition("cannot suspend an admission that is APPLIED",
                                       "ADMISSION_STATE", "admission/a1");
  EXPECT_TRUE(absl::IsFailedPrecondition(st));
  EXPECT_EQ(st.message(), "cannot suspend an admission that is APPLIED");
  std::vector<PreconditionViolation> got = PreconditionViolationsOf(st);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].type, "ADMISSION_STATE");
  EXPECT_EQ(got[0].subject, "admission/a1");
  EXPECT_EQ(got[0].description, "cannot suspend an admission that is APPLIED");
  EXPECT_FALSE(LacksPreconditionReason(st));
}

TEST(Status, OnlyAFailedPreconditionWithoutAViolationLacksAReason) {
  EXPECT_TRUE(LacksPreconditionReason(absl::FailedPreconditionError("the lot is closed")));
  EXPECT_FALSE(LacksPreconditionReason(absl::OkStatus()));
  EXPECT_FALSE(LacksPreconditionReason(absl::InvalidArgumentError("the lot is closed")));
  EXPECT_FALSE(LacksPreconditionReason(
      FailedPrecondition("not eligible", {{"DBS_EXPIRED", "staff_member/s1", "expired"}})));
}

TEST(Status, PreconditionsAndTheExistingResourceReachTheClient) {
  grpc::Status g = server::ToGrpc(
      FailedPrecondition("the worker is not eligible",
                         {{"DBS_EXPIRED", "staff_member/s1", "DBS_EXPIRED (2026-11-30)"},
                          {"COMPETENCY_MISSING", "first_aid", "COMPETENCY_MISSING first_aid"}}),
      "req-2");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(g.error_message(), "the worker is not eligible");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  google::rpc::PreconditionFailure failure;
  google::rpc::RequestInfo info;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::PreconditionFailure>()) {
      ASSERT_TRUE(any.UnpackTo(&failure));
    }
    if (any.Is<google::rpc::RequestInfo>()) {
      ASSERT_TRUE(any.UnpackTo(&info));
    }
  }
  ASSERT_EQ(failure.violations_size(), 2);
  EXPECT_EQ(failure.violations(0).type(), "DBS_EXPIRED");
  EXPECT_EQ(failure.violations(0).subject(), "staff_member/s1");
  EXPECT_EQ(failure.violations(1).description(), "COMPETENCY_MISSING first_aid");
  EXPECT_EQ(info.request_id(), "req-2");

  g = server::ToGrpc(AlreadyExists("already named", "pdps.workforce.v1.PackageAssignment", "a1"),
                     "req-3");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  ASSERT_TRUE(details.ParseFromString(g.error_details()));
  google::rpc::ResourceInfo resource;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::ResourceInfo>()) {
      ASSERT_TRUE(any.UnpackTo(&resource));
    }
  }
  EXPECT_EQ(resource.resource_type(), "pdps.workforce.v1.PackageAssignment");
  EXPECT_EQ(resource.resource_name(), "a1");
}

TEST(Status, MergedValidatorsReportEveryViolationOnce) {
  Violations v;
  v.Merge(absl::OkStatus());
  EXPECT_TRUE(v.empty());
  Violations person;
  person.Add("person.full_name", "is required");
  person.Add("person.postcode", "is required");
  v.Merge(person.ToStatus());
  v.Merge(InvalidField("referral.area", "is required"));
  ASSERT_EQ(v.list().size(), 3u);
  EXPECT_EQ(v.list()[1].field, "person.postcode");
  EXPECT_EQ(v.list()[2].field, "referral.area");
  // An answer without violations still counts: its message becomes one.
  v.Merge(absl::InvalidArgumentError("the lot is closed"));
  ASSERT_EQ(v.list().size(), 4u);
  EXPECT_EQ(v.list()[3].description, "the lot is closed");
  EXPECT_EQ(v.ToStatus().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Status, RequiredTextIsMoreThanWhiteSpace) {
  Violations v;
  v.Text("a", "  \t\n", 10);
  v.Text("b", "", 10, /*required=*/false);
  v.Text("c", "eleven char", 10, false);
  v.Text("d", " ok ", 10);
  ASSERT_EQ(v.list().size(), 2u);
  EXPECT_EQ(v.list()[0].field, "a");
  EXPECT_EQ(v.list()[0].description, "is required");
  EXPECT_EQ(v.list()[1].field, "c");
  EXPECT_TRUE(IsBlank(" \r\n"));
  EXPECT_FALSE(IsBlank(" x "));
}

// "At most N characters" counts characters, as PostgreSQL's length() does, not bytes:
// an accented or non-Latin name is not held to half or a third of the limit.
TEST(Status, TextLimitsCountCharactersNotBytes) {
  std::string accented;
  for (int i = 0; i < 10; ++i) accented += "\u00e9";  // é, two bytes
  EXPECT_EQ(Characters(accented), 10u);
  EXPECT_EQ(Characters("\u6c49\u5b57"), 2u);  // three bytes each
  EXPECT_EQ(Characters(""), 0u);
  Violations v;
  v.Text("name", accented, 10);
  EXPECT_TRUE(v.empty());
  v.Text("name", accented + "e", 10);
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].description, "must be at most 10 characters");
}

// One wording everywhere: a field left empty "is required"; one holding something that
// is not the kind of value asked for "must be" that kind (never "is required: a UUID").
TEST(Status, MissingIsRequiredAndMalformedMustBe) {
  Violations v;
  v.Id("a", "");
  v.Id("b", "x");
  v.Id("c", "", /*required=*/false);
  v.Id("d", "3F2504E0-4F89-41D3-9A0C-0305E82C3301");
  EXPECT_FALSE(v.Date("e", ""));
  EXPECT_FALSE(v.Date("f", "2026-02-30"));
  EXPECT_FALSE(v.Date("g", "", /*required=*/false));
  EXPECT_EQ(v.Date("h", "2026-12-02"), absl::CivilDay(2026, 12, 2));
  EXPECT_FALSE(v.Month("i", ""));
  EXPECT_FALSE(v.Month("j", "2026-13"));
  EXPECT_EQ(v.Month("k", "2026-12"), absl::CivilMonth(2026, 12));
  ASSERT_EQ(v.list().size(), 6u);
  EXPECT_EQ(v.list()[0].field, "a");
  EXPECT_EQ(v.list()[0].description, "is required");
  EXPECT_EQ(v.list()[1].field, "b");
  EXPECT_EQ(v.list()[1].description, "must be a UUID");
  EXPECT_EQ(v.list()[2].field, "e");
  EXPECT_EQ(v.list()[2].description, "is required");
  EXPECT_EQ(v.list()[3].field, "f");
  EXPECT_EQ(v.list()[3].description, dates::kNotADay);
  EXPECT_EQ(v.list()[4].description, "is required");
  EXPECT_EQ(v.list()[5].description, "must be a month YYYY-MM");
}

TEST(Status, DueDatesAreNotBeforeToday) {
  const absl::CivilDay today(2026, 12, 2);
  Violations v;
  EXPECT_TRUE(v.NotBeforeToday("a", today, today));
  EXPECT_TRUE(v.NotBeforeToday("b", today + 1, today));
  EXPECT_FALSE(v.NotBeforeToday("items[0].due_date", today - 1, today));
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].field, "items[0].due_date");
  EXPECT_EQ(v.list()[0].description, "must not be before today (2026-12-02)");
}

TEST(Status, AnActionItemHasADescriptionAndIsNotBornOverdue) {
  const absl::CivilDay today(2026, 12, 3);
  Violations ok;
  EXPECT_EQ(ok.ActionItem("plan[0]", "Retrain staff", "2026-12-03", today), today);
  EXPECT_TRUE(ok.empty());
  Violations v;
  EXPECT_EQ(v.ActionItem("plan[0]", " ", "2026-12-04", today), std::nullopt);
  EXPECT_EQ(v.ActionItem("plan[1]", "Audit files", "2026-12-02", today), std::nullopt);
  EXPECT_EQ(v.ActionItem("plan[2]", std::string(2001, 'x'), "", today), std::nullopt);
  EXPECT_EQ(v.ActionItem("plan[3]", std::string(2000, 'x'), "03/12/2026", today), std::nullopt);
  std::vector<std::string> fields;
  for (const auto& f : v.list()) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("plan[0].description", "plan[1].due_date",
                                             "plan[2].description", "plan[2].due_date",
                                             "plan[3].due_date"));
}

TEST(Status, ARepeatedItemNamesTheFirstOfItsKind) {
  Violations v;
  std::vector<std::string> codes = {"first_aid", "gastrostomy", "first_aid", "first_aid"};
  EXPECT_FALSE(v.NoRepeats("proposal.matched_competencies", codes));
  ASSERT_EQ(v.list().size(), 2u);
  EXPECT_EQ(v.list()[0].field, "proposal.matched_competencies[2]");
  EXPECT_EQ(v.list()[0].description, "repeats proposal.matched_competencies[0]");
  EXPECT_EQ(v.list()[1].field, "proposal.matched_competencies[3]");
  EXPECT_EQ(v.list()[1].description, "repeats proposal.matched_competencies[0]");
  Violations none;
  EXPECT_TRUE(none.NoRepeats("x", std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(none.empty());

  // Competency codes: repeats are refused once every code is well formed (a malformed
  // one is what to fix first).
  Violations codes_v;
  codes_v.CompetencyCodes("extra_competencies", std::vector<std::string>{"a_b", "c", "a_b"}, 10);
  ASSERT_EQ(codes_v.list().size(), 1u);
  EXPECT_EQ(codes_v.ToStatus().message(), "extra_competencies[2]: repeats extra_competencies[0]");
  Violations malformed;
  malformed.CompetencyCodes("extra_competencies", std::vector<std::string>{"A", "a", "a"}, 10);
  ASSERT_EQ(malformed.list().size(), 1u);
  EXPECT_EQ(malformed.list()[0].field, "extra_competencies[0]");
}

TEST(Status, AQuarterOfTheRightFormOutOfRangeSaysSo) {
  const absl::CivilDay today(2026, 11, 24);
  Violations v;
  EXPECT_TRUE(v.Quarter("quarter", "2026-Q4", today).has_value());
  EXPECT_TRUE(v.Quarter("quarter", "1990-Q1", today).has_value());
  EXPECT_FALSE(v.Quarter("quarter", "1899-Q1", today).has_value());
  EXPECT_FALSE(v.Quarter("quarter", "2026Q3", today).has_value());
  EXPECT_FALSE(v.Quarter("quarter", "2027-Q1", today).has_value());
  ASSERT_EQ(v.list().size(), 3u);
  EXPECT_EQ(v.list()[0].description, "must be a quarter from 1990-Q1 (1899-Q1 is before it)");
  EXPECT_EQ(v.list()[1].description, "must be YYYY-Qn, e.g. 2026-Q3");
  EXPECT_EQ(v.list()[2].description, "must not be in the future");
}

TEST(Status, InternalErrorsLeakNothing) {
  grpc::Status g = server::ToGrpc(absl::InternalError("relation registry.x does not exist"), "r9");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(g.error_message(), "internal error; quote request id r9 to support");
}

TEST(Status, MacrosPropagate) {
  auto f = [](bool fail) -> absl::StatusOr<int> {
    if (fail) return absl::NotFoundError("x");
    return 7;
  };
  auto g = [&](bool fail) -> absl::Status {
    ASSIGN_OR_RETURN(int v, f(fail));
    RETURN_IF_ERROR(v == 7 ? absl::OkStatus() : absl::InternalError("bad"));
    return absl::OkStatus();
  };
  EXPECT_TRUE(g(false).ok());
  EXPECT_EQ(g(true).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace pdps
