// Request validation names every wrong field.
#include "services/registry/domain/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/viability.h"

namespace pdps::registry::domain {
namespace {

std::vector<std::string> Fields(const absl::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(st)) out.push_back(v.field);
  return out;
}

// Each violation as "field: description", in the order found.
std::vector<std::string> Violated(const absl::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(st)) out.push_back(v.field + ": " + v.description);
  return out;
}

// A text of n copies of `unit` (a multi-byte one counts as one character).
std::string Repeat(const std::string& unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

v1::Framework GoodFramework() {
  v1::Framework f;
  f.set_partnership_id("11111111-1111-4111-8111-111111111111");
  f.set_display_name("Care at home for children");
  f.set_kind(v1::Framework::PDPS);
  f.set_billing_period(v1::Framework::MONTHLY);
  f.mutable_call_off()->set_method(v1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL);
  auto* w = f.add_application_windows();
  w->mutable_open_date()->set_value("2026-04-01");
  w->mutable_close_date()->set_value("2026-04-30");
  ApplyFrameworkDefaults(&f);
  return f;
}

TEST(ValidateFramework, GoodOneWithDefaults) {
  v1::Framework f = GoodFramework();
  EXPECT_TRUE(ValidateFramework(f, true).ok());
  EXPECT_EQ(f.call_off().offer_window_working_hours(), 2);
  EXPECT_EQ(f.call_off().exclusive_rounds(), 2);
  EXPECT_EQ(f.call_off().friday_cutoff(), "12:00");
  EXPECT_EQ(f.call_off().emergency_offer_window_minutes(), 60);
  EXPECT_EQ(f.office_hours(), "09:00-17:00,Mon-Fri");
  EXPECT_EQ(f.employers_liability_minimum().pence(), 500000000);
  EXPECT_EQ(f.public_liability_minimum().pence(), 1000000000);
  EXPECT_EQ(f.capacity_return_due_day(), 10);
}

TEST(ValidateFramework, ReportsEveryBadField) {
  v1::Framework f = GoodFramework();
  f.set_partnership_id("x");
  f.set_display_name("");
  f.set_kind(v1::Framework::KIND_UNSPECIFIED);
  f.mutable_call_off()->set_method(v1::CallOffSettings::MINI_COMPETITION);
  f.mutable_call_off()->set_price_weight_percent(70);
  f.mutable_call_off()->set_quality_weight_percent(20);
  f.mutable_call_off()->set_friday_cutoff("25:00");
  f.set_office_hours("nine to five");
  f.mutable_application_windows(0)->mutable_close_date()->set_value("2026-03-01");
  f.add_required_documents(v1::ComplianceDocument::CQC_REGISTRATION);
  f.add_required_documents(v1::ComplianceDocument::KIND_UNSPECIFIED);
  f.add_required_documents(v1::ComplianceDocument::CQC_REGISTRATION);
  auto st = ValidateFramework(f, true);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(st),
              ::testing::UnorderedElementsAre(
                  "framework.partnership_id", "framework.display_name", "framework.kind",
                  "framework.call_off.price_weight_percent", "framework.call_off.friday_cutoff",
                  "framework.office_hours", "framework.application_windows[0].close_date",
                  "framework.required_documents[1]", "framework.required_documents[2]"));
}

// An emergency's offer window is minutes of clock time: 5 to 720, unset for the default.
TEST(ValidateFramework, EmergencyOfferWindowIsFiveMinutesToTwelveHours) {
  for (int minutes : {-1, 1, 4, 721, 1440}) {
    v1::Framework f = GoodFramework();
    f.mutable_call_off()->set_emergency_offer_window_minutes(minutes);
    auto st = ValidateFramework(f, true);
    EXPECT_THAT(Fields(st),
                ::testing::ElementsAre("framework.call_off.emergency_offer_window_minutes"))
        << minutes;
  }
  for (int minutes : {5, 30, 60, 720}) {
    v1::Framework f = GoodFramework();
    f.mutable_call_off()->set_emergency_offer_window_minutes(minutes);
    EXPECT_TRUE(ValidateFramework(f, true).ok()) << minutes;
  }
  v1::Framework f = GoodFramework();
  f.mutable_call_off()->set_emergency_offer_window_minutes(0);
  ApplyFrameworkDefaults(&f);
  EXPECT_EQ(f.call_off().emergency_offer_window_minutes(), 60);
}

