// Referral input rules.
#include "services/referrals/domain/validate.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/areas.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/status.h"

namespace pdps::referrals::domain {
namespace {

constexpr size_t kShortText = 200;
constexpr size_t kLongText = 4000;
constexpr size_t kExtractText = 20000;
// Lists: far more than any real referral needs, little enough for a provider's inbox.
constexpr int kMaxOutcomes = 30;
constexpr int kMaxLanguages = 20;
constexpr int kMaxFundingShares = 20;
constexpr int kMaxAddressLines = 10;
constexpr int kMaxContacts = 20;

std::optional<absl::CivilDay> Day(Violations& v, const std::string& field, const std::string& text,
                                  bool required) {
  if (text.empty()) {
    if (required) v.Add(field, "is required (YYYY-MM-DD)");
    return std::nullopt;
  }
  auto d = dates::ParseDay(text);
  if (!d) v.Add(field, dates::kNotADay);
  return d;
}

// `members` null: the funders' organisations are checked for shape only.
absl::Status CheckReferral(const v1::Referral& r, const std::set<std::string>* members,
                           absl::CivilDay today) {
  Violations v;
  v.Id("referral.lot_id", r.lot_id());
  if (r.urgency() == v1::Referral::URGENCY_UNSPECIFIED || !v1::Referral::Urgency_IsValid(r.urgency())) {
    v.Add("referral.urgency", "is required: ROUTINE or EMERGENCY");
  }
  v.Text("referral.area", r.area(), 100, true);
  if (areas::LooksLikeAnAddress(r.area())) {
    v.Add("referral.area",
          "must be a district or borough (e.g. SOUTHWARK), not a postcode or address: every "
          "provider offered the referral sees it");
  }
  double h = r.planned_weekly_hours();
  if (!(h >= 0.25) || h > 168) {
    v.Add("referral.planned_weekly_hours", "must be at least 0.25 and at most 168");
  } else if (std::fabs(h * 4 - std::round(h * 4)) > 1e-9) {
    v.Add("referral.planned_weekly_hours", "must be in steps of 0.25 hours");
  }
  v.Text("referral.session_pattern", r.session_pattern(), kShortText * 2, true);
  if (r.outcomes().empty()) v.Add("referral.outcomes", "at least one outcome is required");
  if (v.AtMost("referral.outcomes", r.outcomes_size(), kMaxOutcomes)) {
    for (int i = 0; i < r.outcomes_size(); ++i) {
      v.Text(absl::StrCat("referral.outcomes[", i, "]"), r.outcomes(i), kShortText * 2, true);
    }
  }
  v.Text("referral.needs_summary", r.needs_summary(), kLongText, true);
  v.Text("referral.communication_needs", r.communication_needs(), kLongText, false);
  v.Text("referral.special_requirements", r.special_requirements(), kLongText, false);
  v.Text("referral.care_plan_extract", r.care_plan_extract(), kExtractText, false);
  auto start = Day(v, "referral.start_date", r.start_date().value(), true);
  auto end = Day(v, "referral.end_date", r.end_date().value(), false);
  if (start && *start < today) {
    v.Add("referral.start_date",
          absl::StrCat("must be today (", dates::FormatDay(today), ") or later"));
  }
  if (start && end && *end < *start) v.Add("referral.end_date", "must be on or after start_date");
  // A start before today is start_date's own violation above.
  if (start && *start >= today && r.urgency() == v1::Referral::EMERGENCY) {
    if (std::string problem = EmergencyStartProblem(*start, today); !problem.empty()) {
      v.Add("referral.urgency", problem);
    }
  }
  const auto& pref = r.preferences();
  if (!pref.worker_gender().empty() && pref.worker_gender() != "female" &&
      pref.worker_gender() != "male") {
    v.Add("referral.preferences.worker_gender", "must be \"female\", \"male\" or empty");
  }
  if (v.AtMost("referral.preferences.languages", pref.languages_size(), kMaxLanguages)) {
    for (int i = 0; i < pref.languages_size(); ++i) {
      v.Text(absl::StrCat("referral.preferences.languages[", i, "]"), pref.languages(i), 100, true);
    }
  }
  v.Text("referral.preferences.culture", pref.culture(), kShortText, false);
  v.Text("referral.preferences.religion", pref.religion(), kShortText, false);
  // The codes of the lot's training matrix (e.g. its conditional "seizure_management"),
  // which the compliance gate checks named workers against (as many as it takes).
  v.CompetencyCodes("referral.extra_competencies", r.extra_competencies(), kMaxExtraCompetencies);
  if (r.direct_payment()) {
    if (!r.funding().empty()) {
      v.Add("referral.funding", "must be empty for a direct payment");
    }
  } else if (r.funding().empty()) {
    v.Add("referral.funding", "is required (shares summing to 10000) unless direct_payment");
  } else if (v.AtMost("referral.funding", r.funding_size(), kMaxFundingShares)) {
    int64_t sum = 0;
    std::set<std::string> seen;
    for (int i = 0; i < r.funding_size(); ++i) {
      const auto& f = r.funding(i);
      std::string field = absl::StrCat("referral.funding[", i, "]");
      if (!IsUuid(f.organisation_id())) {
        v.Id(field + ".organisation_id", f.organisation_id());
      } else if (members != nullptr &&
                 members->count(absl::AsciiStrToLower(f.organisation_id())) == 0) {
        v.Add(field + ".organisation_id",
              "must be a commissioner of the partnership that owns the framework");
      } else if (!seen.insert(absl::AsciiStrToLower(f.organisation_id())).second) {
        v.Add(field + ".organisation_id", "appears twice");
      }
      if (f.share_basis_points() < 1 || f.share_basis_points() > 10000) {
        v.Add(field + ".share_basis_points", "must be from 1 to 10000");
      }
      sum += f.share_basis_points();
      v.Text(field + ".funding_stream", f.funding_stream(), 100, false);
    }
    if (sum != 10000) {
      v.Add("referral.funding", absl::StrCat("shares must sum to 10000 basis points, not ", sum));
    }
  }
  return v.ToStatus();
}

}  // namespace

absl::Status ValidateReferral(const v1::Referral& r, const std::set<std::string>& members,
                              absl::CivilDay today) {
  return CheckReferral(r, &members, today);
}

absl::Status ValidateReferralShape(const v1::Referral& r, absl::CivilDay today) {
  return CheckReferral(r, nullptr, today);
}

bool ValidNhsNumber(const std::string& digits) {
  if (digits.size() != 10) return false;
  int sum = 0;
  for (int i = 0; i < 10; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(digits[i]))) return false;
  }
  for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;
  return check == digits[9] - '0';
}

