// Request counters and latency histograms, rendered in the Prometheus text format. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace xiaoan::http {

class Metrics {
 public:
  void ObserveRequest(const std::string& method, const std::string& route, int status, double seconds);
  // Adds a producer of extra exposition lines (e.g. the writer's queue), called on each scrape.
  void AddSource(std::function<std::string()> source);
  [[nodiscard]] std::string Render() const;

 private:
  static constexpr std::array<double, 10> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> counts_;
  std::map<std::string, Histogram> latency_;
  std::vector<std::function<std::string()>> sources_;
};

}  // namespace xiaoan::http
