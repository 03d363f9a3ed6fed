// Brokerage use cases.
#include "services/referrals/api/brokerage.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/status.h"
#include "nlohmann/json.hpp"
#include "services/referrals/domain/call_off_settings.h"
#include "services/referrals/domain/scoring.h"
#include "services/referrals/domain/validate.h"

namespace pdps::referrals {
namespace {

namespace rv1 = ::pdps::registry::v1;

// The referral as the caller reads it, checked against the etag it was read with and the
// verb its state must allow. Called before the registry, so that a stale etag is ABORTED
// and a refused verb FAILED_PRECONDITION even while the registry is away; the store
// checks both again under the row lock.
absl::StatusOr<v1::Referral> Checked(Store* store, const server::Call& c, const std::string& id,
                                     const std::string& etag, domain::Verb verb) {
  ASSIGN_OR_RETURN(v1::Referral current, store->GetReferral(c, id));
  if (current.etag() != etag) return StaleEtag("referral");
  auto state = domain::ParseState(v1::Referral::State_Name(current.state()));
  if (!state) {
    return absl::InternalError(
        absl::StrCat("referral ", id, " holds a state the service does not know"));
  }
  RETURN_IF_ERROR(domain::CheckVerb(*state, verb, current.id()));
  return current;
}

absl::Status ForeignPartnership() {
  return absl::PermissionDeniedError(
      "the lot's framework belongs to another commissioning partnership; you can raise "
      "referrals only on your own partnership's frameworks");
}

std::vector<std::string> ServiceAreas(const rv1::Framework& f) {
  return {f.service_areas().begin(), f.service_areas().end()};
}

}  // namespace

absl::StatusOr<v1::Referral> Brokerage::Raise(const Call& c, const v1::CreateReferralRequest& req) {
  const v1::Referral& r = req.referral();
  absl::CivilDay today = dates::TodayInLondon(c.now);
  // Shape first, so bad input is reported even while the registry is away; the funders
  // are checked against the partnership once it is known.
  Violations shape;
  shape.Merge(domain::ValidatePerson(req.person(), today));
  shape.Merge(domain::ValidateReferralShape(r, today));
  RETURN_IF_ERROR(shape.ToStatus());
  ASSIGN_OR_RETURN(LotContext lot, registry_->GetLotContext(r.lot_id(), today));
  if (lot.members.count(absl::AsciiStrToLower(c.principal.organisation_id)) == 0) {
    return ForeignPartnership();
  }
  RaiseInput in;
  in.lot_competencies = {lot.lot.competencies().begin(), lot.lot.competencies().end()};
  Violations checked;
  checked.Merge(domain::ValidateReferral(r, lot.members, today));
  checked.Merge(domain::CheckExtrasBeyondLot(
      {r.extra_competencies().begin(), r.extra_competencies().end()}, in.lot_competencies));
  checked.Merge(domain::CheckAreaServed(r.area(), ServiceAreas(lot.framework)));
  RETURN_IF_ERROR(checked.ToStatus());
  absl::CivilDay born = *dates::ParseDay(req.person().date_of_birth().value());
  RETURN_IF_ERROR(domain::CheckAgeForLot(born, *dates::ParseDay(r.start_date().value()),
                                         lot.lot.min_age(), lot.lot.max_age(),
                                         "person.date_of_birth"));
  RETURN_IF_ERROR(store_->SyncPartnership(lot.framework.partnership_id(), lot.members, c.deadline));
  in.partnership_id = lot.framework.partnership_id();
  in.framework_id = lot.framework.id();
  in.age_years = domain::AgeOn(born, today);
  return store_->CreateReferral(c, r, req.person(), in, req.request_id());
}

absl::StatusOr<v1::Referral> Brokerage::Update(const Call& c,
                                               const v1::UpdateReferralRequest& req) {
  const v1::Referral& r = req.referral();
  absl::CivilDay today = dates::TodayInLondon(c.now);
  RETURN_IF_ERROR(api::RequireId("referral.id", r.id()));
  RETURN_IF_ERROR(api::RequireEtag("referral.etag", r.etag(), "referral"));
  ASSIGN_OR_RETURN(v1::Referral current,
                   Checked(store_, c, r.id(), r.etag(), domain::Verb::kUpdate));
  v1::Referral merged = r;
  if (merged.lot_id().empty()) merged.set_lot_id(current.lot_id());
  if (merged.lot_id() != current.lot_id()) return InvalidField("referral.lot_id", "cannot change");
  Violations shape;
  if (req.has_person()) shape.Merge(domain::ValidatePerson(req.person(), today));
  shape.Merge(domain::ValidateReferralShape(merged, today));
  RETURN_IF_ERROR(shape.ToStatus());
  int age = current.age_years();
  if (req.has_person()) {
    age = domain::AgeOn(*dates::ParseDay(req.person().date_of_birth().value()), today);
  }
  ASSIGN_OR_RETURN(LotContext lot, registry_->GetLotContext(current.lot_id(), today));
  Violations checked;
  checked.Merge(domain::ValidateReferral(merged, lot.members, today));
  checked.Merge(domain::CheckAreaServed(merged.area(), ServiceAreas(lot.framework)));
  RETURN_IF_ERROR(checked.ToStatus());
  // The lot's ages are checked in the store, against the stored date of birth when no
  // new one is given.
  return store_->UpdateReferral(c, merged, req.has_person() ? &req.person() : nullptr, age,
                                lot.lot);
}

absl::StatusOr<v1::Referral> Brokerage::StartRound(const Call& c, const std::string& id,
                                                   const std::string& etag, domain::Verb verb,
                                                   v1::CallOffMethod method,
                                                   const std::string& reason) {
  ASSIGN_OR_RETURN(v1::Referral current, Checked(store_, c, id, etag, verb));
  absl::CivilDay today = dates::TodayInLondon(c.now);
  // Opening only: urgency and start date can change only in DRAFT, and a round re-opened
  // later keeps the urgency it was opened with (decision 58).
  if (verb == domain::Verb::kOpen) {
    RETURN_IF_ERROR(domain::CheckEmergencyNoticeAtOpening(current, today));
  }
  std::optional<domain::Method> chosen;
  if (method != v1::CALL_OFF_METHOD_UNSPECIFIED) {
    chosen = domain::ParseMethod(v1::CallOffMethod_Name(method));
    if (!chosen || *chosen == domain::Method::kDirect) {
      return InvalidField("method",
                          "must be a call-off method (use AwardReferral to award directly)");
    }
  }
  ASSIGN_OR_RETURN(LotContext lot, registry_->GetLotContext(current.lot_id(), today));
  RoundInput in;
  in.verb = verb;
  ASSIGN_OR_RETURN(in.call_off, domain::CallOffFor(lot.framework.call_off(), chosen));
  // Urgency is fixed once the referral leaves DRAFT; the round keeps it in its snapshot.
  in.call_off.emergency = current.urgency() == v1::Referral::EMERGENCY;
  RETURN_IF_ERROR(domain::CheckMethodForUrgency(in.call_off.emergency, in.call_off.method, id,
                                                verb == domain::Verb::kReopen));
  in.office_hours = lot.framework.office_hours();
  in.reason = reason;
  if (in.call_off.method == domain::Method::kMiniCompetition) {
    const rv1::CallOffSettings& terms = lot.framework.call_off();
    RETURN_IF_ERROR(domain::CheckMiniCompetitionTerms(
        terms.price_weight_percent(), terms.quality_weight_percent(),
        terms.quality_questions_size(), lot.framework.id()));
    if (lot.maximum_hourly_rate_pence <= 0) {
      return FailedPrecondition(
          "the lot has no maximum price in force; a mini-competition needs one (registry "
          "UpdateLot)",
          "MINI_COMPETITION_TERMS_MISSING", Subject("lot", current.lot_id()));
    }
    in.maximum_rate_pence = lot.maximum_hourly_rate_pence;
    in.questions = {terms.quality_questions().begin(), terms.quality_questions().end()};
  }
  ASSIGN_OR_RETURN(in.eligible, registry_->ListEligible(current.lot_id(), current.area(), today));
  return store_->StartRound(c, id, etag, in);
}

absl::StatusOr<v1::Referral> Brokerage::Award(const Call& c, const v1::AwardReferralRequest& req) {
  AwardInput in;
  in.offer_id = req.offer_id();
  in.provider_id = absl::AsciiStrToLower(req.provider_id());
  in.rationale = req.rationale();
  if (!in.provider_id.empty()) {
    // State and etag before the registry: awarding twice stays FAILED_PRECONDITION and a
    // stale etag ABORTED during a registry outage.
    ASSIGN_OR_RETURN(v1::Referral current,
                     Checked(store_, c, req.id(), req.etag(), domain::Verb::kAward));
    ASSIGN_OR_RETURN(std::string admission,
                     registry_->ActiveAdmission(in.provider_id, current.lot_id()));
    in.provider_active = !admission.empty();
  }
  return store_->Award(c, req.id(), req.etag(), in);
}

absl::StatusOr<v1::Referral> Brokerage::UpdatePersonDetails(
    const Call& c, const v1::UpdatePersonDetailsRequest& req) {
  ASSIGN_OR_RETURN(v1::Referral current,
                   Checked(store_, c, req.referral_id(), req.etag(), domain::Verb::kUpdatePerson));
  const std::string& dob = req.person().date_of_birth().value();
  ASSIGN_OR_RETURN(bool dob_changes, store_->DateOfBirthChanges(c, req.referral_id(), dob));
  if (dob_changes) {
    // A corrected date of birth must still fit the lot, on the start date, as the
    // registry has the lot now (decision 46); an unchanged one was checked already.
    ASSIGN_OR_RETURN(LotContext lot,
                     registry_->GetLotContext(current.lot_id(), dates::TodayInLondon(c.now)));
    RETURN_IF_ERROR(domain::CheckAgeForLot(
        *dates::ParseDay(dob), *dates::ParseDay(current.start_date().value()), lot.lot.min_age(),
        lot.lot.max_age(), "person.date_of_birth"));
  }
  return store_->UpdatePerson(c, req.referral_id(), req.etag(), req.person(), req.reason(),
                              dob_changes);
}

absl::StatusOr<v1::Offer> Brokerage::SubmitProposal(const Call& c,
                                                    const v1::SubmitProposalRequest& req) {
  RETURN_IF_ERROR(api::RequireId("id", req.id()));
  AnswerInput in;
  in.kind = AnswerKind::kProposal;
  in.etag = req.etag();
  in.proposal = req.proposal();
  const std::string staff = absl::AsciiStrToLower(req.proposal().worker_profile().staff_id());
  if (!staff.empty() && IsUuid(staff)) {
    // The offer as the provider sees it carries the package: lot, extras, start date.
    ASSIGN_OR_RETURN(v1::Offer offer, store_->GetOffer(c, req.id()));
    const v1::Referral& r = offer.referral();
    auto check = workforce_->CheckWorker(
        staff, c.principal.organisation_id, r.lot_id(),
        {r.extra_competencies().begin(), r.extra_competencies().end()}, r.start_date().value());
    if (absl::IsNotFound(check.status())) {
      return InvalidField("proposal.worker_profile.staff_id",
                          "is not a worker of your organisation in the workforce service");
    }
    RETURN_IF_ERROR(check.status());
    if (!check->eligible) {
      std::vector<std::string> reasons;
      for (const auto& v : check->reasons) reasons.push_back(v.description);
      return FailedPrecondition(
          absl::StrCat("the proposed worker is not eligible for this referral (its lot and extra "
                       "competencies) on its start date, ",
                       r.start_date().value(), ": ", absl::StrJoin(reasons, ", "),
                       "; a worker still to be trained can be proposed without staff_id, and "
                       "the competencies left out are shown as unmatched"),
          check->reasons);
    }
    in.worker_checked = true;
  }
  return store_->Answer(c, req.id(), in);
}

}  // namespace pdps::referrals
