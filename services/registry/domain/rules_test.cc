// Registry rules, table-driven.
#include "services/registry/domain/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "pdps/registry/v1/registry.pb.h"

namespace pdps::registry::domain {
namespace {

using S = AdmissionState;
using V = AdmissionVerb;

TEST(Admission, TransitionTable) {
  struct Row {
    S from;
    V verb;
    std::optional<S> to;  // nullopt: refused
  };
  const Row rows[] = {
      {S::kApplied, V::kAdmit, S::kActive},        {S::kApplied, V::kReject, S::kRejected},
      {S::kApplied, V::kSuspend, {}},              {S::kApplied, V::kReinstate, {}},
      {S::kApplied, V::kTerminate, {}},            {S::kActive, V::kAdmit, {}},
      {S::kActive, V::kReject, {}},                {S::kActive, V::kSuspend, S::kSuspended},
      {S::kActive, V::kReinstate, {}},             {S::kActive, V::kTerminate, S::kTerminated},
      {S::kSuspended, V::kAdmit, {}},              {S::kSuspended, V::kSuspend, {}},
      {S::kSuspended, V::kReinstate, S::kActive},  {S::kSuspended, V::kTerminate, S::kTerminated},
      {S::kRejected, V::kAdmit, {}},               {S::kRejected, V::kReinstate, {}},
      {S::kTerminated, V::kReinstate, {}},         {S::kTerminated, V::kSuspend, {}},
      {S::kTerminated, V::kTerminate, {}},
  };
  for (const auto& r : rows) {
    auto got = Transition(r.from, r.verb, "a1");
    if (r.to) {
      ASSERT_TRUE(got.ok()) << StateName(r.from) << " " << VerbName(r.verb);
      EXPECT_EQ(*got, *r.to);
    } else {
      EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition)
          << StateName(r.from) << " " << VerbName(r.verb);
      auto reason = PreconditionViolationsOf(got.status());
      ASSERT_EQ(reason.size(), 1u);
      EXPECT_EQ(reason[0].type, "ADMISSION_STATE");
      EXPECT_EQ(reason[0].subject, "admission/a1");
    }
  }
}

TEST(Admission, StateNamesRoundTrip) {
  for (auto s : {S::kApplied, S::kActive, S::kRejected, S::kSuspended, S::kTerminated}) {
    EXPECT_EQ(ParseState(StateName(s)), s);
  }
  EXPECT_FALSE(ParseState("OPEN").has_value());
}

TEST(Windows, OpenOnInclusiveDays) {
  std::vector<Window> w = {{absl::CivilDay(2026, 4, 1), absl::CivilDay(2026, 4, 30)},
                           {absl::CivilDay(2026, 10, 1), absl::CivilDay(2026, 10, 31)}};
  EXPECT_FALSE(IsOpenOn(w, absl::CivilDay(2026, 3, 31)));
  EXPECT_TRUE(IsOpenOn(w, absl::CivilDay(2026, 4, 1)));
  EXPECT_TRUE(IsOpenOn(w, absl::CivilDay(2026, 4, 30)));
  EXPECT_FALSE(IsOpenOn(w, absl::CivilDay(2026, 5, 1)));
  EXPECT_TRUE(IsOpenOn(w, absl::CivilDay(2026, 10, 15)));
  EXPECT_EQ(FirstOverlap(w), -1);
  w.push_back({absl::CivilDay(2026, 4, 30), absl::CivilDay(2026, 5, 5)});
  EXPECT_EQ(FirstOverlap(w), 2);
}

TEST(Documents, StatusByExpiryDate) {
  absl::CivilDay today(2026, 11, 24);
  EXPECT_EQ(StatusOn(std::nullopt, today), DocumentStatus::kCurrent);
  EXPECT_EQ(StatusOn(absl::CivilDay(2026, 11, 23), today), DocumentStatus::kExpired);
  EXPECT_EQ(StatusOn(absl::CivilDay(2026, 11, 24), today), DocumentStatus::kExpiringSoon);
  EXPECT_EQ(StatusOn(absl::CivilDay(2026, 12, 24), today), DocumentStatus::kExpiringSoon);
  EXPECT_EQ(StatusOn(absl::CivilDay(2026, 12, 25), today), DocumentStatus::kCurrent);
}

TEST(Capacity, DueDateAndLateness) {
  absl::CivilMonth oct(2026, 10);
  EXPECT_EQ(CapacityReturnDueDate(oct, 10), absl::CivilDay(2026, 11, 10));
  EXPECT_EQ(CapacityReturnDueDate(absl::CivilMonth(2026, 12), 10), absl::CivilDay(2027, 1, 10));
  EXPECT_FALSE(IsLate(oct, 10, absl::CivilDay(2026, 11, 10)));
  EXPECT_TRUE(IsLate(oct, 10, absl::CivilDay(2026, 11, 11)));
  EXPECT_FALSE(IsLate(oct, 10, absl::CivilDay(2026, 10, 31)));
}

TEST(Capacity, OwedByAdmissionsMadeActiveInTheMonthAndNotTerminatedBeforeItWasDue) {
  CapacityReturnOwed oct = WhoOwesCapacityReturn(absl::CivilMonth(2026, 10), 10);
  EXPECT_EQ(oct.admitted_by, absl::CivilDay(2026, 10, 31));
  EXPECT_EQ(oct.due, absl::CivilDay(2026, 11, 10));
  CapacityReturnOwed feb = WhoOwesCapacityReturn(absl::CivilMonth(2028, 2), 28);
  EXPECT_EQ(feb.admitted_by, absl::CivilDay(2028, 2, 29));  // a leap year
  EXPECT_EQ(feb.due, absl::CivilDay(2028, 3, 28));
  CapacityReturnOwed dec = WhoOwesCapacityReturn(absl::CivilMonth(2026, 12), 1);
  EXPECT_EQ(dec.admitted_by, absl::CivilDay(2026, 12, 31));
  EXPECT_EQ(dec.due, absl::CivilDay(2027, 1, 1));
}

TEST(ActionPlan, ChangesOnlyWhileSuspended) {
  for (auto change : {PlanChange::kAddItems, PlanChange::kCompleteItem}) {
    EXPECT_TRUE(RequirePlanOpen(S::kSuspended, change, "a1").ok());
    for (auto s : {S::kApplied, S::kActive, S::kRejected, S::kTerminated}) {
      absl::Status st = RequirePlanOpen(s, change, "a1");
      EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_EQ(PreconditionViolationsOf(st).at(0).subject, "admission/a1");
      EXPECT_THAT(std::string(st.message()),
                  ::testing::StartsWith(
                      absl::StrCat("the admission is ", StateName(s), "; action plan items")));
    }
  }
}

TEST(Capacity, AReturnIsForAMonthOnTheFramework) {
  const absl::CivilDay admitted(2026, 12, 2);
  EXPECT_TRUE(CheckReturnMonthAdmitted(absl::CivilMonth(2026, 12), admitted, "f").ok());
  EXPECT_TRUE(CheckReturnMonthAdmitted(absl::CivilMonth(2027, 1), admitted, "f").ok());
  // Admitted on the 31st: that month is owed in full (decision 0055).
  EXPECT_TRUE(
      CheckReturnMonthAdmitted(absl::CivilMonth(2026, 10), absl::CivilDay(2026, 10, 31), "f").ok());
  absl::Status st = CheckReturnMonthAdmitted(absl::CivilMonth(2026, 11), admitted, "f");
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(),
            "no capacity return is owed for 2026-11, a month before you were on this framework "
            "(first admitted to the framework on 2026-12-02: returns are owed from 2026-12); "
            "make the return for 2026-12 or later");
  ASSERT_EQ(PreconditionViolationsOf(st).size(), 1u);
  EXPECT_EQ(PreconditionViolationsOf(st)[0].type, "RETURN_BEFORE_ADMISSION");
  EXPECT_EQ(PreconditionViolationsOf(st)[0].subject, "framework/f");
}

