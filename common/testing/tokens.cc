// Tokens.
#include "common/testing/tokens.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/time/clock.h"
#include "common/ids.h"

namespace pdps::testing {

Tokens& Tokens::Get() {
  static Tokens* t = new Tokens();
  return *t;
}

Tokens::Tokens() {
  auto kp = auth::GenerateKeyPair(2048);
  if (!kp.ok()) std::abort();
  private_pem_ = kp->first;
  public_pem_ = kp->second;
}

std::string Tokens::For(const std::string& organisation_id, std::vector<auth::Role> roles,
                        const std::string& user_id) {
  auth::MintOptions o;
  o.kid = kKid;
  o.private_key_pem = private_pem_;
  o.issuer = kIssuer;
  o.audience = kAudience;
  o.user_id = user_id.empty() ? NewUuid() : user_id;
  o.organisation_id = organisation_id;
  o.roles = std::move(roles);
  o.issued_at = absl::Now() - absl::Minutes(1);
  auto t = auth::Mint(o);
  if (!t.ok()) std::abort();
  return *t;
}

std::unique_ptr<auth::Verifier> Tokens::Verifier() const {
  auto v = auth::Verifier::FromPems({{kKid, public_pem_}}, {kIssuer, kAudience});
  if (!v.ok()) std::abort();
  return std::move(v).value();
}

std::string Tokens::WriteKeyDir() const {
  std::string dir = std::filesystem::temp_directory_path() / ("pdps-keys-" + NewUuid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + kKid + ".pem") << public_pem_;
  return dir;
}

}  // namespace pdps::testing
