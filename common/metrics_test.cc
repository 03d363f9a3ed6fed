// Prometheus exposition and the HTTP exporter.
#include "common/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

namespace pdps::metrics {
namespace {

using ::testing::HasSubstr;

TEST(Registry, RendersCountersHistogramsAndGauges) {
  Registry r;
  r.Increment("pdps_rpc_requests_total", "RPCs.", {{"method", "Get"}, {"code", "OK"}});
  r.Increment("pdps_rpc_requests_total", "RPCs.", {{"method", "Get"}, {"code", "OK"}});
  r.Observe("pdps_rpc_duration_seconds", "Latency.", {{"method", "Get"}}, 0.003);
  r.Gauge("pdps_db_pool_in_use", "Leased.", {}, [] { return 3.0; });
  r.CounterFunc("pdps_db_pool_replaced_total", "Discarded.", {{"service", "x"}},
                [] { return 4.0; });
  std::string text = r.Render();
  // Read at scrape time, but only ever rising: a counter, so that rate() applies.
  EXPECT_THAT(text, HasSubstr("# TYPE pdps_db_pool_replaced_total counter"));
  EXPECT_THAT(text, HasSubstr("pdps_db_pool_replaced_total{service=\"x\"} 4"));
  EXPECT_THAT(text, HasSubstr("# TYPE pdps_db_pool_in_use gauge"));
  EXPECT_THAT(text, HasSubstr("# TYPE pdps_rpc_requests_total counter"));
  EXPECT_THAT(text, HasSubstr("pdps_rpc_requests_total{method=\"Get\",code=\"OK\"} 2"));
  EXPECT_THAT(text, HasSubstr("pdps_rpc_duration_seconds_bucket{method=\"Get\",le=\"0.0025\"} 0"));
  EXPECT_THAT(text, HasSubstr("pdps_rpc_duration_seconds_bucket{method=\"Get\",le=\"0.005\"} 1"));
  EXPECT_THAT(text, HasSubstr("pdps_rpc_duration_seconds_count{method=\"Get\"} 1"));
  EXPECT_THAT(text, HasSubstr("pdps_db_pool_in_use 3"));
  // Every significant digit: a Unix time in seconds, a long-running sum.
  r.Gauge("pdps_feed_last_success_timestamp_seconds", "Last poll.", {},
          [] { return 1796218566.25; });
  EXPECT_THAT(r.Render(), HasSubstr("pdps_feed_last_success_timestamp_seconds 1796218566.25\n"));
}

TEST(HttpExporter, ServesMetricsOverHttp) {
  Registry r;
  r.Increment("pdps_things_total", "Things.", {});
  HttpExporter e(&r);
  ASSERT_TRUE(e.Start("127.0.0.1:0").ok());
  httplib::Client c("127.0.0.1", e.port());
  auto res = c.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("pdps_things_total 1"));
  e.Stop();
}

}  // namespace
}  // namespace pdps::metrics
