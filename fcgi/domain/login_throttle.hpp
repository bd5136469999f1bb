// How long sign-in is refused after failed attempts (api/auth.cpp, counters
// in redis/login_throttle.hpp). Pure; no I/O.
//
// Three counters, each with its own rule (docs/SECURITY.md, "Staff sign-in,
// sessions and invites"):
//   - per (login, address): the attacker's own pair; strict, up to 15 min;
//   - per login, from any address: looser and capped at 1 min, so that the
//     real admin signing in from elsewhere waits at most a minute per
//     attempt even while a botnet guesses their password, and is never
//     locked out for good; the botnet gets about one guess a minute;
//   - per address, whatever the login: against password spraying; loose
//     enough for an office behind one NAT address.
// Attempts refused while a counter blocks are not counted: a block cannot be
// extended by hammering, only by failing after it ends.
#pragma once

#include <cstdint>

namespace palabre::domain {

struct ThrottleRule {
  int64_t free_failures;  // failures allowed before any delay
  int64_t first_delay_ms;  // delay after the first failure past them, then doubling
  int64_t max_delay_ms;
};

inline constexpr ThrottleRule kLoginAddressRule{5, 1'000, 15 * 60'000};
inline constexpr ThrottleRule kLoginRule{20, 1'000, 60'000};
inline constexpr ThrottleRule kAddressRule{50, 1'000, 15 * 60'000};
// A counter is forgotten this long after its last failure's delay ends.
inline constexpr int64_t kThrottleMemoryMs = 3600'000;

// The delay imposed after the `failures`-th failure (1-based): 0 up to
// free_failures, then first_delay, doubling, capped at max_delay.
int64_t throttle_delay_ms(const ThrottleRule& rule, int64_t failures);

// Seconds for Retry-After while blocked until `until_ms` (at least 1).
int retry_after_s(int64_t until_ms, int64_t now_ms);

}  // namespace palabre::domain
