// The workforce rules, table-driven: the compliance gate at every boundary (expires
// today: valid today, lapsed tomorrow), package extras and matrix versions across their
// effective date; expiry watch; the quarterly return against hand-computed figures; the
// complaint deadline across bank holidays and weekends; financial viability; the
// automatic suspension rules.
#include "services/workforce/domain/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "common/dates.h"
#include "common/testing/london.h"
#include "pdps/workforce/v1/workforce.pb.h"

namespace pdps::workforce::domain {
namespace {

using pdps::testing::London;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

Day D(int y, int m, int d) { return Day(y, m, d); }

CompetencyRule Comp(const char* code, int renewal, bool conditional = false, int weeks = 0,
                    int months = 0) {
  CompetencyRule c;
  c.code = code;
  c.name = code;
  c.renewal_months = renewal;
  c.conditional = conditional;
  c.due_within_weeks = weeks;
  c.due_within_months = months;
  return c;
}

Matrix BaseMatrix() {
  Matrix m;
  m.id = "m1";
  m.version = 1;
  m.effective_from = D(2025, 1, 1);
  m.competencies = {Comp("first_aid", 36), Comp("safeguarding", 12),
                    Comp("seizure_management", 12, /*conditional=*/true),
                    Comp("care_certificate", 0, false, /*weeks=*/12)};
  return m;
}

Worker GoodWorker() {
  Worker w;
  w.id = "w1";
  w.start = D(2024, 1, 15);
  w.dbs_date = D(2024, 1, 10);
  w.barred_list_checked = D(2024, 1, 10);
  w.right_to_work = RightToWork::kUnlimited;
  return w;
}

std::vector<Completion> GoodDone() {
  return {{"first_aid", D(2024, 2, 1)}, {"safeguarding", D(2025, 6, 30)},
          {"care_certificate", D(2024, 3, 1)}};
}

Reason R(ReasonKind k, std::string code = "", std::optional<Day> date = std::nullopt) {
  return Reason{k, std::move(code), date};
}

TEST(AddMonths, ClampsToTheMonthsLastDay) {
  EXPECT_EQ(AddMonths(D(2026, 1, 31), 1), D(2026, 2, 28));
  EXPECT_EQ(AddMonths(D(2024, 1, 31), 1), D(2024, 2, 29));
  EXPECT_EQ(AddMonths(D(2024, 2, 29), 12), D(2025, 2, 28));
  EXPECT_EQ(AddMonths(D(2026, 3, 31), -1), D(2026, 2, 28));
  EXPECT_EQ(AddMonths(D(2026, 11, 15), 3), D(2027, 2, 15));
  EXPECT_EQ(AddMonths(D(2026, 5, 5), 0), D(2026, 5, 5));
}

struct Case {
  const char* name;
  std::function<void(Worker&, std::vector<Completion>&, Matrix&)> change;
  std::vector<std::string> extras;
  Day day;
  std::vector<Reason> want;
};

TEST(CheckEligibility, Table) {
  const Case cases[] = {
      {"eligible, safeguarding expires today", nullptr, {}, D(2026, 6, 30), {}},
      {"safeguarding lapsed tomorrow", nullptr, {}, D(2026, 7, 1),
       {R(ReasonKind::kCompetencyExpired, "safeguarding", D(2026, 6, 30))}},
      {"DBS expires today (36 months)",
       [](Worker& w, auto&, auto&) { w.dbs_date = D(2023, 6, 30); }, {}, D(2026, 6, 30), {}},
      {"DBS lapsed tomorrow", [](Worker& w, auto&, auto&) { w.dbs_date = D(2023, 6, 29); }, {},
       D(2026, 6, 30), {R(ReasonKind::kDbsExpired, "", D(2026, 6, 29))}},
      {"DBS period from the matrix (Lewisham-style 6 months)",
       [](Worker& w, auto&, Matrix& m) {
         w.dbs_date = D(2025, 12, 31);
         m.dbs_renewal_months = 6;
       },
       {}, D(2026, 6, 30), {}},
      {"DBS period from the matrix, a day late",
       [](Worker& w, auto&, Matrix& m) {
         w.dbs_date = D(2025, 12, 29);
         m.dbs_renewal_months = 6;
       },
       {}, D(2026, 6, 30), {R(ReasonKind::kDbsExpired, "", D(2026, 6, 29))}},
      {"no DBS and no barred-list check",
       [](Worker& w, auto&, auto&) {
         w.dbs_date.reset();
         w.barred_list_checked.reset();
       },
       {}, D(2026, 6, 1), {R(ReasonKind::kDbsMissing), R(ReasonKind::kBarredListMissing)}},
      {"barred-list check missing", [](Worker& w, auto&, auto&) { w.barred_list_checked.reset(); },
       {}, D(2026, 6, 1), {R(ReasonKind::kBarredListMissing)}},
      {"right to work expires today",
       [](Worker& w, auto&, auto&) {
         w.right_to_work = RightToWork::kTimeLimited;
         w.right_to_work_expiry = D(2026, 6, 1);
       },
       {}, D(2026, 6, 1), {}},
      {"right to work lapsed",
       [](Worker& w, auto&, auto&) {
         w.right_to_work = RightToWork::kTimeLimited;
         w.right_to_work_expiry = D(2026, 5, 31);
       },
       {}, D(2026, 6, 1), {R(ReasonKind::kRightToWorkLapsed, "", D(2026, 5, 31))}},
      {"right to work not checked",
       [](Worker& w, auto&, auto&) { w.right_to_work = RightToWork::kNone; }, {}, D(2026, 6, 1),
       {R(ReasonKind::kRightToWorkMissing)}},
      {"time-limited right to work without an expiry",
       [](Worker& w, auto&, auto&) { w.right_to_work = RightToWork::kTimeLimited; }, {},
       D(2026, 6, 1), {R(ReasonKind::kRightToWorkMissing)}},
      {"NMC required, not registered",
       [](Worker&, auto&, Matrix& m) { m.required_registration_body = "NMC"; }, {}, D(2026, 6, 1),
       {R(ReasonKind::kRegistrationMissing)}},
      {"NMC required, registered elsewhere",
       [](Worker& w, auto&, Matrix& m) {
         m.required_registration_body = "NMC";
         w.registration_body = "HCPC";
         w.registration_expiry = D(2027, 1, 1);
       },
       {}, D(2026, 6, 1), {R(ReasonKind::kRegistrationMissing)}},
      {"NMC registration recorded in lower case",
       [](Worker& w, auto&, Matrix& m) {
         m.required_registration_body = "NMC";
         w.registration_body = "nmc";
         w.registration_expiry = D(2027, 1, 1);
       },
       {}, D(2026, 6, 1), {}},
      {"NMC registration expires today",
       [](Worker& w, auto&, Matrix& m) {
         m.required_registration_body = "NMC";
         w.registration_body = "NMC";
         w.registration_expiry = D(2026, 6, 1);
       },
       {}, D(2026, 6, 1), {}},
      {"NMC registration lapsed",
       [](Worker& w, auto&, Matrix& m) {
         m.required_registration_body = "NMC";
         w.registration_body = "NMC";
         w.registration_expiry = D(2026, 5, 31);
       },
       {}, D(2026, 6, 1), {R(ReasonKind::kRegistrationExpired, "", D(2026, 5, 31))}},
      {"conditional competency not needed by the package", nullptr, {}, D(2026, 6, 1), {}},
      {"conditional competency named by the package", nullptr, {"seizure_management"},
       D(2026, 6, 1), {R(ReasonKind::kCompetencyMissing, "seizure_management")}},
      {"conditional competency named and done",
       [](Worker&, std::vector<Completion>& d, auto&) {
         d.push_back({"seizure_management", D(2026, 1, 10)});
       },
       {"seizure_management"}, D(2026, 6, 1), {}},
      {"an extra the matrix does not know is required",
       nullptr, {"gastrostomy"}, D(2026, 6, 1), {R(ReasonKind::kCompetencyMissing, "gastrostomy")}},
      {"an unknown extra done once never lapses",
       [](Worker&, std::vector<Completion>& d, auto&) { d.push_back({"gastrostomy", D(2019, 1, 1)}); },
       {"gastrostomy"}, D(2026, 6, 1), {}},
      // Seed 002 para 65, "within the first 12 weeks of employment": a Monday starter
      // (5 Jan 2026) has until the Sunday of week 12 (29 Mar, start + 83).
      {"Care Certificate: a new starter on the last day of the 12 weeks",
       [](Worker& w, std::vector<Completion>& d, auto&) {
         w.start = D(2026, 1, 5);
         d = {{"first_aid", D(2026, 1, 6)}, {"safeguarding", D(2026, 1, 6)}};
       },
       {}, D(2026, 3, 29), {}},
      {"Care Certificate overdue the day after the 12 weeks",
       [](Worker& w, std::vector<Completion>& d, auto&) {
         w.start = D(2026, 1, 5);
         d = {{"first_aid", D(2026, 1, 6)}, {"safeguarding", D(2026, 1, 6)}};
       },
       {}, D(2026, 3, 30), {R(ReasonKind::kCompetencyOverdue, "care_certificate", D(2026, 3, 29))}},
      // "Within 3 months": 1 April to 30 June; overdue on 1 July.
      {"safeguarding within 3 months of start (Southwark), on the last day",
       [](Worker& w, std::vector<Completion>& d, Matrix& m) {
         w.start = D(2026, 4, 1);
         m.competencies = {Comp("safeguarding", 12, false, 0, /*months=*/3)};
         d.clear();
       },
       {}, D(2026, 6, 30), {}},
      {"safeguarding within 3 months of start (Southwark), overdue",
       [](Worker& w, std::vector<Completion>& d, Matrix& m) {
         w.start = D(2026, 4, 1);
         m.competencies = {Comp("safeguarding", 12, false, 0, 3)};
         d.clear();
       },
       {}, D(2026, 7, 1), {R(ReasonKind::kCompetencyOverdue, "safeguarding", D(2026, 6, 30))}},
      // No 30 February: three months from 30 November end on the last day of February.
      {"safeguarding within 3 months of a 30 November start, on 28 February",
       [](Worker& w, std::vector<Completion>& d, Matrix& m) {
         w.start = D(2026, 11, 30);
         w.dbs_date = D(2026, 11, 20);
         m.competencies = {Comp("safeguarding", 12, false, 0, 3)};
         d.clear();
       },
       {}, D(2027, 2, 28), {}},
      {"safeguarding within 3 months of a 30 November start, overdue on 1 March",
       [](Worker& w, std::vector<Completion>& d, Matrix& m) {
         w.start = D(2026, 11, 30);
         w.dbs_date = D(2026, 11, 20);
         m.competencies = {Comp("safeguarding", 12, false, 0, 3)};
         d.clear();
       },
       {}, D(2027, 3, 1), {R(ReasonKind::kCompetencyOverdue, "safeguarding", D(2027, 2, 28))}},
      {"a completion after the day does not count yet",
       [](Worker&, std::vector<Completion>& d, auto&) {
         d.push_back({"safeguarding", D(2026, 8, 1)});
       },
       {}, D(2026, 7, 15), {R(ReasonKind::kCompetencyExpired, "safeguarding", D(2026, 6, 30))}},
      {"the latest completion counts",
       [](Worker&, std::vector<Completion>& d, auto&) {
         d.push_back({"safeguarding", D(2026, 7, 10)});
       },
       {}, D(2026, 7, 15), {}},
      {"before the start date", nullptr, {}, D(2024, 1, 14),
       {R(ReasonKind::kNotInPost), R(ReasonKind::kCompetencyMissing, "first_aid"),
        R(ReasonKind::kCompetencyMissing, "safeguarding")}},
      {"on the leaving day", [](Worker& w, auto&, auto&) { w.leave = D(2026, 6, 1); }, {},
       D(2026, 6, 1), {}},
      {"after the leaving day", [](Worker& w, auto&, auto&) { w.leave = D(2026, 6, 1); }, {},
       D(2026, 6, 2), {R(ReasonKind::kNotInPost)}},
      {"every reason at once",
       [](Worker& w, std::vector<Completion>& d, Matrix& m) {
         w = Worker{};
         w.start = D(2020, 1, 1);
         d = {{"first_aid", D(2020, 1, 1)}};
         m.required_registration_body = "NMC";
       },
       {"seizure_management"}, D(2026, 6, 1),
       {R(ReasonKind::kDbsMissing), R(ReasonKind::kBarredListMissing),
        R(ReasonKind::kRightToWorkMissing), R(ReasonKind::kRegistrationMissing),
        R(ReasonKind::kCompetencyExpired, "first_aid", D(2023, 1, 1)),
        R(ReasonKind::kCompetencyMissing, "safeguarding"),
        R(ReasonKind::kCompetencyMissing, "seizure_management"),
        R(ReasonKind::kCompetencyOverdue, "care_certificate", D(2020, 3, 24))}},
  };
  for (const Case& c : cases) {
    Worker w = GoodWorker();
    std::vector<Completion> done = GoodDone();
    Matrix m = BaseMatrix();
    if (c.change) c.change(w, done, m);
    EXPECT_EQ(CheckEligibility(w, m, done, c.extras, c.day), c.want) << c.name;
  }
}

TEST(CheckEligibility, MatrixVersionsApplyFromTheirEffectiveDate) {
  Matrix v1 = BaseMatrix();
  Matrix v2 = BaseMatrix();
  v2.id = "m2";
  v2.version = 2;
  v2.effective_from = D(2026, 9, 1);
  v2.competencies = {Comp("first_aid", 36), Comp("safeguarding", 24), Comp("mca", 24)};
  std::vector<Matrix> versions = {v2, v1};  // any order
  EXPECT_EQ(InForce(versions, D(2024, 12, 31)), nullptr);
  EXPECT_EQ(InForce(versions, D(2025, 1, 1))->id, "m1");
  EXPECT_EQ(InForce(versions, D(2026, 8, 31))->id, "m1");
  EXPECT_EQ(InForce(versions, D(2026, 9, 1))->id, "m2");

  Worker w = GoodWorker();
  auto done = GoodDone();  // safeguarding on 2025-06-30
  // The day before: v1's yearly safeguarding has lapsed.
  EXPECT_THAT(CheckEligibility(w, *InForce(versions, D(2026, 8, 31)), done, {}, D(2026, 8, 31)),
              ElementsAre(R(ReasonKind::kCompetencyExpired, "safeguarding", D(2026, 6, 30))));
  // From v2's effective date: two-yearly safeguarding is in date, but MCA is new.
  EXPECT_THAT(CheckEligibility(w, *InForce(versions, D(2026, 9, 1)), done, {}, D(2026, 9, 1)),
              ElementsAre(R(ReasonKind::kCompetencyMissing, "mca")));
}

// A first version applies from any day; a later one after the latest and from today on,
// so that past answers stand.
TEST(MatrixVersions, ANewVersionFollowsTheLatestAndIsNotBackdated) {
  const Day today = D(2026, 11, 24);
  const Day latest = D(2026, 9, 1);
  struct Row {
    const char* name;
    std::optional<Day> latest;
    Day from;
    const char* error;  // nullptr: allowed
  };
  const Row rows[] = {
      {"the first version, even from a past day", std::nullopt, D(2025, 1, 1), nullptr},
      {"after the latest, from today", latest, today, nullptr},
      {"after the latest, from a later day", latest, D(2027, 1, 1), nullptr},
      {"on the latest's day", latest, latest,
       "effective_from must be after the latest version's (2026-09-01); versions apply in "
       "order"},
      {"before the latest", latest, D(2026, 6, 1),
       "effective_from must be after the latest version's (2026-09-01); versions apply in "
       "order"},
      {"after the latest but in the past", latest, D(2026, 11, 23),
       "effective_from 2026-11-23 is in the past (today is 2026-11-24); a new version applies "
       "from today or later"},
  };
  for (const Row& r : rows) {
    absl::Status st = CheckNewMatrixVersion(r.latest, r.from, today, "lot-1");
    if (r.error == nullptr) {
      EXPECT_TRUE(st.ok()) << r.name << ": " << st;
      continue;
    }
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << r.name;
    EXPECT_EQ(st.message(), r.error) << r.name;
    auto reason = PreconditionViolationsOf(st);
    ASSERT_EQ(reason.size(), 1u) << r.name;
    EXPECT_EQ(reason[0].type, "MATRIX_VERSION_ORDER") << r.name;
    EXPECT_EQ(reason[0].subject, "lot/lot-1") << r.name;
  }
}

TEST(CheckEligibility, NoRenewalNeverExpires) {
  CompetencyRule once = Comp("care_certificate", 0);
  EXPECT_EQ(CompetencyValidUntil(once, {{"care_certificate", D(2001, 1, 1)}}, D(2026, 1, 1)),
            Day::max());
  EXPECT_EQ(CompetencyValidUntil(once, {}, D(2026, 1, 1)), std::nullopt);
}

TEST(Required, BaseSetConditionalsNamedAndUnknownExtras) {
  auto req = Required(BaseMatrix(), {"seizure_management", "hoist", "hoist"});
  std::vector<std::string> codes;
  for (const auto& c : req) codes.push_back(c.code);
  EXPECT_THAT(codes, ElementsAre("first_aid", "safeguarding", "seizure_management",
                                 "care_certificate", "hoist"));
}

// ------------------------------------------------------------- expiry watch ---

TEST(Expiries, WithinTheWindowSortedAndLapsedMarked) {
  Worker w = GoodWorker();
  w.dbs_date = D(2023, 7, 20);  // valid until 2026-07-20
  w.registration_body = "NMC";
  w.registration_expiry = D(2026, 6, 10);
  w.right_to_work = RightToWork::kTimeLimited;
  w.right_to_work_expiry = D(2027, 1, 1);  // outside the window
  w.drives = true;
  w.business_insurance_expiry = D(2026, 6, 30);
  w.last_supervision = D(2026, 3, 5);   // due 2026-06-05: lapsed on 2026-06-15
  w.last_appraisal = D(2025, 7, 1);     // due 2026-07-01
  Matrix m = BaseMatrix();
  auto got = Expiries(w, &m, GoodDone(), D(2026, 6, 15), 30);  // horizon 2026-07-15
  std::vector<std::tuple<ExpiryKind, std::string, Day, bool>> flat;
  for (const auto& e : got) flat.emplace_back(e.kind, e.code, e.due, e.lapsed);
  EXPECT_THAT(flat,
              ElementsAre(std::make_tuple(ExpiryKind::kSupervision, "", D(2026, 6, 5), true),
                          std::make_tuple(ExpiryKind::kRegistration, "", D(2026, 6, 10), true),
                          std::make_tuple(ExpiryKind::kTraining, "safeguarding", D(2026, 6, 30), false),
                          std::make_tuple(ExpiryKind::kBusinessInsurance, "", D(2026, 6, 30), false),
                          std::make_tuple(ExpiryKind::kAppraisal, "", D(2026, 7, 1), false)));
  // Without a matrix: no training, default periods.
  auto no_matrix = Expiries(w, nullptr, GoodDone(), D(2026, 6, 15), 30);
  for (const auto& e : no_matrix) EXPECT_NE(e.kind, ExpiryKind::kTraining);
  EXPECT_EQ(no_matrix.size(), 4u);
  // Derby-style monthly supervision from the matrix.
  m.supervision_months = 1;
  w.last_supervision = D(2026, 6, 1);
  bool found = false;
  for (const auto& e : Expiries(w, &m, GoodDone(), D(2026, 6, 15), 30)) {
    if (e.kind == ExpiryKind::kSupervision) {
      EXPECT_EQ(e.due, D(2026, 7, 1));
      found = true;
    }
  }
  EXPECT_TRUE(found);
  // Leavers are not watched.
  w.leave = D(2026, 6, 14);
  EXPECT_THAT(Expiries(w, &m, GoodDone(), D(2026, 6, 15), 30), IsEmpty());
}

TEST(Expiries, NeverDoneAndInductionDeadlines) {
  Worker w = GoodWorker();
  w.start = D(2026, 6, 1);
  w.last_supervision = D(2026, 6, 1);
  w.last_appraisal = D(2026, 6, 1);
  auto got = Expiries(w, nullptr, {}, D(2026, 6, 2), 90);
  Matrix m = BaseMatrix();
  got = Expiries(w, &m, {}, D(2026, 6, 2), 90);
  std::vector<std::tuple<ExpiryKind, std::string, Day, bool>> flat;
  for (const auto& e : got) {
    if (e.kind == ExpiryKind::kTraining) flat.emplace_back(e.kind, e.code, e.due, e.lapsed);
  }
  // Never done: lapsed since the start; the Care Certificate is due by the last day of
  // its 12 weeks (start + 83).
  EXPECT_THAT(
      flat, ElementsAre(
                std::make_tuple(ExpiryKind::kTraining, "first_aid", D(2026, 6, 1), true),
                std::make_tuple(ExpiryKind::kTraining, "safeguarding", D(2026, 6, 1), true),
                std::make_tuple(ExpiryKind::kTraining, "care_certificate", D(2026, 8, 23), false)));
}

TEST(LotExpiries, AVersionTakingEffectInTheWindowListsWhatTheWorkerWillLack) {
  Matrix v1 = BaseMatrix();  // from 2025-01-01
  Matrix v2 = BaseMatrix();
  v2.id = "m2";
  v2.version = 2;
  v2.effective_from = D(2026, 9, 1);
  v2.competencies = {Comp("first_aid", 36), Comp("safeguarding", 12), Comp("moving_handling", 12),
                     Comp("hoist", 12, /*conditional=*/true),
                     Comp("care_certificate", 0, false, /*weeks=*/12)};
  const std::vector<Matrix> versions = {v2, v1};  // any order
  Worker w = GoodWorker();
  w.last_supervision = D(2026, 7, 20);
  w.last_appraisal = D(2026, 7, 20);
  auto done = GoodDone();  // first aid until 2027-02-01, safeguarding until 2026-06-30
  auto training = [](const std::vector<Expiry>& got) {
    std::vector<std::tuple<std::string, Day, bool, int>> flat;
    for (const auto& e : got) {
      if (e.kind == ExpiryKind::kTraining) {
        flat.emplace_back(e.code, e.due, e.lapsed, e.matrix_version);
      }
    }
    return flat;
  };
  using T = std::tuple<std::string, Day, bool, int>;
  // Within 30 days of 1 August v2 is not yet in sight: only v1's lapsed safeguarding.
  EXPECT_THAT(training(LotExpiries(w, versions, done, D(2026, 8, 1), 30)),
              ElementsAre(T{"safeguarding", D(2026, 6, 30), true, 1}));
  // Within 31 it is (1 September is the last day of the window): moving and handling,
  // which v2 adds and nobody has done, is due on v2's first day. Safeguarding is listed
  // once, from the earlier date; the conditional hoist is not a base competency.
  EXPECT_THAT(training(LotExpiries(w, versions, done, D(2026, 8, 1), 31)),
              ElementsAre(T{"safeguarding", D(2026, 6, 30), true, 1},
                          T{"moving_handling", D(2026, 9, 1), false, 2}));
  // A record that will have lapsed by then counts as none.
  done.push_back({"moving_handling", D(2025, 8, 15)});  // valid until 2026-08-15
  EXPECT_THAT(training(LotExpiries(w, versions, done, D(2026, 8, 1), 60)),
              ElementsAre(T{"safeguarding", D(2026, 6, 30), true, 1},
                          T{"moving_handling", D(2026, 9, 1), false, 2}));
  // One still in date on 1 September but lapsing in the window is due on its last day.
  done.push_back({"moving_handling", D(2025, 9, 10)});
  EXPECT_THAT(training(LotExpiries(w, versions, done, D(2026, 8, 1), 60)),
              ElementsAre(T{"safeguarding", D(2026, 6, 30), true, 1},
                          T{"moving_handling", D(2026, 9, 10), false, 2}));
  // Renewed after the window: nothing.
  done.push_back({"moving_handling", D(2025, 10, 15)});
  done.push_back({"safeguarding", D(2026, 7, 1)});
  EXPECT_THAT(training(LotExpiries(w, versions, done, D(2026, 8, 1), 60)), IsEmpty());
  // A leaver gone before v2 takes effect is not asked for it.
  done.resize(done.size() - 3);
  w.leave = D(2026, 8, 31);
  EXPECT_THAT(training(LotExpiries(w, versions, done, D(2026, 8, 1), 60)),
              ElementsAre(T{"safeguarding", D(2026, 6, 30), true, 1}));
  // The same as Expiries under the version in force when no version is coming.
  w.leave.reset();
  EXPECT_EQ(LotExpiries(w, {v1}, done, D(2026, 8, 1), 60).size(),
            Expiries(w, &v1, done, D(2026, 8, 1), 60).size());
  // No version in force yet, one coming: only it lists training.
  EXPECT_THAT(training(LotExpiries(w, {v2}, done, D(2026, 8, 1), 60)),
              ElementsAre(T{"moving_handling", D(2026, 9, 1), false, 2},
                          T{"safeguarding", D(2026, 9, 1), false, 2}));
}

TEST(WatchedExpiries, TheDefaultPeriodsThenEachNamedLotOnceAnItem) {
  Matrix lewisham = BaseMatrix();  // safeguarding yearly: lapsed since 2026-06-30
  Matrix derby = BaseMatrix();
  derby.id = "derby";
  derby.supervision_months = 1;  // and the same safeguarding rule
  const std::vector<Matrix> a = {lewisham}, b = {derby}, none;
  Worker w = GoodWorker();
  w.last_supervision = D(2026, 7, 20);  // default 3 months: 2026-10-20; Derby: 2026-08-20
  w.last_appraisal = D(2026, 7, 20);
  const Day day = D(2026, 8, 1);
  auto flat = [](const std::vector<Expiry>& got) {
    std::vector<std::tuple<ExpiryKind, std::string, Day, std::string>> out;
    for (const auto& e : got) out.emplace_back(e.kind, e.code, e.due, e.lot_id);
    return out;
  };
  using T = std::tuple<ExpiryKind, std::string, Day, std::string>;
  // Named on no lot: the default periods only, and no training.
  EXPECT_THAT(flat(WatchedExpiries(w, {}, GoodDone(), day, 90)),
              ElementsAre(T{ExpiryKind::kSupervision, "", D(2026, 10, 20), ""}));
  // Named on two lots: each lot's own supervision, safeguarding once (the first lot's),
  // and the default supervision, which neither lot's replaces; a lot without a matrix
  // adds nothing.
  EXPECT_THAT(flat(WatchedExpiries(w, {{"lot-a", &a}, {"lot-b", &b}, {"lot-c", &none}}, GoodDone(),
                                   day, 90)),
              ElementsAre(T{ExpiryKind::kTraining, "safeguarding", D(2026, 6, 30), "lot-a"},
                          T{ExpiryKind::kSupervision, "", D(2026, 8, 20), "lot-b"},
                          T{ExpiryKind::kSupervision, "", D(2026, 10, 20), ""}));
}

TEST(LotExpiries, ANewStarterInGraceWhenTheVersionTakesEffectIsDueAtTheEndOfIt) {
  Matrix v1 = BaseMatrix();
  v1.competencies = {Comp("first_aid", 36)};
  Matrix v2 = v1;
  v2.version = 2;
  v2.effective_from = D(2026, 9, 1);
  v2.competencies = {Comp("first_aid", 36), Comp("dementia", 0, false, /*weeks=*/4)};
  Worker w = GoodWorker();
  w.start = D(2026, 8, 20);  // 4 weeks: start .. 2026-09-16
  w.last_supervision = w.start;
  w.last_appraisal = w.start;
  const std::vector<Completion> done = {{"first_aid", D(2026, 8, 20)}};
  std::vector<std::pair<std::string, Day>> got;
  for (const auto& e : LotExpiries(w, {v1, v2}, done, D(2026, 8, 25), 30)) {
    if (e.kind == ExpiryKind::kTraining) got.emplace_back(e.code, e.due);
  }
  EXPECT_THAT(got, ElementsAre(std::make_pair(std::string("dementia"), D(2026, 9, 16))));
  // Its grace ends after the window: nothing yet.
  for (const auto& e : LotExpiries(w, {v1, v2}, done, D(2026, 8, 25), 20)) {
    EXPECT_NE(e.kind, ExpiryKind::kTraining) << e.code;
  }
}

// ------------------------------------------------------------------ returns ---

Worker W(const char* id, Day start, std::optional<Day> leave = std::nullopt) {
  Worker w;
  w.id = id;
  w.start = start;
  w.leave = leave;
  w.right_to_work = RightToWork::kUnlimited;
  return w;
}

// Derby's 90 %: in-post staff only, a new starter in the matrix's grace counts as
// trained, the target itself is met (not "below"). A two-week induction here, so c
// (started 1 November) is measured.
TEST(TrainedStaff, AgainstTheFrameworksTarget) {
  Matrix m = BaseMatrix();
  const Day day = D(2026, 11, 24);
  std::vector<Completion> all = {{"first_aid", D(2026, 1, 1)}, {"safeguarding", D(2026, 1, 1)},
                                 {"care_certificate", D(2024, 6, 1)}};
  Worker a = GoodWorker(), b = GoodWorker(), c = GoodWorker(), gone = GoodWorker();
  c.start = D(2026, 11, 1);  // Care Certificate due 24 January
  gone.leave = D(2026, 10, 31);
  std::vector<Completion> b_done = {{"first_aid", D(2026, 1, 1)}};  // no safeguarding
  std::vector<Completion> c_done = {{"first_aid", D(2026, 11, 2)}, {"safeguarding", D(2026, 11, 2)}};
  TrainedShare s = TrainedStaff({a, b, c, gone}, {all, b_done, c_done, {}}, m, day, "lot-c", 2);
  EXPECT_EQ(s.in_post, 3);
  EXPECT_EQ(s.trained, 2);
  // A provider on two lots: b works on Lot A only, so Lot C's figure leaves it out; a
  // names Lot C, and c names no lot (every lot).
  a.lots = {"lot-c"};
  b.lots = {"lot-a"};
  TrainedShare on_c = TrainedStaff({a, b, c, gone}, {all, b_done, c_done, {}}, m, day, "lot-c", 2);
  EXPECT_EQ(on_c.in_post, 2);
  EXPECT_EQ(on_c.trained, 2);
  EXPECT_TRUE(WorksOnLot(b, ""));
  EXPECT_FALSE(WorksOnLot(b, "lot-c"));
  EXPECT_TRUE(WorksOnLot(c, "lot-c"));
  a.lots.clear();
  b.lots.clear();
  SuspensionRules r;
  EXPECT_EQ(OnTrainedShare(r, s, day), std::nullopt);  // off
  r.min_trained_staff_percent = 90;
  auto trip = OnTrainedShare(r, s, day);
  ASSERT_TRUE(trip.has_value());
  EXPECT_EQ(trip->rule, Rule::kTrainedStaffBelowTarget);
  EXPECT_EQ(trip->reason, "2 of 3 staff in post (66.7 %) have the lot's mandatory training in "
                          "date on 2026-11-24 (rule: at least 90 %)");
  r.min_trained_staff_percent = 66;
  EXPECT_EQ(OnTrainedShare(r, s, day), std::nullopt);
  EXPECT_EQ(OnTrainedShare(r, TrainedShare{}, day), std::nullopt);  // nobody in post
}

// Decision 62: a matrix with no grace (Derby's, seed 004 3.16) makes a new starter
// untrained from its first day; the trained staff share leaves it out for its induction,
// 12 weeks from the start day by default, so hiring does not suspend a provider.
TEST(TrainedStaff, NewStartersInTheirInductionAreNotMeasured) {
  Matrix m;
  m.competencies = {{"care_certificate", "Care Certificate", 0, false, 0, 0}};
  const Day day = D(2026, 12, 2);
  SuspensionRules r;
  r.min_trained_staff_percent = 90;
  Worker today = W("T", day);
  // Started today, nothing done: in induction, nobody measured, nothing trips.
  EXPECT_TRUE(InInduction(today, day, 12));
  TrainedShare first = TrainedStaff({today}, {{}}, m, day, "");
  EXPECT_EQ(first.in_post, 0);
  EXPECT_EQ(first.in_induction, 1);
  EXPECT_EQ(OnTrainedShare(r, first, day), std::nullopt);
  // The 12 weeks count the start day as their first: started 83 days ago, still in it;
  // 84 days ago (12 weeks), measured.
  EXPECT_TRUE(InInduction(W("A", day - 83), day, 12));
  EXPECT_FALSE(InInduction(W("B", day - 84), day, 12));
  EXPECT_FALSE(InInduction(W("F", day + 1), day, 12));  // not started
  // Untrained and started 13 weeks ago: measured, and below the target.
  Worker old = W("O", day - 91);
  TrainedShare later = TrainedStaff({old, today}, {{}, {}}, m, day, "");
  EXPECT_EQ(later.in_post, 1);
  EXPECT_EQ(later.trained, 0);
  auto trip = OnTrainedShare(r, later, day);
  ASSERT_TRUE(trip.has_value());
  EXPECT_EQ(trip->reason,
            "0 of 1 staff in post (0.0 %) have the lot's mandatory training in date on "
            "2026-12-02 (rule: at least 90 %; 1 new starter in the first 12 weeks not counted)");
  // The framework's own induction: 14 weeks leaves the 13-week starter out too.
  r.induction_weeks = 14;
  EXPECT_EQ(TrainedStaff({old, today}, {{}, {}}, m, day, "", r.induction_weeks).in_post, 0);
  // The return's training figure leaves the same staff out.
  Return q = ComputeReturn({old, today}, {{}, {}}, &m, Period{D(2026, 10, 1), day});
  EXPECT_DOUBLE_EQ(q.training_percent, 0.0);  // old, untrained, of old only
  EXPECT_EQ(q.headcount_end, 2);
}

// Hand-computed complaint figures for 2026-Q3 [1 Jul, 1 Oct).
TEST(ComplaintsInPeriod, HandComputedQuarter) {
  auto t = [](int m, int d, int h = 12) {
    return absl::FromCivil(absl::CivilSecond(2026, m, d, h, 0, 0), absl::UTCTimeZone());
  };
  const absl::Time from = t(7, 1, 0), to = t(10, 1, 0);
  std::vector<ComplaintFacts> cs = {
      {t(6, 20), t(7, 10), t(7, 5), true},    // A: before, answered in Q3 in time, upheld
      {t(7, 2), t(7, 23), t(7, 30), false},   // B: in, answered late
      {t(8, 1), t(8, 21), std::nullopt, false},  // C: in, never answered: overdue at end
      {t(9, 20), t(10, 10), std::nullopt, false},  // D: in, not yet due at end
      {t(9, 1), t(9, 22), t(10, 2), true},    // E: in, answered after the quarter: overdue
      {t(5, 1), t(5, 22), t(6, 1), true},     // F: all before the quarter
  };
  ComplaintFigures f = ComplaintsInPeriod(cs, from, to);
  EXPECT_EQ(f.received, 4);          // B C D E
  EXPECT_EQ(f.answered, 2);          // A B
  EXPECT_EQ(f.answered_in_time, 1);  // A
  EXPECT_EQ(f.upheld, 1);            // A
  EXPECT_EQ(f.overdue_at_end, 2);    // C E
}

TEST(CompletionExpires, FromTheMatrixRenewalPeriod) {
  Matrix m = BaseMatrix();
  // Yearly safeguarding completed 2026-01-10 counts to 2026-01-10 a year on.
  EXPECT_EQ(CompletionExpires(m, "safeguarding", D(2026, 1, 10)), D(2027, 1, 10));
  EXPECT_EQ(CompletionExpires(m, "first_aid", D(2026, 1, 10)), D(2029, 1, 10));
  EXPECT_EQ(CompletionExpires(m, "care_certificate", D(2026, 1, 10)), std::nullopt);  // once
  EXPECT_EQ(CompletionExpires(m, "not_in_matrix", D(2026, 1, 10)), std::nullopt);
}

// To date, a starter whose first day is still ahead is not yet a starter, and a leave
// date still ahead is not yet a leaver: the figures are those of the days so far.
TEST(ComputeReturn, TheQuarterInProgressCountsItsDaysSoFar) {
  std::vector<Worker> workers = {W("Stays", D(2020, 1, 1)), W("Starts later", D(2026, 12, 1)),
                                 W("Leaves later", D(2020, 1, 1), D(2026, 12, 15))};
  Return whole = ComputeReturn(workers, {}, nullptr, Quarter{2026, 4}.period());
  EXPECT_EQ(whole.starters, 1);
  EXPECT_EQ(whole.leavers, 1);
  Return to_date = ComputeReturn(workers, {}, nullptr, *ReturnPeriod({2026, 4}, D(2026, 11, 24)));
  EXPECT_EQ(to_date.headcount_start, 2);
  EXPECT_EQ(to_date.starters, 0);
  EXPECT_EQ(to_date.leavers, 0);
  EXPECT_EQ(to_date.headcount_end, 2);
}

// Hand-computed: 2026-Q3 is 1 July to 30 September.
// Decision 0063: a matrix's DBS status check (Lewisham's 6-monthly, seed 000 Appendix 2)
// is due that many months after the later of the certificate and the last check; it is
// watched and measured, never a gate reason.
TEST(DbsCheck, WatchedAndMeasuredNotGated) {
  Matrix m = BaseMatrix();
  Worker w = GoodWorker();
  w.dbs_date = D(2026, 1, 31);
  const Day day = D(2026, 11, 24);
  EXPECT_EQ(DbsCheckDue(w, m), std::nullopt);  // the matrix asks for none
  m.dbs_check_months = 6;
  EXPECT_EQ(DbsCheckDue(w, m), D(2026, 7, 31));
  w.dbs_status_checked = D(2026, 8, 31);
  EXPECT_EQ(DbsCheckDue(w, m), D(2027, 2, 28));  // month end clamps
  w.dbs_status_checked = D(2025, 12, 1);         // older than the certificate: the certificate
  EXPECT_EQ(DbsCheckDue(w, m), D(2026, 7, 31));
  Worker none = GoodWorker();
  none.dbs_date.reset();
  EXPECT_EQ(DbsCheckDue(none, m), std::nullopt);
  // Overdue: listed (lapsed) by the expiry watch; the gate has nothing to say.
  auto items = Expiries(w, &m, {}, day, 0);
  EXPECT_TRUE(std::any_of(items.begin(), items.end(), [](const Expiry& e) {
    return e.kind == ExpiryKind::kDbsCheck && e.due == D(2026, 7, 31) && e.lapsed;
  }));
  EXPECT_STREQ(ExpiryName(ExpiryKind::kDbsCheck), "DBS_CHECK");
  for (const auto& r : CheckEligibility(w, m, {}, {}, day)) {
    EXPECT_NE(r.kind, ReasonKind::kDbsExpired);
    EXPECT_NE(r.kind, ReasonKind::kDbsMissing);
  }
  // No matrix: no check listed.
  for (const auto& e : Expiries(w, nullptr, {}, day, 365)) EXPECT_NE(e.kind, ExpiryKind::kDbsCheck);
  // The return: the check must be in date on the last day. Due on 31 December counts.
  Worker ok = W("OK", D(2020, 1, 1));
  ok.dbs_date = D(2025, 1, 1), ok.barred_list_checked = D(2025, 1, 1);
  ok.dbs_status_checked = D(2026, 6, 30);  // due 30 Dec: overdue on 31 Dec
  Worker late = ok;
  late.id = "LATE";
  late.dbs_status_checked = D(2026, 7, 1);  // due 1 Jan 2027
  Quarter q{2026, 4};
  EXPECT_DOUBLE_EQ(ComputeReturn({ok, late}, {}, &m, q.period()).dbs_percent, 50.0);
  m.dbs_check_months = 0;
  EXPECT_DOUBLE_EQ(ComputeReturn({ok, late}, {}, &m, q.period()).dbs_percent, 100.0);
}

// Audit D4: a provider-wide return judges DBS and supervision by the strictest periods
// of the lots the provider works on, not by the defaults: Derby supervises monthly.
TEST(StrictestPeriods, ShortestOfEachUnsetAsItsDefault) {
  Matrix none = StrictestPeriods({});
  EXPECT_EQ(none.dbs_renewal_months, kDefaultDbsRenewalMonths);
  EXPECT_EQ(none.dbs_check_months, 0);
  EXPECT_EQ(none.supervision_months, kDefaultSupervisionMonths);
  EXPECT_EQ(none.appraisal_months, kDefaultAppraisalMonths);
  EXPECT_TRUE(none.competencies.empty());
  Matrix derby = BaseMatrix();
  derby.supervision_months = 1;
  Matrix lewisham = BaseMatrix();
  lewisham.dbs_check_months = 6;
  Matrix dorset = BaseMatrix();  // sets nothing: read as the defaults, not as 0 months
  dorset.dbs_renewal_months = 0, dorset.supervision_months = 0, dorset.appraisal_months = 0;
  Matrix strictest = StrictestPeriods({&dorset, nullptr, &derby, &lewisham});
  EXPECT_EQ(strictest.dbs_renewal_months, kDefaultDbsRenewalMonths);
  EXPECT_EQ(strictest.dbs_check_months, 6);
  EXPECT_EQ(strictest.supervision_months, 1);
  EXPECT_EQ(strictest.appraisal_months, kDefaultAppraisalMonths);
  Matrix longer = BaseMatrix();
  longer.dbs_check_months = 12;
  EXPECT_EQ(StrictestPeriods({&longer, &lewisham}).dbs_check_months, 6);
  EXPECT_EQ(StrictestPeriods({&dorset}).supervision_months, kDefaultSupervisionMonths);
  // A period longer than the default is the lot's own, not capped by the default
  // (audit int6 D1); beside a shorter one, the shorter wins.
  Matrix relaxed = BaseMatrix();
  relaxed.dbs_renewal_months = 60, relaxed.supervision_months = 6;
  EXPECT_EQ(StrictestPeriods({&relaxed}).dbs_renewal_months, 60);
  EXPECT_EQ(StrictestPeriods({&relaxed}).supervision_months, 6);
  EXPECT_EQ(StrictestPeriods({nullptr, &relaxed}).supervision_months, 6);
  EXPECT_EQ(StrictestPeriods({&relaxed, &derby}).supervision_months, 1);
  EXPECT_EQ(StrictestPeriods({&relaxed, &dorset}).dbs_renewal_months, kDefaultDbsRenewalMonths);
}

TEST(ComputeReturn, PeriodsApartFromTheTrainingMatrix) {
  Quarter q{2026, 4};
  Worker monthly = W("M", D(2020, 1, 1));
  monthly.dbs_date = D(2025, 1, 1), monthly.barred_list_checked = D(2025, 1, 1);
  monthly.last_supervision = D(2026, 12, 1);  // due 1 Jan 2027 monthly: in date on 31 Dec
  Worker late = monthly;
  late.id = "L";
  late.last_supervision = D(2026, 11, 15);  // monthly due 15 Dec: overdue; 3-monthly in date
  Matrix derby = BaseMatrix();
  derby.supervision_months = 1;
  Matrix periods = StrictestPeriods({&derby});
  Return r = ComputeReturn({monthly, late}, {}, nullptr, q.period(), "", 0, kDefaultInductionWeeks,
                           &periods);
  EXPECT_DOUBLE_EQ(r.supervision_percent, 50.0);
  EXPECT_DOUBLE_EQ(ComputeReturn({monthly, late}, {}, nullptr, q.period()).supervision_percent,
                   100.0);
  // The periods given win over the training matrix's.
  Matrix base = BaseMatrix();
  EXPECT_DOUBLE_EQ(
      ComputeReturn({monthly, late}, {}, &base, q.period(), "", 0, kDefaultInductionWeeks, &periods)
          .supervision_percent,
      50.0);
}

// A provider-wide return is judged by the strictest periods of its lots and has no
// training figure; a lot's return by its own matrix; complaints count up to now while
// the quarter is in progress.
TEST(ComputeQuarterlyReturn, PeriodsTrainingAndComplaintsAsOfNow) {
  Worker w = W("A", D(2020, 1, 1));
  w.dbs_date = D(2025, 1, 1), w.barred_list_checked = D(2025, 1, 1);
  w.last_supervision = D(2026, 11, 15);  // monthly due 15 Dec; three-monthly in date
  Matrix derby = BaseMatrix();
  derby.supervision_months = 1;
  Matrix lewisham = BaseMatrix();
  lewisham.dbs_check_months = 6;
  ReturnFacts f;
  f.workers = {w};
  f.done = {{}};
  f.period_matrices = {{"lewisham-a", lewisham}, {"derby", derby}};
  auto t = [](int m, int d) {
    return absl::FromCivil(absl::CivilSecond(2026, m, d, 12, 0, 0), absl::UTCTimeZone());
  };
  f.complaints = {{t(11, 2), t(11, 23), std::nullopt, false},    // overdue by 1 December
                  {t(11, 20), t(12, 11), std::nullopt, false}};  // not yet due then
  const Quarter q{2026, 4};
  const absl::Time now = t(12, 1);
  QuarterlyReturn r = ComputeQuarterlyReturn(f, *ReturnPeriod(q, D(2026, 12, 1)), now);
  EXPECT_EQ(r.period_lots, (std::vector<std::string>{"derby", "lewisham-a"}));
  EXPECT_EQ(r.periods.supervision_months, 1);
  EXPECT_EQ(r.periods.dbs_check_months, 6);
  EXPECT_FALSE(r.training_computed);
  EXPECT_EQ(r.complaints.received, 2);
  EXPECT_EQ(r.complaints.overdue_at_end, 1);
  EXPECT_EQ(ReturnCountedUntil(q.period(), now), now);
  EXPECT_EQ(ReturnCountedUntil(Quarter{2026, 3}.period(), now), dates::StartOfDay(D(2026, 10, 1)));
  // The whole quarter, later: both overdue; supervision monthly lapsed on 31 December.
  QuarterlyReturn whole = ComputeQuarterlyReturn(f, q.period(), t(12, 31) + absl::Hours(24));
  EXPECT_EQ(whole.complaints.overdue_at_end, 2);
  EXPECT_DOUBLE_EQ(whole.figures.supervision_percent, 0.0);
  // A lot's return: its matrix's periods alone, and the training figure measured.
  ReturnFacts lot = f;
  lot.lot = "lewisham-a";
  lot.lot_matrix = lewisham;
  lot.period_matrices = {{"lewisham-a", lewisham}};
  lot.workers[0].lots = {"lewisham-a"};
  QuarterlyReturn on_lot = ComputeQuarterlyReturn(lot, q.period(), now);
  EXPECT_EQ(on_lot.periods.supervision_months, kDefaultSupervisionMonths);
  EXPECT_TRUE(on_lot.training_computed);
  EXPECT_DOUBLE_EQ(on_lot.figures.supervision_percent, 100.0);
}

TEST(ComputeReturn, HandComputedQuarter) {
  Quarter q{2026, 3};
  Worker a = W("A", D(2020, 1, 1));
  a.dbs_date = D(2024, 1, 1), a.barred_list_checked = D(2024, 1, 1);
  a.last_supervision = D(2026, 6, 30);  // due 30 Sep: in date at the close
  Worker b = W("B", D(2021, 5, 1), D(2026, 8, 15));  // leaver
  Worker c = W("C", D(2026, 7, 10));                 // starter
  c.dbs_date = D(2026, 7, 1), c.barred_list_checked = D(2026, 7, 1);
  Worker d = W("D", D(2026, 7, 1));  // starter on the first day
  d.dbs_date = D(2023, 9, 30), d.barred_list_checked = D(2023, 9, 30);  // valid to 30 Sep
  d.last_supervision = D(2026, 7, 15);
  Worker e = W("E", D(2019, 1, 1), D(2026, 6, 30));  // left before the quarter
  Worker f = W("F", D(2022, 1, 1), D(2026, 9, 30));  // leaves on the last day
  Worker g = W("G", D(2022, 1, 1), D(2026, 7, 1));   // leaves on the first day
  Worker h = W("H", D(2026, 10, 1));                 // starts after
  Worker i = W("I", D(2023, 3, 1));
  i.dbs_date = D(2023, 9, 29), i.barred_list_checked = D(2023, 9, 29);  // lapsed 29 Sep
  i.last_supervision = D(2026, 6, 29);                                  // due 29 Sep
  Worker j = W("J", D(2023, 3, 1));
  j.dbs_date = D(2025, 1, 1);  // no barred-list check
  j.last_supervision = D(2026, 9, 1);
  std::vector<Worker> workers = {a, b, c, d, e, f, g, h, i, j};
  std::vector<Completion> all = {{"first_aid", D(2026, 1, 1)}, {"safeguarding", D(2026, 1, 1)},
                                 {"care_certificate", D(2024, 1, 1)}};
  std::vector<Completion> d_done = all;
  d_done.push_back({"care_certificate", D(2026, 8, 1)});
  std::vector<Completion> c_done = {{"first_aid", D(2026, 7, 11)},
                                    {"safeguarding", D(2026, 7, 11)}};  // Care Certificate in grace
  std::vector<Completion> i_done = {{"first_aid", D(2026, 1, 1)}, {"safeguarding", D(2025, 9, 29)},
                                    {"care_certificate", D(2023, 4, 1)}};
  std::vector<std::vector<Completion>> done = {all, all, c_done, d_done, all,
                                               all, all, all, i_done, all};
  Matrix m = BaseMatrix();
  Return r = ComputeReturn(workers, done, &m, q.period());
  EXPECT_EQ(r.headcount_start, 6);  // A B F G I J
  EXPECT_EQ(r.starters, 2);         // C D
  EXPECT_EQ(r.leavers, 3);          // B F G
  EXPECT_EQ(r.headcount_end, 5);    // A C D I J = 6 + 2 - 3
  EXPECT_DOUBLE_EQ(r.average_headcount, 5.5);
  EXPECT_DOUBLE_EQ(r.turnover_percent, 300.0 / 5.5);
  EXPECT_FALSE(r.turnover_within_target);
  EXPECT_DOUBLE_EQ(r.dbs_percent, 60.0);          // A C D of 5 (I lapsed, J no barred check)
  // A C D J: C started 10 July, first supervision due 10 October; I was due 29 Sep.
  EXPECT_DOUBLE_EQ(r.supervision_percent, 80.0);
  // A D J of A D I J (I's safeguarding lapsed); C, 82 days in on 30 Sep, is still in its
  // 12-week induction and not measured (decision 62).
  EXPECT_DOUBLE_EQ(r.training_percent, 75.0);

  // A provider on two lots: A and I name Lot C, C, D and J name Lot A. Lot C's training
  // figure counts A and I only, 1 of 2; the other figures stay the provider's.
  for (Worker* w : {&workers[0], &workers[8]}) w->lots = {"lot-c"};
  for (Worker* w : {&workers[2], &workers[3], &workers[9]}) w->lots = {"lot-a"};
  Return on_c = ComputeReturn(workers, done, &m, q.period(), "lot-c");
  EXPECT_DOUBLE_EQ(on_c.training_percent, 50.0);  // A of A and I
  EXPECT_EQ(on_c.headcount_end, 5);
  EXPECT_DOUBLE_EQ(on_c.dbs_percent, 60.0);
  for (Worker& w : workers) w.lots.clear();

  Return no_matrix = ComputeReturn(workers, done, nullptr, q.period());
  EXPECT_DOUBLE_EQ(no_matrix.training_percent, 0.0);
  EXPECT_DOUBLE_EQ(no_matrix.dbs_percent, 60.0);
}

TEST(ComputeReturn, SouthwarkTurnoverTargetIsBelowFivePercent) {
  Quarter q{2026, 2};
  auto make = [&](int stayers, int leavers) {
    std::vector<Worker> ws;
    for (int k = 0; k < stayers; ++k) ws.push_back(W("s", D(2020, 1, 1)));
    for (int k = 0; k < leavers; ++k) ws.push_back(W("l", D(2020, 1, 1), D(2026, 5, 1)));
    return ComputeReturn(ws, {}, nullptr, q.period(), "", 5);
  };
  // 1 leaver of 25 → average 24.5 → 4.08 %.
  Return under = make(24, 1);
  EXPECT_NEAR(under.turnover_percent, 100.0 / 24.5, 1e-9);
  EXPECT_TRUE(under.turnover_within_target);
  // 1 leaver, start 20, end 19 → average 19.5 → 5.13 %.
  EXPECT_FALSE(make(19, 1).turnover_within_target);
  // Exactly 5 %: 2 leavers, start 41, end 39 → average 40.
  Return five = make(39, 2);
  EXPECT_DOUBLE_EQ(five.turnover_percent, 5.0);
  EXPECT_FALSE(five.turnover_within_target);
  Return empty = ComputeReturn({}, {}, nullptr, q.period(), "", 5);
  EXPECT_EQ(empty.turnover_percent, 0.0);
  EXPECT_FALSE(empty.turnover_within_target);  // nobody in post: no verdict
  EXPECT_EQ(empty.training_measured, 0);
  EXPECT_EQ(empty.dbs_percent, 0.0);
  EXPECT_EQ(empty.turnover_target_percent, 5);
}

// Decision 63: a framework whose seed sets no turnover target (Derby, Cambridgeshire and
// Peterborough, Dorset) gets no verdict, neither within nor over.
TEST(ComputeReturn, NoTurnoverTargetGivesNoVerdict) {
  Quarter q{2026, 2};
  std::vector<Worker> ws;
  for (int k = 0; k < 24; ++k) ws.push_back(W("s", D(2020, 1, 1)));
  ws.push_back(W("l", D(2020, 1, 1), D(2026, 5, 1)));
  Return none = ComputeReturn(ws, {}, nullptr, q.period());
  EXPECT_NEAR(none.turnover_percent, 100.0 / 24.5, 1e-9);  // the figure is still given
  EXPECT_EQ(none.turnover_target_percent, 0);
  EXPECT_FALSE(none.turnover_within_target);
}

// Another framework's target (Lewisham's "XX% of care worker turnover", seed 000 KPI):
// the same figures judged against 10 %.
TEST(ComputeReturn, TurnoverIsJudgedAgainstTheTargetGiven) {
  Quarter q{2026, 2};
  auto make = [&](int stayers, int leavers, int target) {
    std::vector<Worker> ws;
    for (int k = 0; k < stayers; ++k) ws.push_back(W("s", D(2020, 1, 1)));
    for (int k = 0; k < leavers; ++k) ws.push_back(W("l", D(2020, 1, 1), D(2026, 5, 1)));
    return ComputeReturn(ws, {}, nullptr, q.period(), "", target);
  };
  // 2 leavers, start 22, end 20 → average 21 → 9.52 %: over 5, within 10.
  EXPECT_FALSE(make(20, 2, 5).turnover_within_target);
  Return within = make(20, 2, 10);
  EXPECT_NEAR(within.turnover_percent, 200.0 / 21, 1e-9);
  EXPECT_TRUE(within.turnover_within_target);
  EXPECT_EQ(within.turnover_target_percent, 10);
  // 2 leavers, start 20, end 18 → average 19 → 10.53 %: over 10. Exactly 10 %
  // (2 of start 21, end 19, average 20) is not below it.
  EXPECT_FALSE(make(18, 2, 10).turnover_within_target);
  Return at = make(19, 2, 10);
  EXPECT_DOUBLE_EQ(at.turnover_percent, 10.0);
  EXPECT_FALSE(at.turnover_within_target);
}

// ------------------------------------------------------------- complaints ---

TEST(ComplaintAnswerDue, FifteenWorkingDaysAcrossChristmasAndWeekends) {
  calendar::WorkingTime wt(calendar::HolidayCalendar::EnglandAndWales());
  // Thursday 17 Dec 2026: Christmas Day is a Friday, Boxing Day a Saturday (substitute
  // Monday 28th), New Year's Day a Friday; three weekends.
  EXPECT_EQ(ComplaintAnswerDue(wt, London(2026, 12, 17, 10, 0)), London(2027, 1, 12, 17, 0));
  // Received on a Saturday before the early May bank holiday (Mon 4 May): working day 1
  // is Tuesday 5 May; Spring bank holiday Monday 25 May is skipped too, so day 15 is
  // Tuesday 26 May.
  EXPECT_EQ(ComplaintAnswerDue(wt, London(2026, 5, 2, 11, 0)), London(2026, 5, 26, 17, 0));
  // Seed 002 para 92: received on Friday 27 November in hours, after the close, or over
  // the weekend, Monday 30 November is working day 1 and day 15 is Friday 18 December.
  for (absl::Time received : {London(2026, 11, 27, 10, 0), London(2026, 11, 27, 18, 30),
                              London(2026, 11, 28, 10, 0), London(2026, 11, 29, 16, 53)}) {
    EXPECT_EQ(ComplaintAnswerDue(wt, received), London(2026, 12, 18, 17, 0))
        << absl::FormatTime(received, dates::London());
  }
  // Without holidays (25 and 28 Dec, 1 Jan) the same complaint is due three working days sooner.
  calendar::WorkingTime plain{calendar::HolidayCalendar()};
  EXPECT_EQ(ComplaintAnswerDue(plain, London(2026, 12, 17, 10, 0)), London(2027, 1, 7, 17, 0));
}

TEST(Complaint, AcknowledgedOnceAnsweredOnceAnsweringAcknowledges) {
  using V = ComplaintVerb;
  struct Row {
    const char* state;
    V verb;
    bool ok;
  };
  for (const Row& r :
       {Row{"RECEIVED", V::kAcknowledge, true}, Row{"ACKNOWLEDGED", V::kAcknowledge, false},
        Row{"ANSWERED", V::kAcknowledge, false},
        Row{"RECEIVED", V::kAnswer, true},  // acknowledged with the answer
        Row{"ACKNOWLEDGED", V::kAnswer, true}, Row{"ANSWERED", V::kAnswer, false},
        Row{"STATE_UNSPECIFIED", V::kAnswer, false}}) {
    absl::Status st = CheckComplaintVerb(r.state, r.verb, "c1");
    EXPECT_EQ(st.ok(), r.ok) << r.state << " " << static_cast<int>(r.verb);
    if (r.ok) continue;
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << r.state;
    auto reason = PreconditionViolationsOf(st);
    ASSERT_EQ(reason.size(), 1u) << r.state;
    EXPECT_EQ(reason[0].type, "COMPLAINT_STATE");
    EXPECT_EQ(reason[0].subject, "complaint/c1");
  }
  EXPECT_EQ(CheckComplaintVerb("ACKNOWLEDGED", V::kAcknowledge, "c1").message(),
            "the complaint is ACKNOWLEDGED; only a RECEIVED complaint can be acknowledged");
  EXPECT_EQ(CheckComplaintVerb("ANSWERED", V::kAnswer, "c1").message(),
            "the complaint has already been answered");
}

TEST(Complaint, UpheldWhollyOrPartly) {
  EXPECT_TRUE(IsUpheld("UPHELD"));
  EXPECT_TRUE(IsUpheld("PARTLY_UPHELD"));
  EXPECT_FALSE(IsUpheld("NOT_UPHELD"));
  EXPECT_FALSE(IsUpheld(""));  // not answered yet
  EXPECT_FALSE(IsUpheld("OUTCOME_UNSPECIFIED"));
}

// A framework's own period (decision 60), counted the same way.
TEST(ComplaintAnswerDue, AFrameworksOwnPeriodAcrossABankHolidayAndAWeekend) {
  calendar::WorkingTime wt(calendar::HolidayCalendar::EnglandAndWales());
  // Friday 22 May 2026: the weekend and Spring bank holiday Monday 25 May are skipped, so
  // working day 1 is Tuesday 26 May and day 10 is Monday 8 June (a weekend between).
  EXPECT_EQ(ComplaintAnswerDue(wt, London(2026, 5, 22, 10, 0), 10), London(2026, 6, 8, 17, 0));
  // One working day: the next working day's close.
  EXPECT_EQ(ComplaintAnswerDue(wt, London(2026, 5, 22, 10, 0), 1), London(2026, 5, 26, 17, 0));
  // The default is 15.
  EXPECT_EQ(ComplaintAnswerDue(wt, London(2026, 5, 22, 10, 0)),
            ComplaintAnswerDue(wt, London(2026, 5, 22, 10, 0), kDefaultComplaintAnswerWorkingDays));
}

// ------------------------------------------------------- suspension rules ---

TEST(SuspensionRules, EachRuleTripsOnlyWhenOnAndBreached) {
  SuspensionRules off;
  EXPECT_FALSE(OnVisit(off, Rating::kInadequate, D(2026, 11, 20)));
  EXPECT_FALSE(OnUpheldSafeguardingComplaint(off, D(2026, 11, 24), D(2026, 11, 20), 10));
  EXPECT_FALSE(OnAccounts(off, AssessAccounts({1, 2, -1, 1, -1}), D(2026, 3, 31)));

  SuspensionRules on;
  on.inadequate_visit = true;
  on.upheld_safeguarding_complaints = 3;
  on.financial_breach = true;
  EXPECT_FALSE(OnVisit(on, Rating::kRequiresImprovement, D(2026, 11, 20)));
  auto visit = OnVisit(on, Rating::kInadequate, D(2026, 11, 20));
  ASSERT_TRUE(visit);
  EXPECT_EQ(visit->rule, Rule::kInadequateVisit);
  EXPECT_EQ(visit->reason, "monitoring visit on 2026-11-20 rated INADEQUATE");
  EXPECT_FALSE(OnUpheldSafeguardingComplaint(on, D(2026, 11, 24), D(2026, 11, 20), 2));
  auto complaints = OnUpheldSafeguardingComplaint(on, D(2026, 11, 24), D(2026, 11, 20), 3);
  ASSERT_TRUE(complaints);
  EXPECT_EQ(complaints->reason,
            "3 upheld safeguarding complaints received 2025-11-25 to 2026-11-24 (rule: 3 in 12 "
            "months)");
  EXPECT_FALSE(OnAccounts(on, AssessAccounts({120000, 100000, 6000, 100000, 1}), D(2026, 3, 31)));
  auto accounts = OnAccounts(on, AssessAccounts({90000, 100000, 6000, 100000, 1}), D(2026, 3, 31));
  ASSERT_TRUE(accounts);
  EXPECT_EQ(accounts->rule, Rule::kFinancialViability);
  EXPECT_EQ(accounts->reason, "accounts to 2026-03-31: liquidity 0.90 not above 1");
  // The figures as pdpsctl shows them beside their thresholds (decision 65).
  auto roce = OnAccounts(on, AssessAccounts({120000, 100000, 4000, 100000, 1}), D(2026, 3, 31));
  ASSERT_TRUE(roce);
  EXPECT_EQ(roce->reason, "accounts to 2026-03-31: ROCE 4.00 % not above 5 %");
}

// Decision 71: a revision trips the viability rule only for a breach the figures before
// it did not have.
TEST(SuspensionRules, RevisedAccountsTripOnlyWhereThereWasNoBreach) {
  SuspensionRules on;
  on.financial_breach = true;
  const Viability healthy = AssessAccounts({120000, 100000, 6000, 100000, 1});
  const Viability liquidity = AssessAccounts({90000, 100000, 6000, 100000, 1});
  const Viability both = AssessAccounts({90000, 100000, 1000, 100000, 1});
  auto trip = OnRevisedAccounts(on, healthy, liquidity, D(2026, 3, 31));
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->reason, "accounts to 2026-03-31: liquidity 0.90 not above 1");
  EXPECT_FALSE(OnRevisedAccounts(on, liquidity, both, D(2026, 3, 31)));
  EXPECT_FALSE(OnRevisedAccounts(on, liquidity, healthy, D(2026, 3, 31)));
  EXPECT_FALSE(OnRevisedAccounts(on, healthy, healthy, D(2026, 3, 31)));
  EXPECT_FALSE(OnRevisedAccounts(SuspensionRules{}, healthy, liquidity, D(2026, 3, 31)));
  // An earlier year revised, once a later year's accounts are in, is history.
  EXPECT_FALSE(OnRevisedAccounts(on, healthy, liquidity, D(2025, 3, 31), D(2026, 3, 31)));
}

// What is in force is the latest: an earlier visit or year's accounts recorded late trips
// nothing; the latest, or one on the same day or year end as another, does.
TEST(SuspensionRules, OnlyTheLatestVisitOrAccountsTrip) {
  SuspensionRules on;
  on.inadequate_visit = true;
  on.financial_breach = true;
  EXPECT_FALSE(OnVisit(on, Rating::kInadequate, D(2024, 1, 10), D(2026, 11, 20)));
  EXPECT_TRUE(OnVisit(on, Rating::kInadequate, D(2026, 11, 20), D(2026, 11, 20)));
  EXPECT_TRUE(OnVisit(on, Rating::kInadequate, D(2026, 11, 21), D(2026, 11, 20)));
  const Viability breach = AssessAccounts({90000, 100000, 6000, 100000, -1});
  EXPECT_FALSE(OnAccounts(on, breach, D(2023, 3, 31), D(2026, 3, 31)));
  EXPECT_TRUE(OnAccounts(on, breach, D(2026, 3, 31), D(2025, 3, 31)));
  EXPECT_TRUE(OnAccounts(on, breach, D(2026, 3, 31)));
}

// Seed 001 13.7 ("repeated incidents or significant safeguarding concerns"): concerns
// are counted by when they arose, in the window ending on the day of the answer.
TEST(SuspensionRules, SafeguardingConcernsAreCountedByTheDayTheyArose) {
  SuspensionRules on;
  on.upheld_safeguarding_complaints = 2;
  // 12 months ending on the answer's day, that day the last: the first is the day after
  // the same date a year before.
  Period w = SafeguardingWindow(on, D(2026, 12, 2));
  EXPECT_EQ(w.first, D(2025, 12, 3));
  EXPECT_EQ(w.last, D(2026, 12, 2));
  // Month ends clamp as AddMonths does: 29 Feb 2028 a year back is 28 Feb 2027.
  EXPECT_EQ(SafeguardingWindow(on, D(2028, 2, 29)).first, D(2027, 3, 1));
  on.complaint_window_months = 6;
  EXPECT_EQ(SafeguardingWindow(on, D(2026, 12, 2)).first, D(2026, 6, 3));
  on.complaint_window_months = 12;
  // The concern just answered arose on the window's first day: it counts, and trips.
  EXPECT_TRUE(OnUpheldSafeguardingComplaint(on, D(2026, 12, 2), D(2025, 12, 3), 2));
  // A day earlier it arose before the window: nothing trips, whatever the count.
  EXPECT_FALSE(OnUpheldSafeguardingComplaint(on, D(2026, 12, 2), D(2025, 12, 2), 5));
  // Answered on the day it arose (the window's last day).
  EXPECT_TRUE(OnUpheldSafeguardingComplaint(on, D(2026, 12, 2), D(2026, 12, 2), 2));
}

TEST(SuspensionRules, TheActionPlanOpensWithAgreeingItInWorkingDays) {
  const calendar::WorkingTime wt(calendar::HolidayCalendar::EnglandAndWales());
  SuspensionRules on;
  on.inadequate_visit = true;
  on.action_plan_working_days = 7;
  auto visit = OnVisit(on, Rating::kInadequate, D(2026, 12, 16));
  ASSERT_TRUE(visit);
  // Tripped Thursday 17 December: Christmas Day and the Boxing Day substitute (Monday 28)
  // do not count, so the 7th working day is Wednesday 30 December.
  ActionItem first = FirstActionItem(*visit, D(2026, 12, 17), wt);
  EXPECT_EQ(first.due, D(2026, 12, 30));
  EXPECT_EQ(first.description,
            "Agree an action plan with timescales with the contract manager and the brokerage "
            "team (automatic suspension: monitoring visit on 2026-12-16 rated INADEQUATE)");
  // Rules that leave it unset get the default of 10 working days.
  auto by_default = OnVisit(SuspensionRules{true}, Rating::kInadequate, D(2026, 11, 20));
  ASSERT_TRUE(by_default);
  EXPECT_EQ(FirstActionItem(*by_default, D(2026, 11, 24), wt).due, D(2026, 12, 8));
}

TEST(SuspensionRules, TheEtagIsNoneUntilRulesAreStoredThenTheStoredOne) {
  // Nothing stored: the defaults apply and have no etag; an etag names no version.
  EXPECT_TRUE(CheckRulesEtag(std::nullopt, "").ok());
  for (const char* sent : {"1", "5"}) {
    absl::Status st = CheckRulesEtag(std::nullopt, sent);
    EXPECT_EQ(st.code(), absl::StatusCode::kAborted) << sent;
    EXPECT_THAT(std::string(st.message()), ::testing::HasSubstr("read them again"));
  }
  // Stored: their etag, required.
  EXPECT_TRUE(CheckRulesEtag(std::string("2"), "2").ok());
  EXPECT_EQ(CheckRulesEtag(std::string("2"), "1").code(), absl::StatusCode::kAborted);
  absl::Status none = CheckRulesEtag(std::string("2"), "");
  EXPECT_EQ(none.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(none).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(none)[0].field, "rules.etag");
}

TEST(AnnouncementStage, Boundaries) {
  const Day today = D(2026, 11, 24);
  EXPECT_EQ(AnnouncementStage(D(2026, 11, 23), today), 0);   // lapsed yesterday
  EXPECT_EQ(AnnouncementStage(D(2026, 11, 24), today), 30);  // last valid day is today
  EXPECT_EQ(AnnouncementStage(D(2026, 12, 24), today), 30);  // 30 days
  EXPECT_EQ(AnnouncementStage(D(2026, 12, 25), today), 60);  // 31 days
  EXPECT_EQ(AnnouncementStage(D(2027, 1, 23), today), 60);   // 60 days
  EXPECT_EQ(AnnouncementStage(D(2027, 1, 24), today), -1);   // 61 days
}

TEST(PackageWorkerRule, TripsOnlyWhenOnAndTheWorkerHasReasons) {
  std::vector<Reason> reasons = {
      {ReasonKind::kCompetencyMissing, "first_aid", std::nullopt},
      {ReasonKind::kDbsExpired, "", D(2026, 11, 30)},
  };
  SuspensionRules off;
  EXPECT_FALSE(OnPackageWorkerCheck(off, "pkg", reasons, D(2026, 12, 1)));
  SuspensionRules on;
  on.ineligible_package_worker = true;
  EXPECT_FALSE(OnPackageWorkerCheck(on, "pkg", {}, D(2026, 12, 1)));
  auto trip = OnPackageWorkerCheck(on, "pkg", reasons, D(2026, 12, 1));
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->rule, Rule::kIneligiblePackageWorker);
  EXPECT_EQ(trip->reason,
            "a named worker on package pkg is not eligible on 2026-12-01: COMPETENCY_MISSING "
            "first_aid, DBS_EXPIRED (2026-11-30)");
  // Leaving is not lapsing: not in post alone trips nothing, and is left out of the reason.
  EXPECT_FALSE(OnPackageWorkerCheck(on, "pkg", {{ReasonKind::kNotInPost, "", std::nullopt}},
                                    D(2026, 12, 1)));
  reasons.push_back({ReasonKind::kNotInPost, "", std::nullopt});
  EXPECT_EQ(OnPackageWorkerCheck(on, "pkg", reasons, D(2026, 12, 1))->reason, trip->reason);
}

