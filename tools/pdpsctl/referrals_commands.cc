// pdpsctl's referrals commands: referrals (raise, update-person and the rest), offers,
// the providers' inbox and answers (accept, decline, bid, offer) and brokerage-returns
// (declared in commands.h).
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/ids.h"
#include "tools/pdpsctl/commands.h"

namespace pdps::ctl {
namespace {

// Table columns: what an officer scans a referral list for.
const std::vector<std::string> kReferralColumns = {"id",
                                                   "state",
                                                   "method",
                                                   "round",
                                                   "urgency",
                                                   "area",
                                                   "planned_weekly_hours",
                                                   "start_date",
                                                   "stage_deadline",
                                                   "lot_id",
                                                   "award.provider_id=AWARDED_TO",
                                                   "award.provider_id:name=PROVIDER"};
// An officer's view of the offers of one referral.
const std::vector<std::string> kOfferColumns = {"id",
                                                "provider_id",
                                                "provider_id:name=PROVIDER",
                                                "kind",
                                                "state",
                                                "round",
                                                "rota_position",
                                                "deadline",
                                                "answer_time",
                                                "declared_weekly_hours_available=DECLARED_HOURS",
                                                "below_planned_hours=SHORT_OF_HOURS",
                                                "decline_reason",
                                                "decline_rationale",
                                                "proposal.worker_profile.role=WORKER_ROLE",
                                                "proposal.unmatched_competencies=UNMATCHED",
                                                "proposal.shortlisted",
                                                "bid.hourly_rate",
                                                "bid.total_score",
                                                "bid.rank"};
// A provider's inbox: the offer and its pen portrait.
const std::vector<std::string> kInboxColumns = {"id",
                                                "kind",
                                                "state",
                                                "deadline",
                                                "referral.urgency",
                                                "referral.area",
                                                "referral.planned_weekly_hours",
                                                "declared_weekly_hours_available=DECLARED_HOURS",
                                                "below_planned_hours=SHORT_OF_HOURS",
                                                "proposal.unmatched_competencies=UNMATCHED",
                                                "referral.start_date",
                                                "referral.age_years",
                                                "referral.needs_summary"};

bool ParseHours(const std::string& text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end != nullptr && *end == '\0';
}

// The person's identifying details from --name, --dob, --address="line 1;line 2",
// --postcode, --nhs, --key-safe and --contacts (raise and update-person).
void PersonFromFlags(const Args& a, rv1::PersonDetails* p) {
  p->set_full_name(a.Get("name"));
  if (a.Has("dob")) p->mutable_date_of_birth()->set_value(a.Get("dob"));
  for (absl::string_view line : absl::StrSplit(a.Get("address"), ';', absl::SkipEmpty())) {
    p->add_address_lines(std::string(line));
  }
  p->set_postcode(a.Get("postcode"));
  p->set_nhs_number(a.Get("nhs"));
  p->set_key_safe_code(a.Get("key-safe"));
  // --contacts="NAME|RELATIONSHIP[|PHONE[|EMAIL]];..."
  for (absl::string_view c : absl::StrSplit(a.Get("contacts"), ';', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(c, '|');
    parts.resize(4);
    auto* contact = p->add_contacts();
    contact->set_name(parts[0]);
    contact->set_relationship(parts[1]);
    contact->set_phone(parts[2]);
    contact->set_email(parts[3]);
  }
}

// `referrals raise`: the referral and the person's details from options.
int Raise(Env& env) {
  const Args& a = env.args;
  rv1::CreateReferralRequest req;
  rv1::Referral* r = req.mutable_referral();
  r->set_lot_id(a.Get("lot"));
  r->set_area(a.Get("area"));
  double hours = 0;
  if (a.Has("hours") && !ParseHours(a.Get("hours"), &hours)) return Fail("bad --hours");
  r->set_planned_weekly_hours(hours);
  r->set_session_pattern(a.Get("pattern"));
  for (const auto& o : a.List("outcomes")) r->add_outcomes(o);
  r->set_needs_summary(a.Get("needs"));
  r->set_communication_needs(a.Get("communication"));
  r->set_special_requirements(a.Get("special"));
  if (a.Has("start")) r->mutable_start_date()->set_value(a.Get("start"));
  if (a.Has("end")) r->mutable_end_date()->set_value(a.Get("end"));
  rv1::Referral::Urgency urgency = rv1::Referral::ROUTINE;
  if (a.Has("urgency") && !rv1::Referral::Urgency_Parse(a.Get("urgency"), &urgency)) {
    return Fail("bad --urgency (ROUTINE or EMERGENCY)");
  }
  r->set_urgency(urgency);
  if (a.Has("gender") || a.Has("languages") || a.Has("culture") || a.Has("religion")) {
    auto* p = r->mutable_preferences();
    p->set_worker_gender(a.Get("gender"));
    for (const auto& l : a.List("languages")) p->add_languages(l);
    p->set_culture(a.Get("culture"));
    p->set_religion(a.Get("religion"));
  }
  for (const auto& c : a.List("extra-competencies")) r->add_extra_competencies(c);
  // --funding=ORG_ID:BASIS_POINTS[:STREAM],...
  for (const auto& share : a.List("funding")) {
    std::vector<std::string> parts = absl::StrSplit(share, absl::MaxSplits(':', 2));
    int bp = 0;
    if (parts.size() < 2 || !absl::SimpleAtoi(parts[1], &bp)) {
      return Fail("bad --funding: ORG_ID:BASIS_POINTS[:STREAM],... e.g. ORG:6000,ORG:4000");
    }
    auto* f = r->add_funding();
    f->set_organisation_id(parts[0]);
    f->set_share_basis_points(bp);
    if (parts.size() > 2) f->set_funding_stream(parts[2]);
  }
  r->set_direct_payment(a.Has("direct-payment"));
  r->set_care_plan_extract(a.Get("care-plan"));
  PersonFromFlags(a, req.mutable_person());
  req.set_request_id(a.Get("request-id", NewUuid()));
  return Run(env, &RStub::CreateReferral, req);
}

// `referrals update-person ID`: the full replacement of the person's details, from
// --file (JSON of a PersonDetails) or the same flags as `referrals raise`, and a reason.
int UpdatePerson(Env& env) {
  const Args& a = env.args;
  rv1::UpdatePersonDetailsRequest req;
  req.set_referral_id(Id(a));
  if (a.Has("file")) {
    if (!FromFile(a, req.mutable_person())) return 2;
  } else {
    PersonFromFlags(a, req.mutable_person());
  }
  req.set_reason(a.Get("reason"));
  std::string etag;
  if (!CurrentEtag(env, &RStub::GetReferral, Id(a), &etag)) return 1;
  req.set_etag(etag);
  return Run(env, &RStub::UpdatePersonDetails, req);
}

}  // namespace

int Referrals(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    rv1::ListReferralsRequest req;
    if (a.Has("state")) {
      rv1::Referral::State s;
      if (!rv1::Referral::State_Parse(a.Get("state"), &s)) return Fail("bad --state");
      req.set_state(s);
    }
    req.set_lot_id(a.Get("lot"));
    req.set_framework_id(a.Get("framework"));
    Page(a, &req);
    return Run(env, &RStub::ListReferrals, req, kReferralColumns);
  }
  if (verb == "get") return GetById(env, &RStub::GetReferral);
  if (verb == "raise") return Raise(env);
  if (verb == "update-person") return UpdatePerson(env);
  if (verb == "update") {
    return UpdateFromFile(env, &RStub::UpdateReferral,
                          &rv1::UpdateReferralRequest::mutable_referral);
  }
  if (verb == "person") {
    rv1::GetPersonDetailsRequest req;
    req.set_referral_id(Id(a));
    req.set_purpose(a.Get("purpose"));
    return Run(env, &RStub::GetPersonDetails, req);
  }
  if (verb == "access-log") {
    rv1::ListPersonDetailsAccessRequest req;
    req.set_referral_id(Id(a));
    Page(a, &req);
    return Run(env, &RStub::ListPersonDetailsAccess, req);
  }
  if (verb == "open") {
    rv1::OpenReferralRequest req;
    req.set_id(Id(a));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::OpenReferral, req);
  }
  if (verb == "award") {
    rv1::AwardReferralRequest req;
    req.set_id(Id(a));
    req.set_offer_id(a.Get("offer"));
    req.set_provider_id(a.Get("provider"));
    req.set_rationale(a.Get("rationale"));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::AwardReferral, req);
  }
  if (verb == "withdraw") {
    rv1::WithdrawReferralRequest req;
    req.set_id(Id(a));
    req.set_reason(a.Get("reason"));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::WithdrawReferral, req);
  }
  if (verb == "reopen") {
    rv1::ReopenReferralRequest req;
    req.set_id(Id(a));
    if (a.Has("method")) {
      rv1::CallOffMethod m;
      if (!rv1::CallOffMethod_Parse(a.Get("method"), &m)) return Fail("bad --method");
      req.set_method(m);
    }
    req.set_reason(a.Get("reason"));
    return RunWithEtag(env, &RStub::GetReferral, &RStub::ReopenReferral, req);
  }
  return Fail(
      "referrals: list, get, raise, update, update-person, open, award, withdraw, "
      "reopen, person, access-log");
}

