#include "http/metrics.hpp"

#include <cstdio>

namespace palabre::http {

RouteMetrics::RouteMetrics(std::vector<std::string> route_names) : names_(std::move(route_names)) {
  names_.push_back("unmatched");
  routes_ = std::make_unique<PerRoute[]>(names_.size());
}

void RouteMetrics::observe(size_t route_index, int status, double seconds) {
  if (route_index >= names_.size()) route_index = unmatched_index();
  PerRoute& r = routes_[route_index];
  int cls = status / 100;
  if (cls >= 1 && cls <= 5) r.by_status_class[cls].fetch_add(1, std::memory_order_relaxed);
  for (size_t i = 0; i < kBucketsSeconds.size(); ++i)
    if (seconds <= kBucketsSeconds[i]) r.buckets[i].fetch_add(1, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.sum_micros.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string RouteMetrics::render() const {
  std::string out;
  char line[512];
  out += "# HELP palabre_http_requests_total Requests answered by this worker, by route template and status class.\n";
  out += "# TYPE palabre_http_requests_total counter\n";
  for (size_t i = 0; i < names_.size(); ++i) {
    for (int cls = 1; cls <= 5; ++cls) {
      uint64_t n = routes_[i].by_status_class[cls].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::snprintf(line, sizeof line, "palabre_http_requests_total{route=\"%s\",status=\"%dxx\"} %llu\n",
                    names_[i].c_str(), cls, static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP palabre_http_request_duration_seconds Time from accept to response, by route template.\n";
  out += "# TYPE palabre_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < names_.size(); ++i) {
    uint64_t count = routes_[i].count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    for (size_t b = 0; b < kBucketsSeconds.size(); ++b) {
      std::snprintf(line, sizeof line, "palabre_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    names_[i].c_str(), kBucketsSeconds[b],
                    static_cast<unsigned long long>(routes_[i].buckets[b].load(std::memory_order_relaxed)));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "palabre_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                  "palabre_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "palabre_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  names_[i].c_str(), static_cast<unsigned long long>(count), names_[i].c_str(),
                  routes_[i].sum_micros.load(std::memory_order_relaxed) / 1e6, names_[i].c_str(),
                  static_cast<unsigned long long>(count));
    out += line;
  }
  return out;
}

}  // namespace palabre::http
