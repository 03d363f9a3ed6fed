// pdpsctl helpers.
#include "tools/pdpsctl/cli.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wrappers.pb.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/dates.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/viability.h"
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
  std::string out = absl::StrCat("error: ", code, ": ", PoundsInText(message), "\n");
  google::rpc::Status status;
  if (!status.ParseFromString(details)) return out;
  std::vector<std::string> violations;
  std::vector<std::string> request_ids;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad;
    google::rpc::PreconditionFailure unmet;
    google::rpc::RequestInfo info;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) {
        violations.push_back(absl::StrCat(v.field(), ": ", v.description()));
      }
    } else if (any.UnpackTo(&unmet)) {
      // The reason a script would switch on, and what it is about; the description too
      // when it says more than the message (one per reason of a gate refusal).
      for (const auto& v : unmet.violations()) {
        std::string line = absl::StrCat("reason: ", v.type());
        if (!v.subject().empty()) absl::StrAppend(&line, " (", v.subject(), ")");
        if (v.description() != message) absl::StrAppend(&line, ": ", v.description());
        violations.push_back(line);
      }
    } else if (any.UnpackTo(&info)) {
      request_ids.push_back(info.request_id());
    }
  }
  // A single violation is usually the message itself: printed once is enough.
  if (violations.size() == 1 && violations[0] == message) violations.clear();
  for (const auto& v : violations) absl::StrAppend(&out, "  ", PoundsInText(v), "\n");
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
    PrintError(absl::StrCat("pdpsctl: cannot print ", m.GetDescriptor()->full_name(),
                            " as JSON: ", error, "\n"));
    return false;
  }
  std::cout << out;
  if (out.empty() || out.back() != '\n') std::cout << "\n";
  return true;
}

void PrintError(const std::string& text) {
  std::cout.flush();
  std::fflush(stdout);
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
}

bool ParsePounds(const std::string& text, int64_t* pence, std::string* error, bool above_zero) {
  absl::string_view t = text;
  bool negative = absl::ConsumePrefix(&t, "-");
  bool pound_sign = absl::ConsumePrefix(&t, "£");
  if (pound_sign && !negative) negative = absl::ConsumePrefix(&t, "-");
  size_t dot = t.find('.');
  absl::string_view whole = t.substr(0, dot);
  absl::string_view fraction = dot == absl::string_view::npos ? "" : t.substr(dot + 1);
  std::string digits;
  for (size_t i = 0; i < whole.size(); ++i) {
    // Thousands separators, as pdpsctl prints amounts: "5,000,000".
    if (whole[i] == ',' && i > 0 && (whole.size() - i) % 4 == 0) continue;
    digits += whole[i];
  }
  auto all_digits = [](absl::string_view v) {
    return std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits.empty() || !all_digits(digits) || !all_digits(fraction) || fraction.size() > 2 ||
      (dot != absl::string_view::npos && fraction.empty()) || digits.size() > 15) {
    *error = "is not an amount in pounds: write e.g. 21.50 or £21.50";
    return false;
  }
  int64_t value = 0;
  absl::SimpleAtoi(digits, &value);
  int64_t cents = 0;
  if (!fraction.empty()) {
    absl::SimpleAtoi(fraction, &cents);
    if (fraction.size() == 1) cents *= 10;
  }
  if (above_zero && (negative || value * 100 + cents == 0)) {
    // Said before the pence hint, which would otherwise suggest a negative amount.
    *error = "must be above zero: a rate in pounds, e.g. 21.50 or £21.50";
    return false;
  }
  if (!pound_sign && dot == absl::string_view::npos) {
    // Both readings, so that whoever meant pence sees the pounds to write.
    std::string as_pence = money::FormatPounds(negative ? -value : value);
    std::string sign = negative ? "-" : "";
    *error = absl::StrCat(
        "is a whole number, which pdpsctl used to read as pence: amounts are "
        "in pounds, so write ",
        sign, as_pence.substr(sign.size() + 2), " for ", as_pence, ", or ", sign, digits,
        ".00 (or ", sign, "£", digits, ") for ",
        money::FormatPounds((negative ? -value : value) * 100));
    return false;
  }
  *pence = (negative ? -1 : 1) * (value * 100 + cents);
  return true;
}

