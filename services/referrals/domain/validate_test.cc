// Input rules name every wrong field; the NHS number check and ages.
#include "services/referrals/domain/validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "common/dates.h"
#include "common/status.h"
#include "services/referrals/domain/test_referral.h"

namespace pdps::referrals::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

constexpr char kOrgB[] = "bbbbbbbb-2222-4222-8222-222222222222";
constexpr char kStranger[] = "cccccccc-3333-4333-8333-333333333333";
// The day the referrals and people below are entered: GoodReferral starts on 2026-07-01.
const absl::CivilDay kToday(2026, 6, 16);

std::vector<std::string> Fields(const absl::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(st)) out.push_back(v.field);
  return out;
}

std::vector<std::string> Descriptions(const absl::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(st)) out.push_back(v.description);
  return out;
}

const std::set<std::string>& Members() {
  static const std::set<std::string> m = {kOrgA, kOrgB};
  return m;
}

// ------------------------------------------------------------ referral ---

TEST(ValidateReferral, GoodOnes) {
  EXPECT_TRUE(ValidateReferral(GoodReferral(), Members(), kToday).ok());
  v1::Referral today = GoodReferral();  // an emergency can start the day it is raised
  today.mutable_start_date()->set_value("2026-06-16");
  EXPECT_TRUE(ValidateReferral(today, Members(), kToday).ok());
  today.mutable_start_date()->set_value("2026-06-15");
  auto v = FieldViolationsOf(ValidateReferral(today, Members(), kToday));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "referral.start_date");
  EXPECT_EQ(v[0].description, "must be today (2026-06-16) or later");

  v1::Referral split = GoodReferral();
  split.mutable_funding(0)->set_share_basis_points(6000);
  auto* f = split.add_funding();
  f->set_organisation_id(kOrgB);
  f->set_share_basis_points(4000);
  f->set_funding_stream("continuing healthcare");
  split.mutable_end_date()->set_value("2026-07-01");  // same day as start
  split.mutable_preferences()->set_worker_gender("female");
  split.mutable_preferences()->add_languages("Polish");
  EXPECT_TRUE(ValidateReferral(split, Members(), kToday).ok());

  v1::Referral dp = GoodReferral();
  dp.clear_funding();
  dp.set_direct_payment(true);
  EXPECT_TRUE(ValidateReferral(dp, Members(), kToday).ok());

  // Organisation ids compare case-insensitively against the (lower-case) members.
  v1::Referral upper = GoodReferral();
  upper.mutable_funding(0)->set_organisation_id("AAAAAAAA-1111-4111-8111-111111111111");
  EXPECT_TRUE(ValidateReferral(upper, Members(), kToday).ok());

  for (double h : {0.25, 1.0, 37.75, 168.0}) {
    v1::Referral r = GoodReferral();
    r.set_planned_weekly_hours(h);
    EXPECT_TRUE(ValidateReferral(r, Members(), kToday).ok()) << h;
  }
}