int AgeOn(absl::CivilDay born, absl::CivilDay day) {
  int age = static_cast<int>(day.year() - born.year());
  if (day.month() < born.month() || (day.month() == born.month() && day.day() < born.day())) {
    --age;
  }
  return age;
}

absl::Status ValidatePerson(const v1::PersonDetails& p, absl::CivilDay today) {
  Violations v;
  v.Text("person.full_name", p.full_name(), kShortText, true);
  auto dob = Day(v, "person.date_of_birth", p.date_of_birth().value(), true);
  if (dob && (*dob > today || AgeOn(*dob, today) > 120)) {
    v.Add("person.date_of_birth", "must be a past date within 120 years");
  }
  if (p.address_lines().empty()) v.Add("person.address_lines", "at least one line is required");
  if (v.AtMost("person.address_lines", p.address_lines_size(), kMaxAddressLines)) {
    for (int i = 0; i < p.address_lines_size(); ++i) {
      v.Text(absl::StrCat("person.address_lines[", i, "]"), p.address_lines(i), kShortText, true);
    }
  }
  v.Text("person.postcode", p.postcode(), 10, true);
  if (!p.nhs_number().empty() && !ValidNhsNumber(p.nhs_number())) {
    v.Add("person.nhs_number", "must be 10 digits with a valid check digit");
  }
  v.Text("person.key_safe_code", p.key_safe_code(), 50, false);
  const int contacts =
      v.AtMost("person.contacts", p.contacts_size(), kMaxContacts) ? p.contacts_size() : 0;
  for (int i = 0; i < contacts; ++i) {
    std::string f = absl::StrCat("person.contacts[", i, "]");
    v.Text(f + ".name", p.contacts(i).name(), kShortText, true);
    v.Text(f + ".relationship", p.contacts(i).relationship(), 100, true);
    v.Text(f + ".phone", p.contacts(i).phone(), 50, false);
    v.Text(f + ".email", p.contacts(i).email(), kShortText, false);
  }
  return v.ToStatus();
}