std::string PoundsInText(const std::string& text) {
  const std::string kPence = " pence";
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t at = text.find(kPence, i);
    if (at == std::string::npos) break;
    size_t start = at;
    while (start > i && absl::ascii_isdigit(static_cast<unsigned char>(text[start - 1]))) {
      --start;
    }
    int64_t pence = 0;
    size_t end = at + kPence.size();
    bool word_ends =
        end == text.size() || !absl::ascii_isalpha(static_cast<unsigned char>(text[end]));
    bool word_starts =
        start == 0 || !absl::ascii_isalnum(static_cast<unsigned char>(text[start - 1]));
    if (start < at && word_starts && word_ends && at - start <= 15 &&
        absl::SimpleAtoi(text.substr(start, at - start), &pence)) {
      absl::StrAppend(&out, text.substr(i, start - i), money::FormatPounds(pence));
    } else {
      absl::StrAppend(&out, text.substr(i, end - i));
    }
    i = end;
  }
  absl::StrAppend(&out, text.substr(std::min(i, text.size())));
  return out;
}

std::string Percent(int64_t basis_points) {
  std::string out = absl::StrCat(basis_points / 100);
  if (int64_t rest = std::llabs(basis_points % 100); rest != 0) {
    if (basis_points < 0 && basis_points > -100) out = "-" + out;
    absl::StrAppend(&out, ".", rest / 10, rest % 10 == 0 ? "" : absl::StrCat(rest % 10));
  }
  return out + " %";
}

std::string OrgNames::Label(const std::string& id) {
  if (!IsUuid(id)) return id;
  auto it = cache_.find(id);
  if (it == cache_.end()) it = cache_.emplace(id, lookup_(id)).first;
  return it->second.value_or(id);
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
  // Eligible providers declared more than 0; 0 is an offer made before it was recorded.
  if (type == "pdps.referrals.v1.Offer" && f->name() == "declared_weekly_hours_available") {
    return r->GetInt32(m, f) == 0;
  }
  // 1 for the best, once every bid is evaluated.
  if (type == "pdps.referrals.v1.Bid" && f->name() == "rank") return r->GetInt32(m, f) == 0;
  // 0..100 once every bid is evaluated (then ranked), when 0 is a score; nothing before.
  if (type == "pdps.referrals.v1.Bid" && absl::EndsWith(f->name(), "_score")) {
    const FieldDescriptor* rank = m.GetDescriptor()->FindFieldByName("rank");
    return rank != nullptr && r->GetInt32(m, rank) == 0;
  }
  return false;
}