TEST(ValidateReferral, NamesEachWrongField) {
  struct Row {
    const char* what;
    std::function<void(v1::Referral&)> change;
    std::vector<std::string> fields;
  };
  const Row rows[] = {
      {"no lot", [](auto& r) { r.clear_lot_id(); }, {"referral.lot_id"}},
      {"lot not a UUID", [](auto& r) { r.set_lot_id("lot-a"); }, {"referral.lot_id"}},
      {"no urgency",
       [](auto& r) { r.set_urgency(v1::Referral::URGENCY_UNSPECIFIED); },
       {"referral.urgency"}},
      {"blank area", [](auto& r) { r.set_area("   "); }, {"referral.area"}},
      {"postcode as area", [](auto& r) { r.set_area("SE15 4QN"); }, {"referral.area"}},
      {"outward code as area", [](auto& r) { r.set_area("se1"); }, {"referral.area"}},
      {"street address as area",
       [](auto& r) { r.set_area("12 Rye Lane, Peckham"); },
       {"referral.area"}},
      {"no hours",
       [](auto& r) { r.set_planned_weekly_hours(0); },
       {"referral.planned_weekly_hours"}},
      {"hours that round to none",  // a step check alone would let the database refuse it
       [](auto& r) { r.set_planned_weekly_hours(1e-10); },
       {"referral.planned_weekly_hours"}},
      {"negative hours",
       [](auto& r) { r.set_planned_weekly_hours(-2); },
       {"referral.planned_weekly_hours"}},
      {"more hours than a week",
       [](auto& r) { r.set_planned_weekly_hours(168.25); },
       {"referral.planned_weekly_hours"}},
      {"hours not in quarters",
       [](auto& r) { r.set_planned_weekly_hours(10.1); },
       {"referral.planned_weekly_hours"}},
      {"no session pattern",
       [](auto& r) { r.clear_session_pattern(); },
       {"referral.session_pattern"}},
      {"no outcomes", [](auto& r) { r.clear_outcomes(); }, {"referral.outcomes"}},
      {"blank outcome", [](auto& r) { r.add_outcomes(""); }, {"referral.outcomes[1]"}},
      // Lists have limits (one violation for the list, not one per item).
      {"31 outcomes",
       [](auto& r) {
         while (r.outcomes_size() < 31) r.add_outcomes("Go to school");
       },
       {"referral.outcomes"}},
      {"101 extra competencies, as many as the workforce gate takes and one more",
       [](auto& r) {
         for (int i = 0; i <= kMaxExtraCompetencies; ++i) r.add_extra_competencies("x");
       },
       {"referral.extra_competencies"}},
      {"21 languages",
       [](auto& r) {
         for (int i = 0; i < 21; ++i) r.mutable_preferences()->add_languages("Welsh");
       },
       {"referral.preferences.languages"}},
      {"no needs", [](auto& r) { r.clear_needs_summary(); }, {"referral.needs_summary"}},
      {"needs too long",
       [](auto& r) { r.set_needs_summary(std::string(4001, 'x')); },
       {"referral.needs_summary"}},
      {"communication needs too long",
       [](auto& r) { r.set_communication_needs(std::string(4001, 'x')); },
       {"referral.communication_needs"}},
      {"extract too long",
       [](auto& r) { r.set_care_plan_extract(std::string(20001, 'x')); },
       {"referral.care_plan_extract"}},
      {"no start date", [](auto& r) { r.clear_start_date(); }, {"referral.start_date"}},
      {"bad start date",
       [](auto& r) { r.mutable_start_date()->set_value("2026-13-01"); },
       {"referral.start_date"}},
      {"start yesterday",
       [](auto& r) { r.mutable_start_date()->set_value("2026-06-15"); },
       {"referral.start_date"}},
      {"bad end date",
       [](auto& r) { r.mutable_end_date()->set_value("1 July"); },
       {"referral.end_date"}},
      {"end before start",
       [](auto& r) { r.mutable_end_date()->set_value("2026-06-30"); },
       {"referral.end_date"}},
      {"odd gender",
       [](auto& r) { r.mutable_preferences()->set_worker_gender("any"); },
       {"referral.preferences.worker_gender"}},
      {"blank language",
       [](auto& r) { r.mutable_preferences()->add_languages(" "); },
       {"referral.preferences.languages[0]"}},
      {"blank extra competency",
       [](auto& r) { r.add_extra_competencies(""); },
       {"referral.extra_competencies[0]"}},
      {"extra competency in words, not its code",
       [](auto& r) {
         r.add_extra_competencies("seizure_management");
         r.add_extra_competencies("Seizure management");
       },
       {"referral.extra_competencies[1]"}},
      {"no funding", [](auto& r) { r.clear_funding(); }, {"referral.funding"}},
      {"direct payment with funding",
       [](auto& r) { r.set_direct_payment(true); },
       {"referral.funding"}},
      {"shares short of 10000",
       [](auto& r) { r.mutable_funding(0)->set_share_basis_points(9999); },
       {"referral.funding"}},
      {"shares over 10000",
       [](auto& r) {
         auto* f = r.add_funding();
         f->set_organisation_id(kOrgB);
         f->set_share_basis_points(1);
       },
       {"referral.funding"}},
      {"zero share",
       [](auto& r) { r.mutable_funding(0)->set_share_basis_points(0); },
       {"referral.funding[0].share_basis_points", "referral.funding"}},
      {"share above 10000",
       [](auto& r) { r.mutable_funding(0)->set_share_basis_points(10001); },
       {"referral.funding[0].share_basis_points", "referral.funding"}},
      {"funder not a UUID",
       [](auto& r) { r.mutable_funding(0)->set_organisation_id("council"); },
       {"referral.funding[0].organisation_id"}},
      {"funder outside the partnership",
       [](auto& r) { r.mutable_funding(0)->set_organisation_id(kStranger); },
       {"referral.funding[0].organisation_id"}},
      {"funder twice",
       [](auto& r) {
         r.mutable_funding(0)->set_share_basis_points(5000);
         auto* f = r.add_funding();
         f->set_organisation_id(kOrgA);
         f->set_share_basis_points(5000);
       },
       {"referral.funding[1].organisation_id"}},
  };
  for (const Row& row : rows) {
    v1::Referral r = GoodReferral();
    row.change(r);
    absl::Status st = ValidateReferral(r, Members(), kToday);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << row.what;
    EXPECT_THAT(Fields(st), UnorderedElementsAreArray(row.fields)) << row.what;
  }
}

