// Prometheus metrics: counters and histograms with labels, gauges read at scrape time,
// and the text exposition served over HTTP on the service's metrics port.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace httplib {
class Server;
}

namespace pdps::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  // Adds `delta` to counter `name` with `labels`. Names follow Prometheus rules.
  void Increment(const std::string& name, const std::string& help, const Labels& labels,
                 double delta = 1);
  // Records one observation into histogram `name` (seconds buckets 1 ms .. 10 s).
  void Observe(const std::string& name, const std::string& help, const Labels& labels,
               double value);
  // A gauge whose value is read at scrape time.
  void Gauge(const std::string& name, const std::string& help, const Labels& labels,
             std::function<double()> read);
  // A counter kept elsewhere (it only ever goes up), read at scrape time; its name ends
  // in _total so that rate() and increase() treat it as one.
  void CounterFunc(const std::string& name, const std::string& help, const Labels& labels,
                   std::function<double()> read);

  // Text exposition format 0.0.4.
  std::string Render() const;

  struct Histogram {
    std::vector<uint64_t> buckets;
    uint64_t count = 0;
    double sum = 0;
  };
  // Stable handles for hot paths: resolve the labels once, then add without building
  // label vectors per call.
  double* CounterCell(const std::string& name, const std::string& help, const Labels& labels);
  Histogram* HistogramCell(const std::string& name, const std::string& help,
                           const Labels& labels);
  void Add(double* cell, double delta);
  void Observe(Histogram* cell, double value);

 private:
  struct Family {
    std::string help;
    std::string type;
    std::map<Labels, double> values;
    std::map<Labels, Histogram> histograms;
    std::map<Labels, std::function<double()>> gauges;
  };
  Family& FamilyFor(const std::string& name, const std::string& help, const char* type);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Serves GET /metrics from a registry on its own thread.
class HttpExporter {
 public:
  explicit HttpExporter(Registry* registry);
  ~HttpExporter();
  // addr is "host:port"; port 0 picks one (see port()).
  absl::Status Start(const std::string& addr);
  int port() const { return port_; }
  void Stop();

 private:
  Registry* registry_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace pdps::metrics
