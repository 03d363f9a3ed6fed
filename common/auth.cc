// JWT verification on libjwt (signatures) with the header checked by us first, so the
// algorithm is pinned by the key and never chosen by the token.
#include "common/auth.h"

#include <jwt.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/ids.h"
#include "common/status.h"
#include "nlohmann/json.hpp"

namespace pdps::auth {
namespace {

constexpr size_t kMaxCachedTokens = 10000;

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid token: ", why));
}

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// Algorithm implied by a PEM key (public or private).
absl::StatusOr<std::string> AlgForPem(const std::string& pem, bool is_private) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                         : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return absl::InvalidArgumentError("not a PEM key");
  }
  switch (EVP_PKEY_base_id(key.get())) {
    case EVP_PKEY_RSA:
      if (EVP_PKEY_bits(key.get()) < 2048) {
        return absl::InvalidArgumentError("RSA keys must have at least 2048 bits");
      }
      return std::string("RS256");
    case EVP_PKEY_EC:
      if (EVP_PKEY_bits(key.get()) != 256) {
        return absl::InvalidArgumentError("EC keys must be P-256");
      }
      return std::string("ES256");
    default:
      return absl::InvalidArgumentError("only RSA and EC P-256 keys are accepted");
  }
}

absl::StatusOr<nlohmann::json> DecodeSegment(absl::string_view seg) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(seg, &raw)) {
    return Unauthenticated("malformed");
  }
  auto j = nlohmann::json::parse(raw, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Unauthenticated("malformed");
  }
  return j;
}

bool IsLowerUuid(absl::string_view s) {
  return pdps::IsUuid(s) && absl::AsciiStrToLower(s) == s;
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPlatformOperator:
      return "platform_operator";
    case Role::kCommissioner:
      return "commissioner";
    case Role::kBrokerageOfficer:
      return "brokerage_officer";
    case Role::kFinanceOfficer:
      return "finance_officer";
    case Role::kProviderAdmin:
      return "provider_admin";
    case Role::kProviderCoordinator:
      return "provider_coordinator";
    case Role::kService:
      return "service";
  }
  return "";
}

std::vector<Role> AllRoles() {
  return {Role::kPlatformOperator, Role::kCommissioner,  Role::kBrokerageOfficer,
          Role::kFinanceOfficer,   Role::kProviderAdmin, Role::kProviderCoordinator,
          Role::kService};
}

const std::set<Role>& ProviderRoles() {
  static const std::set<Role> roles = {Role::kProviderAdmin, Role::kProviderCoordinator};
  return roles;
}

const std::set<Role>& OfficerRoles() {
  static const std::set<Role> roles = {Role::kCommissioner, Role::kBrokerageOfficer};
  return roles;
}

std::set<Role> RolesOf(std::initializer_list<std::set<Role>> groups) {
  std::set<Role> out;
  for (const auto& group : groups) out.insert(group.begin(), group.end());
  return out;
}

bool Principal::HasAnyOf(const std::set<Role>& group) const {
  for (Role r : roles) {
    if (group.count(r) > 0) return true;
  }
  return false;
}

bool Principal::IsProvider() const { return HasAnyOf(ProviderRoles()); }

bool Principal::IsOfficer() const { return HasAnyOf(OfficerRoles()) || IsService(); }

bool ParseRole(absl::string_view name, Role* out) {
  for (Role r : AllRoles()) {
    if (RoleName(r) == name) {
      *out = r;
      return true;
    }
  }
  return false;
}

absl::StatusOr<std::unique_ptr<Verifier>> Verifier::FromPems(
    const std::map<std::string, std::string>& pems, VerifierOptions options) {
  if (options.issuer.empty() || options.audience.empty()) {
    return absl::InvalidArgumentError("token issuer and audience must be configured");
  }
  std::unique_ptr<Verifier> v(new Verifier());
  v->options_ = std::move(options);
  for (const auto& [kid, pem] : pems) {
    auto alg = AlgForPem(pem, /*is_private=*/false);
    if (!alg.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("key \"", kid, "\": ", alg.status().message()));
    }
    v->keys_[kid] = Key{pem, *alg};
  }
  if (v->keys_.empty()) {
    return absl::InvalidArgumentError("the token key set is empty");
  }
  return v;
}

absl::StatusOr<std::unique_ptr<Verifier>> Verifier::FromDirectory(const std::string& dir,
                                                                  VerifierOptions options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::InvalidArgumentError(absl::StrCat("token key directory ", dir, " not found"));
  }
  std::map<std::string, std::string> pems;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".pem") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    pems[entry.path().stem().string()] = ss.str();
  }
  return FromPems(pems, std::move(options));
}

