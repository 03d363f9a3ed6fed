// What the services' assembly files share: required peers and sweeps.
#include "common/assembly.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace pdps::service {
namespace {

using ::testing::HasSubstr;

TEST(RequiredPeer, AnEmptyAddressIsReportedWhenServing) {
  auto s = Settings::FromMap({{"workforce_addr", ""}});
  EXPECT_EQ(ReadRequiredPeer(s, "workforce_addr", "", "is required: it reads the feed"), "");
  EXPECT_EQ(ReadRequiredPeer(s, "registry_addr", "127.0.0.1:7001", "must not be empty"),
            "127.0.0.1:7001");
  auto st = s.Finish();
  EXPECT_THAT(st.message(), HasSubstr("PDPS_WORKFORCE_ADDR: is required: it reads the feed"));
  EXPECT_THAT(st.message(), ::testing::Not(HasSubstr("PDPS_REGISTRY_ADDR")));
}

TEST(RequiredPeer, MigratingNeedsNoPeer) {
  const char* argv[] = {"svc", "migrate", "--workforce-addr="};
  auto s = Settings::FromArgs(3, argv);
  ASSERT_TRUE(s.ok());
  ReadRequiredPeer(*s, "workforce_addr", "", "is required");
  EXPECT_TRUE(s->Finish().ok());
}

// Base with only what a sweep uses: its metrics and runner.
std::unique_ptr<Base> WorkersOnly() {
  auto b = std::make_unique<Base>();
  b->metrics = std::make_unique<metrics::Registry>();
  server::RunnerOptions o;
  o.grpc_addr = "127.0.0.1:0";
  o.health_service = "sweep-test";
  o.drain_delay = absl::ZeroDuration();
  o.shutdown_grace = absl::Seconds(1);
  b->runner = std::make_unique<server::Runner>(o, b->metrics.get());
  return b;
}

TEST(Sweep, AFailingStepDoesNotStopTheOthersAndCountsAreAdded) {
  auto b = WorkersOnly();
  std::atomic<int> passes{0};
  AddSweep(*b, "test-sweep", absl::Milliseconds(10),
           {{"first step failed", "pdps_test_failing_total", "Never counted.",
             []() -> absl::StatusOr<int> { return absl::UnavailableError("away"); }},
            {"second step failed", "pdps_test_counted_total", "Two a pass.",
             [&passes]() -> absl::StatusOr<int> {
               ++passes;
               return 2;
             }}});
  // Exposed before the first pass, so that alerts on their rate see them from the start.
  EXPECT_THAT(b->metrics->Render(), HasSubstr("pdps_test_failing_total 0"));
  EXPECT_THAT(b->metrics->Render(), HasSubstr("pdps_test_counted_total 0"));
  ASSERT_TRUE(b->runner->Start().ok());
  for (absl::Time end = absl::Now() + absl::Seconds(10); passes < 3 && absl::Now() < end;) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  b->runner->Shutdown();
  ASSERT_GE(passes.load(), 3);
  EXPECT_THAT(b->metrics->Render(), HasSubstr("pdps_test_failing_total 0"));
  EXPECT_THAT(b->metrics->Render(),
              HasSubstr(absl::StrCat("pdps_test_counted_total ", 2 * passes.load())));
}

}  // namespace
}  // namespace pdps::service