TEST(ValidateReferral, AreasAreDistrictNames) {
  for (const char* area : {"SOUTHWARK", "Southwark", "King's Lynn and West Norfolk",
                           "Bournemouth, Christchurch and Poole", "Stoke-on-Trent"}) {
    v1::Referral r = GoodReferral();
    r.set_area(area);
    EXPECT_TRUE(ValidateReferral(r, Members(), kToday).ok()) << area;
  }
  v1::Referral r = GoodReferral();
  r.set_area("Flat 2, 10 Downing Street");
  auto v = FieldViolationsOf(ValidateReferral(r, Members(), kToday));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "referral.area");
  EXPECT_THAT(v[0].description, HasSubstr("not a postcode or address"));
}

TEST(ValidateReferralShape, EverythingButTheFundersMembership) {
  v1::Referral foreign = GoodReferral();
  foreign.mutable_funding(0)->set_organisation_id(kStranger);
  EXPECT_TRUE(ValidateReferralShape(foreign, kToday).ok());
  EXPECT_THAT(Fields(ValidateReferral(foreign, Members(), kToday)),
              UnorderedElementsAreArray<std::string>({"referral.funding[0].organisation_id"}));
  v1::Referral bad = foreign;
  bad.set_area("SE1 1AA");
  bad.mutable_funding(0)->set_organisation_id("not-a-uuid");
  EXPECT_THAT(Fields(ValidateReferralShape(bad, kToday)),
              UnorderedElementsAreArray<std::string>(
                  {"referral.area", "referral.funding[0].organisation_id"}));
}

TEST(ValidateReferral, ReportsEveryFieldAtOnce) {
  v1::Referral r;
  absl::Status st = ValidateReferral(r, Members(), kToday);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(st),
              UnorderedElementsAreArray<std::string>(
                  {"referral.lot_id", "referral.urgency", "referral.area",
                   "referral.planned_weekly_hours", "referral.session_pattern", "referral.outcomes",
                   "referral.needs_summary", "referral.start_date", "referral.funding"}));
}

// -------------------------------------------------------------- person ---

v1::PersonDetails GoodPerson() {
  v1::PersonDetails p;
  p.set_full_name("Alex Example");
  p.mutable_date_of_birth()->set_value("2015-03-02");
  p.add_address_lines("1 Example Street");
  p.set_postcode("SE1 1AA");
  p.set_nhs_number("9434765919");
  auto* c = p.add_contacts();
  c->set_name("Sam Example");
  c->set_relationship("mother");
  c->set_phone("020 7946 0000");
  return p;
}

TEST(ValidatePerson, GoodOnes) {
  EXPECT_TRUE(ValidatePerson(GoodPerson(), kToday).ok());
  v1::PersonDetails no_nhs = GoodPerson();
  no_nhs.clear_nhs_number();
  no_nhs.clear_contacts();
  EXPECT_TRUE(ValidatePerson(no_nhs, kToday).ok());
  v1::PersonDetails born_today = GoodPerson();
  born_today.mutable_date_of_birth()->set_value("2026-06-16");
  EXPECT_TRUE(ValidatePerson(born_today, kToday).ok());
  v1::PersonDetails aged_120 = GoodPerson();
  aged_120.mutable_date_of_birth()->set_value("1906-06-16");
  EXPECT_TRUE(ValidatePerson(aged_120, kToday).ok());
}

TEST(ValidatePerson, NamesEachWrongField) {
  struct Row {
    const char* what;
    std::function<void(v1::PersonDetails&)> change;
    std::vector<std::string> fields;
  };
  const Row rows[] = {
      {"no name", [](auto& p) { p.set_full_name(" "); }, {"person.full_name"}},
      {"11 address lines",
       [](auto& p) {
         while (p.address_lines_size() < 11) p.add_address_lines("Flat 1");
       },
       {"person.address_lines"}},
      {"no date of birth", [](auto& p) { p.clear_date_of_birth(); }, {"person.date_of_birth"}},
      {"bad date of birth",
       [](auto& p) { p.mutable_date_of_birth()->set_value("02/03/2015"); },
       {"person.date_of_birth"}},
      {"born tomorrow",
       [](auto& p) { p.mutable_date_of_birth()->set_value("2026-06-17"); },
       {"person.date_of_birth"}},
      {"over 120",
       [](auto& p) { p.mutable_date_of_birth()->set_value("1905-06-16"); },
       {"person.date_of_birth"}},
      {"no address", [](auto& p) { p.clear_address_lines(); }, {"person.address_lines"}},
      {"blank address line", [](auto& p) { p.add_address_lines(""); }, {"person.address_lines[1]"}},
      {"no postcode", [](auto& p) { p.clear_postcode(); }, {"person.postcode"}},
      {"postcode too long", [](auto& p) { p.set_postcode("SE1 1AA XXXX"); }, {"person.postcode"}},
      {"bad NHS check digit",
       [](auto& p) { p.set_nhs_number("9434765918"); },
       {"person.nhs_number"}},
      {"NHS number with spaces",
       [](auto& p) { p.set_nhs_number("943 476 5919"); },
       {"person.nhs_number"}},
      {"key safe too long",
       [](auto& p) { p.set_key_safe_code(std::string(51, '1')); },
       {"person.key_safe_code"}},
      {"contact without name",
       [](auto& p) { p.mutable_contacts(0)->clear_name(); },
       {"person.contacts[0].name"}},
      {"contact without relationship",
       [](auto& p) { p.mutable_contacts(0)->clear_relationship(); },
       {"person.contacts[0].relationship"}},
  };
  for (const Row& row : rows) {
    v1::PersonDetails p = GoodPerson();
    row.change(p);
    absl::Status st = ValidatePerson(p, kToday);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << row.what;
    EXPECT_THAT(Fields(st), UnorderedElementsAreArray(row.fields)) << row.what;
  }
}

