#include "domain/controls.hpp"

#include <algorithm>

namespace palabre::domain {

Limits effective_limits(const Config& config, const Controls& controls) {
  Limits l{controls.slow_mode_s, config.questions_per_window, config.questions_per_address, config.joins_per_address};
  if (controls.shield) {
    l.slow_mode_s = std::max(l.slow_mode_s, kShieldSlowModeS);
    l.questions_per_window = std::max(1, l.questions_per_window / kShieldDivisor);
    l.questions_per_address = std::max(1, l.questions_per_address / kShieldDivisor);
    l.joins_per_address = std::max(1, l.joins_per_address / kShieldDivisor);
  }
  return l;
}

}  // namespace palabre::domain
