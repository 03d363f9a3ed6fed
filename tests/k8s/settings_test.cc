// tests/k8s/settings.json lists the PDPS_* variables each service reads, so that
// validate.mjs can refuse a manifest setting the service would ignore (a misspelt
// config.env key). This keeps the list equal to what the code reads.
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
  EXPECT_EQ(listed.size(), read.size());
  for (const auto& [service, names] : read) {
    ASSERT_TRUE(listed.contains(service)) << service << " is not listed";
    EXPECT_THAT(listed[service].get<std::vector<std::string>>(), ElementsAreArray(names))
        << service << " reads " << nlohmann::json(names).dump();
  }
}

}  // namespace
}  // namespace pdps
