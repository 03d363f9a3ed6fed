// Settings: flags over environment, validated eagerly.
#include "common/config.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

extern char** environ;

namespace pdps {
namespace {

std::string FlagName(const std::string& name) {
  return "--" + absl::StrReplaceAll(name, {{"_", "-"}});
}
std::string EnvName(const std::string& name) {
  return "PDPS_" + absl::AsciiStrToUpper(name);
}

}  // namespace

absl::StatusOr<Settings> Settings::FromArgs(int argc, const char* const* argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      s.positional_.push_back(arg);
      continue;
    }
    std::string body = arg.substr(2);
    std::string value = "true";
    auto eq = body.find('=');
    if (eq != std::string::npos) {
      value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    s.flags_[absl::StrReplaceAll(body, {{"-", "_"}})] = value;
  }
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    if (kv.rfind("PDPS_", 0) != 0) {
      continue;
    }
    auto eq = kv.find('=');
    if (eq == std::string::npos) {
      continue;
    }
    s.env_[absl::AsciiStrToLower(kv.substr(5, eq - 5))] = kv.substr(eq + 1);
  }
  return s;
}

Settings Settings::FromMap(std::map<std::string, std::string> values) {
  Settings s;
  s.flags_ = std::move(values);
  return s;
}

const std::string* Settings::Find(const std::string& name) {
  used_.insert(name);
  if (auto it = flags_.find(name); it != flags_.end()) {
    return &it->second;
  }
  if (auto it = env_.find(name); it != env_.end()) {
    return &it->second;
  }
  return nullptr;
}

void Settings::Error(const std::string& name, const std::string& what) {
  errors_.push_back(absl::StrCat(FlagName(name), " / ", EnvName(name), ": ", what));
}

std::string Settings::String(const std::string& name, const std::string& default_value) {
  const std::string* v = Find(name);
  return v == nullptr ? default_value : *v;
}

std::string Settings::Required(const std::string& name) {
  const std::string* v = Find(name);
  if (v == nullptr || v->empty()) {
    Error(name, "is required");
    return "";
  }
  return *v;
}

int Settings::Int(const std::string& name, int default_value, int min, int max) {
  const std::string* v = Find(name);
  if (v == nullptr) {
    return default_value;
  }
  int out = 0;
  if (!absl::SimpleAtoi(*v, &out) || out < min || out > max) {
    Error(name, absl::StrCat("must be a whole number from ", min, " to ", max, ", got \"", *v,
                             "\""));
    return default_value;
  }
  return out;
}

std::string Settings::Address(const std::string& name, const std::string& default_value,
                              bool empty_ok) {
  const std::string* v = Find(name);
  if (v == nullptr) {
    return default_value;
  }
  if (v->empty() && empty_ok) {
    return *v;
  }
  auto colon = v->rfind(':');
  std::string host = colon == std::string::npos ? "" : v->substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  bool host_ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == ':';
  });
  if (!host_ok || !absl::SimpleAtoi(v->substr(colon + 1), &port) || port < 0 || port > 65535 ||
      !absl::ascii_isdigit(v->back())) {
    Error(name, absl::StrCat("must be host:port, such as 0.0.0.0:7001",
                             empty_ok ? " (or empty)" : "", ", got \"", *v, "\""));
    return default_value;
  }
  return *v;
}

bool Settings::Bool(const std::string& name, bool default_value) {
  const std::string* v = Find(name);
  if (v == nullptr) {
    return default_value;
  }
  bool out = false;
  if (!absl::SimpleAtob(*v, &out)) {
    Error(name, absl::StrCat("must be true or false, got \"", *v, "\""));
    return default_value;
  }
  return out;
}

absl::Duration Settings::Duration(const std::string& name, absl::Duration default_value,
                                  absl::Duration min, absl::Duration max) {
  const std::string* v = Find(name);
  if (v == nullptr) {
    return default_value;
  }
  absl::Duration out;
  if (!absl::ParseDuration(*v, &out) || out < min || out > max) {
    Error(name, absl::StrCat("must be a duration such as \"20s\" from ", absl::FormatDuration(min),
                             " to ", absl::FormatDuration(max), ", got \"", *v, "\""));
    return default_value;
  }
  return out;
}

std::vector<std::string> Settings::VariablesRead() const {
  std::vector<std::string> out;
  for (const auto& name : used_) out.push_back(EnvName(name));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Settings::UnreadVariables() const {
  std::vector<std::string> out;
  for (const auto& [name, value] : env_) {
    if (used_.count(name) == 0) out.push_back(EnvName(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status Settings::Finish() const {
  std::vector<std::string> all = errors_;
  for (const auto& [name, value] : flags_) {
    if (used_.count(name) == 0) {
      all.push_back(absl::StrCat(FlagName(name), ": unknown flag"));
    }
  }
  if (all.empty()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid configuration:\n  ", absl::StrJoin(all, "\n  ")));
}

}  // namespace pdps