// The text shown instead of a figure the service did not compute, as its proto says
// (the return's training percentage without a lot, its turnover verdict with no target,
// a ratio over nothing, a response KPI's percentage with nothing measured); "" for a
// computed one.
std::string NotComputed(const Message& m, const FieldDescriptor* f) {
  if (f->full_name() == "pdps.referrals.v1.ResponseMeasure.within_percent") {
    const FieldDescriptor* measured = m.GetDescriptor()->FindFieldByName("measured");
    return measured != nullptr && m.GetReflection()->GetInt32(m, measured) == 0
               ? "n/a (nothing measured)"
               : "";
  }
  // A ratio over nothing (FinancialAccounts): 0 is sent, which beside "≤ 1 is a breach"
  // would read as one; no liabilities is no liquidity breach.
  auto pence = [&](const char* name) -> std::optional<int64_t> {
    const FieldDescriptor* money = m.GetDescriptor()->FindFieldByName(name);
    if (money == nullptr || !m.GetReflection()->HasField(m, money)) return std::nullopt;
    const Message& sub = m.GetReflection()->GetMessage(m, money);
    return sub.GetReflection()->GetInt64(sub, sub.GetDescriptor()->field(0));
  };
  if (f->full_name() == "pdps.workforce.v1.FinancialAccounts.liquidity_ratio") {
    auto liabilities = pence("current_liabilities");
    return liabilities && *liabilities == 0 ? "n/a (no liabilities)" : "";
  }
  if (f->full_name() == "pdps.workforce.v1.FinancialAccounts.roce_percent") {
    auto capital = pence("capital_employed");
    return capital && *capital <= 0 ? "n/a (capital employed not positive: a breach)" : "";
  }
  if (f->full_name() == "pdps.workforce.v1.WorkforceReturn.turnover_within_target") {
    const FieldDescriptor* target = m.GetDescriptor()->FindFieldByName("turnover_target_percent");
    if (target != nullptr && m.GetReflection()->GetInt32(m, target) == 0) return "n/a (no target)";
    const FieldDescriptor* average = m.GetDescriptor()->FindFieldByName("average_headcount");
    return average != nullptr && m.GetReflection()->GetDouble(m, average) == 0
               ? "n/a (nobody in post)"
               : "";
  }
  if (f->full_name() != "pdps.workforce.v1.WorkforceReturn.training_compliance_percent") {
    return "";
  }
  const FieldDescriptor* computed = m.GetDescriptor()->FindFieldByName("training_computed");
  if (computed == nullptr || m.GetReflection()->GetBool(m, computed)) return "";
  const FieldDescriptor* lot = m.GetDescriptor()->FindFieldByName("lot_id");
  return lot != nullptr && !m.GetReflection()->GetString(m, lot).empty()
             ? "n/a (nobody on the lot past induction)"
             : "n/a (give --lot)";
}

// What an unset setting (0, "", no value) means, as its proto says: "10 (default)" for
// "0 means 10", "off" for "0 turns it off"; "" when unset means nothing else.
std::string Unset(const Message& m, const FieldDescriptor* f) {
  static const auto* kMeanings = new std::map<std::string, std::string>{
      {"pdps.workforce.v1.SuspensionRules.upheld_safeguarding_complaints", "off"},
      {"pdps.workforce.v1.SuspensionRules.complaint_window_months", "12 (default)"},
      {"pdps.workforce.v1.SuspensionRules.min_trained_staff_percent", "off"},
      {"pdps.workforce.v1.SuspensionRules.action_plan_due_working_days", "10 (default)"},
      {"pdps.workforce.v1.SuspensionRules.complaint_answer_working_days", "15 (default)"},
      {"pdps.workforce.v1.SuspensionRules.turnover_target_percent", "none"},
      {"pdps.workforce.v1.WorkforceReturn.turnover_target_percent", "none"},
      {"pdps.workforce.v1.WorkforceReturn.dbs_check_months", "none"},
      {"pdps.referrals.v1.ResponseMeasure.target_percent", "none"},
      {"pdps.workforce.v1.SuspensionRules.trained_staff_induction_weeks", "12 (default)"},
      {"pdps.workforce.v1.TrainingMatrix.dbs_renewal_months", "36 (default)"},
      {"pdps.workforce.v1.TrainingMatrix.dbs_check_months", "none"},
      {"pdps.workforce.v1.TrainingMatrix.supervision_interval_months", "3 (default)"},
      {"pdps.workforce.v1.TrainingMatrix.appraisal_interval_months", "12 (default)"},
      {"pdps.registry.v1.CallOffSettings.offer_window_working_hours", "2 (default)"},
      {"pdps.registry.v1.CallOffSettings.exclusive_rounds", "2 (default)"},
      {"pdps.registry.v1.CallOffSettings.friday_afternoon_rule", "yes (default)"},
      {"pdps.registry.v1.CallOffSettings.friday_cutoff", "12:00 (default)"},
      {"pdps.registry.v1.CallOffSettings.bid_window_working_days", "5 (default)"},
      {"pdps.registry.v1.CallOffSettings.emergency_offer_window_minutes", "60 (default)"},
      {"pdps.registry.v1.Framework.office_hours", "09:00-17:00,Mon-Fri (default)"},
      {"pdps.registry.v1.Framework.employers_liability_minimum", "£5,000,000.00 (default)"},
      {"pdps.registry.v1.Framework.public_liability_minimum", "£10,000,000.00 (default)"},
      {"pdps.registry.v1.Framework.capacity_return_due_day", "10 (default)"},
  };
  if (f->is_repeated() || m.GetReflection()->HasField(m, f)) return "";
  auto it = kMeanings->find(f->full_name());
  return it == kMeanings->end() ? "" : it->second;
}

