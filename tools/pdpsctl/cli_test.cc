// pdpsctl's helpers: options a command never read, error text, JSON and table cells.
#include "tools/pdpsctl/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pdps/referrals/v1/referrals_service.pb.h"
#include "pdps/registry/v1/registry_service.pb.h"
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

// A refusal's reasons are printed with what they are about; a description that is the
// message is not repeated.
TEST(ErrorText, PreconditionReasonsArePrintedWithTheirSubjects) {
  google::rpc::Status status;
  google::rpc::PreconditionFailure unmet;
  auto* state = unmet.add_violations();
  state->set_type("REFERRAL_STATE");
  state->set_subject("referral/r1");
  state->set_description("the referral is OPEN; it can be opened only when DRAFT");
  status.add_details()->PackFrom(unmet);
  EXPECT_EQ(
      ErrorText("FAILED_PRECONDITION", "the referral is OPEN; it can be opened only when DRAFT",
                status.SerializeAsString()),
      "error: FAILED_PRECONDITION: the referral is OPEN; it can be opened only when DRAFT\n"
      "  reason: REFERRAL_STATE (referral/r1)\n");
  auto* dbs = unmet.add_violations();
  dbs->set_type("DBS_EXPIRED");
  dbs->set_subject("staff_member/s1");
  dbs->set_description("DBS certificate is older than 36 months");
  status.clear_details();
  status.add_details()->PackFrom(unmet);
  EXPECT_EQ(
      ErrorText("FAILED_PRECONDITION", "the worker is not eligible", status.SerializeAsString()),
      "error: FAILED_PRECONDITION: the worker is not eligible\n"
      "  reason: REFERRAL_STATE (referral/r1): the referral is OPEN; it can be opened "
      "only when DRAFT\n"
      "  reason: DBS_EXPIRED (staff_member/s1): DBS certificate is older than 36 months\n");
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

std::string TableOf(const google::protobuf::Message& m, const std::vector<std::string>& columns,
                    OrgNames* names = nullptr) {
  ::testing::internal::CaptureStdout();
  PrintTable(m, columns, names);
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
  auto* marked = resp.add_offers();  // marked, but another bid is not yet: no scores
  marked->set_id("m");
  marked->set_round(1);
  marked->mutable_bid()->set_evaluated(true);
  std::string out = TableOf(resp, {"id", "round", "rota_position", "bid.total_score", "bid.rank"});
  EXPECT_EQ(out,
            "ID  ROUND  ROTA_POSITION  TOTAL_SCORE  RANK\n"
            "b   1\n"
            "r   1      2              0.00         1\n"
            "m   1\n");
}

// Also what an officer's offers list shows of the gaps (decision 64); an offer made
// before hours were recorded (0) shows none rather than a real 0.
TEST(PrintTable, AColumnCanNameItsHeader) {
  referrals::v1::ListOffersResponse resp;
  auto* offer = resp.add_offers();
  offer->set_id("o");
  offer->mutable_proposal()->mutable_worker_profile()->set_role("Nurse");
  offer->set_declared_weekly_hours_available(20);
  offer->set_below_planned_hours(true);
  offer->mutable_proposal()->add_unmatched_competencies("seizure_management");
  offer->mutable_proposal()->add_unmatched_competencies("makaton");
  resp.add_offers()->set_id("old");
  EXPECT_EQ(TableOf(resp, {"id", "proposal.worker_profile.role=WORKER_ROLE",
                           "declared_weekly_hours_available=DECLARED_HOURS",
                           "below_planned_hours=SHORT_OF_HOURS",
                           "proposal.unmatched_competencies=UNMATCHED"}),
            "ID   WORKER_ROLE  DECLARED_HOURS  SHORT_OF_HOURS  UNMATCHED\n"
            "o    Nurse        20              yes             seizure_management,makaton\n"
            "old                               no\n");
}

TEST(PrintTable, RatiosJustAboveTheirThresholdsDoNotPrintAsTheThreshold) {
  registry::v1::ListComplianceDocumentsResponse resp;
  auto* at = resp.add_documents();
  at->set_id("at");
  at->mutable_accounts()->set_liquidity_ratio(1.0);
  at->mutable_accounts()->set_return_on_capital_employed_percent(5.0);
  auto* above = resp.add_documents();
  above->set_id("above");
  above->mutable_accounts()->set_liquidity_ratio(10000001.0 / 10000000.0);
  above->mutable_accounts()->set_return_on_capital_employed_percent(100.0 * 1000001 / 20000000);
  EXPECT_EQ(TableOf(resp, {"id", "accounts.liquidity_ratio=LIQUIDITY",
                           "accounts.return_on_capital_employed_percent=ROCE"}),
            "ID     LIQUIDITY  ROCE\n"
            "at     1.00       5.00 %\n"
            "above  1.0000001  5.000005 %\n");
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

// Each amount, or share, and how it reads.
using Readings = std::vector<std::pair<int64_t, std::string>>;

TEST(ParsePounds, ReadsPoundsWithOrWithoutTheSignAndSeparators) {
  struct Case {
    const char* text;
    int64_t pence;
  };
  for (Case c : {Case{"24.50", 2450}, Case{"£24.50", 2450}, Case{"24.5", 2450}, Case{"£24", 2400},
                 Case{"0.99", 99}, Case{"£5,000,000", 500000000}, Case{"5,000,000.00", 500000000},
                 Case{"-£1,200.00", -120000}, Case{"£-3", -300}, Case{"-0.05", -5}}) {
    int64_t pence = 0;
    std::string error;
    EXPECT_TRUE(ParsePounds(c.text, &pence, &error)) << c.text << ": " << error;
    EXPECT_EQ(pence, c.pence) << c.text;
  }
}

TEST(ParsePounds, RefusesAWholeNumberThatOnceMeantPence) {
  int64_t pence = 7;
  std::string error;
  EXPECT_FALSE(ParsePounds("2450", &pence, &error));
  EXPECT_EQ(pence, 7);
  EXPECT_EQ(error,
            "is a whole number, which pdpsctl used to read as pence: amounts are in pounds, so "
            "write 24.50 for £24.50, or 2450.00 (or £2450) for £2,450.00");
  for (const char* bad : {"", "£", "abc", "24.505", "24.", "1,2345", ",500", "£2 4", "24.5x"}) {
    EXPECT_FALSE(ParsePounds(bad, &pence, &error)) << bad;
    EXPECT_THAT(error, HasSubstr("not an amount in pounds")) << bad;
  }
}

TEST(ParsePounds, ARateIsAboveZeroAndNoNegativeIsSuggested) {
  int64_t pence = 7;
  std::string error;
  for (const char* bad : {"-5", "-5.00", "-£5", "£-5", "0", "0.00", "£0"}) {
    EXPECT_FALSE(ParsePounds(bad, &pence, &error, /*above_zero=*/true)) << bad;
    EXPECT_EQ(error, "must be above zero: a rate in pounds, e.g. 21.50 or £21.50") << bad;
  }
  EXPECT_EQ(pence, 7);
  EXPECT_TRUE(ParsePounds("21.50", &pence, &error, true));
  EXPECT_EQ(pence, 2150);
  // A positive whole number still gets the pence hint, with nothing negative in it.
  EXPECT_FALSE(ParsePounds("5", &pence, &error, true));
  EXPECT_EQ(error,
            "is a whole number, which pdpsctl used to read as pence: amounts are in pounds, so "
            "write 0.05 for £0.05, or 5.00 (or £5) for £5.00");
  // Other amounts may be negative (an operating loss).
  EXPECT_TRUE(ParsePounds("-5.00", &pence, &error));
  EXPECT_EQ(pence, -500);
}

TEST(PoundsInText, AServicesPenceReadAsPounds) {
  EXPECT_EQ(PoundsInText("is above the lot's maximum price of 2600 pence an hour"),
            "is above the lot's maximum price of £26.00 an hour");
  EXPECT_EQ(PoundsInText("must be more than 0 pence"), "must be more than £0.00");
  EXPECT_EQ(PoundsInText("1234567 pence and 5 pence"), "£12,345.67 and £0.05");
  // Pence that are not an amount stay as they are.
  EXPECT_EQ(PoundsInText("is required: the hourly rate in pence, e.g. {\"pence\": \"2150\"}"),
            "is required: the hourly rate in pence, e.g. {\"pence\": \"2150\"}");
  EXPECT_EQ(PoundsInText("lot A2 pence pencey 12 pencey"), "lot A2 pence pencey 12 pencey");
}

TEST(ErrorText, QuotesPoundsWherePdpsctlDoes) {
  google::rpc::Status status;
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("bid.hourly_rate");
  v->set_description("is above the lot's maximum price of 2600 pence an hour");
  status.add_details()->PackFrom(bad);
  EXPECT_EQ(ErrorText("INVALID_ARGUMENT",
                      "bid.hourly_rate: is above the lot's maximum price of 2600 pence an hour",
                      status.SerializeAsString()),
            "error: INVALID_ARGUMENT: bid.hourly_rate: is above the lot's maximum price of "
            "£26.00 an hour\n");
}

TEST(Percent, BasisPointsReadAsPercent) {
  for (const auto& [basis_points, text] : Readings{{10000, "100 %"},
                                                   {6000, "60 %"},
                                                   {3333, "33.33 %"},
                                                   {2550, "25.5 %"},
                                                   {5, "0.05 %"},
                                                   {0, "0 %"}}) {
    EXPECT_EQ(Percent(basis_points), text);
  }
}

TEST(PrintTable, SharesArePercentAndMoneyHasSeparators) {
  referrals::v1::Referral r;
  auto* f = r.add_funding();
  f->set_organisation_id("council");
  f->set_share_basis_points(10000);
  r.set_method(referrals::v1::MINI_COMPETITION);
  r.mutable_maximum_hourly_rate()->set_pence(2600);
  r.set_price_weight_percent(60);
  std::string out = TableOf(r, {});
  EXPECT_THAT(out, ContainsRegex("funding\\[0\\]\\.share_basis_points: +100 %\n"));
  EXPECT_THAT(out, ContainsRegex("maximum_hourly_rate: +£26.00\n"));
  EXPECT_THAT(out, ContainsRegex("price_weight_percent: +60 %\n"));

  workforce::v1::ListFinancialAccountsResponse list;
  list.add_accounts()->mutable_current_assets()->set_pence(500000000);
  list.add_accounts()->mutable_current_assets()->set_pence(48000000);
  // Aligned by characters: "£" is two bytes.
  EXPECT_EQ(TableOf(list, {"current_assets", "year_end=END"}),
            "CURRENT_ASSETS  END\n"
            "£5,000,000.00\n"
            "£480,000.00\n");
}

TEST(PrintTable, ALongCellIsCutBetweenCharacters) {
  workforce::v1::ListComplaintsResponse list;
  std::string summary;
  for (int i = 0; i < 30; ++i) summary += "→";
  list.add_complaints()->set_summary(summary);
  std::string out = TableOf(list, {"summary"});
  EXPECT_EQ(out, "SUMMARY\n" + summary + "\n");  // 30 characters: whole
  summary += summary;
  list.mutable_complaints(0)->set_summary(summary);
  std::string expected;
  for (int i = 0; i < 45; ++i) expected += "→";
  EXPECT_EQ(TableOf(list, {"summary"}), "SUMMARY\n" + expected + "...\n");
}

constexpr char kBermondsey[] = "1dd38d26-0000-4000-8000-000000000001";
constexpr char kRiverside[] = "1dd38d26-0000-4000-8000-000000000002";
constexpr char kHidden[] = "1dd38d26-0000-4000-8000-000000000003";

// Names of two organisations; the third cannot be read. Counts the lookups.
struct FakeNames {
  std::vector<std::string> asked;
  OrgNames names{[this](const std::string& id) -> std::optional<std::string> {
    asked.push_back(id);
    if (id == kBermondsey) return "Bermondsey Home Care";
    if (id == kRiverside) return "Riverside Care";
    return std::nullopt;
  }};
};

TEST(OrgNames, LooksEachOrganisationUpOnceAndLeavesTheUnreadableAsIds) {
  FakeNames fake;
  EXPECT_EQ(fake.names.Label(kBermondsey), "Bermondsey Home Care");
  EXPECT_EQ(fake.names.Label(kHidden), kHidden);
  EXPECT_EQ(fake.names.Label(kBermondsey), "Bermondsey Home Care");
  EXPECT_EQ(fake.names.Label(kHidden), kHidden);
  EXPECT_EQ(fake.names.Label("system"), "system");  // not an id: never asked
  EXPECT_EQ(fake.names.Label(""), "");
  EXPECT_THAT(fake.asked, ElementsAre(kBermondsey, kHidden));
}

TEST(PrintTable, ANameColumnCostsOneLookupPerOrganisation) {
  referrals::v1::ListOffersResponse resp;
  for (const char* provider : {kBermondsey, kRiverside, kBermondsey, kHidden}) {
    auto* o = resp.add_offers();
    o->set_id("o");
    o->set_provider_id(provider);
  }
  resp.add_offers()->set_id("x");  // no provider: no lookup, an empty cell
  FakeNames fake;
  std::string out = TableOf(resp, {"id", "provider_id:name=PROVIDER"}, &fake.names);
  EXPECT_EQ(out,
            "ID  PROVIDER\n"
            "o   Bermondsey Home Care\n"
            "o   Riverside Care\n"
            "o   Bermondsey Home Care\n"
            "o   1dd38d26-0000-4000-8000-000000000003\n"
            "x\n");
  EXPECT_THAT(fake.asked, ElementsAre(kBermondsey, kRiverside, kHidden));
  // The same run's next table asks again for none of them.
  TableOf(resp, {"provider_id:name"}, &fake.names);
  EXPECT_EQ(fake.asked.size(), 3u);
  // Without names, a name column shows the id.
  EXPECT_THAT(TableOf(resp, {"provider_id:name=PROVIDER"}), HasSubstr(kRiverside));
}

TEST(PrintTable, DefaultColumnsNameEveryOrganisationBesideItsId) {
  workforce::v1::ListMonitoringVisitsResponse resp;
  auto* v = resp.add_visits();
  v->set_id("v");
  v->set_provider_id(kRiverside);
  v->set_rating(workforce::v1::INADEQUATE);
  FakeNames fake;
  std::string out = TableOf(resp, {}, &fake.names);
  EXPECT_THAT(out, ContainsRegex("^ID +PROVIDER_ID +PROVIDER +FRAMEWORK_ID"));
  EXPECT_THAT(out, ContainsRegex("Riverside Care +INADEQUATE"));
  // An item with its own display_name (an eligible provider) needs none.
  registry::v1::ListEligibleProvidersResponse eligible;
  eligible.add_providers()->set_provider_id(kRiverside);
  EXPECT_THAT(TableOf(eligible, {}, &fake.names), Not(HasSubstr("Riverside Care")));
}

TEST(PrintTable, AMessageShowsItsStateReasonAndHistory) {
  registry::v1::Admission a;
  a.set_provider_id(kBermondsey);
  a.set_state(registry::v1::Admission::SUSPENDED);
  auto* admitted = a.add_history();
  admitted->set_to_state("ACTIVE");
  admitted->set_actor_user("5f0c0c0c-0000-4000-8000-00000000000a");
  admitted->set_actor_organisation(kRiverside);
  admitted->set_reason("meets the standards");
  auto* suspended = a.add_history();
  suspended->set_from_state("ACTIVE");
  suspended->set_to_state("SUSPENDED");
  suspended->set_actor_user("system");
  suspended->set_reason("automatic suspension rule FINANCIAL_VIABILITY: liquidity 0.80");
  FakeNames fake;
  std::string out = TableOf(a, {}, &fake.names);
  EXPECT_THAT(out, ContainsRegex("provider_id: +" + std::string(kBermondsey) +
                                 " \\(Bermondsey Home Care\\)\n"));
  EXPECT_THAT(out, ContainsRegex("state_reason: +automatic suspension rule FINANCIAL_VIABILITY: "
                                 "liquidity 0.80\n"));
  EXPECT_THAT(out, HasSubstr("\nhistory:\nTIME  CHANGE  "));
  EXPECT_THAT(out, ContainsRegex("\n +ACTIVE +5f0c0c0c-0000-4000-8000-00000000000a +Riverside Care "
                                 "+meets the standards\n"));
  EXPECT_THAT(out, ContainsRegex("ACTIVE → SUSPENDED +system +automatic suspension rule"));
}

TEST(PrintTable, AZeroThatMeansADefaultSaysSo) {
  workforce::v1::SuspensionRules rules;
  rules.set_suspend_on_financial_breach(true);
  std::string out = TableOf(rules, {});
  EXPECT_THAT(out, ContainsRegex("action_plan_due_working_days: +10 \\(default\\)\n"));
  EXPECT_THAT(out, ContainsRegex("complaint_window_months: +12 \\(default\\)\n"));
  EXPECT_THAT(out, ContainsRegex("upheld_safeguarding_complaints: +off\n"));
  EXPECT_THAT(out, ContainsRegex("min_trained_staff_percent: +off\n"));
  rules.set_action_plan_due_working_days(3);
  rules.set_min_trained_staff_percent(90);
  out = TableOf(rules, {});
  EXPECT_THAT(out, ContainsRegex("action_plan_due_working_days: +3\n"));
  EXPECT_THAT(out, ContainsRegex("min_trained_staff_percent: +90 %\n"));
}

TEST(PrintTable, AFrameworkShowsTheSettingsOfItsCallOffMethodOnly) {
  registry::v1::Framework f;
  auto* c = f.mutable_call_off();
  c->set_method(registry::v1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL);
  c->set_offer_window_working_hours(2);
  c->set_bid_window_working_days(5);
  std::string out = TableOf(f, {});
  EXPECT_THAT(out, HasSubstr("call_off.offer_window_working_hours"));
  EXPECT_THAT(out, ContainsRegex("call_off.exclusive_rounds: +2 \\(default\\)\n"));
  EXPECT_THAT(out, ContainsRegex("call_off.friday_afternoon_rule: +yes \\(default\\)\n"));
  EXPECT_THAT(out, ContainsRegex("call_off.friday_cutoff: +12:00 \\(default\\)\n"));
  EXPECT_THAT(out, ContainsRegex("call_off.emergency_offer_window_minutes: +60 \\(default\\)\n"));
  EXPECT_THAT(out, Not(HasSubstr("bid_window_working_days")));
  EXPECT_THAT(out, Not(HasSubstr("price_weight_percent")));
  c->set_friday_afternoon_rule(false);
  EXPECT_THAT(TableOf(f, {}), Not(HasSubstr("friday_cutoff")));

  c->set_method(registry::v1::CallOffSettings::MINI_COMPETITION);
  c->set_price_weight_percent(60);
  out = TableOf(f, {});
  EXPECT_THAT(out, ContainsRegex("call_off.bid_window_working_days: +5\n"));
  EXPECT_THAT(out, ContainsRegex("call_off.price_weight_percent: +60 %\n"));
  EXPECT_THAT(out, Not(HasSubstr("friday")));
  EXPECT_THAT(out, Not(HasSubstr("offer_window_working_hours")));
  EXPECT_THAT(out, Not(HasSubstr("emergency_offer_window_minutes")));
}

TEST(PrintTable, AFinishedReferralPrintsNoStageDeadline) {
  // As the service returns them: an OPEN referral has its window's end, an UNCOVERED
  // one none (the store clears it when the referral leaves OPEN or EVALUATING).
  referrals::v1::ListReferralsResponse resp;
  auto* open = resp.add_referrals();
  open->set_id("o");
  open->set_state(referrals::v1::Referral::OPEN);
  open->mutable_stage_deadline()->set_seconds(1795856400);  // 2026-11-28 09:00 GMT
  auto* uncovered = resp.add_referrals();
  uncovered->set_id("u");
  uncovered->set_state(referrals::v1::Referral::UNCOVERED);
  EXPECT_EQ(TableOf(resp, {"id", "state", "stage_deadline"}),
            "ID  STATE      STAGE_DEADLINE\n"
            "o   OPEN       2026-11-28 09:00 GMT\n"
            "u   UNCOVERED\n");
  std::string got = TableOf(*uncovered, {});
  EXPECT_THAT(got, ContainsRegex("state: +UNCOVERED\n"));
  EXPECT_THAT(got, Not(HasSubstr("stage_deadline")));
  EXPECT_THAT(got, Not(HasSubstr("held_until")));
}

TEST(PrintTable, AFigureNotComputedIsNotShownAsZero) {
  workforce::v1::WorkforceReturn r;  // no lot: no training figure
  r.set_quarter("2026-Q3");
  r.set_dbs_compliance_percent(80);
  std::string out = TableOf(r, {});
  EXPECT_THAT(out, ContainsRegex("dbs_compliance_percent: +80.00 %\n"));
  EXPECT_THAT(out, ContainsRegex("training_compliance_percent: +n/a \\(give --lot\\)\n"));
  r.set_training_computed(true);
  EXPECT_THAT(TableOf(r, {}), ContainsRegex("training_compliance_percent: +0.00 %\n"));
  // No turnover target: no verdict, not "no" (decision 63).
  EXPECT_THAT(out, ContainsRegex("turnover_target_percent: +none\n"));
  EXPECT_THAT(out, ContainsRegex("turnover_within_target: +n/a \\(no target\\)\n"));
  r.set_turnover_target_percent(5);
  EXPECT_THAT(TableOf(r, {}), ContainsRegex("turnover_within_target: +n/a \\(nobody in post\\)\n"));
  r.set_average_headcount(10);
  EXPECT_THAT(TableOf(r, {}), ContainsRegex("turnover_within_target: +no\n"));
  // A lot with nobody past induction on it: no figure either.
  r.set_training_computed(false);
  r.set_lot_id("aaaaaaaa-1111-4111-8111-111111111111");
  EXPECT_THAT(
      TableOf(r, {}),
      ContainsRegex("training_compliance_percent: +n/a \\(nobody on the lot past induction\\)\n"));
}

// A brokerage return's KPI with no target says none; numerator and denominator are shown
// beside the percentage, so that it can be checked by hand (decision 66), with the clock
// it counted on; a KPI with nothing measured has no percentage (decision 67).
TEST(PrintTable, ABrokerageKpiWithItsNumbersAndNoTargetAsNone) {
  referrals::v1::BrokerageReturn r;
  r.set_quarter("2026-Q4");
  auto* four = r.mutable_answered_within_4_hours();
  four->set_hours(4);
  four->set_within(19);
  four->set_measured(20);
  four->set_within_percent(95);
  four->set_target_percent(95);
  four->set_verdict(referrals::v1::ResponseMeasure::MET);
  four->set_clock(referrals::v1::ResponseMeasure::WORKING_HOURS);
  r.mutable_answered_within_24_hours()->set_verdict(referrals::v1::ResponseMeasure::NO_TARGET);
  r.mutable_answered_within_24_hours()->set_clock(referrals::v1::ResponseMeasure::CLOCK_HOURS);
  auto* d = r.add_declines_by_reason();
  d->set_reason(referrals::v1::NO_CAPACITY);
  d->set_count(2);
  std::string out = TableOf(r, {});
  EXPECT_THAT(out, ContainsRegex("answered_within_4_hours.within: +19\n"));
  EXPECT_THAT(out, ContainsRegex("answered_within_4_hours.measured: +20\n"));
  EXPECT_THAT(out, ContainsRegex("answered_within_4_hours.within_percent: +95.00 %\n"));
  EXPECT_THAT(out, ContainsRegex("answered_within_4_hours.target_percent: +95 %\n"));
  EXPECT_THAT(out, ContainsRegex("answered_within_4_hours.verdict: +MET\n"));
  EXPECT_THAT(out, ContainsRegex("answered_within_24_hours.target_percent: +none\n"));
  EXPECT_THAT(out, ContainsRegex("answered_within_4_hours.clock: +WORKING_HOURS\n"));
  EXPECT_THAT(out, ContainsRegex("answered_within_24_hours.clock: +CLOCK_HOURS\n"));
  // Nothing measured: no percentage, not a 0.00 % that reads as every offer missed.
  EXPECT_THAT(
      out, ContainsRegex("answered_within_24_hours.within_percent: +n/a \\(nothing measured\\)\n"));
  EXPECT_THAT(out, ContainsRegex("declines_by_reason\\[0\\].reason: +NO_CAPACITY\n"));
}

TEST(PrintTable, RatiosOverNothingAreNotShownAsBreaches) {
  workforce::v1::FinancialAccounts a;
  a.mutable_current_assets()->set_pence(100);
  a.mutable_current_liabilities()->set_pence(0);
  a.mutable_operating_profit()->set_pence(-5);
  a.mutable_capital_employed()->set_pence(-100);
  a.add_breaches(workforce::v1::FinancialAccounts::ROCE);
  std::string out = TableOf(a, {});
  EXPECT_THAT(out, ContainsRegex("liquidity_ratio: +n/a \\(no liabilities\\)\n"));
  EXPECT_THAT(out,
              ContainsRegex("roce_percent: +n/a \\(capital employed not positive: a breach\\)\n"));
  a.mutable_current_liabilities()->set_pence(100);
  a.set_liquidity_ratio(1);
  a.mutable_capital_employed()->set_pence(100);
  a.set_roce_percent(-5);
  out = TableOf(a, {});
  EXPECT_THAT(out, ContainsRegex("liquidity_ratio: +1.00\n"));
  EXPECT_THAT(out, ContainsRegex("roce_percent: +-5.00 %\n"));
  // A list's columns read the same.
  workforce::v1::ListFinancialAccountsResponse list;
  list.add_accounts()->mutable_current_liabilities()->set_pence(0);
  EXPECT_THAT(TableOf(list, {"liquidity_ratio"}), HasSubstr("n/a (no liabilities)"));
}

}  // namespace
}  // namespace pdps::cli
