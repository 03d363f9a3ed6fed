// A service's own identity: the token from its Secret file is re-read when the file
// changes, and when it lapses is exported for alerting before peers start refusing it.
#include "common/service_identity.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/clock.h"
#include "common/testing/tokens.h"

namespace pdps::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string TokenLapsingAt(absl::Time exp) {
  MintOptions o;
  o.kid = ::pdps::testing::kKid;
  o.private_key_pem = ::pdps::testing::Tokens::Get().private_pem();
  o.issuer = ::pdps::testing::kIssuer;
  o.audience = ::pdps::testing::kAudience;
  o.user_id = "22222222-2222-4222-8222-222222222222";
  o.organisation_id = "00000000-0000-4000-8000-000000000001";
  o.roles = {Role::kService};
  o.issued_at = exp - absl::Hours(24 * 30);
  o.lifetime = absl::Hours(24 * 30);
  auto t = Mint(o);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.value_or("");
}

class TokenFile {
 public:
  TokenFile() {
    char dir[] = "/tmp/pdps-token-XXXXXX";
    EXPECT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/token";
  }
  ~TokenFile() {
    std::remove(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  // Rewrites the file as the kubelet does when the Secret changes; a new mtime each
  // time, so the source notices.
  void Write(const std::string& text) {
    std::ofstream(path_, std::ios::trunc) << text << "\n";
    struct timespec times[2] = {{0, UTIME_NOW}, {++writes_, 0}};
    ::utimensat(AT_FDCWD, path_.c_str(), times, 0);
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
  long writes_ = 1000000000;
};

TEST(ServiceTokenSource, ExportsWhenTheTokenFromItsFileLapsesAndFollowsRenewals) {
  TokenFile file;
  const absl::Time first = absl::FromUnixSeconds(1798761600);  // 2027-01-01 00:00 UTC
  file.Write(TokenLapsingAt(first));
  ServiceIdentityConfig config;
  config.token_file = file.path();
  SystemClock clock;
  auto source = ServiceTokenSource::Create(config, "referrals", ::pdps::testing::kIssuer,
                                           ::pdps::testing::kAudience, &clock);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_TRUE((*source)->FromFile());
  EXPECT_EQ((*source)->FileTokenExpiry(), first);
  metrics::Registry m;
  ExportTokenExpiry(m, "referrals", source->get());
  EXPECT_THAT(m.Render(), HasSubstr("pdps_service_token_expiry_timestamp_seconds{service=\""
                                    "referrals\"} 1798761600\n"));
  // The Secret renewed in place: the next scrape shows the new expiry, no restart.
  const absl::Time renewed = first + absl::Hours(24 * 90);
  file.Write(TokenLapsingAt(renewed));
  EXPECT_THAT(m.Render(),
              HasSubstr(absl::StrCat("{service=\"referrals\"} ", absl::ToUnixSeconds(renewed))));
  // Garbage in the file: 0, which the alert reads as "no usable token".
  file.Write("not a token");
  EXPECT_EQ((*source)->FileTokenExpiry(), std::nullopt);
  EXPECT_THAT(m.Render(), HasSubstr("{service=\"referrals\"} 0\n"));
}

TEST(ServiceTokenSource, AMintedTokenRenewsItselfAndIsNotExported) {
  ServiceIdentityConfig config;
  config.key_id = ::pdps::testing::kKid;
  char path[] = "/tmp/pdps-key-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path) << ::pdps::testing::Tokens::Get().private_pem();
  config.key_file = path;
  SystemClock clock;
  auto source = ServiceTokenSource::Create(config, "workforce", ::pdps::testing::kIssuer,
                                           ::pdps::testing::kAudience, &clock);
  std::remove(path);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_FALSE((*source)->FromFile());
  EXPECT_EQ((*source)->FileTokenExpiry(), std::nullopt);
  EXPECT_TRUE(UnverifiedExpiry((*source)->Token()).has_value());
  metrics::Registry m;
  ExportTokenExpiry(m, "workforce", source->get());
  EXPECT_THAT(m.Render(), Not(HasSubstr("pdps_service_token_expiry_timestamp_seconds")));
}

TEST(UnverifiedExpiry, ReadsExpAndNothingElse) {
  EXPECT_EQ(UnverifiedExpiry(TokenLapsingAt(absl::FromUnixSeconds(1800000000))),
            absl::FromUnixSeconds(1800000000));
  EXPECT_EQ(UnverifiedExpiry(""), std::nullopt);
  EXPECT_EQ(UnverifiedExpiry("a.b"), std::nullopt);
  EXPECT_EQ(UnverifiedExpiry("a.!!!.c"), std::nullopt);
}

}  // namespace
}  // namespace pdps::auth
