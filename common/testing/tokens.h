// Test support: a signing key, a verifier that trusts it, and tokens for any caller.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/auth.h"

namespace pdps::testing {

inline constexpr char kIssuer[] = "https://id.pdps.test";
inline constexpr char kAudience[] = "pdps";
inline constexpr char kKid[] = "test-key-1";

class Tokens {
 public:
  // One RSA key per process (generation is slow-ish).
  static Tokens& Get();
  std::string For(const std::string& organisation_id, std::vector<auth::Role> roles,
                  const std::string& user_id = "");
  // A verifier trusting this key, with the test issuer and audience.
  std::unique_ptr<auth::Verifier> Verifier() const;
  const std::string& private_pem() const { return private_pem_; }
  const std::string& public_pem() const { return public_pem_; }
  // Writes the public key as <dir>/<kid>.pem, for services configured with a key dir.
  std::string WriteKeyDir() const;

 private:
  Tokens();
  std::string private_pem_;
  std::string public_pem_;
};

}  // namespace pdps::testing
