#include "domain/staff_session.hpp"

#include <algorithm>

namespace palabre::domain {

SessionTimes new_session_times(int64_t now_ms, int64_t absolute_ms) {
  return SessionTimes{now_ms, now_ms, now_ms + absolute_ms};
}

SessionState session_state(const SessionTimes& t, int64_t now_ms, int64_t idle_ms) {
  if (now_ms >= t.absolute_end_ms) return SessionState::absolute_expired;
  if (now_ms - t.last_seen_ms >= idle_ms) return SessionState::idle_expired;
  return SessionState::active;
}

bool session_needs_refresh(const SessionTimes& t, int64_t now_ms, int64_t idle_ms) {
  return now_ms - t.last_seen_ms >= std::min<int64_t>(60'000, std::max<int64_t>(idle_ms / 4, 1));
}

int session_key_ttl_s(const SessionTimes& t, int64_t now_ms, int64_t idle_ms) {
  int64_t left_ms = std::min(t.last_seen_ms + idle_ms, t.absolute_end_ms) - now_ms;
  int64_t left_s = std::max<int64_t>(0, (left_ms + 999) / 1000);
  return static_cast<int>(left_s) + kExpiredGraceS;
}

}  // namespace palabre::domain
