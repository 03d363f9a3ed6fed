// Structured logs: one JSON object per line on stdout. Callers pass identifiers, codes
// and counts — never personal data (names, addresses, dates of birth, free text about
// a person).
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace pdps::log {

enum class Level { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Sets the service name stamped on every line and the minimum level written.
void Init(absl::string_view service, Level min_level);
// Parses "debug", "info", "warning" (or "warn") or "error".
bool ParseLevel(absl::string_view text, Level* out);

void Write(Level level, absl::string_view message, nlohmann::json fields = nlohmann::json::object());

// Fields added to every line (but the access-log line, which has its own) that this
// thread writes while the Context lives: the gate sets the call's request_id for the
// length of the call, background work what it is working on (worker, referral_id), so
// that a line written deep down, such as `db: statement failed`, can be found by them.
// Contexts nest; a line's own fields and inner contexts win over outer ones.
class Context {
 public:
  Context();
  Context(const std::string& key, nlohmann::json value) : Context() { Set(key, std::move(value)); }
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  void Set(const std::string& key, nlohmann::json value) { fields_[key] = std::move(value); }

 private:
  friend void Write(Level, absl::string_view, nlohmann::json);
  nlohmann::json fields_;
  Context* outer_;
};

// The access-log line of one RPC, written on the hot path without building a JSON
// object: every field but `error` is an identifier or a code, so nothing needs escaping.
struct RpcRecord {
  absl::string_view request_id;  // [A-Za-z0-9._-] only (checked by the gate)
  absl::string_view method;
  absl::string_view code;
  double latency_ms = 0;
  absl::string_view organisation_id;  // a UUID or empty
  absl::string_view error;            // escaped; only for INTERNAL
  // A successful feed poll: peers poll every few seconds, so these go at debug level
  // (the metrics still count them) and the info log keeps to what people did.
  bool poll = false;
  // UNAUTHENTICATED: why the token was refused ("unknown key id", "signature does not verify"),
  // never the token itself; what an SRE needs after a key rotation.
  absl::string_view reason;
};
void Rpc(const RpcRecord& r);

inline void Debug(absl::string_view m, nlohmann::json f = nlohmann::json::object()) {
  Write(Level::kDebug, m, std::move(f));
}
inline void Info(absl::string_view m, nlohmann::json f = nlohmann::json::object()) {
  Write(Level::kInfo, m, std::move(f));
}
inline void Warning(absl::string_view m, nlohmann::json f = nlohmann::json::object()) {
  Write(Level::kWarning, m, std::move(f));
}
inline void Error(absl::string_view m, nlohmann::json f = nlohmann::json::object()) {
  Write(Level::kError, m, std::move(f));
}

}  // namespace pdps::log