// KPI targets (decision 66): a percentage 1..100 from a real day, each day once.
TEST(ValidateFramework, ResponseTargetsArePercentagesFromTheirOwnDays) {
  v1::Framework f = GoodFramework();
  auto add = [&](const char* from, int percent) {
    auto* t = f.mutable_call_off()->add_answered_within_4_hours_targets();
    t->mutable_effective_from()->set_value(from);
    t->set_percent(percent);
  };
  add("2026-04-01", 95);
  add("2027-04-01", 96);
  EXPECT_TRUE(ValidateFramework(f, true).ok());
  add("2027-04-01", 97);
  add("2028-02-30", 99);
  add("2029-04-01", 0);
  f.mutable_call_off()->add_answered_within_24_hours_targets()->set_percent(101);
  EXPECT_THAT(Fields(ValidateFramework(f, true)),
              ::testing::UnorderedElementsAre(
                  "framework.call_off.answered_within_4_hours_targets[2].effective_from",
                  "framework.call_off.answered_within_4_hours_targets[3].effective_from",
                  "framework.call_off.answered_within_4_hours_targets[4].percent",
                  "framework.call_off.answered_within_24_hours_targets[0].effective_from",
                  "framework.call_off.answered_within_24_hours_targets[0].percent"));
}

// A raw enum number the proto does not define is refused, not stored.
// Service areas are districts, each once however it is written; at most 200.
TEST(ValidateFramework, ServiceAreasAreDistinctDistricts) {
  v1::Framework f = GoodFramework();
  for (const char* a : {"Southwark", "Lambeth", " SOUTHWARK ", "SE1 7EU", "   ",
                        "a very long district name that goes on well past sixty characters"}) {
    f.add_service_areas(a);
  }
  EXPECT_THAT(Fields(ValidateFramework(f, true)),
              ::testing::ElementsAre("framework.service_areas[2]", "framework.service_areas[3]",
                                     "framework.service_areas[4]", "framework.service_areas[5]"));
  f.clear_service_areas();
  f.add_service_areas("south   cambridgeshire");
  EXPECT_TRUE(ValidateFramework(f, true).ok());
  for (int i = 0; i < 201; ++i) {
    std::string name = "district ";
    for (int n = i;; n /= 26) {
      name += static_cast<char>('a' + n % 26);
      if (n < 26) break;
    }
    f.add_service_areas(name);
  }
  EXPECT_THAT(Fields(ValidateFramework(f, true)),
              ::testing::ElementsAre("framework.service_areas"));
}

TEST(ValidateFramework, UndefinedEnumNumbersAreRefused) {
  v1::Framework f = GoodFramework();
  f.set_kind(static_cast<v1::Framework::Kind>(999));
  f.set_billing_period(static_cast<v1::Framework::BillingPeriod>(-5));
  f.mutable_call_off()->set_method(static_cast<v1::CallOffSettings::Method>(999));
  EXPECT_THAT(Fields(ValidateFramework(f, true)),
              ::testing::UnorderedElementsAre("framework.kind", "framework.billing_period",
                                              "framework.call_off.method"));
}

// Weights out of 0..100 are refused on any framework, without overflowing their sum.
TEST(ValidateFramework, WeightsStayWithinAHundredEvenWhenNotMiniCompetition) {
  v1::Framework f = GoodFramework();  // rotational first refusal
  f.mutable_call_off()->set_price_weight_percent(2147483647);
  f.mutable_call_off()->set_quality_weight_percent(-1);
  EXPECT_THAT(Fields(ValidateFramework(f, true)),
              ::testing::ElementsAre("framework.call_off.price_weight_percent"));
  f.mutable_call_off()->set_price_weight_percent(40);
  f.mutable_call_off()->set_quality_weight_percent(60);
  EXPECT_TRUE(ValidateFramework(f, true).ok());
}

TEST(ValidateFramework, UpdateNeedsIdAndEtag) {
  v1::Framework f = GoodFramework();
  EXPECT_THAT(Fields(ValidateFramework(f, false)),
              ::testing::UnorderedElementsAre("framework.id", "framework.etag"));
}

