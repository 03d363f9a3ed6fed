// The seed matrices say what the specifications say: Lewisham's four lot tables with
// their asterisked items conditional and NMC for Lot A, Cambridgeshire & Peterborough's
// 9.4 list, Southwark's induction deadlines and Derby's periods.
#include "services/workforce/seed/seed_matrices.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/ids.h"
#include "services/workforce/domain/validate.h"

namespace pdps::workforce::domain {
namespace {

const Day kFrom(2026, 4, 1);

const SeedMatrix& Find(const std::vector<SeedMatrix>& all, const std::string& fw,
                       const std::string& lot) {
  for (const auto& s : all) {
    if (s.framework == fw && s.lot == lot) return s;
  }
  static SeedMatrix none;
  ADD_FAILURE() << "no seed matrix " << fw << " " << lot;
  return none;
}

const CompetencyRule* Comp(const Matrix& m, const std::string& code) {
  for (const auto& c : m.competencies) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

TEST(SeedMatrices, EveryFrameworkAndLot) {
  auto all = SeedMatrices(kFrom);
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& s : all) {
    keys.insert({s.framework, s.lot});
    EXPECT_EQ(s.matrix.effective_from, kFrom);
    EXPECT_FALSE(s.source.empty());
    std::set<std::string> codes;
    for (const auto& c : s.matrix.competencies) {
      EXPECT_TRUE(IsCompetencyCode(c.code)) << c.code;
      EXPECT_TRUE(codes.insert(c.code).second) << s.framework << s.lot << " repeats " << c.code;
    }
  }
  EXPECT_EQ(keys,
            (std::set<std::pair<std::string, std::string>>{{"lewisham", "A"},
                                                           {"lewisham", "B"},
                                                           {"lewisham", "C"},
                                                           {"lewisham", "D"},
                                                           {"cambridgeshire_peterborough", "*"},
                                                           {"southwark", "*"},
                                                           {"derby", "*"}}));
}

TEST(SeedMatrices, LewishamLotTables) {
  auto all = SeedMatrices(kFrom);
  // Rows per lot table (seed 000 6.7), the NMC row of Lot A excepted.
  EXPECT_EQ(Find(all, "lewisham", "A").matrix.competencies.size(), 14u);
  EXPECT_EQ(Find(all, "lewisham", "B").matrix.competencies.size(), 14u);
  EXPECT_EQ(Find(all, "lewisham", "C").matrix.competencies.size(), 11u);
  EXPECT_EQ(Find(all, "lewisham", "D").matrix.competencies.size(), 13u);
  const Matrix& a = Find(all, "lewisham", "A").matrix;
  EXPECT_EQ(a.required_registration_body, "NMC");
  // Appendix 2's 6-monthly DBS check, on every lot; the gate's renewal stays 36 months.
  for (const char* lot : {"A", "B", "C", "D"}) {
    EXPECT_EQ(Find(all, "lewisham", lot).matrix.dbs_check_months, 6) << lot;
    EXPECT_EQ(Find(all, "lewisham", lot).matrix.dbs_renewal_months, 36) << lot;
  }
  EXPECT_EQ(Comp(a, "first_aid")->renewal_months, 36);
  EXPECT_EQ(Comp(a, "equality_diversity")->renewal_months, 36);
  EXPECT_EQ(Comp(a, "anaphylaxis")->renewal_months, 12);
  EXPECT_FALSE(Comp(a, "seizure_management")->conditional);  // no asterisk on Lot A
  EXPECT_TRUE(Comp(a, "asd_challenging_behaviour")->conditional);
  EXPECT_TRUE(Comp(a, "de_escalation")->conditional);
  EXPECT_FALSE(Comp(a, "ventilation_bipap_cpap")->conditional);
  const Matrix& b = Find(all, "lewisham", "B").matrix;
  EXPECT_EQ(b.required_registration_body, "");
  for (const char* code : {"asd_challenging_behaviour", "seizure_management", "de_escalation",
                           "ventilation_bipap_cpap", "gastrostomy_ng_tubes"}) {
    EXPECT_TRUE(Comp(b, code)->conditional) << code;
  }
  const Matrix& c = Find(all, "lewisham", "C").matrix;
  EXPECT_EQ(Comp(c, "ventilation_bipap_cpap"), nullptr);
  EXPECT_NE(Comp(c, "medication_competent_parent"), nullptr);
  const Matrix& d = Find(all, "lewisham", "D").matrix;
  EXPECT_FALSE(Comp(d, "mental_health")->conditional);
  EXPECT_TRUE(Comp(d, "makaton_asd_communication")->conditional);
  EXPECT_TRUE(Comp(d, "asd_challenging_behaviour")->conditional);
  for (const auto& s : all) {
    if (s.framework != "lewisham") continue;
    for (const auto& comp : s.matrix.competencies) {
      EXPECT_TRUE(comp.renewal_months == 12 || comp.renewal_months == 36) << comp.code;
    }
  }
}

TEST(SeedMatrices, OtherFrameworks) {
  auto all = SeedMatrices(kFrom);
  const Matrix& cp = Find(all, "cambridgeshire_peterborough", "*").matrix;
  EXPECT_EQ(cp.competencies.size(), 18u);  // the 9.4 bullets
  EXPECT_EQ(cp.supervision_months, 3);
  for (const auto& c : cp.competencies) EXPECT_EQ(c.renewal_months, 0) << c.code;

  const Matrix& sw = Find(all, "southwark", "*").matrix;
  EXPECT_EQ(sw.dbs_renewal_months, 36);
  EXPECT_EQ(sw.dbs_check_months, 0);  // Southwark asks for no check between renewals
  EXPECT_EQ(Comp(sw, "care_certificate")->due_within_weeks, 12);
  EXPECT_EQ(Comp(sw, "care_certificate")->renewal_months, 0);
  EXPECT_EQ(Comp(sw, "safeguarding")->due_within_months, 3);
  EXPECT_EQ(Comp(sw, "safeguarding")->renewal_months, 12);
  // Paragraphs 61-62: for the whole workforce, no period, so needed before work.
  for (const char* code : {"challenging_behaviour_asd", "autism_specialist"}) {
    ASSERT_NE(Comp(sw, code), nullptr) << code;
    EXPECT_FALSE(Comp(sw, code)->conditional) << code;
    EXPECT_EQ(Comp(sw, code)->due_within_weeks, 0) << code;
  }
  EXPECT_EQ(sw.competencies.size(), 4u);

  const Matrix& derby = Find(all, "derby", "*").matrix;
  EXPECT_EQ(derby.supervision_months, 1);
  EXPECT_EQ(Comp(derby, "safeguarding_adults")->renewal_months, 24);
  EXPECT_EQ(Comp(derby, "mca")->renewal_months, 24);
  EXPECT_EQ(Comp(derby, "first_aid")->renewal_months, 36);
  EXPECT_EQ(Comp(derby, "challenging_behaviour")->renewal_months, 12);
  EXPECT_TRUE(Comp(derby, "managing_medication")->conditional);
  EXPECT_FALSE(Comp(derby, "safeguarding_children")->conditional);
  EXPECT_FALSE(Comp(derby, "care_certificate")->conditional);  // 3.16 d, every new starter
  // 3.16: 18 mandatory rows, 17 additional/specialist ones (conditional), the
  // Care Certificate.
  EXPECT_EQ(derby.competencies.size(), 36u);
  int conditional = 0;
  for (const auto& c : derby.competencies) conditional += c.conditional ? 1 : 0;
  EXPECT_EQ(conditional, 19);  // the 17 specialist, person centred planning, food hygiene
  EXPECT_TRUE(Comp(derby, "advocacy")->conditional);
  EXPECT_TRUE(Comp(derby, "catheter_care")->conditional);
}

// A Southwark new starter: eligible in the grace period, not after it.
TEST(SeedMatrices, SouthwarkNewStarterThroughTheGate) {
  auto all = SeedMatrices(kFrom);
  const Matrix& sw = Find(all, "southwark", "*").matrix;
  Worker w;
  w.start = Day(2026, 5, 1);
  w.dbs_date = Day(2026, 4, 20);
  w.barred_list_checked = Day(2026, 4, 20);
  w.right_to_work = RightToWork::kUnlimited;
  // Paragraphs 61-62 have no grace period: done in the first week.
  std::vector<Completion> done = {{"challenging_behaviour_asd", Day(2026, 5, 6)},
                                  {"autism_specialist", Day(2026, 5, 7)}};
  // The last day of the Care Certificate's 12 weeks (para 65): 1 May + 83.
  EXPECT_TRUE(CheckEligibility(w, sw, done, {}, Day(2026, 7, 23)).empty());
  auto day_after = CheckEligibility(w, sw, done, {}, Day(2026, 7, 24));
  ASSERT_EQ(day_after.size(), 1u);
  EXPECT_EQ(day_after[0].code, "care_certificate");
  auto first_day = CheckEligibility(w, sw, {}, {}, Day(2026, 5, 1));
  ASSERT_EQ(first_day.size(), 2u);  // the grace periods run; the specialist items do not
  EXPECT_EQ(first_day[0].code, "challenging_behaviour_asd");
  EXPECT_EQ(first_day[1].code, "autism_specialist");
  auto late = CheckEligibility(w, sw, done, {}, Day(2026, 8, 2));
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].code, "care_certificate");  // due 23 July (1 May + 83)
  EXPECT_EQ(late[1].code, "safeguarding");      // due 31 July (3 months)
}

}  // namespace
}  // namespace pdps::workforce::domain
