// Authentication and authorisation shared by every service.
//
// Tokens are JWTs signed with RS256 or ES256 by a key named in the header's "kid";
// the verifier holds a key set (kid → public key, the algorithm pinned by the key's
// type) and refuses "none", HS*, unknown kids, and algorithm/key mismatches before
// checking the signature. Claims: sub (user id), pdps_org (organisation id),
// pdps_roles (array of role names), iss, aud, exp, nbf.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace pdps::auth {

enum class Role {
  kPlatformOperator,
  kCommissioner,
  kBrokerageOfficer,
  kFinanceOfficer,
  kProviderAdmin,
  kProviderCoordinator,
  kService,  // another PDPS service acting under its own identity
};

// "platform_operator", "commissioner", ... as carried in tokens.
absl::string_view RoleName(Role role);
bool ParseRole(absl::string_view name, Role* out);
std::vector<Role> AllRoles();

// Named groups of roles, for the access policies and the predicates below.
// A provider organisation's staff: provider_admin, provider_coordinator.
const std::set<Role>& ProviderRoles();
// A partnership's officers who commission and place care: commissioner,
// brokerage_officer (not finance officers).
const std::set<Role>& OfficerRoles();
// Every role of the groups given, e.g. RolesOf({ProviderRoles(), {Role::kService}}).
std::set<Role> RolesOf(std::initializer_list<std::set<Role>> groups);

// The authenticated caller.
struct Principal {
  std::string user_id;
  std::string organisation_id;
  std::set<Role> roles;
  bool Has(Role r) const { return roles.count(r) > 0; }
  bool HasAnyOf(const std::set<Role>& group) const;
  bool IsService() const { return Has(Role::kService); }
  // Holds one of ProviderRoles().
  bool IsProvider() const;
  // Holds one of OfficerRoles(), or is a service: a caller that sees a partnership's
  // records (a referral, a package) in full rather than as a provider sees them.
  bool IsOfficer() const;
};

struct VerifierOptions {
  std::string issuer;
  std::string audience;
  absl::Duration leeway = absl::Seconds(30);
};

class Verifier {
 public:
  // Keys from a directory of "<kid>.pem" public keys (RSA → RS256, EC P-256 → ES256).
  static absl::StatusOr<std::unique_ptr<Verifier>> FromDirectory(const std::string& dir,
                                                                 VerifierOptions options);
  // Keys given as kid → PEM text.
  static absl::StatusOr<std::unique_ptr<Verifier>> FromPems(
      const std::map<std::string, std::string>& pems, VerifierOptions options);

  // UNAUTHENTICATED with a short reason for any token that does not verify.
  absl::StatusOr<Principal> Verify(absl::string_view token, absl::Time now) const;

 private:
  struct Key {
    std::string pem;
    std::string alg;  // "RS256" or "ES256"
  };
  struct Cached {
    Principal principal;
    absl::Time expires;
    absl::Time not_before;
  };
  Verifier() = default;
  absl::StatusOr<Principal> VerifyUncached(absl::string_view token, absl::Time now,
                                           absl::Time* exp, absl::Time* nbf) const;

  VerifierOptions options_;
  std::map<std::string, Key> keys_;
  // Verified tokens, so a client reusing its token pays for the signature once.
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, Cached> cache_;
};

// Extracts the token from an "authorization" header value ("Bearer <token>").
absl::StatusOr<std::string> BearerToken(absl::string_view header);

// The `exp` of a token, read WITHOUT checking its signature or anything else: for a
// service to watch when its own token lapses (the peer verifies it). std::nullopt when
// the token is malformed or has no usable exp.
std::optional<absl::Time> UnverifiedExpiry(absl::string_view token);

struct MintOptions {
  std::string kid;
  std::string private_key_pem;  // RSA → RS256, EC → ES256
  std::string issuer;
  std::string audience;
  std::string user_id;
  std::string organisation_id;
  std::vector<Role> roles;
  absl::Time issued_at;
  absl::Duration lifetime = absl::Hours(8);
};

// Signs a token. For the local development setup, tests and service identities;
// production tokens come from the identity provider.
absl::StatusOr<std::string> Mint(const MintOptions& options);

// Generates a key pair as PEM (private, public). bits: RSA size; 0 → EC P-256.
absl::StatusOr<std::pair<std::string, std::string>> GenerateKeyPair(int rsa_bits);

// Which roles may call which RPC: deny unless listed. One per service, tested as a table.
class AccessPolicy {
 public:
  AccessPolicy& Allow(const std::string& method, std::set<Role> roles);
  // PERMISSION_DENIED unless the principal holds one of the method's roles.
  absl::Status Check(absl::string_view method, const Principal& principal) const;
  bool Knows(absl::string_view method) const;
  // Every method it lists, in name order: for the tests that hold it to its service.
  std::vector<std::string> Methods() const;

 private:
  std::map<std::string, std::set<Role>, std::less<>> allowed_;
};

}  // namespace pdps::auth