absl::StatusOr<std::string> BearerToken(absl::string_view header) {
  if (header.empty()) {
    return absl::UnauthenticatedError("missing authorization header: send \"Bearer <token>\"");
  }
  if (!absl::StartsWithIgnoreCase(header, "bearer ")) {
    return absl::UnauthenticatedError("authorization header must be \"Bearer <token>\"");
  }
  return std::string(header.substr(7));
}

namespace {
// A string member of a JSON object, or "" if absent or of another type.
std::string StringField(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// A NumericDate claim (RFC 7519: seconds since the epoch, possibly fractional), or
// nullopt if absent, not a number, or outside 1970..5138.
std::optional<absl::Time> NumericDate(const nlohmann::json& claims, const char* key) {
  auto it = claims.find(key);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  double seconds = it->get<double>();
  if (!(seconds >= 0 && seconds < 1e11)) return std::nullopt;
  return absl::FromUnixSeconds(static_cast<int64_t>(seconds));
}
}  // namespace

std::optional<absl::Time> UnverifiedExpiry(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return std::nullopt;
  auto claims = DecodeSegment(parts[1]);
  if (!claims.ok()) return std::nullopt;
  return NumericDate(*claims, "exp");
}

absl::StatusOr<Principal> Verifier::Verify(absl::string_view token, absl::Time now) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(std::string(token));
    if (it != cache_.end()) {
      if (now >= it->second.expires + options_.leeway) {
        return Unauthenticated("expired");
      }
      if (now + options_.leeway < it->second.not_before) {
        return Unauthenticated("not yet valid");
      }
      return it->second.principal;
    }
  }
  absl::Time exp, nbf;
  absl::StatusOr<Principal> verified = Unauthenticated("malformed token");
  try {
    verified = VerifyUncached(token, now, &exp, &nbf);
  } catch (const std::exception&) {
    // A claim of an unexpected JSON type, or a number out of range: refused, not a crash.
    verified = Unauthenticated("malformed token");
  }
  ASSIGN_OR_RETURN(Principal p, std::move(verified));
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= kMaxCachedTokens) cache_.clear();
  cache_[std::string(token)] = Cached{p, exp, nbf};
  return p;
}

absl::StatusOr<Principal> Verifier::VerifyUncached(absl::string_view token, absl::Time now,
                                                   absl::Time* exp_out,
                                                   absl::Time* nbf_out) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[2].empty()) {
    return Unauthenticated("malformed or unsigned");
  }
  ASSIGN_OR_RETURN(nlohmann::json header, DecodeSegment(parts[0]));
  std::string alg = StringField(header, "alg");
  if (alg != "RS256" && alg != "ES256") {
    return Unauthenticated("algorithm not accepted");
  }
  std::string kid = StringField(header, "kid");
  auto key = keys_.find(kid);
  if (key == keys_.end()) {
    return Unauthenticated("unknown key id");
  }
  if (key->second.alg != alg) {
    return Unauthenticated("algorithm does not match the key");
  }
  std::string tok(token);
  jwt_t* raw = nullptr;
  int rc = jwt_decode(&raw, tok.c_str(), reinterpret_cast<const unsigned char*>(key->second.pem.data()),
                      static_cast<int>(key->second.pem.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || !jwt) {
    return Unauthenticated("signature does not verify");
  }
  const char* want_alg = alg == "RS256" ? "RS256" : "ES256";
  if (jwt_alg_str(jwt_get_alg(jwt.get())) == nullptr ||
      std::string(jwt_alg_str(jwt_get_alg(jwt.get()))) != want_alg) {
    return Unauthenticated("algorithm not accepted");
  }
  // Claims, read from the verified payload.
  ASSIGN_OR_RETURN(nlohmann::json claims, DecodeSegment(parts[1]));
  if (StringField(claims, "iss") != options_.issuer) {
    return Unauthenticated("wrong issuer");
  }
  bool aud_ok = false;
  if (claims.contains("aud")) {
    const auto& aud = claims["aud"];
    if (aud.is_string()) {
      aud_ok = aud.get<std::string>() == options_.audience;
    } else if (aud.is_array()) {
      for (const auto& a : aud) {
        if (a.is_string() && a.get<std::string>() == options_.audience) aud_ok = true;
      }
    }
  }
  if (!aud_ok) {
    return Unauthenticated("wrong audience");
  }
  std::optional<absl::Time> exp_claim = NumericDate(claims, "exp");
  if (!exp_claim) return Unauthenticated("no expiry");
  absl::Time exp = *exp_claim;
  if (now >= exp + options_.leeway) {
    return Unauthenticated("expired");
  }
  absl::Time nbf = absl::InfinitePast();
  if (claims.contains("nbf")) {
    std::optional<absl::Time> nbf_claim = NumericDate(claims, "nbf");
    if (!nbf_claim) return Unauthenticated("malformed nbf");
    nbf = *nbf_claim;
    if (now + options_.leeway < nbf) {
      return Unauthenticated("not yet valid");
    }
  }
  Principal p;
  p.user_id = StringField(claims, "sub");
  p.organisation_id = StringField(claims, "pdps_org");
  if (!IsLowerUuid(p.user_id) || !IsLowerUuid(p.organisation_id)) {
    return Unauthenticated("sub and pdps_org must be lower-case UUIDs");
  }
  if (claims.contains("pdps_roles") && claims["pdps_roles"].is_array()) {
    for (const auto& r : claims["pdps_roles"]) {
      Role role;
      if (r.is_string() && ParseRole(r.get<std::string>(), &role)) p.roles.insert(role);
    }
  }
  if (p.roles.empty()) {
    return Unauthenticated("no PDPS role");
  }
  // A service reads across tenants; a token that also names a user's role would carry
  // that reach to the user.
  if (p.roles.count(Role::kService) > 0 && p.roles.size() > 1) {
    return Unauthenticated("the service role is never combined with another role");
  }
  *exp_out = exp;
  *nbf_out = nbf;
  return p;
}

