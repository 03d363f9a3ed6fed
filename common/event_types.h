// The name of every event type on the platform's feeds (ListEvents' event_type and the
// outbox's), for the service that publishes it and the services that consume it: one
// spelling each, checked by the compiler. The names are part of the API (docs/api.md
// "Events"); tests spell them out, so that renaming one here fails them.
#pragma once

namespace pdps::event_types {

namespace registry {
inline constexpr char kAdmissionApplied[] = "pdps.registry.v1.AdmissionApplied";
inline constexpr char kAdmissionActivated[] = "pdps.registry.v1.AdmissionActivated";
inline constexpr char kAdmissionRejected[] = "pdps.registry.v1.AdmissionRejected";
inline constexpr char kAdmissionSuspended[] = "pdps.registry.v1.AdmissionSuspended";
inline constexpr char kAdmissionReinstated[] = "pdps.registry.v1.AdmissionReinstated";
inline constexpr char kAdmissionTerminated[] = "pdps.registry.v1.AdmissionTerminated";
inline constexpr char kComplianceDocumentExpired[] = "pdps.registry.v1.ComplianceDocumentExpired";
inline constexpr char kCapacityReturnSubmitted[] = "pdps.registry.v1.CapacityReturnSubmitted";
}  // namespace registry

namespace referrals {
inline constexpr char kReferralOpened[] = "pdps.referrals.v1.ReferralOpened";
inline constexpr char kOfferMade[] = "pdps.referrals.v1.OfferMade";
inline constexpr char kOfferAnswered[] = "pdps.referrals.v1.OfferAnswered";
inline constexpr char kReferralAwarded[] = "pdps.referrals.v1.ReferralAwarded";
inline constexpr char kReferralUncovered[] = "pdps.referrals.v1.ReferralUncovered";
inline constexpr char kReferralWithdrawn[] = "pdps.referrals.v1.ReferralWithdrawn";
inline constexpr char kPersonDetailsChanged[] = "pdps.referrals.v1.PersonDetailsChanged";
}  // namespace referrals

namespace workforce {
inline constexpr char kSuspensionRuleTripped[] = "pdps.workforce.v1.SuspensionRuleTripped";
inline constexpr char kComplianceLapsing[] = "pdps.workforce.v1.ComplianceLapsing";
}  // namespace workforce

}  // namespace pdps::event_types
