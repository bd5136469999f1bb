#include "ops/stream_capacity.hpp"

#include <charconv>

namespace palabre::ops {

void StreamCapacity::note_from_nginx(std::string_view param) {
  if (param.empty()) return;
  int64_t value = 0;
  auto [end, error] = std::from_chars(param.data(), param.data() + param.size(), value);
  if (error != std::errc() || end != param.data() + param.size() || value <= 0) return;
  if (value != capacity_.load(std::memory_order_relaxed)) capacity_.store(value, std::memory_order_relaxed);
}

// Only the board's thread calls this: the load-then-store of warning_ is not
// a race.
StreamCapacity::Change StreamCapacity::update(int64_t host_streams) {
  host_streams_.store(host_streams, std::memory_order_relaxed);
  const int64_t capacity = capacity_.load(std::memory_order_relaxed);
  if (capacity <= 0) return Change::none;
  const bool was = warning_.load(std::memory_order_relaxed);
  if (!was && host_streams * 100 >= capacity * kWarnPercent) {
    warning_.store(true, std::memory_order_relaxed);
    episodes_total_.fetch_add(1, std::memory_order_relaxed);
    return Change::started;
  }
  if (was && host_streams * 100 < capacity * kClearPercent) {
    warning_.store(false, std::memory_order_relaxed);
    return Change::ended;
  }
  return Change::none;
}

StreamCapacity& stream_capacity() {
  static StreamCapacity instance;
  return instance;
}

}  // namespace palabre::ops
