// The moderators' controls of a debate's audience (actions/visitor_controls
// .hpp) and the limits they make. Pure.
//
// - slow mode: one question per visitor every slow_mode_s seconds;
// - the shield, one switch for an emergency (a raid, a flood): it tightens
//   every limit at once and is shown to every moderator.
#pragma once

#include <cstdint>

#include "core/config.hpp"

namespace palabre::domain {

inline constexpr int kMaxSlowModeS = 3600;
// Under the shield: at least this slow, and the per-visitor and
// per-network limits divided by this much.
inline constexpr int kShieldSlowModeS = 60;
inline constexpr int kShieldDivisor = 4;

struct Controls {
  int slow_mode_s = 0;  // 0: off
  bool shield = false;
};

// The limits a question or a join meets under `controls`.
struct Limits {
  int slow_mode_s = 0;
  int questions_per_window = 0;  // per visitor, within config.question_window_s
  int questions_per_address = 0;
  int joins_per_address = 0;
};
Limits effective_limits(const Config& config, const Controls& controls);

// Timeouts: 10 s to 24 h.
inline constexpr int kMinTimeoutS = 10;
inline constexpr int kMaxTimeoutS = 24 * 3600;

}  // namespace palabre::domain