absl::Status CheckAgeForLot(absl::CivilDay born, absl::CivilDay start, int min_age, int max_age,
                            const std::string& field) {
  int age = AgeOn(born, start);
  if (age >= min_age && age <= max_age) return absl::OkStatus();
  return InvalidField(field, absl::StrCat("the person is ", age, " on the referral's start date ",
                                          dates::FormatDay(start), "; the lot serves ages ",
                                          min_age, " to ", max_age));
}

namespace {

// A required free text that says why: blank is "is required: <why>", longer than `max`
// characters "must be at most <max> characters".
void RequiredWords(Violations& v, const std::string& field, const std::string& text, size_t max,
                   const char* why) {
  if (IsBlank(text)) {
    v.Add(field, absl::StrCat("is required: ", why));
  } else {
    v.Text(field, text, max, false);
  }
}

}  // namespace

absl::Status ValidateDecline(v1::DeclineReason reason, const std::string& rationale) {
  // Every offer is answered (seed 001 4.13): a decline says why, by code and in words.
  Violations v;
  if (reason == v1::DECLINE_REASON_UNSPECIFIED) {
    v.Add("reason", "is required (e.g. NO_CAPACITY, NO_SUITABLE_WORKER, OTHER)");
  }
  RequiredWords(v, "rationale", rationale, 2000, "say why, in words the brokerage team can act on");
  return v.ToStatus();
}

absl::Status ValidateAward(const std::string& offer_id, const std::string& provider_id,
                           const std::string& rationale) {
  Violations v;
  if (offer_id.empty() == provider_id.empty()) {
    v.Add("offer_id", "give exactly one of offer_id (a proposal or bid) and provider_id");
  } else {
    v.Id("offer_id", offer_id, false);
    v.Id("provider_id", provider_id, false);
  }
  if (!provider_id.empty() && IsBlank(rationale)) {
    v.Add("rationale", "is required for a direct award");
  }
  v.Text("rationale", rationale, 2000, false);
  return v.ToStatus();
}

absl::Status ValidateAccessPurpose(const std::string& purpose) {
  Violations v;
  RequiredWords(v, "purpose", purpose, kAccessPurposeMax, "say why you read the details");
  return v.ToStatus();
}

absl::Status ValidateUpdateReason(const std::string& reason) {
  Violations v;
  RequiredWords(v, "reason", reason, kUpdateReasonMax,
                "say why the details change (kept in the access log)");
  return v.ToStatus();
}