// Whether a setting applies to the call-off method of its message (a framework's
// CallOffSettings, a referral): text views leave out the ones that do not. A message
// without a method, or with none set, shows every setting.
bool Applies(const Message& m, const FieldDescriptor* f) {
  static const auto* kMethods = new std::map<std::string, std::set<std::string>>{
      {"pdps.registry.v1.CallOffSettings.offer_window_working_hours",
       {"ROTATIONAL_FIRST_REFUSAL", "BROADCAST_FIRST_RESPONDER"}},
      {"pdps.registry.v1.CallOffSettings.exclusive_rounds", {"ROTATIONAL_FIRST_REFUSAL"}},
      {"pdps.registry.v1.CallOffSettings.friday_afternoon_rule", {"ROTATIONAL_FIRST_REFUSAL"}},
      {"pdps.registry.v1.CallOffSettings.friday_cutoff", {"ROTATIONAL_FIRST_REFUSAL"}},
      {"pdps.registry.v1.CallOffSettings.price_weight_percent", {"MINI_COMPETITION"}},
      {"pdps.registry.v1.CallOffSettings.quality_weight_percent", {"MINI_COMPETITION"}},
      {"pdps.registry.v1.CallOffSettings.quality_questions", {"MINI_COMPETITION"}},
      {"pdps.registry.v1.CallOffSettings.bid_window_working_days",
       {"MINI_COMPETITION", "COMPETITIVE_OFFERS"}},
      // Mini-competitions take no emergencies (decision 58).
      {"pdps.registry.v1.CallOffSettings.emergency_offer_window_minutes",
       {"ROTATIONAL_FIRST_REFUSAL", "BROADCAST_FIRST_RESPONDER", "COMPETITIVE_OFFERS"}},
      {"pdps.referrals.v1.Referral.maximum_hourly_rate", {"MINI_COMPETITION"}},
      {"pdps.referrals.v1.Referral.quality_questions", {"MINI_COMPETITION"}},
      {"pdps.referrals.v1.Referral.price_weight_percent", {"MINI_COMPETITION"}},
      {"pdps.referrals.v1.Referral.quality_weight_percent", {"MINI_COMPETITION"}},
  };
  auto it = kMethods->find(f->full_name());
  if (it == kMethods->end()) return true;
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* method = m.GetDescriptor()->FindFieldByName("method");
  if (method == nullptr || method->cpp_type() != FieldDescriptor::CPPTYPE_ENUM ||
      r->GetEnum(m, method)->number() == 0) {
    return true;
  }
  if (it->second.count(r->GetEnum(m, method)->name()) == 0) return false;
  // The Friday cutoff of a rule switched off.
  const FieldDescriptor* rule = m.GetDescriptor()->FindFieldByName("friday_afternoon_rule");
  if (f->name() == "friday_cutoff" && rule != nullptr && r->HasField(m, rule)) {
    return r->GetBool(m, rule);
  }
  return true;
}

// A field holding an organisation's id: provider_id, organisation_id,
// actor_organisation, owner_organisation_id, ...
bool NamesOrganisation(const FieldDescriptor* f) {
  if (f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) return false;
  const std::string& n = f->name();
  return n == "provider_id" || absl::EndsWith(n, "_provider_id") ||
         absl::EndsWith(n, "organisation_id") || absl::EndsWith(n, "_organisation");
}

