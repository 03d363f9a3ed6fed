// pdpsctl helpers.
#include "tools/pdpsctl/cli.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wrappers.pb.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/dates.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "nlohmann/json.hpp"

namespace pdps::cli {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {
template <typename T>
T WholeNumber(const Args& a, const std::string& k, T def, std::set<std::string>* refused) {
  if (!a.Has(k)) return def;
  T value = 0;
  if (absl::SimpleAtoi(a.options.at(k), &value)) return value;
  refused->insert(k);
  return def;
}
}  // namespace

int Args::Int(const std::string& k, int def) const {
  return WholeNumber(*this, k, def, &not_whole_numbers_);
}

int64_t Args::Int64(const std::string& k, int64_t def) const {
  return WholeNumber(*this, k, def, &not_whole_numbers_);
}

std::vector<std::string> Args::List(const std::string& k) const {
  read_.insert(k);
  std::vector<std::string> out;
  auto it = repeats.find(k);
  if (it == repeats.end()) return out;
  for (const std::string& value : it->second) {
    for (absl::string_view s : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      out.emplace_back(s);
    }
  }
  return out;
}

std::vector<std::string> Args::Unread() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : options) {
    if (read_.count(k) == 0) out.push_back(k);
  }
  return out;
}

namespace {

// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: a swap counts
// once, as "--lto" for "--lot" is one slip of the fingers.
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string Args::Nearest(const std::string& unknown) const {
  std::string best;
  size_t best_distance = std::string::npos;
  bool tied = false;
  for (const std::string& known : read_) {
    // A third of the name may be wrong (at least one letter): close enough to be a
    // slip, not so loose that every short option looks like every other.
    size_t d = Distance(unknown, known);
    if (d > std::max<size_t>(1, known.size() / 3)) continue;
    if (d < best_distance) {
      best = known;
      best_distance = d;
      tied = false;
    } else if (d == best_distance) {
      tied = true;
    }
  }
  return tied ? "" : best;
}

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      auto eq = s.find('=');
      std::string key = s.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      std::string value = eq == std::string::npos ? "true" : s.substr(eq + 1);
      a.options[key] = value;
      a.repeats[key].push_back(value);
    } else {
      a.words.push_back(s);
    }
  }
  return a;
}

std::vector<std::string> RefusedOptions(const Args& a, const std::string& command) {
  std::vector<std::string> out;
  for (const std::string& k : a.Unread()) {
    std::string line = absl::StrCat("unknown option --", k, " for \"", command, "\"");
    std::string near = a.Nearest(k);
    absl::StrAppend(&line, near.empty() ? " (see pdpsctl --help)"
                                        : absl::StrCat("; did you mean --", near, "?"));
    out.push_back(line);
  }
  for (const std::string& k : a.not_whole_numbers_) {
    out.push_back(absl::StrCat("--", k, "=", a.options.at(k), " for \"", command,
                               "\" is not a whole number"));
  }
  return out;
}

std::string ErrorText(const std::string& code, const std::string& message,
                      const std::string& details) {
  std::string out = absl::StrCat("error: ", code, ": ", message, "\n");
  google::rpc::Status status;
  if (!status.ParseFromString(details)) return out;
  std::vector<std::string> violations;
  std::vector<std::string> request_ids;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad;
    google::rpc::RequestInfo info;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) {
        violations.push_back(absl::StrCat(v.field(), ": ", v.description()));
      }
    } else if (any.UnpackTo(&info)) {
      request_ids.push_back(info.request_id());
    }
  }
  // A single violation is usually the message itself: printed once is enough.
  if (violations.size() == 1 && violations[0] == message) violations.clear();
  for (const auto& v : violations) absl::StrAppend(&out, "  ", v, "\n");
  for (const auto& id : request_ids) absl::StrAppend(&out, "  request id: ", id, "\n");
  return out;
}

