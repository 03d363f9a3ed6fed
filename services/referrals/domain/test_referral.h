// For the domain's unit tests only (no library links it): a referral that passes every
// input rule, as validate_test starts from and visibility_test fills in.
#pragma once

#include "pdps/referrals/v1/referrals.pb.h"

namespace pdps::referrals::domain {

namespace v1 = ::pdps::referrals::v1;

// The organisation that funds GoodReferral, and its lot.
inline constexpr char kOrgA[] = "aaaaaaaa-1111-4111-8111-111111111111";
inline constexpr char kLot[] = "dddddddd-4444-4444-8444-444444444444";

// Starts on 2026-07-01, a ROUTINE referral wholly funded by kOrgA.
inline v1::Referral GoodReferral() {
  v1::Referral r;
  r.set_lot_id(kLot);
  r.set_urgency(v1::Referral::ROUTINE);
  r.set_area("SOUTHWARK");
  r.set_planned_weekly_hours(10.5);
  r.set_session_pattern("Mon-Fri 07:30-08:30");
  r.add_outcomes("personal care");
  r.set_needs_summary("Support with personal care before school.");
  r.mutable_start_date()->set_value("2026-07-01");
  auto* f = r.add_funding();
  f->set_organisation_id(kOrgA);
  f->set_share_basis_points(10000);
  return r;
}

}  // namespace pdps::referrals::domain
