// tests/k8s/settings.json lists the PDPS_* variables each service reads, so that
// validate.mjs can refuse a manifest setting the service would ignore (a misspelt
// config.env key), and the defaults validate.mjs assumes when a manifest leaves one
// unset. This keeps both equal to the code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "common/config.h"
#include "common/service.h"
#include "nlohmann/json.hpp"
#include "services/referrals/referrals.h"
#include "services/registry/registry.h"
#include "services/workforce/workforce.h"

namespace pdps {
namespace {

using ::testing::ElementsAreArray;

// What `service serve` reads: the common settings, then the service's own.
template <typename ReadOptions>
std::vector<std::string> Read(const std::string& service, ReadOptions read_options) {
  auto s = Settings::FromMap({});
  service::ReadConfig(s, service, 1, 2);
  read_options(s);
  return s.VariablesRead();
}

TEST(SettingsList, IsWhatEachServiceReads) {
  const char* src = std::getenv("PDPS_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  std::ifstream in(std::string(src) + "/tests/k8s/settings.json");
  ASSERT_TRUE(in) << "cannot read tests/k8s/settings.json";
  auto listed = nlohmann::json::parse(in);
  const std::map<std::string, std::vector<std::string>> read = {
      {"registry", Read("registry", registry::ReadOptions)},
      {"referrals", Read("referrals", referrals::ReadOptions)},
      {"workforce", Read("workforce", workforce::ReadOptions)},
  };
  EXPECT_EQ(listed.size(), read.size() + 1);  // and "defaults"
  for (const auto& [service, names] : read) {
    ASSERT_TRUE(listed.contains(service)) << service << " is not listed";
    EXPECT_THAT(listed[service].get<std::vector<std::string>>(), ElementsAreArray(names))
        << service << " reads " << nlohmann::json(names).dump();
  }
}

// Every service follows its peers' feeds at one default, and the registry's expiry sweep
// is configured as workforce's is (decision 0076).
TEST(SettingsList, WorkersAreConfiguredAlikeInEveryService) {
  auto s = Settings::FromMap({});
  EXPECT_EQ(registry::ReadOptions(s).feed_poll_interval, service::kFeedPollInterval);
  EXPECT_EQ(referrals::ReadOptions(s).feed_poll_interval, service::kFeedPollInterval);
  EXPECT_EQ(workforce::ReadOptions(s).feed_poll_interval, service::kFeedPollInterval);
  auto sweep = Settings::FromMap({{"expiry_sweep_interval", "90s"}});
  EXPECT_EQ(registry::ReadOptions(sweep).expiry_sweep_interval, absl::Seconds(90));
  EXPECT_EQ(workforce::ReadOptions(sweep).expiry_sweep_interval, absl::Seconds(90));
}

// validate.mjs: terminationGracePeriodSeconds must exceed drain + grace.
TEST(SettingsList, DefaultsAreTheCodes) {
  const char* src = std::getenv("PDPS_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  std::ifstream in(std::string(src) + "/tests/k8s/settings.json");
  auto defaults = nlohmann::json::parse(in).at("defaults");
  auto s = Settings::FromMap({});
  service::Config c = service::ReadConfig(s, "registry", 1, 2);
  EXPECT_EQ(defaults.size(), 2u);
  EXPECT_EQ(defaults.at("PDPS_SHUTDOWN_DRAIN").get<std::string>(),
            absl::FormatDuration(c.shutdown_drain));
  EXPECT_EQ(defaults.at("PDPS_SHUTDOWN_GRACE").get<std::string>(),
            absl::FormatDuration(c.shutdown_grace));
}

}  // namespace
}  // namespace pdps
