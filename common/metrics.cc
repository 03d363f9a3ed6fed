// A deliberately small Prometheus client: our needs are a few families per service.
#include "common/metrics.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/net.h"

namespace pdps::metrics {
namespace {

const std::vector<double>& Buckets() {
  static const std::vector<double> b = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,   0.25,   0.5,   1,    2.5,   5, 10};
  return b;
}

std::string Escape(const std::string& v) {
  return absl::StrReplaceAll(v, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

std::string LabelText(const Labels& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    absl::StrAppend(&out, first ? "" : ",", k, "=\"", Escape(v), "\"");
    first = false;
  }
  if (!extra.empty()) absl::StrAppend(&out, first ? "" : ",", extra);
  return out + "}";
}

std::string Num(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v))) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  // Not StrCat's 6 significant digits: a Unix time or a large sum needs all of them,
  // and 15 still print a bucket's 0.005 as 0.005.
  return absl::StrFormat("%.15g", v);
}

}  // namespace

Registry::Family& Registry::FamilyFor(const std::string& name, const std::string& help,
                                      const char* type) {
  Family& f = families_[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  }
  return f;
}

void Registry::Increment(const std::string& name, const std::string& help, const Labels& labels,
                         double delta) {
  Add(CounterCell(name, help, labels), delta);
}

void Registry::Observe(const std::string& name, const std::string& help, const Labels& labels,
                       double value) {
  Observe(HistogramCell(name, help, labels), value);
}

double* Registry::CounterCell(const std::string& name, const std::string& help,
                              const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  return &FamilyFor(name, help, "counter").values[labels];  // std::map nodes are stable
}

Registry::Histogram* Registry::HistogramCell(const std::string& name, const std::string& help,
                                             const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Histogram& h = FamilyFor(name, help, "histogram").histograms[labels];
  if (h.buckets.empty()) h.buckets.assign(Buckets().size(), 0);
  return &h;
}

void Registry::Add(double* cell, double delta) {
  std::lock_guard<std::mutex> lock(mu_);
  *cell += delta;
}

void Registry::Observe(Histogram* h, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < Buckets().size(); ++i) {
    if (value <= Buckets()[i]) ++h->buckets[i];
  }
  ++h->count;
  h->sum += value;
}

void Registry::Gauge(const std::string& name, const std::string& help, const Labels& labels,
                     std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  FamilyFor(name, help, "gauge").gauges[labels] = std::move(read);
}

void Registry::CounterFunc(const std::string& name, const std::string& help, const Labels& labels,
                           std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  FamilyFor(name, help, "counter").gauges[labels] = std::move(read);
}

std::string Registry::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    absl::StrAppend(&out, "# HELP ", name, " ", f.help, "\n# TYPE ", name, " ", f.type, "\n");
    for (const auto& [labels, v] : f.values) {
      absl::StrAppend(&out, name, LabelText(labels), " ", Num(v), "\n");
    }
    for (const auto& [labels, read] : f.gauges) {
      absl::StrAppend(&out, name, LabelText(labels), " ", Num(read()), "\n");
    }
    for (const auto& [labels, h] : f.histograms) {
      for (size_t i = 0; i < Buckets().size(); ++i) {
        absl::StrAppend(&out, name, "_bucket",
                        LabelText(labels, absl::StrCat("le=\"", Num(Buckets()[i]), "\"")), " ",
                        h.buckets[i], "\n");
      }
      absl::StrAppend(&out, name, "_bucket", LabelText(labels, "le=\"+Inf\""), " ", h.count,
                      "\n");
      absl::StrAppend(&out, name, "_sum", LabelText(labels), " ", Num(h.sum), "\n");
      absl::StrAppend(&out, name, "_count", LabelText(labels), " ", h.count, "\n");
    }
  }
  return out;
}

HttpExporter::HttpExporter(Registry* registry) : registry_(registry) {}

HttpExporter::~HttpExporter() { Stop(); }

absl::Status HttpExporter::Start(const std::string& addr) {
  auto colon = addr.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(addr.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("metrics address \"", addr,
                                                   "\" must be host:port"));
  }
  std::string host = addr.substr(0, colon);
  server_ = std::make_unique<httplib::Server>();
  // SO_REUSEADDR only (a restart may bind through TIME_WAIT), never httplib's default
  // SO_REUSEPORT: a second process on a taken port must fail, not share it.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<void*>(&yes), sizeof(yes));
  });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry_->Render(), "text/plain; version=0.0.4");
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else if (server_->bind_to_port(host, port)) {
    port_ = port;
  } else {
    port_ = -1;
  }
  if (port_ <= 0) {
    const std::string why = net::BindProblem(addr);
    return absl::UnavailableError(
        absl::StrCat("cannot listen for metrics on ", addr, why.empty() ? "" : ": ", why));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return absl::OkStatus();
}

void HttpExporter::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace pdps::metrics