TEST(ValidateLot, AgesPricesAndCodes) {
  v1::Lot l;
  l.set_framework_id("11111111-1111-4111-8111-111111111111");
  l.set_code("A");
  l.set_display_name("Children's nurses");
  l.set_service_type("nursing");
  l.set_min_age(0);
  l.set_max_age(18);
  l.add_competencies("safeguarding_l2");
  auto* p = l.add_prices();
  p->set_kind(v1::LotPrice::MAXIMUM_PRICE);
  p->mutable_hourly_rate()->set_pence(2850);
  p->mutable_effective_from()->set_value("2026-04-01");
  EXPECT_TRUE(ValidateLot(l, true).ok());
  l.set_code("A B");
  l.set_min_age(20);
  l.add_competencies("safeguarding_l2");
  *l.add_prices() = *p;
  l.mutable_prices(1)->mutable_hourly_rate()->set_pence(0);
  EXPECT_THAT(Fields(ValidateLot(l, true)),
              ::testing::UnorderedElementsAre("lot.code", "lot.max_age", "lot.competencies[1]",
                                              "lot.prices[1].hourly_rate",
                                              "lot.prices[1].effective_from"));
  // No maximum age is a missing field, not a lot for newborns only.
  v1::Lot unset;
  unset.set_framework_id("11111111-1111-4111-8111-111111111111");
  unset.set_code("B");
  unset.set_display_name("Short breaks");
  unset.set_service_type("short_breaks");
  EXPECT_THAT(Fields(ValidateLot(unset, true)), ::testing::ElementsAre("lot.max_age"));
}

TEST(ValidateChange, ImmutableFieldsMayBeLeftOutButNotChanged) {
  v1::Lot stored;
  stored.set_framework_id("11111111-1111-4111-8111-111111111111");
  stored.set_code("A");
  v1::Lot same = stored;
  same.set_display_name("Renamed");
  EXPECT_TRUE(ValidateLotChange(same, stored).ok());
  EXPECT_TRUE(ValidateLotChange(v1::Lot(), stored).ok());  // unset: kept
  v1::Lot moved = stored;
  moved.set_code("ZZ");
  moved.set_framework_id("22222222-2222-4222-8222-222222222222");
  auto st = ValidateLotChange(moved, stored);
  EXPECT_THAT(Fields(st), ::testing::ElementsAre("lot.framework_id", "lot.code"));
  EXPECT_EQ(FieldViolationsOf(st)[1].description, "cannot change (it is A); create a new lot");

  v1::Framework f;
  f.set_partnership_id("11111111-1111-4111-8111-111111111111");
  v1::Framework other = f;
  EXPECT_TRUE(ValidateFrameworkChange(other, f).ok());
  other.set_partnership_id("22222222-2222-4222-8222-222222222222");
  EXPECT_THAT(Fields(ValidateFrameworkChange(other, f)),
              ::testing::ElementsAre("framework.partnership_id"));

  v1::ComplianceDocument d;
  d.set_kind(v1::ComplianceDocument::EMPLOYERS_LIABILITY);
  v1::ComplianceDocument renewal;
  EXPECT_TRUE(ValidateDocumentChange(renewal, d).ok());
  renewal.set_kind(v1::ComplianceDocument::EMPLOYERS_LIABILITY);
  EXPECT_TRUE(ValidateDocumentChange(renewal, d).ok());
  renewal.set_kind(v1::ComplianceDocument::PUBLIC_LIABILITY);
  EXPECT_THAT(Fields(ValidateDocumentChange(renewal, d)), ::testing::ElementsAre("document.kind"));
}

