// Time sources. Wall time (for timestamps and event phases) goes through Clock
// so that domain rules can be tested with a fixed clock; monotonic time (for
// timeouts and latency) is read directly.
#pragma once

#include <chrono>
#include <cstdint>

namespace palabre {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix time in milliseconds.
  virtual int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// Unix time in ms, for deadlines shared with another process (Redis).
inline int64_t wall_clock_ms() { return SystemClock{}.now_ms(); }

inline int64_t monotonic_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace palabre
