// Service identity tokens.
#include "common/service_identity.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/status.h"

namespace pdps::auth {
namespace {

constexpr char kPlatformOrganisation[] = "00000000-0000-4000-8000-000000000001";
constexpr absl::Duration kMintedLifetime = absl::Hours(1);

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

ServiceIdentityConfig ReadServiceIdentityConfig(Settings& s, bool required) {
  ServiceIdentityConfig c;
  c.token_file = s.String("service_token_file", "");
  c.key_file = s.String("service_key_file", "");
  c.key_id = s.String("service_key_id", "");
  c.organisation_id = s.String("service_organisation_id", kPlatformOrganisation);
  if (!c.key_file.empty() && c.key_id.empty()) s.Required("service_key_id");
  if (required && s.Serving() && c.token_file.empty() && c.key_file.empty()) {
    s.Invalid("service_token_file",
              "is required to serve: this service calls its peers under its own identity "
              "(or PDPS_SERVICE_KEY_FILE with PDPS_SERVICE_KEY_ID, development only)");
  }
  return c;
}

absl::StatusOr<std::unique_ptr<ServiceTokenSource>> ServiceTokenSource::Create(
    const ServiceIdentityConfig& config, const std::string& service, const std::string& issuer,
    const std::string& audience, const Clock* clock) {
  std::unique_ptr<ServiceTokenSource> s(new ServiceTokenSource());
  s->config_ = config;
  s->service_ = service;
  s->issuer_ = issuer;
  s->audience_ = audience;
  s->clock_ = clock;
  if (config.token_file.empty()) {
    if (config.key_file.empty()) {
      return absl::InvalidArgumentError(
          "a service identity is required: PDPS_SERVICE_TOKEN_FILE or PDPS_SERVICE_KEY_FILE");
    }
    ASSIGN_OR_RETURN(s->private_pem_, ReadFile(config.key_file));
    // Fail at start-up rather than on the first peer call if the key is unusable.
    if (s->TokenFromKey().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot sign service tokens with ", config.key_file));
    }
  } else if (s->TokenFromFile().empty()) {
    log::Warning("service token file is empty or unreadable; peers will refuse calls until it is",
                 {{"file", config.token_file}});
  }
  return s;
}

std::unique_ptr<ServiceTokenSource> ServiceTokenSource::Fixed(std::string token) {
  std::unique_ptr<ServiceTokenSource> s(new ServiceTokenSource());
  s->token_ = std::move(token);
  s->refresh_at_ = absl::InfiniteFuture();
  return s;
}

std::string ServiceTokenSource::Token() {
  if (!config_.token_file.empty()) return TokenFromFile();
  if (private_pem_.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    return token_;
  }
  return TokenFromKey();
}

std::optional<absl::Time> ServiceTokenSource::FileTokenExpiry() {
  if (config_.token_file.empty()) return std::nullopt;
  return UnverifiedExpiry(TokenFromFile());
}

void ExportTokenExpiry(metrics::Registry& metrics, const std::string& service,
                       ServiceTokenSource* tokens) {
  // A token minted locally renews itself: only one from a file can lapse.
  if (tokens == nullptr || !tokens->FromFile()) return;
  metrics.Gauge("pdps_service_token_expiry_timestamp_seconds",
                "Unix time the service token from PDPS_SERVICE_TOKEN_FILE lapses (0: unreadable).",
                {{"service", service}}, [tokens] {
                  std::optional<absl::Time> exp = tokens->FileTokenExpiry();
                  return exp ? static_cast<double>(absl::ToUnixSeconds(*exp)) : 0.0;
                });
}

std::string ServiceTokenSource::TokenFromFile() {
  std::lock_guard<std::mutex> lock(mu_);
  struct stat st;
  if (::stat(config_.token_file.c_str(), &st) != 0) return token_;
  int64_t mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  if (mtime == file_mtime_) return token_;
  auto text = ReadFile(config_.token_file);
  if (!text.ok()) return token_;
  token_ = std::string(absl::StripAsciiWhitespace(*text));
  file_mtime_ = mtime;
  return token_;
}

std::string ServiceTokenSource::TokenFromKey() {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Time now = clock_->Now();
  if (!token_.empty() && now < refresh_at_) return token_;
  MintOptions o;
  o.kid = config_.key_id;
  o.private_key_pem = private_pem_;
  o.issuer = issuer_;
  o.audience = audience_;
  o.user_id = NameUuid(absl::StrCat("pdps-service:", service_));
  o.organisation_id = config_.organisation_id;
  o.roles = {Role::kService};
  o.issued_at = now - absl::Seconds(5);
  o.lifetime = kMintedLifetime;
  auto t = Mint(o);
  if (!t.ok()) {
    log::Warning("cannot mint the service token", {{"error", std::string(t.status().message())}});
    return token_;
  }
  token_ = *t;
  refresh_at_ = now + kMintedLifetime / 2;
  return token_;
}

}  // namespace pdps::auth