TEST(ValidateDocument, KindSpecificRules) {
  v1::ComplianceDocument d;
  d.set_kind(v1::ComplianceDocument::PUBLIC_LIABILITY);
  d.set_title("Public liability");
  d.set_evidence_reference("POL-1");
  d.mutable_issue_date()->set_value("2026-01-01");
  d.mutable_expiry_date()->set_value("2026-12-31");
  EXPECT_THAT(Fields(ValidateDocument(d, true)), ::testing::ElementsAre("document.cover"));
  d.mutable_cover()->set_pence(1000000000);
  EXPECT_TRUE(ValidateDocument(d, true).ok());
  d.mutable_expiry_date()->set_value("2025-12-31");
  d.set_cqc_rating(v1::ComplianceDocument::GOOD);
  EXPECT_THAT(Fields(ValidateDocument(d, true)),
              ::testing::UnorderedElementsAre("document.expiry_date", "document.cqc_rating"));
  v1::ComplianceDocument lw;
  lw.set_kind(v1::ComplianceDocument::LIVING_WAGE_COMMITMENT);
  lw.set_title("LLW");
  lw.set_evidence_reference("LLW-1");
  lw.mutable_issue_date()->set_value("2026-01-01");
  EXPECT_TRUE(ValidateDocument(lw, true).ok());
  v1::ComplianceDocument acc = lw;
  acc.set_kind(v1::ComplianceDocument::ANNUAL_ACCOUNTS);
  acc.mutable_expiry_date()->set_value("2027-01-01");
  EXPECT_THAT(Fields(ValidateDocument(acc, true)), ::testing::ElementsAre("document.accounts"));
}

// Zero or negative capital employed is filed: it is a ROCE breach (seed 004 Appendix A,
// common/viability), which the accounts exist to show. Negative assets still are not.
TEST(ValidateDocument, AccountsWithNoPositiveCapitalEmployedAreFiledAsABreach) {
  v1::ComplianceDocument acc;
  acc.set_kind(v1::ComplianceDocument::ANNUAL_ACCOUNTS);
  acc.set_title("Annual accounts 2025-26");
  acc.set_evidence_reference("ACC-2026");
  acc.mutable_issue_date()->set_value("2026-06-30");
  acc.mutable_expiry_date()->set_value("2027-06-30");
  auto* a = acc.mutable_accounts();
  a->mutable_current_assets()->set_pence(7200000);
  a->mutable_current_liabilities()->set_pence(9000000);
  a->mutable_operating_profit()->set_pence(300000);
  a->mutable_net_assets()->set_pence(-1500000);
  for (int64_t capital : {int64_t{0}, int64_t{-2500000}}) {
    a->mutable_capital_employed()->set_pence(capital);
    EXPECT_TRUE(ValidateDocument(acc, true).ok()) << capital;
    viability::Accounts figures;
    figures.current_assets = a->current_assets().pence();
    figures.current_liabilities = a->current_liabilities().pence();
    figures.operating_profit = a->operating_profit().pence();
    figures.capital_employed = capital;
    figures.net_assets = a->net_assets().pence();
    EXPECT_THAT(viability::Assess(figures).breaches, ::testing::Contains(viability::Breach::kRoce))
        << capital;
  }
  a->mutable_current_assets()->set_pence(-1);
  EXPECT_THAT(Fields(ValidateDocument(acc, true)),
              ::testing::ElementsAre("document.accounts.current_assets"));
}

TEST(ValidateCapacityReturn, MonthAndCounts) {
  v1::CapacityReturn r;
  r.set_framework_id("11111111-1111-4111-8111-111111111111");
  r.set_month("2026-11");
  r.set_care_workers_employed(10);
  EXPECT_TRUE(ValidateCapacityReturn(r, absl::CivilDay(2026, 11, 24)).ok());
  r.set_month("2026-12");
  r.set_current_packages(-1);
  EXPECT_THAT(Fields(ValidateCapacityReturn(r, absl::CivilDay(2026, 11, 24))),
              ::testing::UnorderedElementsAre("capacity_return.month",
                                              "capacity_return.current_packages"));
}

TEST(ValidateCapacityReturn, HoursAWeekWithinTheWeekAndTheCap) {
  v1::CapacityReturn r;
  r.set_framework_id("11111111-1111-4111-8111-111111111111");
  r.set_month("2026-11");
  const absl::CivilDay today(2026, 11, 24);
  r.set_care_workers_employed(2);
  r.set_current_total_weekly_hours(336);
  r.set_estimated_weekly_hours_available(336);
  EXPECT_TRUE(ValidateCapacityReturn(r, today).ok());
  r.set_estimated_weekly_hours_available(337);
  EXPECT_EQ(ValidateCapacityReturn(r, today).message(),
            "capacity_return.estimated_weekly_hours_available: must be at most 336 (168 hours a "
            "week for each of the 2 care workers employed)");
  // No workers given: only the cap.
  r.set_care_workers_employed(0);
  r.set_estimated_weekly_hours_available(100000);
  EXPECT_TRUE(ValidateCapacityReturn(r, today).ok());
  r.set_estimated_weekly_hours_available(100001);
  r.set_care_workers_employed(100001);
  r.set_current_packages(100001);
  EXPECT_THAT(Fields(ValidateCapacityReturn(r, today)),
              ::testing::ElementsAre("capacity_return.care_workers_employed",
                                     "capacity_return.current_packages",
                                     "capacity_return.estimated_weekly_hours_available"));
}

