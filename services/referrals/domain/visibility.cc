// The pen portrait and the other views of a referral and its proposals.
#include "services/referrals/domain/visibility.h"

namespace pdps::referrals::domain {

v1::Referral PenPortrait(const v1::Referral& full, bool awarded_to_viewer) {
  v1::Referral p;
  p.set_id(full.id());
  p.set_lot_id(full.lot_id());
  p.set_framework_id(full.framework_id());
  p.set_state(full.state());
  p.set_urgency(full.urgency());
  p.set_area(full.area());
  p.set_planned_weekly_hours(full.planned_weekly_hours());
  p.set_session_pattern(full.session_pattern());
  *p.mutable_outcomes() = full.outcomes();
  p.set_needs_summary(full.needs_summary());
  p.set_communication_needs(full.communication_needs());
  p.set_special_requirements(full.special_requirements());
  *p.mutable_start_date() = full.start_date();
  if (full.has_end_date()) *p.mutable_end_date() = full.end_date();
  *p.mutable_preferences() = full.preferences();
  p.set_age_years(full.age_years());
  *p.mutable_extra_competencies() = full.extra_competencies();
  p.set_method(full.method());
  p.set_round(full.round());
  if (full.has_stage_deadline()) *p.mutable_stage_deadline() = full.stage_deadline();
  if (full.has_maximum_hourly_rate()) *p.mutable_maximum_hourly_rate() = full.maximum_hourly_rate();
  *p.mutable_quality_questions() = full.quality_questions();
  p.set_price_weight_percent(full.price_weight_percent());
  p.set_quality_weight_percent(full.quality_weight_percent());
  p.set_etag(full.etag());
  if (awarded_to_viewer) {
    *p.mutable_award() = full.award();
    p.mutable_award()->clear_award_user();
    p.set_care_plan_extract(full.care_plan_extract());
    p.set_direct_payment(full.direct_payment());
  }
  return p;
}

void HideOfficersReview(v1::Proposal* p) {
  p->clear_family_view();
  p->clear_reviewed_by_user();
  p->clear_reviewed_by_organisation();
}

v1::Referral ViewFor(const v1::Referral& full, const auth::Principal& viewer) {
  if (viewer.IsOfficer()) return full;
  bool awarded =
      full.state() == v1::Referral::AWARDED && full.award().provider_id() == viewer.organisation_id;
  return PenPortrait(full, awarded);
}

}  // namespace pdps::referrals::domain