TEST(NhsNumber, Table) {
  struct Row {
    const char* digits;
    bool valid;
  };
  const Row rows[] = {
      {"9434765919", true},   // the NHS's published example
      {"9434765918", false},  // wrong check digit
      {"9434765910", false},
      {"1000000060", true},   // remainder 0: check digit 0
      {"1000000010", false},  // check digit would be 10: never valid
      {"1000000011", false},
      {"943476591", false},    // nine digits
      {"94347659190", false},  // eleven
      {"", false},
      {"94347A5919", false},  // a letter
      {"abcdefghij", false},
      {"943476591X", false},
      {"943 476 5919", false},
      {"-434765919", false},
  };
  for (const Row& r : rows) EXPECT_EQ(ValidNhsNumber(r.digits), r.valid) << r.digits;
}

TEST(AgeOn, Birthdays) {
  using D = absl::CivilDay;
  struct Row {
    D born;
    D day;
    int age;
  };
  const Row rows[] = {
      {D(2010, 6, 16), D(2026, 6, 15), 15},  // day before the birthday
      {D(2010, 6, 16), D(2026, 6, 16), 16},  // on it
      {D(2010, 6, 16), D(2026, 6, 17), 16},
      {D(2010, 6, 16), D(2026, 5, 31), 15},
      {D(2010, 6, 16), D(2026, 12, 31), 16},
      {D(2010, 12, 31), D(2026, 1, 1), 15},
      {D(2026, 6, 16), D(2026, 6, 16), 0},  // born today
      {D(2025, 6, 17), D(2026, 6, 16), 0},
      // 29 February: a year older on 1 March in ordinary years, on the 29th in leap years.
      {D(2012, 2, 29), D(2026, 2, 28), 13},
      {D(2012, 2, 29), D(2026, 3, 1), 14},
      {D(2012, 2, 29), D(2028, 2, 28), 15},
      {D(2012, 2, 29), D(2028, 2, 29), 16},
  };
  for (const Row& r : rows) EXPECT_EQ(AgeOn(r.born, r.day), r.age) << r.born << " on " << r.day;
}

TEST(CheckAgeForLot, AgeOnTheStartDateAgainstTheLotsInclusiveRange) {
  using D = absl::CivilDay;
  struct Row {
    D born;
    D start;
    int min, max;
    bool ok;
  };
  const Row rows[] = {
      {D(2008, 12, 15), D(2026, 12, 14), 0, 18, true},   // 17, a day before turning 18
      {D(2007, 12, 15), D(2026, 12, 14), 0, 18, true},   // 18 until the 19th birthday
      {D(2007, 12, 14), D(2026, 12, 14), 0, 18, false},  // 19 on the start date itself
      {D(2026, 6, 1), D(2026, 12, 14), 0, 18, true},     // a baby: 0
      {D(2010, 12, 15), D(2026, 12, 14), 16, 120, false},  // 15 at the start...
      {D(2010, 12, 14), D(2026, 12, 14), 16, 120, true},   // ...16 on it
      {D(2019, 1, 1), D(2026, 12, 14), 5, 18, true},
      {D(2022, 1, 1), D(2026, 12, 14), 5, 18, false},
  };
  for (const Row& r : rows) {
    absl::Status st = CheckAgeForLot(r.born, r.start, r.min, r.max, "person.date_of_birth");
    EXPECT_EQ(st.ok(), r.ok) << r.born << " starting " << r.start << ": " << st;
    if (!r.ok) {
      EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(Fields(st), ElementsAre("person.date_of_birth"));
    }
  }
  // The description says the age, the date and the range; the field is the caller's.
  absl::Status st = CheckAgeForLot(D(2007, 12, 1), D(2026, 12, 14), 0, 18, "referral.start_date");
  EXPECT_THAT(Fields(st), ElementsAre("referral.start_date"));
  auto v = FieldViolationsOf(st);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].description,
            "the person is 19 on the referral's start date 2026-12-14; the lot serves ages 0 to 18");
}

// ------------------------------------------------------------- decline ---