absl::StatusOr<std::string> Mint(const MintOptions& o) {
  ASSIGN_OR_RETURN(std::string alg, AlgForPem(o.private_key_pem, /*is_private=*/true));
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  int rc = jwt_set_alg(jwt.get(), alg == "RS256" ? JWT_ALG_RS256 : JWT_ALG_ES256,
                       reinterpret_cast<const unsigned char*>(o.private_key_pem.data()),
                       static_cast<int>(o.private_key_pem.size()));
  rc |= jwt_add_header(jwt.get(), "kid", o.kid.c_str());
  nlohmann::json claims = {
      {"iss", o.issuer},
      {"aud", o.audience},
      {"sub", o.user_id},
      {"pdps_org", o.organisation_id},
      {"iat", absl::ToUnixSeconds(o.issued_at)},
      {"nbf", absl::ToUnixSeconds(o.issued_at)},
      {"exp", absl::ToUnixSeconds(o.issued_at + o.lifetime)},
  };
  nlohmann::json roles = nlohmann::json::array();
  for (Role r : o.roles) roles.push_back(std::string(RoleName(r)));
  claims["pdps_roles"] = roles;
  rc |= jwt_add_grants_json(jwt.get(), claims.dump().c_str());
  if (rc != 0) return absl::InternalError("could not build the token");
  char* out = jwt_encode_str(jwt.get());
  if (out == nullptr) return absl::InternalError("could not sign the token");
  std::string token(out);
  free(out);
  return token;
}

absl::StatusOr<std::pair<std::string, std::string>> GenerateKeyPair(int rsa_bits) {
  PkeyPtr key(rsa_bits > 0 ? EVP_RSA_gen(static_cast<unsigned>(rsa_bits))
                           : EVP_EC_gen("P-256"));
  if (!key) return absl::InternalError("key generation failed");
  BioPtr priv(BIO_new(BIO_s_mem()));
  BioPtr pub(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    return absl::InternalError("key encoding failed");
  }
  auto read = [](BIO* b) {
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    return std::string(data, static_cast<size_t>(n));
  };
  return std::make_pair(read(priv.get()), read(pub.get()));
}

AccessPolicy& AccessPolicy::Allow(const std::string& method, std::set<Role> roles) {
  allowed_[method] = std::move(roles);
  return *this;
}

bool AccessPolicy::Knows(absl::string_view method) const {
  return allowed_.find(method) != allowed_.end();
}

std::vector<std::string> AccessPolicy::Methods() const {
  std::vector<std::string> out;
  for (const auto& entry : allowed_) out.push_back(entry.first);
  return out;
}

absl::Status AccessPolicy::Check(absl::string_view method, const Principal& p) const {
  auto it = allowed_.find(method);
  if (it != allowed_.end() && p.HasAnyOf(it->second)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("your role may not call ", method));
}

}  // namespace pdps::auth
