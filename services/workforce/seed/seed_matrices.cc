// Seed training matrices (seeds 000 6.7 Lots A-D, 001 9.4-9.5, 002 paras 58 and 65-68,
// 004 3.16).
#include "services/workforce/seed/seed_matrices.h"

namespace pdps::workforce::domain {
namespace {

constexpr int kAnnual = 12;
constexpr int kThreeYears = 36;
constexpr int kTwoYears = 24;

CompetencyRule C(const char* code, const char* name, int renewal_months, bool conditional = false) {
  CompetencyRule c;
  c.code = code;
  c.name = name;
  c.renewal_months = renewal_months;
  c.conditional = conditional;
  return c;
}

// The rows every Lewisham lot starts with (seed 000 6.7 tables).
std::vector<CompetencyRule> LewishamCore() {
  return {C("first_aid", "First Aid", kThreeYears),
          C("health_safety", "Health & Safety", kThreeYears),
          C("equality_diversity", "Equality & Diversity", kThreeYears),
          C("anaphylaxis", "Anaphylaxis", kAnnual),
          C("infection_control", "Infection control", kAnnual),
          C("moving_handling", "Moving and handling", kAnnual),
          C("safeguarding_level_2", "Safeguarding Level 2", kAnnual),
          C("basic_life_support", "Basic Life Support", kAnnual)};
}

SeedMatrix Lewisham(const char* lot, const char* title, std::vector<CompetencyRule> extra,
                    Day from) {
  SeedMatrix s;
  s.framework = "lewisham";
  s.lot = lot;
  s.title = title;
  s.source = "seed 000 section 6.7, Appendix 2 (DBS)";
  s.matrix.effective_from = from;
  // Appendix 2: "XX% of staff have a 6 monthly enhanced DBS check", a check the
  // provider keeps up (the DBS Update Service), not a new certificate: the gate keeps
  // the default 36-month renewal (decision 0063).
  s.matrix.dbs_check_months = 6;
  s.matrix.competencies = LewishamCore();
  for (auto& c : extra) s.matrix.competencies.push_back(std::move(c));
  return s;
}

}  // namespace

std::vector<SeedMatrix> SeedMatrices(Day from) {
  std::vector<SeedMatrix> out;

  SeedMatrix a =
      Lewisham("A", "Lot A: Personalised care and support delivered by children's nurses",
               {C("medication_administration", "Administration of medications", kAnnual),
                C("asd_challenging_behaviour", "ASD/ Challenging behaviour", kAnnual, true),
                C("seizure_management", "Seizure management", kAnnual),
                C("de_escalation", "De-escalation", kAnnual, true),
                C("ventilation_bipap_cpap", "Ventilation / BiPAP / CPAP", kAnnual),
                C("gastrostomy_ng_tubes", "Gastrostomy /NG tubes", kAnnual)},
               from);
  // "Registration as a children's nurse ... must be checked with the NMC".
  a.matrix.required_registration_body = "NMC";
  out.push_back(std::move(a));

  // Lot B's table marks De-escalation with a stray opening quote where Lot A has an
  // asterisk; it is read as the asterisk (decision 0031).
  out.push_back(
      Lewisham("B", "Lot B: Personalised care and support delivered by highly skilled carers",
               {C("medication_administration", "Administration of medications", kAnnual),
                C("asd_challenging_behaviour", "ASD/ Challenging behaviour", kAnnual, true),
                C("seizure_management", "Seizure management", kAnnual, true),
                C("de_escalation", "De-escalation", kAnnual, true),
                C("ventilation_bipap_cpap", "Ventilation / BiPAP / CPAP", kAnnual, true),
                C("gastrostomy_ng_tubes", "Gastrostomy/NG tubes", kAnnual, true)},
               from));

  out.push_back(
      Lewisham("C", "Lot C: Personalised care and support delivered by support workers",
               {C("medication_competent_parent",
                  "Administration of medications - level of competent parent", kAnnual),
                C("asd_challenging_behaviour", "ASD/ Challenging behaviour", kAnnual, true),
                C("seizure_management", "Seizure management", kAnnual, true)},
               from));

  out.push_back(
      Lewisham("D", "Lot D: Mentoring, buddying and personalised care and support",
               {C("asd_challenging_behaviour", "ASD/ Challenging behaviour", kAnnual, true),
                C("medication_competent_parent",
                  "Administration of medications - level of competent parent", kAnnual),
                C("mental_health", "Mental Health", kAnnual),
                C("seizure_management", "Seizure management", kAnnual, true),
                C("makaton_asd_communication",
                  "Communication for CYP with ASD i.e. training in Makaton", kAnnual, true)},
               from));

  // Cambridgeshire & Peterborough: the 9.4 minimum list, no frequencies; supervision at
  // most 3 months apart (9.5). One matrix for every lot.
  {
    SeedMatrix s;
    s.framework = "cambridgeshire_peterborough";
    s.lot = "*";
    s.title = "Children and Young People's Home and Community Support: minimum training";
    s.source = "seed 001 sections 9.4-9.5";
    s.matrix.effective_from = from;
    s.matrix.supervision_months = 3;
    s.matrix.competencies = {
        C("safeguarding", "Safeguarding (Disabled Children, Child Protection, CSE, CCE and FGM)",
          0),
        C("e_safety", "E-Safety Training", 0),
        C("mca_dols", "Mental Capacity Act and Deprivation of Liberty Safeguards", 0),
        C("autism_awareness", "Autism Awareness", 0),
        C("mental_health_awareness", "Mental Health Awareness", 0),
        C("attachment_trauma", "Attachment and Trauma Disorders", 0),
        C("technology_communication_aids", "Technology Based Communication Aids", 0),
        C("non_verbal_communication", "Non-Verbal Communication Methods", 0),
        C("behaviour_management",
          "Introductory PROACT SCIPr, PBS or another accredited approach to Behaviour "
          "Management, Physical Intervention and Restraint",
          0),
        C("fire_safety", "Fire Safety", 0),
        C("risk_assessment", "Risk Assessment/Risk Management", 0),
        C("first_aid", "Basic First Aid", 0),
        C("moving_handling", "Moving and Handling", 0),
        C("infection_prevention_control", "Infection Prevention and Control", 0),
        C("food_safety", "Food Safety", 0),
        C("fluids_nutrition", "Fluids and Nutrition", 0),
        C("health_safety", "Health and Safety", 0),
        C("medication_administration", "Medication Administration", 0)};
    out.push_back(std::move(s));
  }

  // Southwark: DBS every 3 years (58); Care Certificate within 12 weeks; prevention of
  // abuse within 3 months, then yearly (65); supervision quarterly (66); annual
  // appraisal (68); challenging behaviour in children with learning disabilities or
  // autism (61) and the specialist autism training "delivered to all of the workforce"
  // (62), which give no period, so are needed once, before work. The Level 2 diploma
  // is a target, not a gate.
  {
    SeedMatrix s;
    s.framework = "southwark";
    s.lot = "*";
    s.title = "Care at home for children and young people: induction and development";
    s.source = "seed 002 paragraphs 58, 61-62, 65-68";
    s.matrix.effective_from = from;
    s.matrix.dbs_renewal_months = 36;
    s.matrix.supervision_months = 3;
    s.matrix.appraisal_months = 12;
    CompetencyRule care = C("care_certificate", "Care Certificate", 0);
    care.due_within_weeks = 12;
    CompetencyRule abuse = C("safeguarding", "Prevention of abuse (safeguarding)", kAnnual);
    abuse.due_within_months = 3;
    s.matrix.competencies = {care, abuse,
                             C("challenging_behaviour_asd",
                               "Managing challenging behaviour (learning disabilities, ASD)", 0),
                             C("autism_specialist",
                               "Specialist autism training: communication, anxiety, sensory "
                               "needs, social interaction",
                               0)};
    out.push_back(std::move(s));
  }

  // Derby: the Care Certificate for every new member of staff before working
  // unsupervised (3.16 d), 3.16's mandatory list (periods where given) and its whole
  // additional/specialist list as conditional; professional supervision at least
  // monthly (3.16, "in place" list).
  {
    SeedMatrix s;
    s.framework = "derby";
    s.lot = "*";
    s.title = "Day opportunities: mandatory and specialist training";
    s.source = "seed 004 section 3.16";
    s.matrix.effective_from = from;
    s.matrix.supervision_months = 1;
    s.matrix.competencies = {
        C("care_certificate", "Care Certificate", 0),
        C("person_centred_planning", "Person centred planning", 0, true),  // assessors only
        C("promoting_independence", "Promoting independence", 0),
        C("moving_handling", "Moving and Handling", 0),
        C("dignity_in_care", "Dignity in Care", 0),
        C("communication_skills", "Communication Skills - verbal and non-verbal", 0),
        C("challenging_behaviour", "Understanding Challenging Behaviour", kAnnual),
        C("equality_diversity", "Equalities and Diversity awareness", 0),
        C("safeguarding_adults", "Safeguarding Adults", kTwoYears),
        C("safeguarding_children", "Safeguarding Children", kTwoYears),
        C("health_safety", "Health & Safety", 0),
        C("risk_assessment", "Risk Assessment and Management", 0),
        C("mca", "Mental Capacity Act", kTwoYears),
        C("infection_prevention_control", "Infection Prevention and Control", 0),
        C("first_aid", "First Aid", kThreeYears),
        C("infection_control", "Infection Control", 0),
        C("food_hygiene", "Food Hygiene", kThreeYears, true),  // "where required"
        C("basic_life_support", "Basic Life support", 0),
        C("gdpr_record_keeping", "GDPR - Data Protection + Record Keeping", kTwoYears),
        C("managing_medication", "Managing Medication", kTwoYears, true),
        C("long_term_conditions", "Understanding long-term conditions", 0, true),
        C("dementia", "Delirium in Dementia and Understanding Dementia", 0, true),
        C("falls_prevention", "Falls Prevention and Management", 0, true),
        C("assisting_moving", "Assisting and Moving", kTwoYears, true),
        C("duty_of_care", "Duty of Care", 0, true),
        C("sensory_impairment_communication",
          "Communication for Customers with Sensory Impairments", 0, true),
        C("conflict_management", "Conflict Management/ resolution training", 0, true),
        C("physical_intervention", "Physical intervention and restraint reduction", 0, true),
        C("choice_and_control", "Choice and control", 0, true),
        C("fluids_nutrition", "Fluids and Nutrition", 0, true),
        C("co_occurring_conditions", "Common co-occurring medical conditions", 0, true),
        C("continence_management", "Continence Management", 0, true),
        C("mental_health_awareness", "Mental Health Awareness", 0, true),
        C("catheter_care", "Catheter Care", 0, true),
        C("positive_behaviour_support", "Positive behaviour support and management", 0, true),
        C("advocacy", "Advocacy", 0, true)};
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace pdps::workforce::domain
