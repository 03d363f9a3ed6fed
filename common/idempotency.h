// Safe retries of creates (AIP-155): the first call with a request_id records which
// resource it created, and a fingerprint of what it was asked to create, in the same
// transaction; a retry finds that record and returns the same resource instead of
// creating another. The same request_id with a different body is a client's mistake
// (two creates sharing an id), refused rather than answered with the wrong resource.
// Each service's first migration creates <schema>.request_ids.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/db.h"
#include "google/protobuf/message.h"

namespace pdps::idempotency {

// The bytes of `body` in deterministic serialization: equal messages give equal bytes.
std::string Canonical(const google::protobuf::Message& body);

// A digest (hex SHA-256) of a create's inputs, each part length-prefixed so that
// ("ab", "c") and ("a", "bc") differ. Pass Canonical(message) for message inputs.
std::string Fingerprint(std::initializer_list<absl::string_view> parts);
// The fingerprint of a create whose only input is one message.
inline std::string Fingerprint(const google::protobuf::Message& body) {
  return Fingerprint({Canonical(body)});
}

class Ledger {
 public:
  explicit Ledger(const std::string& schema);

  // Claims `request_id` for (organisation, method), `fingerprint` and `new_id`. Returns
  // std::nullopt when the claim is new (go on and create `new_id`), or the id created by
  // the earlier call. INVALID_ARGUMENT if the request_id is not a UUID, was used for
  // another method, or for the same method with a different fingerprint. An empty
  // request_id claims nothing.
  absl::StatusOr<std::optional<std::string>> Claim(db::Tx& tx, const std::string& organisation_id,
                                                   const std::string& request_id,
                                                   const std::string& method,
                                                   const std::string& fingerprint,
                                                   const std::string& new_id) const;

  // A create run at most once per request_id, in `tx`: claims `request_id` for a new id
  // and, when the claim is new, calls insert(new id); a retry calls nothing. Returns the
  // id of the resource this request created (now or by the earlier call) for the caller
  // to read back. Errors as Claim's, or insert's.
  absl::StatusOr<std::string> CreateOnce(
      db::Tx& tx, const std::string& organisation_id, const std::string& request_id,
      const std::string& method, const std::string& fingerprint,
      const std::function<absl::Status(const std::string& id)>& insert) const;

 private:
  std::string insert_sql_;
  std::string select_sql_;
};

}  // namespace pdps::idempotency
