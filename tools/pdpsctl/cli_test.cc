// pdpsctl's helpers: options a command never read, error text, JSON and table cells.
#include "tools/pdpsctl/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pdps/referrals/v1/referrals_service.pb.h"
#include "pdps/workforce/v1/workforce_service.pb.h"

namespace pdps::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Args ParseWords(std::vector<std::string> words) {
  std::vector<char*> argv = {const_cast<char*>("pdpsctl")};
  for (auto& w : words) argv.push_back(w.data());
  return Parse(static_cast<int>(argv.size()), argv.data());
}

// What Main reads of every command line before the command runs.
void ReadGlobals(const Args& a) {
  for (const char* k : {"addr", "referrals-addr", "workforce-addr", "token", "json", "help"}) {
    a.Get(k);
  }
}

TEST(Args, ParsesOptionsFlagsAndWords) {
  Args a = ParseWords({"staff", "update", "ID", "--name=Ann Lee", "--drives", "--grade="});
  EXPECT_THAT(a.words, ElementsAre("staff", "update", "ID"));
  EXPECT_EQ(a.Get("name"), "Ann Lee");
  EXPECT_EQ(a.Get("drives"), "true");
  EXPECT_TRUE(a.Has("grade"));
  EXPECT_EQ(a.Get("grade", "default"), "");
  EXPECT_EQ(a.Get("role", "default"), "default");
}

TEST(Args, ListsEveryValueOfARepeatedOption) {
  Args a = ParseWords({"--action=Audit@2026-01-05", "--action=Train@2026-02-01,Visit@2026-03-01"});
  EXPECT_THAT(a.List("action"),
              ElementsAre("Audit@2026-01-05", "Train@2026-02-01", "Visit@2026-03-01"));
  EXPECT_EQ(a.Get("action"), "Train@2026-02-01,Visit@2026-03-01");  // the last, as given
  EXPECT_THAT(a.List("absent"), IsEmpty());
}

TEST(Args, AnOptionAskedAboutByAnyReadIsNotUnread) {
  Args a = ParseWords({"--overdue", "--page-size=5", "--lots=a,b", "--overdu"});
  EXPECT_THAT(a.Unread(), ElementsAre("lots", "overdu", "overdue", "page-size"));
  a.Has("overdue");
  a.Get("page-size");
  a.List("lots");
  EXPECT_THAT(a.Unread(), ElementsAre("overdu"));
}

TEST(Args, AMisspeltOptionIsUnknownWithTheOptionItWasMeantToBe) {
  // As `complaints list` reads its options.
  Args a = ParseWords({"complaints", "list", "--overdu", "--json"});
  ReadGlobals(a);
  a.Has("overdue");
  a.Has("page-size");
  a.Has("page-token");
  EXPECT_THAT(RefusedOptions(a, "complaints list"),
              ElementsAre("unknown option --overdu for \"complaints list\"; did you mean "
                          "--overdue?"));
}

TEST(Args, AnOptionLikeNoneReadIsUnknownWithoutSuggestion) {
  Args a = ParseWords({"staff", "list", "--bogus=1", "--levers"});
  ReadGlobals(a);
  a.Has("leavers");
  a.Has("page-size");
  a.Has("page-token");
  EXPECT_THAT(RefusedOptions(a, "staff list"),
              ElementsAre("unknown option --bogus for \"staff list\" (see pdpsctl --help)",
                          "unknown option --levers for \"staff list\"; did you mean "
                          "--leavers?"));
}

TEST(Args, ANumberThatIsNotOneIsRefusedNotSentAsZero) {
  Args a = ParseWords({"capacity", "submit", "--workers=five", "--packages=3", "--after=x"});
  ReadGlobals(a);
  EXPECT_EQ(a.Int("workers", 0), 0);
  EXPECT_EQ(a.Int("packages", 0), 3);
  EXPECT_EQ(a.Int("hours", 7), 7);  // not given: the default, and nothing refused
  EXPECT_EQ(a.Int64("after", 0), 0);
  EXPECT_THAT(RefusedOptions(a, "capacity submit"),
              ElementsAre("--after=x for \"capacity submit\" is not a whole number",
                          "--workers=five for \"capacity submit\" is not a whole number"));
}

TEST(Args, EveryOptionReadIsNoUnknownOption) {
  Args a = ParseWords({"inbox", "--live", "--json", "--token=T"});
  ReadGlobals(a);
  a.Has("live");
  EXPECT_THAT(RefusedOptions(a, "inbox"), IsEmpty());
}

TEST(Args, NearestCountsASwapOnceAndRefusesATie) {
  Args a = ParseWords({});
  for (const char* k : {"lot", "date", "data", "staff"}) a.Has(k);
  EXPECT_EQ(a.Nearest("lto"), "lot");
  EXPECT_EQ(a.Nearest("staf"), "staff");
  EXPECT_EQ(a.Nearest("dat"), "");  // date or data: the user must choose
  EXPECT_EQ(a.Nearest("bogus"), "");
}

google::rpc::BadRequest::FieldViolation Violation(const std::string& field,
                                                  const std::string& description) {
  google::rpc::BadRequest::FieldViolation v;
  v.set_field(field);
  v.set_description(description);
  return v;
}

