// Ledger.
#include "common/idempotency.h"

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/status.h"

namespace pdps::idempotency {

Ledger::Ledger(const std::string& schema) {
  const std::string t = schema + ".request_ids";
  // A concurrent retry blocks on the primary key until the first commits, then conflicts.
  insert_sql_ = absl::StrCat("INSERT INTO ", t,
                             " (organisation_id, request_id, method, resource_id)"
                             " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
  select_sql_ = absl::StrCat("SELECT method, resource_id FROM ", t,
                             " WHERE organisation_id = $1 AND request_id = $2");
}

absl::StatusOr<std::optional<std::string>> Ledger::Claim(db::Tx& tx,
                                                         const std::string& organisation_id,
                                                         const std::string& request_id,
                                                         const std::string& method,
                                                         const std::string& new_id) const {
  if (request_id.empty()) return std::optional<std::string>();
  if (!IsUuid(request_id)) {
    return InvalidField("request_id", "must be a UUID");
  }
  ASSIGN_OR_RETURN(db::Result ins, tx.Exec(insert_sql_, {db::P(organisation_id), db::P(request_id),
                                                         db::P(method), db::P(new_id)}));
  if (ins.affected() == 1) return std::optional<std::string>();
  ASSIGN_OR_RETURN(db::Result r, tx.Exec(select_sql_, {db::P(organisation_id), db::P(request_id)}));
  if (r.rows() == 0) return absl::AbortedError("request_id is being used concurrently; retry");
  if (r.String(0, "method") != method) {
    return InvalidField("request_id", "was already used for a different call");
  }
  return std::optional<std::string>(r.String(0, "resource_id"));
}

}  // namespace pdps::idempotency