TEST(ValidateActionPlan, ASuspensionCarriesOneToAHundredItemsDueFromToday) {
  const absl::CivilDay today(2026, 12, 3);
  google::protobuf::RepeatedPtrField<v1::ActionPlanItem> items;
  Violations none;
  EXPECT_TRUE(ValidateActionPlan(items, today, none).empty());
  EXPECT_THAT(Fields(none.ToStatus()), ::testing::ElementsAre("action_plan"));

  auto* first = items.Add();
  first->set_description("Agree the plan with the contract manager");
  first->mutable_due_date()->set_value("2026-12-03");
  auto* second = items.Add();
  second->set_description("Retrain every carer in safeguarding");
  second->mutable_due_date()->set_value("2027-01-15");
  Violations ok;
  std::vector<ActionItem> plan = ValidateActionPlan(items, today, ok);
  EXPECT_TRUE(ok.empty());
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[1].description, "Retrain every carer in safeguarding");
  EXPECT_EQ(plan[1].due, absl::CivilDay(2027, 1, 15));

  second->mutable_due_date()->set_value("2026-12-02");
  first->set_description("");
  Violations bad;
  EXPECT_TRUE(ValidateActionPlan(items, today, bad).empty());
  EXPECT_THAT(Fields(bad.ToStatus()),
              ::testing::ElementsAre("action_plan[0].description", "action_plan[1].due_date"));

  google::protobuf::RepeatedPtrField<v1::ActionPlanItem> many;
  for (int i = 0; i < 101; ++i) *many.Add() = items.Get(1);
  Violations too_many;
  EXPECT_TRUE(ValidateActionPlan(many, today, too_many).empty());
  EXPECT_THAT(Fields(too_many.ToStatus()), ::testing::ElementsAre("action_plan"));
}

TEST(ValidatePartnership, MembersRequiredAndUnique) {
  v1::Partnership p;
  p.set_display_name("Dorset Commissioning Partnership");
  EXPECT_THAT(Fields(ValidatePartnership(p)),
              ::testing::ElementsAre("partnership.member_organisation_ids"));
  p.add_member_organisation_ids("11111111-1111-4111-8111-111111111111");
  p.add_member_organisation_ids("11111111-1111-4111-8111-111111111111");
  EXPECT_THAT(Fields(ValidatePartnership(p)),
              ::testing::ElementsAre("partnership.member_organisation_ids[1]"));
}

// One rule a row: the change to a good request and every violation it makes, exactly.
template <typename Message>
struct RuleCase {
  const char* name;
  std::function<void(Message&)> change;
  std::vector<std::string> want;  // "field: description"; empty: valid
};

// Each case's change made to a copy of `good`, then validated.
template <typename Message>
void ExpectRules(const Message& good, absl::Status (*validate)(const Message&),
                 const std::vector<RuleCase<Message>>& cases) {
  for (const auto& c : cases) {
    Message m = good;
    if (c.change) c.change(m);
    const absl::Status st = validate(m);
    EXPECT_EQ(st.code(),
              c.want.empty() ? absl::StatusCode::kOk : absl::StatusCode::kInvalidArgument)
        << c.name;
    EXPECT_EQ(Violated(st), c.want) << c.name;
  }
}