// A cell: scalars as text, money and dates by their value, lists joined with `sep`.
std::string Cell(const Message& m, const FieldDescriptor* f, const char* sep = ",") {
  const Reflection* r = m.GetReflection();
  if (!f->is_repeated() && NoValue(m, f)) return "";
  if (std::string text = NotComputed(m, f); !text.empty()) return text;
  if (std::string meaning = Unset(m, f); !meaning.empty()) return meaning;
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
  // Shares and percentages as such: share_basis_points 10000 is "100 %".
  bool percent = absl::EndsWith(f->name(), "_percent");
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_INT32:
      if (absl::EndsWith(f->name(), "_basis_points")) return Percent(r->GetInt32(m, f));
      return absl::StrCat(r->GetInt32(m, f), percent ? " %" : "");
    case FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(m, f) ? "yes" : "no";
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      // Beside seed 004's thresholds, as many decimals as tell a provider just above 1 or
      // 5 % from one at it (decision 65).
      if (f->name() == "liquidity_ratio") return viability::FormatLiquidity(r->GetDouble(m, f));
      if (f->name() == "return_on_capital_employed_percent" || f->name() == "roce_percent") {
        return absl::StrCat(viability::FormatRocePercent(r->GetDouble(m, f)), " %");
      }
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.2f", r->GetDouble(m, f));
      return absl::StrCat(buf, percent ? " %" : "");
    }
    case FieldDescriptor::CPPTYPE_ENUM:
      // The zero value means "not set" (AIP-126): leave the cell empty.
      return r->GetEnum(m, f)->number() == 0 ? "" : r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!r->HasField(m, f)) return "";
      const Message& sub = r->GetMessage(m, f);
      const auto* d = sub.GetDescriptor();
      if (d->full_name() == "pdps.common.v1.Money") {
        return money::FormatPounds(sub.GetReflection()->GetInt64(sub, d->field(0)));
      }
      if (d->full_name() == "pdps.common.v1.Date") {
        return sub.GetReflection()->GetString(sub, d->field(0));
      }
      if (d->full_name() == "google.protobuf.Timestamp") {
        // Local time, where every deadline of the platform is counted.
        absl::Time t = absl::FromUnixSeconds(sub.GetReflection()->GetInt64(sub, d->field(0)));
        return dates::FormatLondonTime(t);
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

// The name of the organisation `id`, or `id` without `names`.
std::string Label(OrgNames* names, const std::string& id) {
  return names == nullptr ? id : names->Label(id);
}

// Characters, not bytes: "£" and "→" take one column each.
size_t Width(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// At most `max` characters, "..." marking a cut, never inside a character.
std::string Truncated(const std::string& s, size_t max) {
  if (Width(s) <= max) return s;
  size_t keep = 0;
  for (size_t chars = 0; keep < s.size(); ++keep) {
    if ((s[keep] & 0xC0) != 0x80 && chars++ == max - 3) break;
  }
  return s.substr(0, keep) + "...";
}

// Rows under an upper-case header, each column as wide as its widest cell.
void PrintRows(std::vector<std::string> header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (auto& h : header) {
    for (auto& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    width.push_back(Width(h));
  }
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], Width(row[c]));
    }
  }
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c] + std::string(width[c] - Width(row[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
  };
  print(header);
  for (const auto& row : rows) print(row);
}

// "field: value" lines of one message, nested messages under "prefix.", an
// organisation's id with its name.
void PrintFields(const Message& m, const std::string& prefix, OrgNames* names) {
  const auto* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (Skipped(f) || !Applies(m, f)) continue;
    std::string name = prefix + f->name();
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !Leaf(f)) {
      if (f->is_repeated()) {
        for (int k = 0; k < r->FieldSize(m, f); ++k) {
          PrintFields(r->GetRepeatedMessage(m, f, k), absl::StrCat(name, "[", k, "]."), names);
        }
      } else if (r->HasField(m, f)) {
        PrintFields(r->GetMessage(m, f), name + ".", names);
      }
      continue;
    }
    // Lines of text (addresses, outcomes) may hold commas themselves.
    std::string v = Cell(m, f, "; ");
    if (NamesOrganisation(f) && !v.empty()) {
      if (std::string label = Label(names, v); label != v) absl::StrAppend(&v, " (", label, ")");
    }
    if (!v.empty()) std::printf("%-34s %s\n", (name + ":").c_str(), v.c_str());
  }
}

