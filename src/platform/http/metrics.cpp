#include "platform/http/metrics.hpp"

#include <fmt/format.h>

namespace xiaoan::http {

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  counts_[{method, route, status}]++;
  auto& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) h.buckets[i]++;
  h.count++;
  h.sum += seconds;
}

void Metrics::AddSource(std::function<std::string()> source) {
  std::lock_guard lock(mu_);
  sources_.push_back(std::move(source));
}

std::string Metrics::Render() const {
  std::string out;
  std::vector<std::function<std::string()>> sources;
  {
    std::lock_guard lock(mu_);
    out += "# HELP xiaoan_http_requests_total HTTP requests answered.\n# TYPE xiaoan_http_requests_total counter\n";
    for (const auto& [key, n] : counts_) {
      const auto& [method, route, status] = key;
      out += fmt::format("xiaoan_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method, route,
                         status, n);
    }
    out +=
        "# HELP xiaoan_http_request_duration_seconds Time to answer a request.\n"
        "# TYPE xiaoan_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      for (size_t i = 0; i < kBuckets.size(); ++i)
        out += fmt::format("xiaoan_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                           kBuckets[i], h.buckets[i]);
      out +=
          fmt::format("xiaoan_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route, h.count);
      out += fmt::format("xiaoan_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, h.sum);
      out += fmt::format("xiaoan_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, h.count);
    }
    sources = sources_;
  }
  for (const auto& source : sources) out += source();
  return out;
}

}  // namespace xiaoan::http