TEST(ValidateOrganisation, EachRule) {
  using O = v1::Organisation;
  O good;
  good.set_display_name("London Borough of Lewisham");
  good.set_kind(O::COUNCIL);
  good.set_external_reference("E09000023");
  ExpectRules<O>(
      good, &ValidateOrganisation,
      {
          {"good", nullptr, {}},
          {"name missing",
           [](O& o) { o.clear_display_name(); },
           {"organisation.display_name: is required"}},
          {"name only white space",
           [](O& o) { o.set_display_name(" \t "); },
           {"organisation.display_name: is required"}},
          {"name of 200 characters, 400 bytes",
           [](O& o) { o.set_display_name(Repeat("é", 200)); },
           {}},
          {"name of 201 characters",
           [](O& o) { o.set_display_name(Repeat("a", 201)); },
           {"organisation.display_name: must be at most 200 characters"}},
          {"kind missing",
           [](O& o) { o.set_kind(O::KIND_UNSPECIFIED); },
           {"organisation.kind: is required: COUNCIL, NHS_COMMISSIONER, PROVIDER or PLATFORM"}},
          {"kind not a value of the enum",
           [](O& o) { o.set_kind(static_cast<O::Kind>(99)); },
           {"organisation.kind: is required: COUNCIL, NHS_COMMISSIONER, PROVIDER or PLATFORM"}},
          {"platform is a kind like any other", [](O& o) { o.set_kind(O::PLATFORM); }, {}},
          {"reference of 100 characters",
           [](O& o) { o.set_external_reference(Repeat("é", 100)); },
           {}},
          {"reference of 101 characters",
           [](O& o) { o.set_external_reference(Repeat("1", 101)); },
           {"organisation.external_reference: must be at most 100 characters"}},
          {"every rule at once",
           [](O& o) {
             o.clear_display_name();
             o.clear_kind();
             o.set_external_reference(Repeat("1", 101));
           },
           {"organisation.display_name: is required",
            "organisation.kind: is required: COUNCIL, NHS_COMMISSIONER, PROVIDER or PLATFORM",
            "organisation.external_reference: must be at most 100 characters"}},
      });
  O bad;
  EXPECT_EQ(ValidateOrganisation(bad).message(),
            "organisation.display_name: is required (and 1 more invalid field)");
}

TEST(ValidateProvider, EachRule) {
  using P = v1::Provider;
  P good;
  good.set_id("11111111-1111-4111-8111-111111111111");
  good.set_etag("e1");
  good.set_office_postcode("SE1 7EU");
  good.set_office_district("Southwark");
  good.add_coverage_areas("SOUTHWARK");
  good.add_coverage_areas("lewisham");
  ExpectRules<P>(
      good, &ValidateProvider,
      {
          {"good", nullptr, {}},
          {"no areas, no office: a profile may be empty",
           [](P& p) {
             p.clear_coverage_areas();
             p.clear_office_postcode();
             p.clear_office_district();
           },
           {}},
          {"id missing", [](P& p) { p.clear_id(); }, {"provider.id: is required"}},
          {"id not a UUID", [](P& p) { p.set_id("bermondsey"); }, {"provider.id: must be a UUID"}},
          {"etag missing",
           [](P& p) { p.clear_etag(); },
           {"provider.etag: is required (read the provider first)"}},
          {"postcode of 10 bytes", [](P& p) { p.set_office_postcode("SE1 7EU AB"); }, {}},
          {"postcode of 11 bytes",
           [](P& p) { p.set_office_postcode("SE1 7EU ABC"); },
           {"provider.office_postcode: is not a postcode"}},
          {"district of 100 characters", [](P& p) { p.set_office_district(Repeat("é", 100)); }, {}},
          {"district of 101 characters",
           [](P& p) { p.set_office_district(Repeat("a", 101)); },
           {"provider.office_district: must be at most 100 characters"}},
          {"an area of white space only",
           [](P& p) { p.set_coverage_areas(1, "   "); },
           {"provider.coverage_areas[1]: must be 1 to 60 characters"}},
          {"an area of 60 characters once spaces are collapsed",
           [](P& p) { p.set_coverage_areas(0, "  " + Repeat("a", 30) + "   " + Repeat("b", 29)); },
           {}},
          {"an area of 61 characters",
           [](P& p) { p.set_coverage_areas(0, Repeat("a", 61)); },
           {"provider.coverage_areas[0]: must be 1 to 60 characters"}},
          {"200 areas",
           [](P& p) {
             while (p.coverage_areas_size() < 200) p.add_coverage_areas("LEWISHAM");
           },
           {}},
          {"201 areas: counted, not each checked",
           [](P& p) {
             p.set_coverage_areas(0, "");
             while (p.coverage_areas_size() < 201) p.add_coverage_areas("LEWISHAM");
           },
           {"provider.coverage_areas: must have at most 200 items (has 201)"}},
      });
}

}  // namespace
}  // namespace pdps::registry::domain
