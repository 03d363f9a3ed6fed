// Small conversions between database rows and the shared proto messages, used by every
// service's store.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/db.h"
#include "pdps/common/v1/common.pb.h"

namespace pdps::protoutil {

// The etag of a row at `version` (every mutable table keeps a version counter).
std::string EtagOf(int64_t version);

// A message as JSON with the proto field names (for jsonb columns), and back; unknown
// fields are ignored so that columns written by a newer version still read.
std::string ToJson(const google::protobuf::Message& m);
bool ParseJson(const std::string& json, google::protobuf::Message* out);
template <typename M>
M FromJson(const std::string& json) {
  M m;
  if (!json.empty()) (void)ParseJson(json, &m);
  return m;
}

// At microsecond precision, the database's: nanoseconds are dropped (rounded down).
void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);

// Reads create_time, create_user, create_organisation, update_time, update_user.
void FillAudit(const db::Result& r, int row, pdps::common::v1::AuditStamp* out);

// A text[] column selected as array_to_json(col)::text.
std::vector<std::string> JsonStringArray(const std::string& json);
// A list as a JSON array, for `ARRAY(SELECT jsonb_array_elements_text($n::jsonb))`.
std::string ToJsonArray(const std::vector<std::string>& values);

// An enum stored by name (text columns, and the domain's names of the same values): the
// value called `name`, or the enum's zero value (…_UNSPECIFIED) when `name` is empty
// (NULL). A name the enum does not have (a newer version's value, or a typo in a domain
// name table) also reads as the zero value, and is logged as an error: never silent.
int EnumNumber(const google::protobuf::EnumDescriptor& type, const std::string& name);
template <typename E>
E EnumFromName(const std::string& name) {
  return static_cast<E>(EnumNumber(*google::protobuf::GetEnumDescriptor<E>(), name));
}

// Keyset paging over two sort columns: "a<US>b" and back.
std::string JoinKey(const std::string& a, const std::string& b);
std::pair<std::string, std::string> SplitKey(const std::string& key);

}  // namespace pdps::protoutil