absl::Status ValidateProposal(const v1::Proposal& p, const std::set<std::string>& required) {
  Violations v;
  // A named worker's competencies are proved by the workforce gate (ProposalAsSubmitted);
  // without one, the provider declares them.
  if (p.matched_competencies().empty() && p.worker_profile().staff_id().empty()) {
    v.Add("proposal.matched_competencies",
          "at least one competency is required, or name the worker "
          "(proposal.worker_profile.staff_id) and the compliance gate proves them");
  }
  const int matched = v.AtMost("proposal.matched_competencies", p.matched_competencies_size(),
                               kMaxLotCompetencies + kMaxExtraCompetencies)
                          ? p.matched_competencies_size()
                          : 0;
  bool all_asked_for = true;
  for (int i = 0; i < matched; ++i) {
    if (required.count(p.matched_competencies(i)) == 0) {
      v.Add(absl::StrCat("proposal.matched_competencies[", i, "]"),
            absl::StrCat("is not a competency this referral asks for (the lot's and the "
                         "referral's extra ones: ",
                         absl::StrJoin(required, ", "), ")"));
      all_asked_for = false;
    }
  }
  // Each code once: the officers and the family read the list as what the worker holds.
  if (matched > 0 && all_asked_for) {
    v.NoRepeats("proposal.matched_competencies", p.matched_competencies());
  }
  v.Text("proposal.worker_profile.role", p.worker_profile().role(), kShortText, true);
  v.Text("proposal.worker_profile.summary", p.worker_profile().summary(), kLongText, true);
  v.Text("proposal.worker_profile.gender", p.worker_profile().gender(), 50, false);
  if (p.worker_profile().years_experience() < 0 || p.worker_profile().years_experience() > 70) {
    v.Add("proposal.worker_profile.years_experience", "must be from 0 to 70");
  }
  v.Id("proposal.worker_profile.staff_id", p.worker_profile().staff_id(), false);
  v.Text("proposal.notes", p.notes(), kLongText, false);
  return v.ToStatus();
}

absl::Status CheckExtrasBeyondLot(const std::vector<std::string>& extras,
                                  const std::vector<std::string>& lot) {
  const std::set<std::string> base(lot.begin(), lot.end());
  Violations v;
  for (size_t i = 0; i < extras.size(); ++i) {
    if (base.count(extras[i]) > 0) {
      v.Add(absl::StrCat("referral.extra_competencies[", i, "]"),
            absl::StrCat("is already in the lot's base set (", absl::StrJoin(lot, ", "),
                         "), which every referral on the lot asks for; leave it out"));
    }
  }
  return v.ToStatus();
}

absl::Status CheckAreaServed(const std::string& area, const std::vector<std::string>& served) {
  if (served.empty()) return absl::OkStatus();
  const std::string a = areas::Normalise(area);
  for (const auto& s : served) {
    if (areas::Normalise(s) == a) return absl::OkStatus();
  }
  return InvalidField(
      "referral.area",
      absl::StrCat("must be one of the framework's service areas: ", absl::StrJoin(served, ", ")));
}

std::string EmergencyStartProblem(absl::CivilDay start, absl::CivilDay today) {
  const absl::CivilDay latest = today + kEmergencyNoticeDays;
  if (start >= today && start <= latest) return "";
  const std::string when = start < today
                               ? absl::StrCat("start_date ", dates::FormatDay(start), " has passed")
                               : absl::StrCat("start_date ", dates::FormatDay(start), " is ",
                                              start - today, " days away");
  return absl::StrCat(
      "EMERGENCY is for care needed at under 24 hours' notice (seed 001 4.3), "
      "starting today (",
      dates::FormatDay(today), ") or tomorrow (", dates::FormatDay(latest), "); ", when,
      ": make it ROUTINE, or correct the start date");
}

absl::Status CheckEmergencyNoticeAtOpening(const v1::Referral& r, absl::CivilDay today) {
  if (r.urgency() != v1::Referral::EMERGENCY) return absl::OkStatus();
  auto start = dates::ParseDay(r.start_date().value());
  if (!start) return absl::OkStatus();
  const std::string problem = EmergencyStartProblem(*start, today);
  if (problem.empty()) return absl::OkStatus();
  return FailedPrecondition(absl::StrCat("the referral cannot be opened as an emergency: ", problem,
                                         " (UpdateReferral while it is DRAFT), then open it"),
                            {{"EMERGENCY_NOTICE", Subject("referral", r.id()), problem}});
}

