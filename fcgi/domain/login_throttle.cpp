#include "domain/login_throttle.hpp"

#include <algorithm>

namespace palabre::domain {

int64_t throttle_delay_ms(const ThrottleRule& rule, int64_t failures) {
  if (failures <= rule.free_failures) return 0;
  int64_t doublings = failures - rule.free_failures - 1;
  int64_t delay = rule.first_delay_ms;
  for (int64_t i = 0; i < doublings && delay < rule.max_delay_ms; ++i) delay *= 2;
  return std::min(delay, rule.max_delay_ms);
}

int retry_after_s(int64_t until_ms, int64_t now_ms) {
  int64_t left = until_ms - now_ms;
  return static_cast<int>(std::max<int64_t>(1, (left + 999) / 1000));
}

}  // namespace palabre::domain
