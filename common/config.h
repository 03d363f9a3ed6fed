// Configuration from `--flag=value` arguments and PDPS_* environment variables.
// A setting named "db_pool_size" is read from --db-pool-size or PDPS_DB_POOL_SIZE (the
// flag wins). Every bad or unknown value is reported at once, before anything starts.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace pdps {

class Settings {
 public:
  // Parses argv (after argv[0]); arguments not starting with "--" are positional.
  // Environment variables are taken from `environ`.
  static absl::StatusOr<Settings> FromArgs(int argc, const char* const* argv);
  // For tests: explicit values keyed by setting name.
  static Settings FromMap(std::map<std::string, std::string> values);

  std::string String(const std::string& name, const std::string& default_value);
  // Reports an error at Finish() when the setting is missing or empty.
  std::string Required(const std::string& name);
  int Int(const std::string& name, int default_value, int min, int max);
  bool Bool(const std::string& name, bool default_value);
  // A listening address "host:port" ("[::1]:7001" for IPv6), port 0 to 65535. With
  // `empty_ok`, "" is accepted (it turns the listener off).
  std::string Address(const std::string& name, const std::string& default_value,
                      bool empty_ok = false);
  // Accepts Go-style durations: "250ms", "20s", "5m".
  absl::Duration Duration(const std::string& name, absl::Duration default_value,
                          absl::Duration min, absl::Duration max);

  // Records that setting `name` is wrong (`what` says how), reported by Finish() with
  // the others.
  void Invalid(const std::string& name, const std::string& what) { Error(name, what); }
  // Whether the command is `serve` (the default), for settings only serving needs.
  bool Serving() const { return positional_.empty() || positional_[0] == "serve"; }

  // OK, or INVALID_ARGUMENT listing every bad value and unknown flag, one per line.
  absl::Status Finish() const;

  const std::vector<std::string>& positional() const { return positional_; }
  // The environment variable names of the settings read so far ("PDPS_DB_POOL_SIZE"),
  // sorted: every one a binary reads once it has read its settings.
  std::vector<std::string> VariablesRead() const;
  // PDPS_* variables in the environment that no setting read so far has looked at
  // (misspelt, or meant for another program), sorted.
  std::vector<std::string> UnreadVariables() const;

 private:
  const std::string* Find(const std::string& name);
  void Error(const std::string& name, const std::string& what);

  std::map<std::string, std::string> flags_;  // by setting name
  std::map<std::string, std::string> env_;    // by setting name
  std::set<std::string> used_;
  std::vector<std::string> positional_;
  std::vector<std::string> errors_;
};

}  // namespace pdps
