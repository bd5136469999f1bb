// A clock the tests can move, compiled only with -DPALABRE_TEST_HOOKS=ON
// (./dev test's builds): production binaries cannot be time-shifted.
//
// now_ms() is the system time plus an offset in milliseconds read from the
// file named by PALABRE_TEST_CLOCK_FILE (one integer; a missing or empty
// file is 0). The file is read on every call, so a test moves every
// worker's clock at once by rewriting it.
#pragma once

#ifdef PALABRE_TEST_HOOKS

#include <string>

#include "core/clock.hpp"

namespace palabre {

class TestClock final : public Clock {
 public:
  explicit TestClock(std::string offset_file) : offset_file_(std::move(offset_file)) {}
  int64_t now_ms() const override;

 private:
  std::string offset_file_;
};

}  // namespace palabre

#endif  // PALABRE_TEST_HOOKS