TEST(ValidateAward, AnOfferOrAProviderWithARationale) {
  const std::string offer = "6f1c2b1e-4a5d-4b8e-9c3f-2d7a8b9c0d1e";
  const std::string provider = "0b9d5c4e-3f2a-4e1b-8d7c-6a5b4c3d2e1f";
  EXPECT_TRUE(ValidateAward(offer, "", "").ok()) << "an offer's award needs no rationale";
  EXPECT_TRUE(ValidateAward("", provider, "Only provider with a Makaton signer").ok());
  EXPECT_THAT(Fields(ValidateAward("", "", "")), ElementsAre("offer_id"));
  EXPECT_THAT(Fields(ValidateAward(offer, provider, "x")), ElementsAre("offer_id"));
  EXPECT_THAT(Fields(ValidateAward("", provider, " ")), ElementsAre("rationale"));
  EXPECT_THAT(Fields(ValidateAward("not-a-uuid", "", "")), ElementsAre("offer_id"));
  EXPECT_THAT(Fields(ValidateAward("", "not-a-uuid", "why")), ElementsAre("provider_id"));
  EXPECT_THAT(Fields(ValidateAward(offer, "", std::string(2001, 'x'))), ElementsAre("rationale"));
  EXPECT_TRUE(ValidateAward("", provider, std::string(2000, 'x')).ok());
}

TEST(ValidatePersonAccess, APurposeAndAReasonThatFitTheAccessLog) {
  EXPECT_TRUE(ValidateAccessPurpose("Arranging the first visit").ok());
  EXPECT_THAT(Fields(ValidateAccessPurpose("  ")), ElementsAre("purpose"));
  EXPECT_TRUE(ValidateAccessPurpose(std::string(kAccessPurposeMax, 'x')).ok());
  EXPECT_THAT(Fields(ValidateAccessPurpose(std::string(kAccessPurposeMax + 1, 'x'))),
              ElementsAre("purpose"));
  EXPECT_TRUE(ValidateUpdateReason("Key safe code changed by the family").ok());
  EXPECT_THAT(Fields(ValidateUpdateReason("")), ElementsAre("reason"));
  EXPECT_TRUE(ValidateUpdateReason(std::string(kUpdateReasonMax, 'x')).ok());
  EXPECT_EQ(ValidateUpdateReason(std::string(kUpdateReasonMax + 1, 'x')).message(),
            "reason: must be at most 490 characters");
  // Logged as "update: <reason>", the longest reason still fits the log's purpose.
  static_assert(kUpdateReasonMax + sizeof("update: ") - 1 <= kAccessPurposeMax);
}

TEST(ValidateDecline, NeedsReasonAndRationale) {
  EXPECT_TRUE(ValidateDecline(v1::NO_CAPACITY, "No worker free before 08:00.").ok());

  absl::Status st = ValidateDecline(v1::NO_CAPACITY, "");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(st), ElementsAre("rationale"));
  EXPECT_THAT(std::string(st.message()), HasSubstr("rationale"));

  EXPECT_THAT(Fields(ValidateDecline(v1::OTHER, " \t\n")), ElementsAre("rationale"));
  absl::Status too_long = ValidateDecline(v1::OTHER, std::string(2001, 'x'));
  EXPECT_THAT(Fields(too_long), ElementsAre("rationale"));
  EXPECT_THAT(std::string(too_long.message()),
              HasSubstr("rationale: must be at most 2000 characters"));
  EXPECT_TRUE(ValidateDecline(v1::OTHER, std::string(2000, 'x')).ok());
  EXPECT_THAT(Fields(ValidateDecline(v1::DECLINE_REASON_UNSPECIFIED, "full")),
              ElementsAre("reason"));
  EXPECT_THAT(Fields(ValidateDecline(v1::DECLINE_REASON_UNSPECIFIED, "")),
              UnorderedElementsAreArray<std::string>({"reason", "rationale"}));
  // The message names the first field, as every other INVALID_ARGUMENT does.
  EXPECT_THAT(std::string(ValidateDecline(v1::DECLINE_REASON_UNSPECIFIED, "").message()),
              HasSubstr("reason: is required (e.g. NO_CAPACITY"));
}

// ------------------------------------------------------------ proposal ---

v1::Proposal GoodProposal() {
  v1::Proposal p;
  p.add_matched_competencies("safeguarding_l2");
  p.add_matched_competencies("peg_feeding");
  p.mutable_worker_profile()->set_role("senior support worker");
  p.mutable_worker_profile()->set_years_experience(6);
  p.mutable_worker_profile()->set_summary("Six years with children with complex needs.");
  return p;
}

