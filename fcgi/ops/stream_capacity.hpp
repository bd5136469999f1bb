// Whether nginx is about to refuse streams. A worker cannot see the
// connections nginx refuses (they never reach it), so nginx/render passes
// nginx's capacity with every request (fastcgi_param
// PALABRE_NGINX_STREAM_CAPACITY: worker_processes x worker_connections / 2,
// as each relayed stream holds two nginx connections) and the board
// (ops/board.hpp) compares it every second with the streams open on every
// worker process of this host. Past kWarnPercent an episode starts (logged
// once, /healthz "warn", palabre_nginx_capacity_warning 1); it ends below
// kClearPercent, so a count hovering at the threshold does not log every
// second. Process-wide; every member is safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace palabre::ops {

class StreamCapacity {
 public:
  static constexpr int64_t kWarnPercent = 90;
  static constexpr int64_t kClearPercent = 80;

  // The FastCGI param as nginx sent it (empty when not rendered with a
  // capacity: nothing is checked then).
  void note_from_nginx(std::string_view param);
  int64_t capacity() const { return capacity_.load(std::memory_order_relaxed); }

  enum class Change { none, started, ended };
  // The streams open on this host's workers now; says whether an episode
  // started or ended with this count.
  Change update(int64_t host_streams);

  int64_t host_streams() const { return host_streams_.load(std::memory_order_relaxed); }
  bool warning() const { return warning_.load(std::memory_order_relaxed); }
  uint64_t episodes_total() const { return episodes_total_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> capacity_{0};
  std::atomic<int64_t> host_streams_{0};
  std::atomic<bool> warning_{false};
  std::atomic<uint64_t> episodes_total_{0};
};

// The one instance of this process: dispatch notes nginx's param, the board
// updates it, /healthz and /metrics read it.
StreamCapacity& stream_capacity();

}  // namespace palabre::ops
