// Request counters and latency histograms per route template, shared by all
// accept threads (lock-free atomics; the set of routes is fixed at start-up).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace palabre::http {

class RouteMetrics {
 public:
  static constexpr std::array<double, 11> kBucketsSeconds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                             0.1,   0.25,   0.5,   1.0,  2.5};
  // Route names, in registration order; index routes.size() is "unmatched".
  explicit RouteMetrics(std::vector<std::string> route_names);
  void observe(size_t route_index, int status, double seconds);
  size_t unmatched_index() const { return names_.size() - 1; }
  // Prometheus text for palabre_http_requests_total and
  // palabre_http_request_duration_seconds.
  std::string render() const;

 private:
  struct PerRoute {
    std::array<std::atomic<uint64_t>, 6> by_status_class{};  // 1xx..5xx, index 0 unused
    std::array<std::atomic<uint64_t>, kBucketsSeconds.size()> buckets{};
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_micros{0};
  };
  std::vector<std::string> names_;
  std::unique_ptr<PerRoute[]> routes_;
};

}  // namespace palabre::http