TEST(ValidateProposal, Table) {
  const std::set<std::string> required = {"safeguarding_l2", "peg_feeding", "manual_handling"};
  EXPECT_TRUE(ValidateProposal(GoodProposal(), required).ok());
  struct Row {
    const char* what;
    std::function<void(v1::Proposal&)> change;
    std::vector<std::string> fields;
  };
  const Row rows[] = {
      {"no competencies and no named worker",
       [](auto& p) {
         p.clear_matched_competencies();
         p.mutable_worker_profile()->clear_staff_id();
       },
       {"proposal.matched_competencies"}},
      {"competency not asked for",
       [](auto& p) { p.add_matched_competencies("driving"); },
       {"proposal.matched_competencies[2]"}},
      {"a competency twice: the repeat, naming the first",
       [](auto& p) { p.add_matched_competencies(p.matched_competencies(0)); },
       {"proposal.matched_competencies[2]"}},
      {"no role",
       [](auto& p) { p.mutable_worker_profile()->clear_role(); },
       {"proposal.worker_profile.role"}},
      {"no summary",
       [](auto& p) { p.mutable_worker_profile()->set_summary(""); },
       {"proposal.worker_profile.summary"}},
      {"negative experience",
       [](auto& p) { p.mutable_worker_profile()->set_years_experience(-1); },
       {"proposal.worker_profile.years_experience"}},
      {"implausible experience",
       [](auto& p) { p.mutable_worker_profile()->set_years_experience(71); },
       {"proposal.worker_profile.years_experience"}},
      {"staff id not a UUID",
       [](auto& p) { p.mutable_worker_profile()->set_staff_id("w1"); },
       {"proposal.worker_profile.staff_id"}},
      {"notes too long", [](auto& p) { p.set_notes(std::string(4001, 'x')); }, {"proposal.notes"}},
  };
  for (const Row& row : rows) {
    v1::Proposal p = GoodProposal();
    row.change(p);
    absl::Status st = ValidateProposal(p, required);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << row.what;
    EXPECT_THAT(Fields(st), UnorderedElementsAreArray(row.fields)) << row.what;
  }
}

// A named worker's competencies come from the compliance gate, so none need be typed.
TEST(ValidateProposal, ANamedWorkerNeedsNoCompetenciesTyped) {
  v1::Proposal p = GoodProposal();
  p.clear_matched_competencies();
  p.mutable_worker_profile()->set_staff_id("7f1c9a52-3a43-4c3e-9d0e-2f7b0e0c8a11");
  EXPECT_TRUE(ValidateProposal(p, {"safeguarding_l2"}).ok());
}

TEST(ValidateProposal, ARepeatSaysWhichItRepeats) {
  const std::set<std::string> required = {"safeguarding_l2", "peg_feeding", "manual_handling"};
  v1::Proposal p = GoodProposal();
  p.add_matched_competencies(p.matched_competencies(1));
  absl::Status st = ValidateProposal(p, required);
  EXPECT_EQ(st.message(),
            "proposal.matched_competencies[2]: repeats proposal.matched_competencies[1]");
  // A code not asked for is what is wrong with it, not that it comes twice.
  p.set_matched_competencies(2, "driving");
  p.add_matched_competencies("driving");
  EXPECT_THAT(Fields(ValidateProposal(p, required)),
              ElementsAre("proposal.matched_competencies[2]", "proposal.matched_competencies[3]"));
}

TEST(ValidateReferral, ExtraCompetenciesAreEachGivenOnce) {
  v1::Referral r = GoodReferral();
  r.clear_extra_competencies();
  for (const char* code : {"first_aid", "asd_challenging_behaviour", "asd_challenging_behaviour"}) {
    r.add_extra_competencies(code);
  }
  absl::Status st = ValidateReferralShape(r, kToday);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "referral.extra_competencies[2]: repeats referral.extra_competencies[1]");
}

TEST(CheckExtrasBeyondLot, AnExtraAlreadyInTheBaseSetIsRefused) {
  const std::vector<std::string> lot = {"first_aid", "safeguarding_l2"};
  EXPECT_TRUE(CheckExtrasBeyondLot({"seizure_management"}, lot).ok());
  EXPECT_TRUE(CheckExtrasBeyondLot({}, lot).ok());
  EXPECT_TRUE(CheckExtrasBeyondLot({"first_aid"}, {}).ok());
  absl::Status st = CheckExtrasBeyondLot({"asd_challenging_behaviour", "first_aid"}, lot);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(st), ElementsAre("referral.extra_competencies[1]"));
  EXPECT_THAT(st.message(), HasSubstr("is already in the lot's base set (first_aid, "
                                      "safeguarding_l2)"));
}

