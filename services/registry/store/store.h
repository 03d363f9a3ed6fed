// The registry's persistence: each method is one transaction as the calling
// organisation, applying the domain rules and appending events to the outbox.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/events.h"
#include "common/idempotency.h"
#include "common/paging.h"
#include "common/server.h"
#include "pdps/registry/v1/registry.pb.h"
#include "services/registry/domain/rules.h"
#include "services/registry/domain/validate.h"

namespace pdps::registry {

namespace v1 = ::pdps::registry::v1;

template <typename T>
using Listed = paging::Listed<T>;

struct AdmissionFilter {
  std::string framework_id, lot_id, provider_id, state;
};
struct DocumentFilter {
  std::string provider_id, kind;
  int expiring_within_days = 0;
  bool mandatory_only = false;
};
struct CapacityFilter {
  std::string framework_id, provider_id, month;  // month "YYYY-MM"
};
using ActionItemInput = domain::ActionItem;

class Store {
 public:
  explicit Store(db::Pool* pool);

  using Call = server::Call;

  absl::StatusOr<v1::Organisation> CreateOrganisation(const Call& c, const v1::Organisation& o,
                                                      const std::string& request_id);
  absl::StatusOr<v1::Organisation> GetOrganisation(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::Organisation>> ListOrganisations(const Call& c, const std::string& kind,
                                                             int page_size,
                                                             const std::string& page_token);

  absl::StatusOr<v1::Partnership> CreatePartnership(const Call& c, const v1::Partnership& p,
                                                    const std::string& request_id);
  absl::StatusOr<v1::Partnership> GetPartnership(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::Partnership>> ListPartnerships(const Call& c, bool mine, int page_size,
                                                           const std::string& page_token);

  absl::StatusOr<v1::Framework> CreateFramework(const Call& c, const v1::Framework& f,
                                                const std::string& request_id);
  absl::StatusOr<v1::Framework> GetFramework(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::Framework>> ListFrameworks(const Call& c,
                                                       const std::string& partnership_id,
                                                       const std::string& open_on, int page_size,
                                                       const std::string& page_token);
  absl::StatusOr<v1::Framework> UpdateFramework(const Call& c, const v1::Framework& f);

  absl::StatusOr<v1::Lot> CreateLot(const Call& c, const v1::Lot& lot,
                                    const std::string& request_id);
  absl::StatusOr<v1::Lot> GetLot(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::Lot>> ListLots(const Call& c, const std::string& framework_id,
                                           int page_size, const std::string& page_token);
  absl::StatusOr<v1::Lot> UpdateLot(const Call& c, const v1::Lot& lot);

  absl::StatusOr<std::vector<v1::Admission>> Apply(const Call& c, const std::string& framework_id,
                                                   const std::vector<std::string>& lot_ids,
                                                   const std::string& request_id);
  absl::StatusOr<v1::Admission> GetAdmission(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::Admission>> ListAdmissions(const Call& c, const AdmissionFilter& f,
                                                       int page_size,
                                                       const std::string& page_token);
  // Applies a verb; `etag` may be empty only for service identities.
  absl::StatusOr<v1::Admission> TransitionAdmission(const Call& c, const std::string& id,
                                                    const std::string& etag,
                                                    domain::AdmissionVerb verb,
                                                    const std::string& reason,
                                                    const std::vector<ActionItemInput>& plan);
  // Appends `plan` to the current suspension's action plan of a SUSPENDED admission.
  absl::StatusOr<v1::Admission> AddActionItems(const Call& c, const std::string& id,
                                               const std::string& etag,
                                               const std::vector<ActionItemInput>& plan);
  absl::StatusOr<v1::Admission> CompleteActionItem(const Call& c, const std::string& id,
                                                   const std::string& etag,
                                                   const std::string& item_id,
                                                   absl::CivilDay completed);

  absl::StatusOr<v1::Provider> GetProvider(const Call& c, const std::string& id);
  absl::StatusOr<v1::Provider> UpdateProvider(const Call& c, const v1::Provider& p);

  absl::StatusOr<v1::ComplianceDocument> CreateDocument(const Call& c,
                                                        const v1::ComplianceDocument& d,
                                                        const std::string& request_id);
  absl::StatusOr<v1::ComplianceDocument> GetDocument(const Call& c, const std::string& id);
  absl::StatusOr<Listed<v1::ComplianceDocument>> ListDocuments(const Call& c,
                                                               const DocumentFilter& f,
                                                               int page_size,
                                                               const std::string& page_token);
  absl::StatusOr<v1::ComplianceDocument> UpdateDocument(const Call& c,
                                                        const v1::ComplianceDocument& d);
  // Publishes ComplianceDocumentExpired once per lapsed mandatory document; returns how
  // many. Safe with several replicas (rows are claimed with SKIP LOCKED).
  absl::StatusOr<int> AnnounceExpiredDocuments(absl::Time now, absl::Time deadline);

  absl::StatusOr<v1::CapacityReturn> CreateCapacityReturn(const Call& c,
                                                          const v1::CapacityReturn& r,
                                                          const std::string& request_id);
  absl::StatusOr<Listed<v1::CapacityReturn>> ListCapacityReturns(const Call& c,
                                                                 const CapacityFilter& f,
                                                                 int page_size,
                                                                 const std::string& page_token);
  struct Late {
    std::string provider_id, display_name;
    absl::CivilDay due_date;  // when the return was due
  };
  absl::StatusOr<Listed<Late>> ListLateReturns(const Call& c, const std::string& framework_id,
                                               absl::CivilMonth month, int page_size,
                                               const std::string& page_token);

  absl::StatusOr<Listed<v1::EligibleProvider>> ListEligible(const Call& c,
                                                            const std::string& lot_id,
                                                            const std::string& area,
                                                            absl::CivilDay date, int page_size,
                                                            const std::string& page_token);

  // The workforce feed: a tripped automatic suspension rule suspends the provider's
  // ACTIVE admissions on the framework (or the lot named) from new referrals, with the
  // rule as reason, inside the consumer's transaction. Lifting it stays a commissioner's
  // decision (ReinstateAdmission).
  absl::Status ApplySuspensionRule(db::Tx& tx, const pdps::common::v1::Event& e, absl::Time now);

  const events::Outbox& outbox() const { return outbox_; }

 private:
  // A verb inside the caller's transaction (TransitionAdmission and the feed consumers).
  absl::StatusOr<v1::Admission> ApplyTransition(db::Tx& tx, const Call& c, const std::string& id,
                                                const std::string& etag,
                                                domain::AdmissionVerb verb,
                                                const std::string& reason,
                                                const std::vector<ActionItemInput>& plan);
  // A single-statement read in one round trip.
  absl::StatusOr<db::Result> Read(const Call& c, std::string_view sql,
                                  const std::vector<db::Param>& params);

  db::Pool* pool_;
  events::Outbox outbox_;
  idempotency::Ledger ledger_;
};

}  // namespace pdps::registry
