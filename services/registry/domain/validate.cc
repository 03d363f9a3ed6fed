// Registry request validation.
#include "services/registry/domain/validate.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/areas.h"
#include "common/calendar/calendar.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/status.h"
#include "services/registry/client/call_off_defaults.h"
#include "services/registry/domain/rules.h"

namespace pdps::registry::domain {
namespace {

bool IsCode(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

bool IsInsurance(v1::ComplianceDocument::Kind k) {
  return k == v1::ComplianceDocument::EMPLOYERS_LIABILITY ||
         k == v1::ComplianceDocument::PUBLIC_LIABILITY ||
         k == v1::ComplianceDocument::OTHER_INSURANCE;
}

// An immutable field of an update: unset (empty) keeps the stored value.
void Unchanged(Violations& v, const std::string& field, const std::string& given,
               const std::string& stored, absl::string_view instead) {
  if (!given.empty() && given != stored) {
    v.Add(field, absl::StrCat("cannot change (it is ", stored, "); ", instead));
  }
}

std::string KindName(v1::ComplianceDocument::Kind kind) {
  return kind == v1::ComplianceDocument::KIND_UNSPECIFIED ? std::string()
                                                          : v1::ComplianceDocument::Kind_Name(kind);
}

// A KPI's targets (decision 66): each a percentage from its own day, no day twice.
void ResponseTargets(Violations& v, const std::string& field,
                     const google::protobuf::RepeatedPtrField<v1::ResponseTarget>& targets) {
  if (!v.AtMost(field, targets.size(), 20)) return;
  std::set<absl::CivilDay> days;
  for (int i = 0; i < targets.size(); ++i) {
    std::string p = absl::StrCat(field, "[", i, "]");
    auto from = v.Date(p + ".effective_from", targets[i].effective_from().value());
    if (from && !days.insert(*from).second) v.Add(p + ".effective_from", "is listed twice");
    if (targets[i].percent() < 1 || targets[i].percent() > 100) {
      v.Add(p + ".percent", "must be from 1 to 100");
    }
  }
}

}  // namespace

void ApplyFrameworkDefaults(v1::Framework* f) {
  auto* c = f->mutable_call_off();
  if (c->offer_window_working_hours() == 0) {
    c->set_offer_window_working_hours(defaults::kOfferWindowWorkingHours);
  }
  if (c->method() == v1::CallOffSettings::ROTATIONAL_FIRST_REFUSAL && c->exclusive_rounds() == 0) {
    c->set_exclusive_rounds(defaults::kExclusiveRounds);
  }
  if (c->friday_cutoff().empty()) c->set_friday_cutoff(defaults::kFridayCutoff);
  if (c->bid_window_working_days() == 0) {
    c->set_bid_window_working_days(defaults::kBidWindowWorkingDays);
  }
  if (c->emergency_offer_window_minutes() == 0) {
    c->set_emergency_offer_window_minutes(defaults::kEmergencyOfferWindowMinutes);
  }
  if (f->office_hours().empty()) f->set_office_hours(kDefaultOfficeHours);
  if (!f->has_employers_liability_minimum()) {
    f->mutable_employers_liability_minimum()->set_pence(kDefaultEmployersLiabilityPence);
  }
  if (!f->has_public_liability_minimum()) {
    f->mutable_public_liability_minimum()->set_pence(kDefaultPublicLiabilityPence);
  }
  if (f->capacity_return_due_day() == 0) f->set_capacity_return_due_day(10);
}

absl::Status ValidateOrganisation(const v1::Organisation& o) {
  Violations v;
  v.Text("organisation.display_name", o.display_name(), 200);
  if (o.kind() == v1::Organisation::KIND_UNSPECIFIED || !v1::Organisation::Kind_IsValid(o.kind())) {
    v.Add("organisation.kind", "is required: COUNCIL, NHS_COMMISSIONER, PROVIDER or PLATFORM");
  }
  if (Characters(o.external_reference()) > 100) {
    v.Add("organisation.external_reference", "must be at most 100 characters");
  }
  return v.ToStatus();
}

absl::Status ValidatePartnership(const v1::Partnership& p) {
  Violations v;
  v.Text("partnership.display_name", p.display_name(), 200);
  if (p.member_organisation_ids_size() == 0) {
    v.Add("partnership.member_organisation_ids", "needs at least one commissioner");
  }
  std::set<std::string> seen;
  for (int i = 0; i < p.member_organisation_ids_size(); ++i) {
    std::string f = absl::StrCat("partnership.member_organisation_ids[", i, "]");
    v.Id(f, p.member_organisation_ids(i));
    if (!seen.insert(p.member_organisation_ids(i)).second) v.Add(f, "is listed twice");
  }
  return v.ToStatus();
}

absl::Status ValidateFramework(const v1::Framework& f, bool create) {
  Violations v;
  if (create) {
    v.Id("framework.partnership_id", f.partnership_id());
  } else {
    v.Id("framework.id", f.id());
    v.Etag("framework.etag", f.etag(), "framework");
  }
  v.Text("framework.display_name", f.display_name(), 200);
  if (f.kind() == v1::Framework::KIND_UNSPECIFIED || !v1::Framework::Kind_IsValid(f.kind())) {
    v.Add("framework.kind", "is required: PDPS, DPS or FRAMEWORK_AGREEMENT");
  }
  if (f.billing_period() == v1::Framework::BILLING_PERIOD_UNSPECIFIED ||
      !v1::Framework::BillingPeriod_IsValid(f.billing_period())) {
    v.Add("framework.billing_period", "is required: FOUR_WEEKLY or MONTHLY");
  }
  const auto& c = f.call_off();
  if (c.method() == v1::CallOffSettings::METHOD_UNSPECIFIED ||
      !v1::CallOffSettings::Method_IsValid(c.method())) {
    v.Add("framework.call_off.method", "is required: one of the CallOffSettings.Method values");
  }
  if (c.offer_window_working_hours() < 0 || c.offer_window_working_hours() > 40) {
    v.Add("framework.call_off.offer_window_working_hours", "must be from 1 to 40");
  }
  if (c.exclusive_rounds() < 0 || c.exclusive_rounds() > 10) {
    v.Add("framework.call_off.exclusive_rounds", "must be from 0 to 10");
  }
  if (!c.friday_cutoff().empty() && !defaults::ParseCutoffMinute(c.friday_cutoff())) {
    v.Add("framework.call_off.friday_cutoff", "must be a time HH:MM");
  }
  if (c.bid_window_working_days() < 0 || c.bid_window_working_days() > 30) {
    v.Add("framework.call_off.bid_window_working_days", "must be from 1 to 30");
  }
  // 0 is unset (the default); under five minutes nobody could answer, over twelve hours
  // an emergency would outlast its own notice.
  const int emergency = c.emergency_offer_window_minutes();
  if (emergency < 0 || (emergency > 0 && emergency < 5) || emergency > 720) {
    v.Add("framework.call_off.emergency_offer_window_minutes", "must be from 5 to 720 minutes");
  }
  ResponseTargets(v, "framework.call_off.answered_within_4_hours_targets",
                  c.answered_within_4_hours_targets());
  ResponseTargets(v, "framework.call_off.answered_within_24_hours_targets",
                  c.answered_within_24_hours_targets());
  // Weights may be published on any framework (a round may be re-opened as a
  // mini-competition); on a mini-competition framework they must also sum to 100.
  const bool weights_in_range = c.price_weight_percent() >= 0 && c.price_weight_percent() <= 100 &&
                                c.quality_weight_percent() >= 0 &&
                                c.quality_weight_percent() <= 100;
  if (!weights_in_range || (c.method() == v1::CallOffSettings::MINI_COMPETITION &&
                            c.price_weight_percent() + c.quality_weight_percent() != 100)) {
    v.Add("framework.call_off.price_weight_percent",
          "price and quality weights must be between 0 and 100 and sum to 100");
  }
  if (!f.office_hours().empty()) {
    auto hours = calendar::OfficeHours::Parse(f.office_hours());
    if (!hours.ok()) v.Add("framework.office_hours", std::string(hours.status().message()));
  }
  if (f.employers_liability_minimum().pence() < 0) {
    v.Add("framework.employers_liability_minimum", "must not be negative");
  }
  if (f.public_liability_minimum().pence() < 0) {
    v.Add("framework.public_liability_minimum", "must not be negative");
  }
  if (f.capacity_return_due_day() < 0 || f.capacity_return_due_day() > 28) {
    v.Add("framework.capacity_return_due_day", "must be from 1 to 28");
  }
  std::set<int> required;
  for (int i = 0; i < f.required_documents_size(); ++i) {
    const int kind = f.required_documents(i);
    std::string p = absl::StrCat("framework.required_documents[", i, "]");
    if (kind == v1::ComplianceDocument::KIND_UNSPECIFIED ||
        !v1::ComplianceDocument::Kind_IsValid(kind)) {
      v.Add(p, "must be a kind of compliance document, e.g. CQC_REGISTRATION");
    } else if (!required.insert(kind).second) {
      v.Add(p, "is listed twice");
    }
  }
  const int service_areas =
      v.AtMost("framework.service_areas", f.service_areas_size(), 200) ? f.service_areas_size() : 0;
  std::set<std::string> seen_areas;
  for (int i = 0; i < service_areas; ++i) {
    std::string p = absl::StrCat("framework.service_areas[", i, "]");
    std::string a = areas::Normalise(f.service_areas(i));
    if (a.empty() || Characters(a) > 60) {
      v.Add(p, "must be 1 to 60 characters");
    } else if (areas::LooksLikeAnAddress(a)) {
      v.Add(p, "must be a district or borough (e.g. SOUTHWARK), not a postcode or address");
    } else if (!seen_areas.insert(a).second) {
      v.Add(p, "is listed twice (areas are compared case-insensitively)");
    }
  }
  std::vector<Window> windows;
  for (int i = 0; i < f.application_windows_size(); ++i) {
    std::string p = absl::StrCat("framework.application_windows[", i, "]");
    auto open = v.Date(p + ".open_date", f.application_windows(i).open_date().value());
    auto close = v.Date(p + ".close_date", f.application_windows(i).close_date().value());
    if (open && close) {
      if (*close < *open) v.Add(p + ".close_date", "must not be before open_date");
      windows.push_back({*open, *close});
    }
  }
  if (v.empty()) {
    int overlap = FirstOverlap(windows);
    if (overlap >= 0) {
      v.Add(absl::StrCat("framework.application_windows[", overlap, "]"),
            "overlaps another window");
    }
  }
  return v.ToStatus();
}

absl::Status ValidateLot(const v1::Lot& l, bool create) {
  Violations v;
  if (create) {
    v.Id("lot.framework_id", l.framework_id());
    if (!IsCode(l.code(), 20)) {
      v.Add("lot.code", "is required: up to 20 letters, digits, _ or -");
    }
  } else {
    v.Id("lot.id", l.id());
    v.Etag("lot.etag", l.etag(), "lot");
  }
  v.Text("lot.display_name", l.display_name(), 200);
  v.Text("lot.service_type", l.service_type(), 100);
  if (l.min_age() < 0 || l.min_age() > 120) v.Add("lot.min_age", "must be from 0 to 120");
  if (l.max_age() < 1 || l.max_age() > 120) {
    // Referrals are checked against the range, so an unset maximum would refuse everyone.
    v.Add("lot.max_age", "is required: the oldest age served, inclusive, 1 to 120");
  } else if (l.max_age() < l.min_age()) {
    v.Add("lot.max_age", "must be at least min_age");
  }
  std::set<std::string> seen;
  const int codes = v.AtMost("lot.competencies", l.competencies_size(), kMaxLotCompetencies)
                        ? l.competencies_size()
                        : 0;
  for (int i = 0; i < codes; ++i) {
    std::string f = absl::StrCat("lot.competencies[", i, "]");
    if (!IsCompetencyCode(l.competencies(i))) {
      v.Add(f, "must be a competency code: lower_snake_case, at most 64 characters");
    } else if (!seen.insert(l.competencies(i)).second) {
      v.Add(f, "is listed twice");
    }
  }
  std::set<std::pair<int, std::string>> prices;
  for (int i = 0; i < l.prices_size(); ++i) {
    std::string f = absl::StrCat("lot.prices[", i, "]");
    const auto& p = l.prices(i);
    if (p.kind() == v1::LotPrice::KIND_UNSPECIFIED || !v1::LotPrice::Kind_IsValid(p.kind())) {
      v.Add(f + ".kind", "is required: FRAMEWORK_PRICE or MAXIMUM_PRICE");
    }
    if (p.hourly_rate().pence() <= 0) v.Add(f + ".hourly_rate", "must be more than £0.00");
    if (v.Date(f + ".effective_from", p.effective_from().value()) &&
        !prices.insert({p.kind(), p.effective_from().value()}).second) {
      v.Add(f + ".effective_from", "another price of this kind starts the same day");
    }
  }
  return v.ToStatus();
}

absl::Status ValidateProvider(const v1::Provider& p) {
  Violations v;
  v.Id("provider.id", p.id());
  v.Etag("provider.etag", p.etag(), "provider");
  if (p.office_postcode().size() > 10) v.Add("provider.office_postcode", "is not a postcode");
  if (Characters(p.office_district()) > 100) {
    v.Add("provider.office_district", "must be at most 100 characters");
  }
  const int areas = v.AtMost("provider.coverage_areas", p.coverage_areas_size(), 200)
                        ? p.coverage_areas_size()
                        : 0;
  for (int i = 0; i < areas; ++i) {
    std::string a = areas::Normalise(p.coverage_areas(i));
    if (a.empty() || Characters(a) > 60) {
      v.Add(absl::StrCat("provider.coverage_areas[", i, "]"), "must be 1 to 60 characters");
    }
  }
  return v.ToStatus();
}

absl::Status ValidateDocument(const v1::ComplianceDocument& d, bool create) {
  Violations v;
  if (create) {
    if (d.kind() == v1::ComplianceDocument::KIND_UNSPECIFIED ||
        !v1::ComplianceDocument::Kind_IsValid(d.kind())) {
      v.Add("document.kind", "is required: one of the ComplianceDocument.Kind values");
    }
  } else {
    v.Id("document.id", d.id());
    v.Etag("document.etag", d.etag(), "document");
  }
  v.Text("document.title", d.title(), 200);
  v.Text("document.evidence_reference", d.evidence_reference(), 200);
  auto issue = v.Date("document.issue_date", d.issue_date().value());
  std::optional<absl::CivilDay> expiry;
  if (d.expiry_date().value().empty()) {
    if (d.kind() != v1::ComplianceDocument::LIVING_WAGE_COMMITMENT && create) {
      v.Add("document.expiry_date", "is required (the expiry or review date)");
    }
  } else {
    expiry = v.Date("document.expiry_date", d.expiry_date().value());
  }
  if (issue && expiry && *expiry < *issue) {
    v.Add("document.expiry_date", "must not be before issue_date");
  }
  if (!v1::ComplianceDocument::CqcRating_IsValid(d.cqc_rating())) {
    v.Add("document.cqc_rating", "must be one of the ComplianceDocument.CqcRating values");
  } else if (d.cqc_rating() != v1::ComplianceDocument::CQC_RATING_UNSPECIFIED &&
      d.kind() != v1::ComplianceDocument::CQC_REGISTRATION && create) {
    v.Add("document.cqc_rating", "applies to CQC_REGISTRATION only");
  }
  if (create && IsInsurance(d.kind()) && d.cover().pence() <= 0) {
    v.Add("document.cover", "is required for insurance: the amount of cover");
  }
  if (d.cover().pence() < 0) v.Add("document.cover", "must not be negative");
  if (create && d.kind() == v1::ComplianceDocument::ANNUAL_ACCOUNTS) {
    const auto& a = d.accounts();
    if (!d.has_accounts()) {
      v.Add("document.accounts", "is required for ANNUAL_ACCOUNTS");
    } else {
      if (a.current_assets().pence() < 0) {
        v.Add("document.accounts.current_assets", "must not be negative");
      }
      if (a.current_liabilities().pence() < 0) {
        v.Add("document.accounts.current_liabilities", "must not be negative");
      }
      // Capital employed may be zero or negative (a company whose liabilities exceed
      // its assets): that is a ROCE breach of seed 004 Appendix A (common/viability),
      // which the accounts are filed to show, not a reason to refuse them.
    }
  }
  return v.ToStatus();
}

absl::Status ValidateLotChange(const v1::Lot& given, const v1::Lot& stored) {
  Violations v;
  Unchanged(v, "lot.framework_id", given.framework_id(), stored.framework_id(),
            "create the lot on the other framework");
  Unchanged(v, "lot.code", given.code(), stored.code(), "create a new lot");
  return v.ToStatus();
}

absl::Status ValidateFrameworkChange(const v1::Framework& given, const v1::Framework& stored) {
  Violations v;
  Unchanged(v, "framework.partnership_id", given.partnership_id(), stored.partnership_id(),
            "create a new framework for the other partnership");
  return v.ToStatus();
}

absl::Status ValidateDocumentChange(const v1::ComplianceDocument& given,
                                    const v1::ComplianceDocument& stored) {
  Violations v;
  Unchanged(v, "document.kind", KindName(given.kind()), KindName(stored.kind()),
            "create a new document of that kind");
  return v.ToStatus();
}

absl::Status ValidateCapacityReturn(const v1::CapacityReturn& r, absl::CivilDay today) {
  Violations v;
  v.Id("capacity_return.framework_id", r.framework_id());
  auto month = v.Month("capacity_return.month", r.month());
  if (month && *month > absl::CivilMonth(today)) {
    v.Add("capacity_return.month", "must not be in the future");
  }
  const int workers = r.care_workers_employed();
  auto figure = [&](const char* field, int value) {
    if (value < 0) {
      v.Add(field, "must not be negative");
    } else if (value > kMaxCapacityFigure) {
      v.Add(field, absl::StrCat("must be at most ", kMaxCapacityFigure));
    }
  };
  figure("capacity_return.care_workers_employed", workers);
  figure("capacity_return.current_packages", r.current_packages());
  // Hours a week: never more than the week's 168 for each worker employed (when workers
  // are given: a provider still recruiting may declare hours with none yet), and never
  // beyond the cap whatever the workforce, so that one mistyped figure cannot switch off
  // ListEligibleProviders' hours or an offer's below_planned_hours (decision 69).
  auto hours = [&](const char* field, int value) {
    figure(field, value);
    if (value >= 0 && value <= kMaxCapacityFigure && workers > 0 &&
        value > kHoursInAWeek * workers) {
      v.Add(field,
            absl::StrCat("must be at most ", kHoursInAWeek * workers, " (", kHoursInAWeek,
                         " hours a week for each of the ", workers, " care workers employed)"));
    }
  };
  hours("capacity_return.current_total_weekly_hours", r.current_total_weekly_hours());
  hours("capacity_return.estimated_weekly_hours_available", r.estimated_weekly_hours_available());
  return v.ToStatus();
}

std::vector<ActionItem> ValidateActionPlan(
    const google::protobuf::RepeatedPtrField<v1::ActionPlanItem>& items, absl::CivilDay today,
    Violations& v) {
  if (items.empty()) {
    v.Add("action_plan",
          "needs at least one item: a suspension carries an action plan with "
          "due dates");
  }
  std::vector<ActionItem> plan;
  if (!v.AtMost("action_plan", items.size(), Violations::kMaxActionPlanItems)) return plan;
  for (int i = 0; i < items.size(); ++i) {
    const auto& item = items.Get(i);
    auto due = v.ActionItem(absl::StrCat("action_plan[", i, "]"), item.description(),
                            item.due_date().value(), today);
    if (due) plan.push_back({item.description(), *due});
  }
  return plan;
}

}  // namespace pdps::registry::domain
