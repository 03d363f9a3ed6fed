// Row ↔ proto helpers.
#include "common/proto_util.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "nlohmann/json.hpp"

namespace pdps::protoutil {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  // Microseconds, as PostgreSQL keeps them (db::P): a time sent in an event before it was
  // stored reads the same as the stored one.
  t = absl::FromUnixMicros(absl::ToUnixMicros(t));
  int64_t s = absl::ToUnixSeconds(t);
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

void FillAudit(const db::Result& r, int row, pdps::common::v1::AuditStamp* out) {
  SetTimestamp(r.Time(row, "create_time"), out->mutable_create_time());
  out->set_create_user(r.String(row, "create_user"));
  out->set_create_organisation(r.String(row, "create_organisation"));
  SetTimestamp(r.Time(row, "update_time"), out->mutable_update_time());
  out->set_update_user(r.String(row, "update_user"));
}

std::vector<std::string> JsonStringArray(const std::string& json) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string ToJsonArray(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump();
}

std::string JoinKey(const std::string& a, const std::string& b) { return a + '\x1f' + b; }

std::pair<std::string, std::string> SplitKey(const std::string& key) {
  auto pos = key.find('\x1f');
  if (pos == std::string::npos) return {key, ""};
  return {key.substr(0, pos), key.substr(pos + 1)};
}

std::string EtagOf(int64_t version) { return absl::StrCat(version); }

std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

bool ParseJson(const std::string& json, google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions o;
  o.ignore_unknown_fields = true;
  return google::protobuf::util::JsonStringToMessage(json, out, o).ok();
}

int EnumNumber(const google::protobuf::EnumDescriptor& type, const std::string& name) {
  if (name.empty()) return 0;
  if (const auto* value = type.FindValueByName(name)) return value->number();
  log::Error("a stored enum name is not one this version knows; read as unspecified",
             {{"enum", type.full_name()}, {"name", name}});
  return 0;
}

}  // namespace pdps::protoutil
