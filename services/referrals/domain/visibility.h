// Who sees what of a referral: the provider's view (the pen portrait; data
// minimisation, DOMAIN.md §3) and what of a proposal's review is for officers only (who
// counts as an officer: auth::Principal::IsOfficer). Plain functions over the API
// messages: no gRPC, no SQL.
#pragma once

#include "common/auth.h"
#include "pdps/referrals/v1/referrals.pb.h"

namespace pdps::referrals::domain {

namespace v1 = ::pdps::referrals::v1;

// What a provider sees of a referral: the pen portrait. The awarded provider also sees
// the award and the care-plan extract.
v1::Referral PenPortrait(const v1::Referral& full, bool awarded_to_viewer);

// A proposal as its provider sees it, and as the feed carries it (under the provider's
// organisation): without what of the officers' review is for officers only, the
// family's view (it may carry the family's words and names) and which officer recorded
// the review. shortlisted, family_met_worker and reviewed_at stay: they tell the
// provider where its proposal stands and whether to keep the worker free, and say
// nothing the family said.
void HideOfficersReview(v1::Proposal* p);

// The referral as `viewer` may see it: in full for officers and services
// (auth::Principal::IsOfficer), else the pen portrait (with the award when it went to the
// viewer's organisation): everyone else who may see one at all is a provider.
v1::Referral ViewFor(const v1::Referral& full, const auth::Principal& viewer);

}  // namespace pdps::referrals::domain
