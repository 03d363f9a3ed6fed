// Who commissions what, as the registry says over gRPC before any transaction.
// Commissioner writes scoped to a framework (training matrices, suspension rules,
// monitoring visits, action plans, accounts) need the caller's organisation in the
// partnership that owns it, and a named provider admitted to it. Reads about a provider
// (its workforce's compliance) and a package (its named workers) are scoped the same way.
#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "common/server.h"
#include "pdps/workforce/v1/workforce.pb.h"
#include "services/registry/client/registry_client.h"

namespace pdps::workforce {

class CommissioningCheck {
 public:
  explicit CommissioningCheck(registry::RegistryClient& registry) : registry_(registry) {}

  // A lot named beside its framework in a request, and the request field naming it
  // (for the field violation).
  struct LotField {
    std::string lot_id;  // empty: no lot named
    std::string field;   // e.g. "visit.lot_id"
  };

  // PERMISSION_DENIED unless the caller commissions `framework_id` (its message ends
  // "may <action>", e.g. "set its suspension rules"); NOT_FOUND if it does not exist;
  // FAILED_PRECONDITION if `provider_id` (optional) holds no admission on it;
  // INVALID_ARGUMENT (a violation on `lot.field`) if the lot named is not one of the
  // framework's; UNAVAILABLE if the registry cannot answer (nothing changed).
  absl::Status Require(const server::Call& c, const std::string& action,
                       const std::string& framework_id, const std::string& provider_id = "",
                       const LotField& lot = {}) const;

  // The lots the provider works on (RegistryClient::WorkingLots); UNAVAILABLE if the
  // registry cannot answer.
  absl::StatusOr<std::set<std::string>> WorkingLots(const std::string& provider_id) const;

  // NOT_FOUND if the registry knows no framework `framework_id`; UNAVAILABLE if it
  // cannot answer. Anyone may ask: published frameworks are public.
  absl::Status RequireFramework(const std::string& framework_id) const;

  // A provider writing about its own service on a framework (a complaint): FAILED_PRECONDITION
  // unless the caller's organisation holds an admission on `framework_id` (in any state),
  // NOT_FOUND for an unknown framework, INVALID_ARGUMENT if the lot is not the framework's.
  absl::Status RequireAdmittedProvider(const server::Call& c, const std::string& framework_id,
                                       const LotField& lot = {}) const;

  // Who may read a provider's workforce counts on a lot: services; the provider itself
  // (another provider naming it: PERMISSION_DENIED); a commissioner of the lot's framework
  // when the provider holds an admission on it (NOT_FOUND otherwise, as for an unknown
  // lot, so that neither says more; UNAVAILABLE if the registry cannot answer). `what` names what
  // is read in the message ("workforce compliance", "workforce returns").
  absl::Status RequireWorkforceReader(const server::Call& c, const std::string& what,
                                      const std::string& lot_id,
                                      const std::string& provider_id) const;

  // `status` from reading about `lot_id` (every read that takes a lot: the gate, training
  // records, expiries, compliance, returns):
  // FAILED_PRECONDITION, no training matrix in force, becomes NOT_FOUND when the registry
  // knows no such lot, as RequireWorkforceReader answers a commissioner (UNAVAILABLE if
  // the registry cannot answer). Any other status is returned as it is. Asked only then:
  // a lot with a matrix exists (CreateTrainingMatrix checked it with the registry).
  absl::Status NoMatrixOrUnknownLot(const server::Call& c, const std::string& lot_id,
                                    absl::Status status) const;

  // Who may see a package and its named workers: its provider, services, and
  // commissioners or brokerage officers of the partnership owning its framework.
  // NOT_FOUND for anyone else (the package's existence is not revealed).
  absl::Status RequirePackageParty(const server::Call& c,
                                   const pdps::workforce::v1::Package& package) const;

 private:
  absl::Status RequireLotOf(const std::string& framework_id, const LotField& lot,
                            const server::Call& c) const;

  registry::RegistryClient& registry_;
};

}  // namespace pdps::workforce