TEST(Capacity, DeclaredCapacityIsThisMonthsOrOneOfTheTwoBefore) {
  absl::CivilDay day(2026, 11, 24);
  EXPECT_EQ(EarliestCapacityMonth(day), absl::CivilMonth(2026, 9));
  EXPECT_EQ(EarliestCapacityMonth(absl::CivilDay(2027, 1, 1)), absl::CivilMonth(2026, 11));
  EXPECT_DOUBLE_EQ(AverageWeeklyHours(100, 3), 33.3);
  EXPECT_DOUBLE_EQ(AverageWeeklyHours(100, 0), 0);
}

TEST(Cover, EachKindShortOfTheFrameworksMinimumIsNamed) {
  const Cover seed_004{500000000, 1000000000};  // £5m employer's, £10m public (3.26)
  EXPECT_THAT(CoverShortfalls({500000000, 1000000000}, seed_004), ::testing::IsEmpty());
  EXPECT_THAT(CoverShortfalls({600000000, 1500000000}, seed_004), ::testing::IsEmpty());
  EXPECT_THAT(CoverShortfalls({100000000, 0}, seed_004),
              ::testing::ElementsAre(
                  "employer's liability cover in date is £1,000,000.00; the framework "
                  "requires at least £5,000,000.00",
                  "public liability cover in date is none; the framework requires at least "
                  "£10,000,000.00"));
  EXPECT_THAT(CoverShortfalls({0, 0}, {0, 0}), ::testing::IsEmpty());  // no minimum set
}