TEST(ValidateReferral, AnEmergencyStartsTodayOrTomorrow) {
  for (int days : {0, 1}) {
    v1::Referral r = GoodReferral();
    r.set_urgency(v1::Referral::EMERGENCY);
    r.mutable_start_date()->set_value(dates::FormatDay(kToday + days));
    EXPECT_TRUE(ValidateReferral(r, Members(), kToday).ok()) << days;
  }
  v1::Referral r = GoodReferral();  // starts 2026-07-01, 15 days after kToday
  r.set_urgency(v1::Referral::EMERGENCY);
  absl::Status st = ValidateReferral(r, Members(), kToday);
  EXPECT_THAT(Fields(st), ElementsAre("referral.urgency"));
  EXPECT_THAT(st.message(), HasSubstr("starting today (2026-06-16) or tomorrow (2026-06-17)"));
  EXPECT_THAT(st.message(), HasSubstr("start_date 2026-07-01 is 15 days away"));
  EXPECT_THAT(st.message(), HasSubstr("make it ROUTINE, or correct the start date"));
  // The same start as ROUTINE is a planned start.
  r.set_urgency(v1::Referral::ROUTINE);
  EXPECT_TRUE(ValidateReferral(r, Members(), kToday).ok());
}

TEST(CheckEmergencyNoticeAtOpening, ADraftOpenedTooLateIsNoEmergency) {
  v1::Referral r = GoodReferral();
  r.set_id("eeeeeeee-5555-4555-8555-555555555555");
  r.set_urgency(v1::Referral::EMERGENCY);
  r.mutable_start_date()->set_value(dates::FormatDay(kToday + 1));
  EXPECT_TRUE(CheckEmergencyNoticeAtOpening(r, kToday).ok());
  EXPECT_TRUE(CheckEmergencyNoticeAtOpening(r, kToday + 1).ok());
  // Raised on 16 June to start the next day, opened on the 20th: no emergency any more.
  absl::Status passed = CheckEmergencyNoticeAtOpening(r, kToday + 4);
  EXPECT_EQ(passed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(passed.message(), HasSubstr("start_date 2026-06-17 has passed"));
  // Raised before the rule for the 19th, opened on the 16th.
  r.mutable_start_date()->set_value(dates::FormatDay(kToday + 3));
  absl::Status st = CheckEmergencyNoticeAtOpening(r, kToday);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(st.message(), HasSubstr("cannot be opened as an emergency"));
  EXPECT_THAT(st.message(), HasSubstr("UpdateReferral while it is DRAFT"));
  auto v = PreconditionViolationsOf(st);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].type, "EMERGENCY_NOTICE");
  EXPECT_EQ(v[0].subject, "referral/eeeeeeee-5555-4555-8555-555555555555");
  r.set_urgency(v1::Referral::ROUTINE);
  EXPECT_TRUE(CheckEmergencyNoticeAtOpening(r, kToday).ok());
}

TEST(RequiredCompetencies, LotFirstThenExtrasEachOnce) {
  EXPECT_THAT(RequiredCompetencies({"first_aid", "safeguarding"},
                                   {"seizure_management", "first_aid", "makaton"}),
              ElementsAre("first_aid", "safeguarding", "seizure_management", "makaton"));
  EXPECT_THAT(RequiredCompetencies({}, {}), IsEmpty());
}

TEST(UnmatchedCompetencies, TheGapInTheReferralsOrder) {
  const std::vector<std::string> required = {"first_aid", "safeguarding", "seizure_management",
                                             "makaton"};
  v1::Proposal p;
  p.add_matched_competencies("makaton");
  p.add_matched_competencies("first_aid");
  EXPECT_THAT(UnmatchedCompetencies(required, p),
              ElementsAre("safeguarding", "seizure_management"));
  for (const auto& code : required) p.add_matched_competencies(code);
  EXPECT_THAT(UnmatchedCompetencies(required, p), IsEmpty());
}

// What a provider cannot set is cleared, what the service decides is set, the rest kept.
TEST(ProposalAsSubmitted, OfficersFieldsClearedAndTheGapComputed) {
  v1::Proposal given;
  given.mutable_worker_profile()->set_role("senior support worker");
  given.set_notes("Eight years with children who use Makaton");
  given.add_matched_competencies("makaton");
  given.set_shortlisted(true);
  given.set_family_view("we liked her");
  given.set_family_met_worker(true);
  given.set_reviewed_by_user("officer-1");
  given.set_reviewed_by_organisation("council-1");
  given.mutable_reviewed_at()->set_seconds(1796230276);
  given.set_worker_checked(true);
  given.add_unmatched_competencies("nothing");
  const v1::Proposal p = ProposalAsSubmitted(given, false, {"first_aid", "makaton"});
  EXPECT_EQ(p.worker_profile().role(), "senior support worker");
  EXPECT_EQ(p.notes(), given.notes());
  EXPECT_THAT(p.matched_competencies(), ElementsAre("makaton"));
  EXPECT_FALSE(p.shortlisted());
  EXPECT_EQ(p.family_view(), "");
  EXPECT_FALSE(p.family_met_worker());
  EXPECT_EQ(p.reviewed_by_user(), "");
  EXPECT_EQ(p.reviewed_by_organisation(), "");
  EXPECT_FALSE(p.has_reviewed_at());
  EXPECT_FALSE(p.worker_checked());
  EXPECT_THAT(p.unmatched_competencies(), ElementsAre("first_aid"));
  // A worker the gate passed holds the referral's every competency, whatever was typed.
  const v1::Proposal checked = ProposalAsSubmitted(given, true, {"first_aid", "makaton"});
  EXPECT_TRUE(checked.worker_checked());
  EXPECT_THAT(checked.matched_competencies(), ElementsAre("first_aid", "makaton"));
  EXPECT_THAT(checked.unmatched_competencies(), IsEmpty());
}