int Offers(Env& env, const std::string& verb) {
  const Args& a = env.args;
  if (verb == "list") {
    rv1::ListOffersRequest req;
    req.set_referral_id(a.Get("referral"));
    req.set_live_only(a.Has("live"));
    Page(a, &req);
    return Run(env, &RStub::ListOffers, req, kOfferColumns);
  }
  if (verb == "get") return GetById(env, &RStub::GetOffer);
  if (verb == "review") {
    rv1::ReviewProposalRequest req;
    req.set_id(Id(a));
    req.set_shortlisted(a.Has("shortlisted") && a.Get("shortlisted") != "false");
    req.set_family_view(a.Get("family-view"));
    req.set_family_met_worker(a.Has("met-worker") && a.Get("met-worker") != "false");
    return RunWithEtag(env, &RStub::GetOffer, &RStub::ReviewProposal, req);
  }
  if (verb == "evaluate") {
    rv1::EvaluateBidRequest req;
    req.set_id(Id(a));
    for (const auto& m : a.List("marks")) {
      int mark = 0;
      if (!absl::SimpleAtoi(m, &mark)) return Fail("bad --marks: e.g. --marks=4,3,5");
      req.add_marks(mark);
    }
    return RunWithEtag(env, &RStub::GetOffer, &RStub::EvaluateBid, req);
  }
  return Fail("offers: list, get, review or evaluate");
}

