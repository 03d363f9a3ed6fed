// The path `make run` takes, on the real binaries: the demo loader fills a registry
// through the public API (twice: it must be idempotent), then pdpsctl mints a
// development token by organisation name and reads what the README's walk-through shows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/testing/pg_harness.h"
#include "tests/system/service_process.h"

namespace pdps {
namespace {

using ::testing::HasSubstr;

TEST(Demo, LoadsTwiceAndTheWalkThroughWorks) {
  auto db = testing::TestDatabase::Create("demo", {"registry"});
  systemtest::DevKeys keys("pdps-demo-keys");
  systemtest::ServiceProcess registry("registry", db->Conninfo("registry_app"), keys.Env());
  const std::string bin = systemtest::BinaryDir();
  const std::string demo = systemtest::DemoCommand(keys, "--registry=" + registry.address());
  std::string out;
  ASSERT_EQ(systemtest::RunCommand(demo, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("admissions             38"));
  EXPECT_THAT(out, HasSubstr("suspensions            1"));
  ASSERT_EQ(systemtest::RunCommand(demo, &out), 0) << "second load: " << out;
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM registry.organisations")[0], "40");
  EXPECT_EQ(db->Query("SELECT count(*)::text AS v FROM registry.admissions WHERE state = "
                      "'SUSPENDED'")[0],
            "1");

  const std::string ctl = absl::StrCat("PDPS_DEV_KEY=", keys.private_key_file(), " ", bin,
                                       "/tools/pdpsctl/pdpsctl --addr=", registry.address());
  std::string token;
  ASSERT_EQ(systemtest::RunCommand(ctl + " token --org-name='London Borough of Lewisham'"
                                         " --roles=commissioner",
                                   &token),
            0)
      << token;
  while (!token.empty() && token.back() == '\n') token.pop_back();
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + token +
                                       " admissions list --state=SUSPENDED --json",
                                   &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"state\": \"SUSPENDED\""));
  EXPECT_THAT(out, HasSubstr("Submit a CQC improvement plan"));
  ASSERT_EQ(systemtest::RunCommand(ctl + " --token=" + token + " frameworks list", &out), 0);
  EXPECT_THAT(out, HasSubstr("Personalised care and support for children"));
  // An error is printed with its code name and field violations, exit status 1.
  EXPECT_EQ(systemtest::RunCommand(ctl + " --token=" + token +
                                       " eligible --lot=nope --area=Lewisham 2>&1",
                                   &out),
            1);
  EXPECT_THAT(out, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(out, HasSubstr("lot_id"));
  EXPECT_EQ(systemtest::RunCommand(ctl + " health", &out), 0);
  EXPECT_THAT(out, HasSubstr("SERVING"));
}

}  // namespace
}  // namespace pdps