// ----------------------------------------------------------------- bid ---

v1::Bid GoodBid() {
  v1::Bid b;
  b.mutable_hourly_rate()->set_pence(2400);
  for (int q = 0; q < 2; ++q) {
    auto* a = b.add_answers();
    a->set_question_index(q);
    a->set_answer("We will ...");
  }
  return b;
}

TEST(ValidateBid, AnUnsetRateIsRequiredNotOutOfRange) {
  v1::Bid b = GoodBid();
  b.clear_hourly_rate();
  EXPECT_THAT(Descriptions(ValidateBid(b, 2500, 2)), ElementsAre(HasSubstr("is required")));
}

TEST(ValidateBid, Table) {
  EXPECT_TRUE(ValidateBid(GoodBid(), 2500, 2).ok());
  v1::Bid at_max = GoodBid();
  at_max.mutable_hourly_rate()->set_pence(2500);
  EXPECT_TRUE(ValidateBid(at_max, 2500, 2).ok());
  v1::Bid no_questions;
  no_questions.mutable_hourly_rate()->set_pence(1000);
  EXPECT_TRUE(ValidateBid(no_questions, 2500, 0).ok());

  struct Row {
    const char* what;
    std::function<void(v1::Bid&)> change;
    std::vector<std::string> fields;
  };
  const Row rows[] = {
      {"above the maximum",
       [](auto& b) { b.mutable_hourly_rate()->set_pence(2501); },
       {"bid.hourly_rate"}},
      {"zero rate", [](auto& b) { b.mutable_hourly_rate()->set_pence(0); }, {"bid.hourly_rate"}},
      {"no rate", [](auto& b) { b.clear_hourly_rate(); }, {"bid.hourly_rate"}},
      {"negative rate",
       [](auto& b) { b.mutable_hourly_rate()->set_pence(-5); },
       {"bid.hourly_rate"}},
      {"missing answer", [](auto& b) { b.mutable_answers()->RemoveLast(); }, {"bid.answers"}},
      {"no answers", [](auto& b) { b.clear_answers(); }, {"bid.answers", "bid.answers"}},
      {"blank answer",
       [](auto& b) { b.mutable_answers(1)->set_answer("  "); },
       {"bid.answers[1].answer"}},
      {"answer too long",
       [](auto& b) { b.mutable_answers(0)->set_answer(std::string(4001, 'x')); },
       {"bid.answers[0].answer"}},
      {"question twice",
       [](auto& b) { b.mutable_answers(1)->set_question_index(0); },
       {"bid.answers[1].question_index", "bid.answers"}},
      {"no such question",
       [](auto& b) { b.mutable_answers(1)->set_question_index(2); },
       {"bid.answers[1].question_index", "bid.answers"}},
      {"negative question",
       [](auto& b) { b.mutable_answers(0)->set_question_index(-1); },
       {"bid.answers[0].question_index", "bid.answers"}},
  };
  for (const Row& row : rows) {
    v1::Bid b = GoodBid();
    row.change(b);
    absl::Status st = ValidateBid(b, 2500, 2);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << row.what;
    EXPECT_THAT(Fields(st), UnorderedElementsAreArray(row.fields)) << row.what;
  }
}

TEST(ValidateBid, AboveMaximumSaysTheMaximum) {
  v1::Bid b = GoodBid();
  b.mutable_hourly_rate()->set_pence(2600);
  auto v = FieldViolationsOf(ValidateBid(b, 2500, 2));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "bid.hourly_rate");
  EXPECT_EQ(v[0].description, "is above the lot's maximum price of £25.00 an hour");
}

TEST(ValidateMarks, Table) {
  struct Row {
    std::vector<int> marks;
    int questions;
    std::vector<std::string> fields;
  };
  const Row rows[] = {
      {{3, 4}, 2, {}},
      {{0, 5}, 2, {}},
      {{}, 0, {}},
      {{3}, 2, {"marks"}},
      {{3, 4, 5}, 2, {"marks"}},
      {{6, -1}, 2, {"marks[0]", "marks[1]"}},
      {{6}, 2, {"marks", "marks[0]"}},
  };
  for (const Row& r : rows) {
    absl::Status st = ValidateMarks(r.marks, r.questions);
    EXPECT_EQ(st.ok(), r.fields.empty()) << st;
    EXPECT_THAT(Fields(st), UnorderedElementsAreArray(r.fields)) << st;
  }
}

}  // namespace
}  // namespace pdps::referrals::domain