std::string Details(const std::vector<google::rpc::BadRequest::FieldViolation>& violations,
                    const std::string& request_id = "") {
  google::rpc::Status status;
  google::rpc::BadRequest bad;
  for (const auto& v : violations) *bad.add_field_violations() = v;
  status.add_details()->PackFrom(bad);
  if (!request_id.empty()) {
    google::rpc::RequestInfo info;
    info.set_request_id(request_id);
    status.add_details()->PackFrom(info);
  }
  return status.SerializeAsString();
}

TEST(ErrorText, ASoleViolationThatIsTheMessageIsPrintedOnce) {
  EXPECT_EQ(ErrorText("INVALID_ARGUMENT", "page_size: must not be negative",
                      Details({Violation("page_size", "must not be negative")}, "R1")),
            "error: INVALID_ARGUMENT: page_size: must not be negative\n"
            "  request id: R1\n");
}

TEST(ErrorText, ViolationsTheMessageDoesNotSayArePrinted) {
  EXPECT_EQ(ErrorText("INVALID_ARGUMENT", "the referral is invalid",
                      Details({Violation("area", "is required")})),
            "error: INVALID_ARGUMENT: the referral is invalid\n"
            "  area: is required\n");
  EXPECT_EQ(ErrorText("INVALID_ARGUMENT", "area: is required",
                      Details({Violation("area", "is required"), Violation("lot_id", "bad")})),
            "error: INVALID_ARGUMENT: area: is required\n"
            "  area: is required\n"
            "  lot_id: bad\n");
}

TEST(ErrorText, NoDetailsIsTheMessageAlone) {
  EXPECT_EQ(ErrorText("NOT_FOUND", "offer X not found", ""),
            "error: NOT_FOUND: offer X not found\n");
}

std::string JsonOf(const google::protobuf::Message& m) {
  ::testing::internal::CaptureStdout();
  EXPECT_TRUE(PrintJson(m));
  return ::testing::internal::GetCapturedStdout();
}

TEST(PrintJson, PrintsFalseZeroAndEmptyFields) {
  workforce::v1::CheckWorkerEligibilityResponse ineligible;
  std::string out = JsonOf(ineligible);
  EXPECT_THAT(out, HasSubstr("\"eligible\": false"));
  EXPECT_THAT(out, HasSubstr("\"matrix_version\": 0"));
  EXPECT_THAT(out, HasSubstr("\"reasons\": []"));

  workforce::v1::ListStaffMembersResponse none;
  out = JsonOf(none);
  EXPECT_THAT(out, HasSubstr("\"staff_members\": []"));
  EXPECT_THAT(out, HasSubstr("\"next_page_token\": \"\""));
}

TEST(PrintJson, PrintsEnumsByNameAndFieldsByTheirProtoNames) {
  referrals::v1::Offer offer;
  offer.set_kind(referrals::v1::Offer::BROADCAST);
  std::string out = JsonOf(offer);
  EXPECT_THAT(out, HasSubstr("\"kind\": \"BROADCAST\""));
  EXPECT_THAT(out, HasSubstr("\"state\": \"STATE_UNSPECIFIED\""));
  EXPECT_THAT(out, HasSubstr("\"rota_position\": 0"));
  EXPECT_THAT(out, Not(HasSubstr("rotaPosition")));
}

std::string TableOf(const google::protobuf::Message& m, const std::vector<std::string>& columns) {
  ::testing::internal::CaptureStdout();
  PrintTable(m, columns);
  return ::testing::internal::GetCapturedStdout();
}

TEST(PrintTable, ANumberWhoseZeroIsNoneIsEmpty) {
  referrals::v1::ListOffersResponse resp;
  auto* broadcast = resp.add_offers();  // no rota, a bid not yet evaluated
  broadcast->set_id("b");
  broadcast->set_round(1);
  broadcast->mutable_bid()->set_price_score(0);
  auto* ranked = resp.add_offers();
  ranked->set_id("r");
  ranked->set_round(1);
  ranked->set_rota_position(2);
  ranked->mutable_bid()->set_evaluated(true);
  ranked->mutable_bid()->set_rank(1);
  std::string out = TableOf(resp, {"id", "round", "rota_position", "bid.total_score", "bid.rank"});
  EXPECT_EQ(out,
            "ID  ROUND  ROTA_POSITION  TOTAL_SCORE  RANK\n"
            "b   1\n"
            "r   1      2              0.00         1\n");
}

TEST(PrintTable, AColumnCanNameItsHeader) {
  referrals::v1::ListOffersResponse resp;
  auto* offer = resp.add_offers();
  offer->set_id("o");
  offer->mutable_proposal()->mutable_worker_profile()->set_role("Nurse");
  EXPECT_EQ(TableOf(resp, {"id", "proposal.worker_profile.role=WORKER_ROLE"}),
            "ID  WORKER_ROLE\n"
            "o   Nurse\n");
}

TEST(PrintTable, AMessageShowsItsItemsByIndexFromZero) {
  workforce::v1::ActionPlan plan;
  plan.set_title("After the visit");
  plan.add_items()->set_description("Audit medication records");
  plan.add_items()->set_description("Train two seniors");
  std::string out = TableOf(plan, {});
  EXPECT_THAT(out, ContainsRegex("items\\[0\\]\\.description: +Audit medication records\n"));
  EXPECT_THAT(out, ContainsRegex("items\\[1\\]\\.description: +Train two seniors\n"));
}

}  // namespace
}  // namespace pdps::cli
