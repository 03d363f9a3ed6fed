// Token verification: every way a token can be wrong is refused with UNAUTHENTICATED.
#include "common/auth.h"

#include <gmock/gmock.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/testing/tokens.h"
#include "nlohmann/json.hpp"

namespace pdps::auth {
namespace {

using ::pdps::testing::Tokens;

constexpr char kOrg[] = "11111111-1111-4111-8111-111111111111";
constexpr char kUser[] = "22222222-2222-4222-8222-222222222222";

std::string B64(const std::string& s) {
  std::string out;
  absl::WebSafeBase64Escape(s, &out);
  return out;
}

MintOptions Base() {
  MintOptions o;
  o.kid = ::pdps::testing::kKid;
  o.private_key_pem = Tokens::Get().private_pem();
  o.issuer = ::pdps::testing::kIssuer;
  o.audience = ::pdps::testing::kAudience;
  o.user_id = kUser;
  o.organisation_id = kOrg;
  o.roles = {Role::kCommissioner};
  o.issued_at = absl::Now() - absl::Minutes(1);
  return o;
}

std::string MintOrDie(const MintOptions& o) {
  auto t = Mint(o);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.value_or("");
}

TEST(Verifier, AcceptsAGoodTokenAndReadsItsClaims) {
  auto v = Tokens::Get().Verifier();
  auto p = v->Verify(MintOrDie(Base()), absl::Now());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->organisation_id, kOrg);
  EXPECT_EQ(p->user_id, kUser);
  EXPECT_TRUE(p->Has(Role::kCommissioner));
  EXPECT_FALSE(p->Has(Role::kService));
}

TEST(Verifier, AcceptsES256WhenTheKeyIsEC) {
  auto kp = GenerateKeyPair(0);
  ASSERT_TRUE(kp.ok());
  auto v = Verifier::FromPems({{"ec", kp->second}}, {"iss", "aud"});
  ASSERT_TRUE(v.ok()) << v.status();
  MintOptions o = Base();
  o.kid = "ec";
  o.private_key_pem = kp->first;
  o.issuer = "iss";
  o.audience = "aud";
  auto p = (*v)->Verify(MintOrDie(o), absl::Now());
  EXPECT_TRUE(p.ok()) << p.status();
}

struct BadCase {
  std::string name;
  std::function<std::string()> token;
  std::string why;
};

TEST(Verifier, RefusesEveryBadToken) {
  auto v = Tokens::Get().Verifier();
  std::string good = MintOrDie(Base());
  std::vector<absl::string_view> parts = absl::StrSplit(good, '.');
  std::string payload(parts[1]);
  auto other_key = GenerateKeyPair(2048);
  ASSERT_TRUE(other_key.ok());

  std::vector<BadCase> cases = {
      {"empty", [] { return std::string(); }, "malformed"},
      {"garbage", [] { return std::string("not.a.jwt"); }, "malformed"},
      {"alg none",
       [&] { return B64(R"({"alg":"none","kid":"test-key-1"})") + "." + payload + "."; },
       "unsigned"},
      {"alg none with a signature",
       [&] { return B64(R"({"alg":"none","kid":"test-key-1"})") + "." + payload + ".c2ln"; },
       "algorithm not accepted"},
      {"HS256 keyed with the public key",
       [&] {
         // The classic confusion attack: sign HMAC with the verifier's public PEM.
         std::string header = B64(R"({"alg":"HS256","kid":"test-key-1","typ":"JWT"})");
         std::string input = header + "." + payload;
         const std::string& secret = Tokens::Get().public_pem();
         unsigned char mac[32];
         unsigned int len = 0;
         HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
         return input + "." + B64(std::string(reinterpret_cast<char*>(mac), len));
       },
       "algorithm not accepted"},
      {"unknown kid",
       [&] {
         MintOptions o = Base();
         o.kid = "someone-else";
         return MintOrDie(o);
       },
       "unknown key id"},
      {"signed by another key",
       [&] {
         MintOptions o = Base();
         o.private_key_pem = other_key->first;
         return MintOrDie(o);
       },
       "signature"},
      {"tampered payload",
       [&] {
         nlohmann::json c = nlohmann::json::parse(
             [&] { std::string raw; absl::WebSafeBase64Unescape(payload, &raw); return raw; }());
         c["pdps_org"] = "33333333-3333-4333-8333-333333333333";
         return std::string(parts[0]) + "." + B64(c.dump()) + "." + std::string(parts[2]);
       },
       "signature"},
      {"wrong issuer",
       [&] {
         MintOptions o = Base();
         o.issuer = "https://evil.example";
         return MintOrDie(o);
       },
       "issuer"},
      {"wrong audience",
       [&] {
         MintOptions o = Base();
         o.audience = "other-api";
         return MintOrDie(o);
       },
       "audience"},
      {"expired",
       [&] {
         MintOptions o = Base();
         o.issued_at = absl::Now() - absl::Hours(10);
         o.lifetime = absl::Hours(1);
         return MintOrDie(o);
       },
       "expired"},
      {"not yet valid",
       [&] {
         MintOptions o = Base();
         o.issued_at = absl::Now() + absl::Hours(1);
         return MintOrDie(o);
       },
       "not yet valid"},
      {"no role",
       [&] {
         MintOptions o = Base();
         o.roles = {};
         return MintOrDie(o);
       },
       "no PDPS role"},
      {"organisation not a uuid",
       [&] {
         MintOptions o = Base();
         o.organisation_id = "lewisham";
         return MintOrDie(o);
       },
       "UUID"},
      {"the service role beside a user's role",
       [&] {
         MintOptions o = Base();
         o.roles = {Role::kProviderAdmin, Role::kService};
         return MintOrDie(o);
       },
       "never combined"},
      // Claims of the wrong JSON type are refused, never thrown out of the verifier.
      {"alg a number",
       [&] { return B64(R"({"alg":256,"kid":"test-key-1"})") + "." + payload + ".c2ln"; },
       "algorithm not accepted"},
      {"header not an object", [&] { return B64(R"(["RS256"])") + "." + payload + ".c2ln"; },
       "malformed"},
  };
  for (const auto& c : cases) {
    auto p = v->Verify(c.token(), absl::Now());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << c.name;
    EXPECT_THAT(std::string(p.status().message()), ::testing::HasSubstr(c.why)) << c.name;
  }
}

TEST(Verifier, CachedTokenStillExpires) {
  auto v = Tokens::Get().Verifier();
  MintOptions o = Base();
  o.lifetime = absl::Minutes(5);
  std::string t = MintOrDie(o);
  ASSERT_TRUE(v->Verify(t, absl::Now()).ok());
  EXPECT_EQ(v->Verify(t, absl::Now() + absl::Hours(1)).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(Verifier, RefusesWeakOrUnsupportedKeysAtStart) {
  EXPECT_FALSE(Verifier::FromPems({}, {"i", "a"}).ok());
  EXPECT_FALSE(Verifier::FromPems({{"k", "not a pem"}}, {"i", "a"}).ok());
  EXPECT_FALSE(Verifier::FromPems({{"k", Tokens::Get().public_pem()}}, {"", "a"}).ok());
}

TEST(BearerToken, NeedsTheBearerScheme) {
  EXPECT_EQ(BearerToken("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(BearerToken("Basic abc").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(*BearerToken("Bearer abc"), "abc");
}

TEST(AccessPolicy, DeniesUnlessListed) {
  AccessPolicy policy;
  policy.Allow("Get", {Role::kCommissioner, Role::kProviderAdmin});
  Principal commissioner{"u", "o", {Role::kCommissioner}};
  Principal coordinator{"u", "o", {Role::kProviderCoordinator}};
  EXPECT_TRUE(policy.Check("Get", commissioner).ok());
  EXPECT_EQ(policy.Check("Get", coordinator).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(policy.Check("Unknown", commissioner).code(), absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicy, ListsItsMethods) {
  AccessPolicy policy;
  policy.Allow("List", {Role::kService}).Allow("Get", {Role::kCommissioner});
  EXPECT_EQ(policy.Methods(), (std::vector<std::string>{"Get", "List"}));
}

TEST(Principal, IsProviderForProviderStaffOnly) {
  for (Role r : AllRoles()) {
    Principal p{"u", "o", {r}};
    EXPECT_EQ(p.IsProvider(), r == Role::kProviderAdmin || r == Role::kProviderCoordinator)
        << RoleName(r);
  }
  EXPECT_FALSE((Principal{"u", "o", {}}).IsProvider());
  EXPECT_TRUE(
      (Principal{"u", "o", {Role::kCommissioner, Role::kProviderCoordinator}}).IsProvider());
}

TEST(Principal, IsOfficerForCommissionersBrokerageOfficersAndServices) {
  for (Role r : AllRoles()) {
    Principal p{"u", "o", {r}};
    EXPECT_EQ(p.IsOfficer(),
              r == Role::kCommissioner || r == Role::kBrokerageOfficer || r == Role::kService)
        << RoleName(r);
  }
  EXPECT_FALSE((Principal{"u", "o", {}}).IsOfficer());
  EXPECT_FALSE((Principal{"u", "o", {Role::kFinanceOfficer, Role::kProviderAdmin}}).IsOfficer());
  EXPECT_TRUE((Principal{"u", "o", {Role::kProviderAdmin, Role::kBrokerageOfficer}}).IsOfficer());
}

TEST(Roles, GroupsAndTheirUnion) {
  EXPECT_EQ(ProviderRoles(), (std::set<Role>{Role::kProviderAdmin, Role::kProviderCoordinator}));
  EXPECT_EQ(OfficerRoles(), (std::set<Role>{Role::kCommissioner, Role::kBrokerageOfficer}));
  EXPECT_EQ(RolesOf({ProviderRoles(), {Role::kService}, {Role::kProviderAdmin}}),
            (std::set<Role>{Role::kProviderAdmin, Role::kProviderCoordinator, Role::kService}));
  EXPECT_TRUE(RolesOf({}).empty());
  Principal p{"u", "o", {Role::kFinanceOfficer}};
  EXPECT_TRUE(p.HasAnyOf({Role::kService, Role::kFinanceOfficer}));
  EXPECT_FALSE(p.HasAnyOf(OfficerRoles()));
  EXPECT_FALSE(p.HasAnyOf({}));
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : AllRoles()) {
    Role back;
    ASSERT_TRUE(ParseRole(RoleName(r), &back));
    EXPECT_EQ(back, r);
  }
  Role r;
  EXPECT_FALSE(ParseRole("admin", &r));
}

}  // namespace
}  // namespace pdps::auth
