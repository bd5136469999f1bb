// When a staff session ends: after an idle period without a request, and at
// an absolute time after sign-in, whatever the use (Config::staff_idle_s,
// staff_absolute_s). Pure functions of the session's times; no I/O.
#pragma once

#include <cstdint>

namespace palabre::domain {

struct SessionTimes {
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;  // the last request that refreshed it
  int64_t absolute_end_ms = 0;
};

enum class SessionState { active, idle_expired, absolute_expired };

// Times of a session opened at `now_ms`.
SessionTimes new_session_times(int64_t now_ms, int64_t absolute_ms);
SessionState session_state(const SessionTimes& t, int64_t now_ms, int64_t idle_ms);
// Whether a request at `now_ms` should write its time back: at most once per
// min(60 s, idle / 4), so that a busy console does not write to Redis on
// every request, and an idle limit of a few seconds still holds.
bool session_needs_refresh(const SessionTimes& t, int64_t now_ms, int64_t idle_ms);
// TTL of the session's Redis key at `now_ms`: until it would expire, plus a
// grace (kExpiredGraceS) during which a request is told `session_expired`
// rather than just `unauthorized`.
int session_key_ttl_s(const SessionTimes& t, int64_t now_ms, int64_t idle_ms);
inline constexpr int kExpiredGraceS = 600;

}  // namespace palabre::domain
