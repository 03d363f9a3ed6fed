// A walk over the set fields of a request by reflection.
#include "common/request_shape.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace pdps::shape {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kMoney[] = "pdps.common.v1.Money";

std::string Join(const std::string& prefix, const FieldDescriptor* f) {
  return prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
}

void CheckText(const std::string& path, const std::string& text, Violations& v) {
  if (text.find('\0') != std::string::npos) {
    v.Add(path, "must not contain a NUL character");
  } else if (text.size() > kMaxTextBytes) {
    v.Add(path, absl::StrCat("must be at most ", kMaxTextBytes, " bytes"));
  }
}

// Proto3 keeps a number its enum does not define; no service may take one for a value.
void CheckEnum(const std::string& path, const FieldDescriptor* f, int number, Violations& v) {
  if (f->enum_type()->FindValueByNumber(number) != nullptr) return;
  std::string names;
  for (int i = 0; i < f->enum_type()->value_count(); ++i) {
    const auto* value = f->enum_type()->value(i);
    if (value->number() == 0) continue;  // the unspecified value
    absl::StrAppend(&names, names.empty() ? "" : ", ", value->name());
  }
  // "9 is not one of Outcome's values: …": no article to get wrong before the enum's name.
  v.Add(path,
        absl::StrCat(number, " is not one of ", f->enum_type()->name(), "'s values: ", names));
}

void Walk(const Message& m, const std::string& prefix, Violations& v) {
  const Reflection* r = m.GetReflection();
  if (m.GetDescriptor()->full_name() == kMoney) {
    const FieldDescriptor* pence = m.GetDescriptor()->FindFieldByName("pence");
    int64_t p = pence != nullptr ? r->GetInt64(m, pence) : 0;
    if (p > kMaxPence || p < -kMaxPence) {
      v.Add(prefix.empty() ? "pence" : absl::StrCat(prefix, ".pence"),
            "must be within ±100000000000000 pence (£1,000,000,000,000)");
    }
    return;
  }
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string path = Join(prefix, f);
    const bool text = f->type() == FieldDescriptor::TYPE_STRING;
    const bool message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    const bool enumerated = f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM;
    if (!f->is_repeated()) {
      if (text) CheckText(path, r->GetString(m, f), v);
      if (enumerated) CheckEnum(path, f, r->GetEnumValue(m, f), v);
      if (message) Walk(r->GetMessage(m, f), path, v);
      continue;
    }
    const int n = r->FieldSize(m, f);
    if (n > kMaxItems) {
      // Its items are not looked at: the caller has to shorten the list first.
      v.Add(path, absl::StrCat("must have at most ", kMaxItems, " items (has ", n, ")"));
      continue;
    }
    for (int i = 0; i < n; ++i) {
      const std::string item = absl::StrCat(path, "[", i, "]");
      if (text) CheckText(item, r->GetRepeatedString(m, f, i), v);
      if (enumerated) CheckEnum(item, f, r->GetRepeatedEnumValue(m, f, i), v);
      if (message) Walk(r->GetRepeatedMessage(m, f, i), item, v);
    }
  }
}

}  // namespace

absl::Status Check(const Message& request) {
  Violations v;
  Walk(request, "", v);
  // The message names the first violation, as every INVALID_ARGUMENT does.
  return v.ToStatus();
}

absl::Status CheckRequestId(const Message& request) {
  const FieldDescriptor* f = request.GetDescriptor()->FindFieldByName("request_id");
  if (f == nullptr || f->is_repeated() || f->type() != FieldDescriptor::TYPE_STRING) {
    return absl::OkStatus();
  }
  Violations v;
  v.Id("request_id", request.GetReflection()->GetString(request, f), /*required=*/false);
  return v.ToStatus();
}

absl::Status WithRequestId(const absl::Status& answer, const absl::Status& request_id) {
  if (request_id.ok()) return answer;
  if (answer.code() != absl::StatusCode::kInvalidArgument) return request_id;
  Violations v;
  v.Merge(answer);
  for (const auto& f : v.list()) {
    if (f.field == "request_id") return answer;
  }
  v.Merge(request_id);
  return v.ToStatus();
}

}  // namespace pdps::shape