std::vector<std::string> RequiredCompetencies(const std::vector<std::string>& lot,
                                              const std::vector<std::string>& extras) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto* list : {&lot, &extras}) {
    for (const auto& code : *list) {
      if (seen.insert(code).second) out.push_back(code);
    }
  }
  return out;
}

std::vector<std::string> UnmatchedCompetencies(const std::vector<std::string>& required,
                                               const v1::Proposal& p) {
  const std::set<std::string> matched(p.matched_competencies().begin(),
                                      p.matched_competencies().end());
  std::vector<std::string> out;
  for (const auto& code : required) {
    if (matched.count(code) == 0) out.push_back(code);
  }
  return out;
}

v1::Proposal ProposalAsSubmitted(const v1::Proposal& given, bool worker_checked,
                                 const std::vector<std::string>& required) {
  v1::Proposal p = given;
  p.set_shortlisted(false);
  p.clear_family_view();
  p.set_family_met_worker(false);
  p.clear_reviewed_by_user();
  p.clear_reviewed_by_organisation();
  p.clear_reviewed_at();
  p.set_worker_checked(worker_checked);
  p.clear_unmatched_competencies();
  if (worker_checked) {
    // The gate passed the worker for the lot's base set and the package's extras on the
    // start date: the worker holds every one, whatever the provider typed.
    p.clear_matched_competencies();
    for (const auto& code : required) p.add_matched_competencies(code);
    return p;
  }
  for (auto& code : UnmatchedCompetencies(required, p))
    p.add_unmatched_competencies(std::move(code));
  return p;
}

absl::Status ValidateBid(const v1::Bid& b, int64_t maximum_rate_pence, int questions) {
  Violations v;
  int64_t rate = b.hourly_rate().pence();
  if (!b.has_hourly_rate()) {
    v.Add("bid.hourly_rate", "is required: the hourly rate in pence, e.g. {\"pence\": \"2150\"}");
  } else if (rate <= 0) {
    v.Add("bid.hourly_rate", "must be more than £0.00");
  } else if (rate > maximum_rate_pence) {
    v.Add("bid.hourly_rate", absl::StrCat("is above the lot's maximum price of ",
                                          money::FormatPounds(maximum_rate_pence), " an hour"));
  }
  std::vector<bool> answered(questions > 0 ? questions : 0, false);
  for (int i = 0; i < b.answers_size(); ++i) {
    const auto& a = b.answers(i);
    std::string f = absl::StrCat("bid.answers[", i, "]");
    if (a.question_index() < 0 || a.question_index() >= questions) {
      v.Add(f + ".question_index",
            questions == 0 ? std::string("there are no quality questions to answer")
                           : absl::StrCat("must be from 0 to ", questions - 1));
      continue;
    }
    if (answered[a.question_index()]) v.Add(f + ".question_index", "answers a question twice");
    answered[a.question_index()] = true;
    v.Text(f + ".answer", a.answer(), kLongText, true);
  }
  for (int q = 0; q < questions; ++q) {
    if (!answered[q]) {
      v.Add("bid.answers", absl::StrCat("question_index ", q, " (question ", q + 1, " of ",
                                        questions, ") is not answered"));
    }
  }
  return v.ToStatus();
}

absl::Status ValidateMarks(const std::vector<int>& marks, int questions) {
  Violations v;
  if (static_cast<int>(marks.size()) != questions) {
    v.Add("marks", absl::StrCat("must have one mark per question (", questions, ")"));
  }
  for (size_t i = 0; i < marks.size(); ++i) {
    if (marks[i] < 0 || marks[i] > 5) v.Add(absl::StrCat("marks[", i, "]"), "must be 0..5");
  }
  return v.ToStatus();
}

}  // namespace pdps::referrals::domain
