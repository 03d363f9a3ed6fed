// The identity a service presents when it calls its peers (ARCHITECTURE.md "Identity"):
// a bearer token with the "service" role, either issued by the identity provider and
// kept in a file (Kubernetes Secret; re-read when it changes), or minted locally with a
// private key (development and tests only).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/metrics.h"

namespace pdps::auth {

struct ServiceIdentityConfig {
  std::string token_file;       // PDPS_SERVICE_TOKEN_FILE
  std::string key_file;         // PDPS_SERVICE_KEY_FILE (development)
  std::string key_id;           // PDPS_SERVICE_KEY_ID
  std::string organisation_id;  // PDPS_SERVICE_ORGANISATION_ID (the platform's)
};

// Reads the settings above; the caller reports errors with Settings::Finish(). With
// `required`, serving without a token file or a key file is one of those errors
// (`migrate` needs neither).
ServiceIdentityConfig ReadServiceIdentityConfig(Settings& s, bool required);

class ServiceTokenSource {
 public:
  // From the configuration: token_file wins over key_file; one of them is required.
  // `service` names the user ("service:<name>"), `issuer`/`audience` as for verifying.
  static absl::StatusOr<std::unique_ptr<ServiceTokenSource>> Create(
      const ServiceIdentityConfig& config, const std::string& service, const std::string& issuer,
      const std::string& audience, const Clock* clock);
  // A fixed token (tests).
  static std::unique_ptr<ServiceTokenSource> Fixed(std::string token);

  // The current token; "" when none can be had (the peer then answers UNAUTHENTICATED,
  // and the error is logged once per change).
  std::string Token();

  // When the token from the file lapses (its `exp`, read unverified), for the
  // pdps_service_token_expiry_timestamp_seconds gauge; std::nullopt with no token file
  // (a locally minted token renews itself), or no readable token or exp in it.
  std::optional<absl::Time> FileTokenExpiry();
  // Whether the token comes from PDPS_SERVICE_TOKEN_FILE.
  bool FromFile() const { return !config_.token_file.empty(); }

 private:
  ServiceTokenSource() = default;
  std::string TokenFromFile();
  std::string TokenFromKey();

  ServiceIdentityConfig config_;
  std::string service_, issuer_, audience_;
  const Clock* clock_ = nullptr;
  std::string private_pem_;
  std::mutex mu_;
  std::string token_;
  absl::Time refresh_at_ = absl::InfinitePast();
  int64_t file_mtime_ = -1;
};

// Exports pdps_service_token_expiry_timestamp_seconds{service} on `metrics`: the Unix
// time the token in PDPS_SERVICE_TOKEN_FILE lapses, 0 when it cannot be read; nothing
// for a locally minted token. Read at scrape time, so a renewed Secret shows at once.
void ExportTokenExpiry(metrics::Registry& metrics, const std::string& service,
                       ServiceTokenSource* tokens);

}  // namespace pdps::auth
