// Input rules for referrals, person details, answers, proposals and bids (what each
// viewer sees of them is visibility.h). Plain functions over the API messages: no gRPC,
// no SQL.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "pdps/referrals/v1/referrals.pb.h"

namespace pdps::referrals::domain {

namespace v1 = ::pdps::referrals::v1;

// The input fields of a referral (output-only fields are ignored). `members` are the
// organisations of the owning partnership: funders must be among them. `today` (London)
// is the earliest start date: a referral is raised or changed for care still to come; an
// EMERGENCY starts today or tomorrow (EmergencyStartProblem, on referral.urgency).
// Extra competencies are each given once.
absl::Status ValidateReferral(const v1::Referral& r, const std::set<std::string>& members,
                              absl::CivilDay today);
// The same rules but the funders' membership, which needs the registry: checked first,
// so bad input is reported even while the registry is away.
absl::Status ValidateReferralShape(const v1::Referral& r, absl::CivilDay today);

// The person's details; `today` bounds the date of birth.
absl::Status ValidatePerson(const v1::PersonDetails& p, absl::CivilDay today);

// Ten digits whose modulus-11 check digit is right.
bool ValidNhsNumber(const std::string& digits);

// Age in whole years on `day`.
int AgeOn(absl::CivilDay born, absl::CivilDay day);

// Whether the person, born on `born`, is within the lot's age range (registry Lot
// min_age..max_age, inclusive) on the referral's start date: the age that matters is the
// age when the care starts, not when the referral is typed in (decision 46).
// INVALID_ARGUMENT with one violation on `field`, saying the age and the range.
absl::Status CheckAgeForLot(absl::CivilDay born, absl::CivilDay start, int min_age, int max_age,
                            const std::string& field);

// A decline needs a reason code and a rationale (seed 001 4.13).
absl::Status ValidateDecline(v1::DeclineReason reason, const std::string& rationale);

// An award names exactly one of an offer (a proposal or bid) and a provider (a direct
// award, which needs a rationale); a rationale is at most 2000 characters either way.
absl::Status ValidateAward(const std::string& offer_id, const std::string& provider_id,
                           const std::string& rationale);

// Every read or change of a person's details is logged with its purpose, at most
// kAccessPurposeMax characters. A change is logged as "update: <reason>", so its reason
// is at most kUpdateReasonMax (with room to spare).
inline constexpr size_t kAccessPurposeMax = 500;
inline constexpr size_t kUpdateReasonMax = 490;
absl::Status ValidateAccessPurpose(const std::string& purpose);
absl::Status ValidateUpdateReason(const std::string& reason);

// A proposal's matched competencies must be among the referral's (`required`: the lot's
// base set and the package's extras), at least one unless the proposal names its worker
// (worker_profile.staff_id), with a worker profile.
absl::Status ValidateProposal(const v1::Proposal& p, const std::set<std::string>& required);

// A proposal as the provider submits it: the fields only officers set (shortlist, the
// family's view, the review's who and when) cleared, whether the workforce gate passed
// its worker (`worker_checked`) and the competencies of `required` it leaves unmatched
// (UnmatchedCompetencies) set by the service, whatever the request said of them. A checked
// worker holds all of `required`: matched_competencies becomes `required`, none unmatched.
v1::Proposal ProposalAsSubmitted(const v1::Proposal& given, bool worker_checked,
                                 const std::vector<std::string>& required);

// The package's extras (`extras`, referral.extra_competencies) are what it needs beyond
// the lot's base set (`lot`, registry Lot.competencies as the referral keeps them): one
// already in the base set is INVALID_ARGUMENT on its index. Repeats among the extras are
// refused with the referral's other fields (ValidateReferralShape).
absl::Status CheckExtrasBeyondLot(const std::vector<std::string>& extras,
                                  const std::vector<std::string>& lot);

// The referral's area (`area`, referral.area) must be one of the framework's districts
// (`served`, registry Framework.service_areas, stored normalised) when it lists any,
// compared as common/areas.h normalises them; otherwise INVALID_ARGUMENT on
// referral.area naming them. An empty list accepts any district (decision 78).
absl::Status CheckAreaServed(const std::string& area, const std::vector<std::string>& served);

// An EMERGENCY is under 24 hours' notice (seed 001 4.3; decision 58): it starts today or
// tomorrow in Europe/London. Start dates are days, so "under 24 hours" is read as "by the
// end of tomorrow", the latest a start needed tonight or in the morning can be dated.
inline constexpr int kEmergencyNoticeDays = 1;
// "" when an emergency may start on `start`; else what is wrong and what to do, for
// people ("start_date 2026-12-23 is 21 days away: make it ROUTINE, or correct ...").
std::string EmergencyStartProblem(absl::CivilDay start, absl::CivilDay today);
// Opening is when the urgency takes effect (clock-minute windows, decision 58), so the
// rule holds then too: a DRAFT raised as an emergency and opened once its start date has
// passed (or one raised before the rule with a later start) is FAILED_PRECONDITION with
// a PreconditionViolation EMERGENCY_NOTICE referral/<id>, telling the officer to change
// the urgency or the start date first (decision 69). OK for a ROUTINE referral.
absl::Status CheckEmergencyNoticeAtOpening(const v1::Referral& r, absl::CivilDay today);

// The competencies a referral asks for, in the order officers and providers read them:
// the lot's base set, then the package's extras, each once.
std::vector<std::string> RequiredCompetencies(const std::vector<std::string>& lot,
                                              const std::vector<std::string>& extras);

// Those of `required` (in its order) that `matched` does not name: the gap a proposal
// leaves, shown rather than refused (seed 000 6.1: workers may be trained for a family's
// needs; decision 64).
std::vector<std::string> UnmatchedCompetencies(const std::vector<std::string>& required,
                                               const v1::Proposal& p);

// A bid at or under the maximum rate, answering every question once.
absl::Status ValidateBid(const v1::Bid& b, int64_t maximum_rate_pence, int questions);

// One mark 0..5 per question.
absl::Status ValidateMarks(const std::vector<int>& marks, int questions);

}  // namespace pdps::referrals::domain