// ------------------------------------------------- providers' answers ---

int Inbox(Env& env, const std::string&) {
  rv1::ListOffersRequest req;
  req.set_live_only(env.args.Has("live"));
  Page(env.args, &req);
  return Run(env, &RStub::ListOffers, req, kInboxColumns);
}

int Answer(Env& env, const std::string& verb) {
  const Args& a = env.args;
  std::string id = a.words.size() > 1 ? a.words[1] : "";
  if (id.empty()) return Fail(verb + " OFFER_ID is required");
  if (verb == "accept") {
    rv1::AcceptOfferRequest req;
    req.set_id(id);
    return RunWithEtag(env, &RStub::GetOffer, &RStub::AcceptOffer, req);
  }
  if (verb == "decline") {
    rv1::DeclineOfferRequest req;
    req.set_id(id);
    rv1::DeclineReason reason = rv1::DECLINE_REASON_UNSPECIFIED;
    if (a.Has("reason") && !rv1::DeclineReason_Parse(a.Get("reason"), &reason)) {
      return Fail(
          "bad --reason: NO_CAPACITY, NO_SUITABLE_WORKER, AREA_NOT_COVERED, "
          "START_DATE_NOT_ACHIEVABLE, CANNOT_MEET_NEEDS or OTHER");
    }
    req.set_reason(reason);
    req.set_rationale(a.Get("rationale"));
    return RunWithEtag(env, &RStub::GetOffer, &RStub::DeclineOffer, req);
  }
  if (verb == "bid") {
    rv1::SubmitBidRequest req;
    req.set_id(id);
    if (!a.Has("rate")) {
      return Fail("--rate=POUNDS is required: the hourly rate, e.g. --rate=21.50");
    }
    if (!PoundsFlag(
            a, "rate", [&] { return req.mutable_bid()->mutable_hourly_rate(); }, /*rate=*/true)) {
      return 2;
    }
    int i = 0;
    for (absl::string_view text : absl::StrSplit(a.Get("answers"), '|', absl::SkipEmpty())) {
      auto* answer = req.mutable_bid()->add_answers();
      answer->set_question_index(i++);
      answer->set_answer(std::string(text));
    }
    return RunWithEtag(env, &RStub::GetOffer, &RStub::SubmitBid, req);
  }
  // offer: a proposal with a worker profile (competitive offers).
  rv1::SubmitProposalRequest req;
  req.set_id(id);
  auto* p = req.mutable_proposal();
  for (const auto& c : a.List("competencies")) p->add_matched_competencies(c);
  p->set_notes(a.Get("notes"));
  auto* w = p->mutable_worker_profile();
  w->set_role(a.Get("role"));
  w->set_summary(a.Get("summary"));
  w->set_years_experience(a.Int("years", 0));
  w->set_gender(a.Get("gender"));
  for (const auto& l : a.List("languages")) w->add_languages(l);
  w->set_staff_id(a.Get("staff"));
  return RunWithEtag(env, &RStub::GetOffer, &RStub::SubmitProposal, req);
}

int BrokerageReturns(Env& env, const std::string&) {
  rv1::GetBrokerageReturnRequest req;
  req.set_quarter(env.args.Get("quarter"));
  req.set_framework_id(env.args.Get("framework"));
  req.set_lot_id(env.args.Get("lot"));
  req.set_provider_id(env.args.Get("provider"));  // officers
  return Run(env, &RStub::GetBrokerageReturn, req);
}

}  // namespace pdps::ctl