namespace {

// Marks an Any that PrintJson stood in for: the JSON printer cannot print an Any whose
// type is not in the generated pool, so such an Any is printed as a StringValue holding
// this prefix and its index, and the JSON object is swapped back afterwards.
constexpr char kUnknownAnyMarker[] = "\x01pdpsctl-unknown-any:";
constexpr char kStringValueUrl[] = "type.googleapis.com/google.protobuf.StringValue";

struct UnknownAny {
  std::string type_url;
  std::string value;
};

// The type of an Any as the JSON printer resolves it (in the generated pool, under the
// type.googleapis.com/ prefix), or null.
const google::protobuf::Descriptor* AnyType(const std::string& type_url) {
  constexpr absl::string_view kPrefix = "type.googleapis.com/";
  if (!absl::StartsWith(type_url, kPrefix)) return nullptr;
  return google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
      type_url.substr(kPrefix.size()));
}

void ReplaceUnknownAnys(Message* m, std::vector<UnknownAny>* saved);

// One google.protobuf.Any (by reflection: type_url = 1, value = 2).
void ReplaceUnknownAny(Message* any, std::vector<UnknownAny>* saved) {
  const auto* d = any->GetDescriptor();
  const Reflection* r = any->GetReflection();
  const FieldDescriptor* url_f = d->FindFieldByNumber(1);
  const FieldDescriptor* value_f = d->FindFieldByNumber(2);
  std::string url = r->GetString(*any, url_f);
  std::string value = r->GetString(*any, value_f);
  if (url.empty() && value.empty()) return;  // an empty Any prints as {}
  const google::protobuf::Descriptor* type = AnyType(url);
  if (type != nullptr) {
    // Known: an Any nested inside it may still be unknown.
    std::unique_ptr<Message> inner(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
    size_t before = saved->size();
    if (!inner->ParseFromString(value)) return;
    ReplaceUnknownAnys(inner.get(), saved);
    if (saved->size() > before) r->SetString(any, value_f, inner->SerializeAsString());
    return;
  }
  google::protobuf::StringValue marker;
  marker.set_value(absl::StrCat(kUnknownAnyMarker, saved->size()));
  saved->push_back({url, value});
  r->SetString(any, url_f, kStringValueUrl);
  r->SetString(any, value_f, marker.SerializeAsString());
}

// Every Any under `m`, at any depth.
void ReplaceUnknownAnys(Message* m, std::vector<UnknownAny>* saved) {
  const Reflection* r = m->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    bool is_any = f->message_type()->full_name() == "google.protobuf.Any";
    auto visit = [&](Message* sub) {
      if (is_any) {
        ReplaceUnknownAny(sub, saved);
      } else {
        ReplaceUnknownAnys(sub, saved);
      }
    };
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(*m, f); ++i) visit(r->MutableRepeatedMessage(m, f, i));
    } else {
      visit(r->MutableMessage(m, f));
    }
  }
}

// Puts the saved Anys back in place of their markers: {"@type": ..., "value": base64}.
void RestoreUnknownAnys(nlohmann::ordered_json* j, const std::vector<UnknownAny>& saved) {
  if (j->is_array()) {
    for (auto& e : *j) RestoreUnknownAnys(&e, saved);
    return;
  }
  if (!j->is_object()) return;
  auto type = j->find("@type");
  auto value = j->find("value");
  if (j->size() == 2 && type != j->end() && value != j->end() && *type == kStringValueUrl &&
      value->is_string()) {
    std::string v = value->get<std::string>();
    size_t index = 0;
    if (absl::StartsWith(v, kUnknownAnyMarker) &&
        absl::SimpleAtoi(v.substr(sizeof(kUnknownAnyMarker) - 1), &index) &&
        index < saved.size()) {
      nlohmann::ordered_json any;
      any["@type"] = saved[index].type_url;
      any["value"] = absl::Base64Escape(saved[index].value);
      *j = std::move(any);
      return;
    }
  }
  for (auto& [k, e] : j->items()) RestoreUnknownAnys(&e, saved);
}

}  // namespace