TEST(PackageWorkerRule, TheSignatureIsTheFactsInAnyOrder) {
  Reason a{ReasonKind::kCompetencyMissing, "first_aid", std::nullopt};
  Reason b{ReasonKind::kDbsExpired, "", D(2026, 11, 30)};
  EXPECT_EQ(ReasonsSignature({a, b}), ReasonsSignature({b, a}));
  EXPECT_EQ(ReasonsSignature({a, b}), "COMPETENCY_MISSING:first_aid,DBS_EXPIRED@2026-11-30");
  EXPECT_NE(ReasonsSignature({a}), ReasonsSignature({a, b}));
  EXPECT_EQ(ReasonsSignature({}), "");
}

// The client-visible refusal: the message lists the reasons in their order (the signature
// sorts, this does not); each violation's subject is the competency, or the worker when
// the reason is about the worker as a whole.
struct DescribeCase {
  const char* name;
  std::vector<Reason> reasons;
  std::string message;
  std::vector<std::string> violations;  // "type | subject | description"
};

TEST(DescribeReasons, MessageAndPreconditionSubjects) {
  const DescribeCase cases[] = {
      {"none", {}, "", {}},
      {"about the worker, no date",
       {R(ReasonKind::kDbsMissing)},
       "DBS_MISSING",
       {"DBS_MISSING | staff_member/s1 | DBS_MISSING"}},
      {"about the worker, lapsed on a day",
       {R(ReasonKind::kRightToWorkLapsed, "", D(2026, 5, 31))},
       "RIGHT_TO_WORK_LAPSED (2026-05-31)",
       {"RIGHT_TO_WORK_LAPSED | staff_member/s1 | RIGHT_TO_WORK_LAPSED (2026-05-31)"}},
      {"a competency never done",
       {R(ReasonKind::kCompetencyMissing, "first_aid")},
       "COMPETENCY_MISSING first_aid",
       {"COMPETENCY_MISSING | first_aid | COMPETENCY_MISSING first_aid"}},
      {"a competency overdue since a day",
       {R(ReasonKind::kCompetencyOverdue, "care_certificate", D(2027, 1, 24))},
       "COMPETENCY_OVERDUE care_certificate (2027-01-24)",
       {"COMPETENCY_OVERDUE | care_certificate | COMPETENCY_OVERDUE care_certificate "
        "(2027-01-24)"}},
      {"several, in the order given",
       {R(ReasonKind::kNotInPost), R(ReasonKind::kDbsExpired, "", D(2026, 11, 30)),
        R(ReasonKind::kCompetencyExpired, "safeguarding", D(2026, 6, 30))},
       "NOT_IN_POST, DBS_EXPIRED (2026-11-30), COMPETENCY_EXPIRED safeguarding (2026-06-30)",
       {"NOT_IN_POST | staff_member/s1 | NOT_IN_POST",
        "DBS_EXPIRED | staff_member/s1 | DBS_EXPIRED (2026-11-30)",
        "COMPETENCY_EXPIRED | safeguarding | COMPETENCY_EXPIRED safeguarding (2026-06-30)"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DescribeReasons(c.reasons), c.message) << c.name;
    std::vector<std::string> got;
    for (const auto& v : ReasonViolations(c.reasons, "s1")) {
      got.push_back(v.type + " | " + v.subject + " | " + v.description);
    }
    EXPECT_EQ(got, c.violations) << c.name;
  }
}

// Every kind ReasonName (or ExpiryName) names: walks the enum from its first value until
// the name falls back to KIND_UNSPECIFIED, which the switch gives a value it lacks.
template <typename Kind>
std::vector<Kind> EveryKind(const char* (*name)(Kind)) {
  std::vector<Kind> out;
  for (int i = 0; i < 1000 && std::string(name(static_cast<Kind>(i))) != "KIND_UNSPECIFIED"; ++i) {
    out.push_back(static_cast<Kind>(i));
  }
  return out;
}

// The store gives clients these kinds by name (Kind_Parse of ReasonName and ExpiryName):
// a name the proto lacks would reach them as KIND_UNSPECIFIED. Each kind is one of the
// API's `Proto::Kind`, no two the same, and every value of that enum is one of them.
template <typename Proto, typename Kind>
void ExpectEveryKindIsTheApis(const char* (*name)(Kind)) {
  const std::vector<Kind> kinds = EveryKind(name);
  EXPECT_EQ(static_cast<int>(kinds.size()), Proto::Kind_descriptor()->value_count() - 1);
  std::set<typename Proto::Kind> seen;
  for (Kind k : kinds) {
    typename Proto::Kind parsed = Proto::KIND_UNSPECIFIED;
    EXPECT_TRUE(Proto::Kind_Parse(name(k), &parsed)) << name(k);
    EXPECT_NE(parsed, Proto::KIND_UNSPECIFIED) << name(k);
    EXPECT_TRUE(seen.insert(parsed).second) << name(k) << " is named twice";
  }
}

TEST(KindNames, EveryReasonKindIsAnIneligibilityReasonKind) {
  ExpectEveryKindIsTheApis<v1::IneligibilityReason>(&ReasonName);
  EXPECT_STREQ(ReasonName(ReasonKind::kBarredListMissing), "BARRED_LIST_CHECK_MISSING");
}

TEST(KindNames, EveryExpiryKindIsAnExpiryItemKind) {
  ExpectEveryKindIsTheApis<v1::ExpiryItem>(&ExpiryName);
}

TEST(PackageDates, FromDateWithinThePackage) {
  EXPECT_EQ(PackageDatesProblem(D(2026, 11, 2), std::nullopt, D(2026, 11, 2)), "");
  EXPECT_EQ(PackageDatesProblem(D(2026, 11, 2), D(2027, 3, 31), D(2027, 3, 31)), "");
  EXPECT_EQ(PackageDatesProblem(D(2026, 11, 2), std::nullopt, D(2026, 11, 1)),
            "the package starts on 2026-11-02; from_date may not be earlier");
  EXPECT_EQ(PackageDatesProblem(D(2026, 11, 2), D(2027, 3, 31), D(2027, 4, 1)),
            "the package ended on 2027-03-31");
}

TEST(PackageDates, AnAssignmentEndedBeforeItsFirstDayNeverRan) {
  EXPECT_EQ(AssignmentEnd(D(2026, 12, 10), D(2026, 12, 31)), D(2026, 12, 31));
  EXPECT_EQ(AssignmentEnd(D(2026, 12, 10), D(2026, 12, 10)), D(2026, 12, 10));
  EXPECT_EQ(AssignmentEnd(D(2026, 12, 10), D(2026, 11, 24)), D(2026, 12, 9));
}

TEST(PackageDates, AWorkerIsNamedAgainOnlyAfterTheLastDayOfAnEarlierAssignment) {
  // Named from 28 December, ended on the 30th: from the 31st only.
  std::vector<EndedAssignment> ended = {{"a", D(2026, 12, 28), D(2026, 12, 30)}};
  for (Day from : {D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 1)}) {
    const EndedAssignment* hit = OverlappedAssignment(ended, from);
    ASSERT_NE(hit, nullptr) << from;
    EXPECT_EQ(hit->id, "a");
  }
  EXPECT_EQ(OverlappedAssignment(ended, D(2026, 12, 31)), nullptr);
  EXPECT_EQ(OverlappedAssignment({}, D(2026, 12, 29)), nullptr);
  // Of several, the one ending last is named (the earliest day is after it), whatever the
  // order; one stood down before its first day never ran and holds no days.
  ended = {{"late", D(2027, 1, 10), D(2027, 1, 15)},
           {"early", D(2026, 12, 1), D(2026, 12, 5)},
           {"never", D(2027, 2, 1), D(2027, 1, 31)}};
  EXPECT_EQ(OverlappedAssignment(ended, D(2026, 12, 7))->id, "late");
  EXPECT_EQ(OverlappedAssignment(ended, D(2027, 1, 15))->id, "late");
  EXPECT_EQ(OverlappedAssignment(ended, D(2027, 1, 16)), nullptr);
  EXPECT_EQ(OverlappedAssignment(ended, D(2027, 1, 20)), nullptr);
}

}  // namespace
}  // namespace pdps::workforce::domain