// A message's history (every pdps.common.v1.Transition, oldest first) as a table, after
// the reason for its state where the message has no state_reason of its own (an
// admission: the reason of its latest transition).
void PrintHistory(const Message& m, OrgNames* names) {
  const auto* d = m.GetDescriptor();
  const FieldDescriptor* history = d->FindFieldByName("history");
  if (history == nullptr || !history->is_repeated() ||
      history->message_type()->full_name() != "pdps.common.v1.Transition") {
    return;
  }
  const Reflection* r = m.GetReflection();
  int n = r->FieldSize(m, history);
  if (n == 0) return;
  auto field = [](const Message& t, const char* name) {
    return Cell(t, t.GetDescriptor()->FindFieldByName(name));
  };
  if (d->FindFieldByName("state_reason") == nullptr) {
    std::string reason = field(r->GetRepeatedMessage(m, history, n - 1), "reason");
    if (!reason.empty()) std::printf("%-34s %s\n", "state_reason:", reason.c_str());
  }
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < n; ++i) {
    const Message& t = r->GetRepeatedMessage(m, history, i);
    std::string from = field(t, "from_state");
    std::string to = field(t, "to_state");
    // The reason last and whole: it is what the table is read for.
    rows.push_back({field(t, "time"), from.empty() ? to : absl::StrCat(from, " → ", to),
                    field(t, "actor_user"), Label(names, field(t, "actor_organisation")),
                    field(t, "reason")});
  }
  std::printf("\nhistory:\n");
  PrintRows({"time", "change", "actor", "organisation", "reason"}, rows);
}

// A column of a list: the cell at `path`, or the name of the organisation whose id it is.
struct Column {
  std::string path;
  std::string header;
  bool name = false;
};

// "path", "path=HEADER", "path:name[=HEADER]"; empty: the item's default columns.
std::vector<Column> Columns(const google::protobuf::Descriptor* item,
                            const std::vector<std::string>& specs, bool names) {
  std::vector<Column> out;
  if (specs.empty()) {
    // An item with a display_name of its own (an eligible provider) is named already.
    bool named = item->FindFieldByName("display_name") != nullptr;
    for (int i = 0; i < item->field_count(); ++i) {
      const FieldDescriptor* f = item->field(i);
      if (!Tabular(f)) continue;
      out.push_back({f->name(), f->name()});
      if (names && !named && NamesOrganisation(f)) {
        absl::string_view header = f->name();
        absl::ConsumeSuffix(&header, "_id");
        out.push_back({f->name(), std::string(header), true});
      }
    }
    return out;
  }
  for (const std::string& spec : specs) {
    Column c;
    c.path = spec;
    // "path=HEADER" names its own header; otherwise a nested column is headed by its
    // last part: "referral.area" is AREA.
    if (size_t eq = c.path.find('='); eq != std::string::npos) {
      c.header = c.path.substr(eq + 1);
      c.path.resize(eq);
    }
    c.name = absl::EndsWith(c.path, ":name");
    if (c.name) c.path.resize(c.path.size() - 5);
    if (c.header.empty()) c.header = c.path.substr(c.path.rfind('.') + 1);
    out.push_back(c);
  }
  return out;
}

}  // namespace

void PrintTable(const Message& m, const std::vector<std::string>& columns, OrgNames* names) {
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
    PrintFields(m, "", names);
    PrintHistory(m, names);
    return;
  }
  const Reflection* r = m.GetReflection();
  int n = r->FieldSize(m, list);
  std::vector<Column> cols = Columns(list->message_type(), columns, names != nullptr);
  std::vector<std::string> header;
  for (const Column& c : cols) header.push_back(c.header);
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < n; ++i) {
    const Message& item = r->GetRepeatedMessage(m, list, i);
    std::vector<std::string> row;
    for (const Column& c : cols) {
      std::string v = PathCell(item, c.path);
      if (c.name && !v.empty()) v = Label(names, v);
      row.push_back(Truncated(v, 48));
    }
    rows.push_back(row);
  }
  PrintRows(header, rows);
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
