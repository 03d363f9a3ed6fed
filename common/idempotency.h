// Safe retries of creates (AIP-155): the first call with a request_id records which
// resource it created, in the same transaction; a retry finds that record and returns
// the same resource instead of creating another. Each service's first migration
// creates <schema>.request_ids.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/db.h"

namespace pdps::idempotency {

class Ledger {
 public:
  explicit Ledger(const std::string& schema);

  // Claims `request_id` for (organisation, method) and `new_id`. Returns std::nullopt when
  // the claim is new (go on and create `new_id`), or the id created by the earlier call.
  // INVALID_ARGUMENT if the request_id is not a UUID or was used for another method.
  // An empty request_id claims nothing.
  absl::StatusOr<std::optional<std::string>> Claim(db::Tx& tx, const std::string& organisation_id,
                                                   const std::string& request_id,
                                                   const std::string& method,
                                                   const std::string& new_id) const;

 private:
  std::string insert_sql_;
  std::string select_sql_;
};

}  // namespace pdps::idempotency
