// JSON-lines logger; a mutex keeps lines whole when threads log at once.
#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace pdps::log {
namespace {

std::mutex& Mutex() {
  static std::mutex m;
  return m;
}
std::string& ServiceName() {
  static std::string name = "pdps";
  return name;
}
std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};
thread_local Context* t_context = nullptr;  // the innermost

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void Init(absl::string_view service, Level min_level) {
  std::lock_guard<std::mutex> lock(Mutex());
  ServiceName() = std::string(service);
  g_min_level = static_cast<int>(min_level);
}

bool ParseLevel(absl::string_view text, Level* out) {
  if (text == "debug") {
    *out = Level::kDebug;
  } else if (text == "info") {
    *out = Level::kInfo;
  } else if (text == "warning" || text == "warn") {
    *out = Level::kWarning;
  } else if (text == "error") {
    *out = Level::kError;
  } else {
    return false;
  }
  return true;
}

Context::Context() : fields_(nlohmann::json::object()), outer_(t_context) { t_context = this; }

Context::~Context() { t_context = outer_; }

void Write(Level level, absl::string_view message, nlohmann::json fields) {
  if (static_cast<int>(level) < g_min_level.load(std::memory_order_relaxed)) {
    return;
  }
  nlohmann::json line = nlohmann::json::object();
  line["time"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["msg"] = std::string(message);
  if (fields.is_object()) {
    for (auto& [k, v] : fields.items()) {
      line[k] = std::move(v);
    }
  }
  for (const Context* c = t_context; c != nullptr; c = c->outer_) {
    for (const auto& [k, v] : c->fields_.items()) {
      if (!line.contains(k)) line[k] = v;
    }
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(Mutex());
  line.clear();
  std::fprintf(stdout, "{\"service\":\"%s\",%s\n", ServiceName().c_str(), text.c_str() + 1);
  std::fflush(stdout);
}

void Rpc(const RpcRecord& r) {
  // UNAVAILABLE is what callers get while the database or a peer is down: a warning, so
  // that an outage shows in a warning-level view of the logs.
  const Level level = !r.error.empty()          ? Level::kError
                      : r.code == "UNAVAILABLE" ? Level::kWarning
                      : r.poll                  ? Level::kDebug
                                                : Level::kInfo;
  if (static_cast<int>(level) < g_min_level.load(std::memory_order_relaxed)) {
    return;
  }
  std::string line;
  line.reserve(256);
  absl::StrAppend(&line, "{\"service\":\"", ServiceName(), "\",\"time\":\"",
                  absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
                  "\",\"level\":\"", LevelName(level), "\",\"msg\":\"rpc\",\"method\":\"",
                  r.method, "\",\"code\":\"", r.code, "\",\"latency_ms\":",
                  absl::StrFormat("%.3f", r.latency_ms), ",\"request_id\":\"", r.request_id, "\"");
  if (!r.organisation_id.empty()) {
    absl::StrAppend(&line, ",\"organisation_id\":\"", r.organisation_id, "\"");
  }
  if (!r.reason.empty()) {
    absl::StrAppend(&line, ",\"reason\":",
                    nlohmann::json(std::string(r.reason))
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  if (!r.error.empty()) {
    absl::StrAppend(&line, ",\"error\":", nlohmann::json(std::string(r.error)).dump(
                                               -1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  line += "}\n";
  std::lock_guard<std::mutex> lock(Mutex());
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace pdps::log