bool PrintJson(const Message& m) {
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.preserve_proto_field_names = true;
  // false, 0, "" and [] too: a reader (or a script) must not have to know that a missing
  // "eligible" means false, or that {} is an empty list.
  o.always_print_primitive_fields = true;
  // The JSON printer cannot print an Any of a type this pdpsctl was not built with (an
  // event of a newer service, say): such Anys are printed undecoded instead.
  std::unique_ptr<Message> copy(m.New());
  copy->CopyFrom(m);
  std::vector<UnknownAny> saved;
  ReplaceUnknownAnys(copy.get(), &saved);
  std::string out;
  auto st = google::protobuf::util::MessageToJsonString(*copy, &out, o);
  std::string error = st.ok() ? "" : std::string(st.message());
  if (error.empty() && !saved.empty()) {
    auto j = nlohmann::ordered_json::parse(out, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      error = "the JSON printer's output does not parse";
    } else {
      RestoreUnknownAnys(&j, saved);
      out = j.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
  }
  if (!error.empty()) {
    // Never half an object on stdout.
    std::fprintf(stderr, "pdpsctl: cannot print %s as JSON: %s\n",
                 m.GetDescriptor()->full_name().c_str(), error.c_str());
    return false;
  }
  std::cout << out;
  if (out.empty() || out.back() != '\n') std::cout << "\n";
  return true;
}

namespace {

// Whether a number holds no value, as its proto says of it: such a cell is left empty,
// as an unset enum's is, so that a 0 is never read as a real position, rank or score.
bool NoValue(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  const std::string& type = m.GetDescriptor()->full_name();
  // 1 for the first-refusal provider, 2 for the second; 0 for broadcast and invitations.
  if (type == "pdps.referrals.v1.Offer" && f->name() == "rota_position") {
    return r->GetInt32(m, f) == 0;
  }
  // 1 for the best, once every bid is evaluated.
  if (type == "pdps.referrals.v1.Bid" && f->name() == "rank") return r->GetInt32(m, f) == 0;
  // 0..100 once evaluated, when 0 is a score; nothing before.
  if (type == "pdps.referrals.v1.Bid" && absl::EndsWith(f->name(), "_score")) {
    const FieldDescriptor* evaluated = m.GetDescriptor()->FindFieldByName("evaluated");
    return evaluated != nullptr && !r->GetBool(m, evaluated);
  }
  return false;
}

// A cell: scalars as text, money and dates by their value, lists joined with `sep`.
std::string Cell(const Message& m, const FieldDescriptor* f, const char* sep = ",") {
  const Reflection* r = m.GetReflection();
  if (!f->is_repeated() && NoValue(m, f)) return "";
  if (f->is_repeated()) {
    int n = r->FieldSize(m, f);
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      std::vector<std::string> v;
      for (int i = 0; i < n; ++i) v.push_back(r->GetRepeatedString(m, f, i));
      return absl::StrJoin(v, sep);
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      std::vector<std::string> v;
      for (int i = 0; i < n; ++i) v.push_back(r->GetRepeatedEnum(m, f, i)->name());
      return absl::StrJoin(v, sep);
    }
    return n == 0 ? "" : std::to_string(n) + " items";
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(m, f) ? "yes" : "no";
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.2f", r->GetDouble(m, f));
      return buf;
    }
    case FieldDescriptor::CPPTYPE_ENUM:
      // The zero value means "not set" (AIP-126): leave the cell empty.
      return r->GetEnum(m, f)->number() == 0 ? "" : r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!r->HasField(m, f)) return "";
      const Message& sub = r->GetMessage(m, f);
      const auto* d = sub.GetDescriptor();
      if (d->full_name() == "pdps.common.v1.Money") {
        int64_t p = sub.GetReflection()->GetInt64(sub, d->field(0));
        char buf[48];
        std::snprintf(buf, sizeof(buf), "%s£%lld.%02lld", p < 0 ? "-" : "",
                      static_cast<long long>(std::llabs(p / 100)),
                      static_cast<long long>(std::llabs(p % 100)));
        return buf;
      }
      if (d->full_name() == "pdps.common.v1.Date") {
        return sub.GetReflection()->GetString(sub, d->field(0));
      }
      if (d->full_name() == "google.protobuf.Timestamp") {
        // Local time, where every deadline of the platform is counted.
        absl::Time t = absl::FromUnixSeconds(sub.GetReflection()->GetInt64(sub, d->field(0)));
        return absl::FormatTime("%Y-%m-%d %H:%M %Z", t, dates::London());
      }
      return "";
    }
    default:
      return "";
  }
}

