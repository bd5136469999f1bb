#include "core/test_clock.hpp"

#ifdef PALABRE_TEST_HOOKS

#include <cstdio>
#include <cstdlib>

namespace palabre {

int64_t TestClock::now_ms() const {
  int64_t offset = 0;
  if (!offset_file_.empty()) {
    if (FILE* f = std::fopen(offset_file_.c_str(), "r")) {
      char buf[32] = {};
      size_t n = std::fread(buf, 1, sizeof buf - 1, f);
      std::fclose(f);
      buf[n] = '\0';
      offset = std::strtoll(buf, nullptr, 10);
    }
  }
  return SystemClock{}.now_ms() + offset;
}

}  // namespace palabre

#endif  // PALABRE_TEST_HOOKS
