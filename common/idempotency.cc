// Ledger.
#include "common/idempotency.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/status.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace pdps::idempotency {

std::string Canonical(const google::protobuf::Message& body) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    body.SerializeToCodedStream(&coded);
  }
  return out;
}

std::string Fingerprint(std::initializer_list<absl::string_view> parts) {
  std::string joined;
  for (absl::string_view p : parts) absl::StrAppend(&joined, p.size(), ":", p, ";");
  return Sha256Hex(joined);
}

Ledger::Ledger(const std::string& schema) {
  const std::string t = schema + ".request_ids";
  // A concurrent retry blocks on the primary key until the first commits, then conflicts.
  insert_sql_ = absl::StrCat("INSERT INTO ", t,
                             " (organisation_id, request_id, method, resource_id, fingerprint)"
                             " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
  select_sql_ = absl::StrCat(
      "SELECT method, resource_id, coalesce(fingerprint, '') AS fingerprint"
      " FROM ",
      t, " WHERE organisation_id = $1 AND request_id = $2");
}

absl::StatusOr<std::optional<std::string>> Ledger::Claim(
    db::Tx& tx, const std::string& organisation_id, const std::string& request_id_given,
    const std::string& method, const std::string& fingerprint, const std::string& new_id) const {
  if (request_id_given.empty()) return std::optional<std::string>();
  if (!IsUuid(request_id_given)) {
    return InvalidField("request_id", "must be a UUID");
  }
  // A UUID's case carries nothing: a retry that upper-cases it is the same request.
  const std::string request_id = absl::AsciiStrToLower(request_id_given);
  ASSIGN_OR_RETURN(db::Result ins,
                   tx.Exec(insert_sql_, {db::P(organisation_id), db::P(request_id), db::P(method),
                                         db::P(new_id), db::P(fingerprint)}));
  if (ins.affected() == 1) return std::optional<std::string>();
  ASSIGN_OR_RETURN(db::Result r, tx.Exec(select_sql_, {db::P(organisation_id), db::P(request_id)}));
  if (r.rows() == 0) return absl::AbortedError("request_id is being used concurrently; retry");
  if (r.String(0, "method") != method) {
    return InvalidField("request_id", "was already used for a different call");
  }
  // Claims made before fingerprints were kept have none: they match any body.
  const std::string earlier = r.String(0, "fingerprint");
  if (!earlier.empty() && earlier != fingerprint) {
    return InvalidField("request_id",
                        "was already used for a create with a different body; a retry must "
                        "resend the same request, a new resource needs a new request_id");
  }
  return std::optional<std::string>(r.String(0, "resource_id"));
}

absl::StatusOr<std::string> Ledger::CreateOnce(
    db::Tx& tx, const std::string& organisation_id, const std::string& request_id,
    const std::string& method, const std::string& fingerprint,
    const std::function<absl::Status(const std::string& id)>& insert) const {
  std::string id = NewUuid();
  ASSIGN_OR_RETURN(std::optional<std::string> prior,
                   Claim(tx, organisation_id, request_id, method, fingerprint, id));
  if (prior) return *prior;
  RETURN_IF_ERROR(insert(id));
  return id;
}

}  // namespace pdps::idempotency