// Messages shown as one cell.
bool Leaf(const FieldDescriptor* f) {
  const std::string& t = f->message_type()->full_name();
  return t == "pdps.common.v1.Money" || t == "pdps.common.v1.Date" ||
         t == "google.protobuf.Timestamp";
}

bool Skipped(const FieldDescriptor* f) {
  return f->name() == "etag" || f->name() == "audit" || f->name() == "history";
}

bool Tabular(const FieldDescriptor* f) {
  if (Skipped(f)) return false;
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return true;
  return !f->is_repeated() && Leaf(f);
}

// The cell at a field path such as "referral.area"; empty if any part is unset or unknown.
std::string PathCell(const Message& m, const std::string& path) {
  const Message* cur = &m;
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = cur->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr) return "";
    if (i + 1 == parts.size()) return Cell(*cur, f);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated() ||
        !cur->GetReflection()->HasField(*cur, f)) {
      return "";
    }
    cur = &cur->GetReflection()->GetMessage(*cur, f);
  }
  return "";
}

// "field: value" lines of one message, nested messages under "prefix.".
void PrintFields(const Message& m, const std::string& prefix) {
  const auto* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (Skipped(f)) continue;
    std::string name = prefix + f->name();
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !Leaf(f)) {
      if (f->is_repeated()) {
        for (int k = 0; k < r->FieldSize(m, f); ++k) {
          PrintFields(r->GetRepeatedMessage(m, f, k), absl::StrCat(name, "[", k, "]."));
        }
      } else if (r->HasField(m, f)) {
        PrintFields(r->GetMessage(m, f), name + ".");
      }
      continue;
    }
    // Lines of text (addresses, outcomes) may hold commas themselves.
    std::string v = Cell(m, f, "; ");
    if (!v.empty()) std::printf("%-34s %s\n", (name + ":").c_str(), v.c_str());
  }
}

}  // namespace

void PrintTable(const Message& m, const std::vector<std::string>& columns) {
  const auto* d = m.GetDescriptor();
  const FieldDescriptor* list = nullptr;
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      list = f;
      break;
    }
  }
  bool is_list_response = list != nullptr && absl::EndsWith(d->name(), "Response");
  if (!is_list_response) {
    PrintFields(m, "");
    return;
  }
  const Reflection* r = m.GetReflection();
  int n = r->FieldSize(m, list);
  const auto* item_d = list->message_type();
  std::vector<std::string> cols = columns;
  if (cols.empty()) {
    for (int i = 0; i < item_d->field_count(); ++i) {
      if (Tabular(item_d->field(i))) cols.push_back(item_d->field(i)->name());
    }
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> width(cols.size());
  std::vector<std::string> header;
  for (size_t c = 0; c < cols.size(); ++c) {
    // "path=HEADER" names its own header; otherwise a nested column is headed by its
    // last part: "referral.area" is AREA.
    if (size_t eq = cols[c].find('='); eq != std::string::npos) {
      header.push_back(cols[c].substr(eq + 1));
      cols[c].resize(eq);
    } else {
      header.push_back(cols[c].substr(cols[c].rfind('.') + 1));
    }
    width[c] = header[c].size();
  }
  for (int i = 0; i < n; ++i) {
    const Message& item = r->GetRepeatedMessage(m, list, i);
    std::vector<std::string> row;
    for (size_t c = 0; c < cols.size(); ++c) {
      std::string v = PathCell(item, cols[c]);
      if (v.size() > 48) v = v.substr(0, 45) + "...";
      width[c] = std::max(width[c], v.size());
      row.push_back(v);
    }
    rows.push_back(row);
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c] + std::string(width[c] - row[c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
  };
  for (auto& h : header) {
    for (auto& ch : h) ch = static_cast<char>(std::toupper(ch));
  }
  print(header);
  for (const auto& row : rows) print(row);
  const auto* next = d->FindFieldByName("next_page_token");
  if (next != nullptr && !r->GetString(m, next).empty()) {
    std::printf("(more: --page-token=%s)\n", r->GetString(m, next).c_str());
  }
  if (n == 0) std::printf("(none)\n");
}

bool ReadFile(const std::string& path, std::string* out) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) return false;
    ss << in.rdbuf();
  }
  *out = ss.str();
  return true;
}

}  // namespace pdps::cli
