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
// Parses "debug", "info", "warning" or "error".
bool ParseLevel(absl::string_view text, Level* out);

void Write(Level level, absl::string_view message, nlohmann::json fields = nlohmann::json::object());

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