// A policy filed is held to the minimum of its own kind, met exactly or more; any other
// kind of document is not a policy whose cover counts.
TEST(Cover, AFiledPolicyMeetsItsKindsMinimumAndOtherKindsAreNotChecked) {
  const Cover seed_004{500000000, 1000000000};  // £5m employer's, £10m public (3.26)
  struct Row {
    const char* kind;
    int64_t cover_pence;
    bool ok;
  };
  const Row rows[] = {
      {"EMPLOYERS_LIABILITY", 500000000, true},   // exactly the minimum
      {"EMPLOYERS_LIABILITY", 499999999, false},  // a penny short
      {"EMPLOYERS_LIABILITY", 600000000, true},   // the public minimum is not its own
      {"PUBLIC_LIABILITY", 1000000000, true},
      {"PUBLIC_LIABILITY", 500000000, false},  // enough for employer's, not for public
      {"PUBLIC_LIABILITY", 0, false},
      {"OTHER_INSURANCE", 0, true},
      {"CQC_REGISTRATION", 0, true},
      {"", 0, true},
  };
  for (const Row& r : rows) {
    absl::Status st = CheckDocumentCover(r.kind, r.cover_pence, seed_004);
    EXPECT_EQ(st.ok(), r.ok) << r.kind << " " << r.cover_pence;
    if (r.ok) continue;
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << r.kind;
    ASSERT_EQ(FieldViolationsOf(st).size(), 1u) << r.kind;
    EXPECT_EQ(FieldViolationsOf(st)[0].field, "document.cover");
  }
  EXPECT_EQ(
      FieldViolationsOf(CheckDocumentCover("PUBLIC_LIABILITY", 100000000, seed_004))[0].description,
      "is below the minimum of £10,000,000.00 required by a framework you are admitted to");
  // On no framework yet: no minimum, so no cover is too little.
  EXPECT_TRUE(CheckDocumentCover("EMPLOYERS_LIABILITY", 0, {0, 0}).ok());
}

// Registrations and employer's and public liability block a provider when they lapse,
// however filed (decision 0006); every other kind, OTHER_INSURANCE too, only when filed
// as mandatory.
TEST(Documents, AlwaysMandatoryForEveryKind) {
  using K = v1::ComplianceDocument;
  const std::set<std::string> mandatory = {"CQC_REGISTRATION", "OFSTED_REGISTRATION",
                                           "EMPLOYERS_LIABILITY", "PUBLIC_LIABILITY"};
  const auto* kinds = K::Kind_descriptor();
  ASSERT_EQ(kinds->value_count(), 9);  // a new kind: say here whether it is mandatory
  for (int i = 0; i < kinds->value_count(); ++i) {
    const std::string& name = kinds->value(i)->name();
    EXPECT_EQ(AlwaysMandatory(name), mandatory.count(name) > 0) << name;
  }
  EXPECT_TRUE(AlwaysMandatory(K::Kind_Name(K::OFSTED_REGISTRATION)));
  EXPECT_FALSE(AlwaysMandatory(K::Kind_Name(K::OTHER_INSURANCE)));
  // The store's names only: not a display name, not another case.
  EXPECT_FALSE(AlwaysMandatory("cqc_registration"));
  EXPECT_FALSE(AlwaysMandatory(""));
}

// What is stored: a provider cannot file (or later switch) a registration or a liability
// policy as optional; other kinds keep what was filed.
TEST(Documents, MandatoryAsStored) {
  EXPECT_TRUE(Mandatory("PUBLIC_LIABILITY", false));
  EXPECT_TRUE(Mandatory("CQC_REGISTRATION", false));
  EXPECT_TRUE(Mandatory("OTHER_INSURANCE", true));
  EXPECT_FALSE(Mandatory("OTHER_INSURANCE", false));
  EXPECT_FALSE(Mandatory("POLICY", false));
}

}  // namespace
}  // namespace pdps::registry::domain
