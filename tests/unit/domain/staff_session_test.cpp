#include "domain/staff_session.hpp"

#include <boost/test/unit_test.hpp>

using namespace palabre::domain;

namespace {
constexpr int64_t kT0 = 1'763'913'600'000;
constexpr int64_t kIdle = 2 * 3600'000;
constexpr int64_t kAbsolute = 12 * 3600'000;
}  // namespace

BOOST_AUTO_TEST_SUITE(staff_session)

BOOST_AUTO_TEST_CASE(a_new_session_is_active_until_its_idle_limit) {
  SessionTimes t = new_session_times(kT0, kAbsolute);
  BOOST_TEST(t.absolute_end_ms == kT0 + kAbsolute);
  BOOST_TEST((session_state(t, kT0, kIdle) == SessionState::active));
  BOOST_TEST((session_state(t, kT0 + kIdle - 1, kIdle) == SessionState::active));
  BOOST_TEST((session_state(t, kT0 + kIdle, kIdle) == SessionState::idle_expired));
}

BOOST_AUTO_TEST_CASE(use_keeps_it_alive_but_not_past_the_absolute_limit) {
  SessionTimes t = new_session_times(kT0, kAbsolute);
  t.last_seen_ms = kT0 + kAbsolute - 1000;
  BOOST_TEST((session_state(t, kT0 + kAbsolute - 1, kIdle) == SessionState::active));
  BOOST_TEST((session_state(t, kT0 + kAbsolute, kIdle) == SessionState::absolute_expired));
}

BOOST_AUTO_TEST_CASE(a_session_without_times_is_expired) {
  BOOST_TEST((session_state(SessionTimes{}, kT0, kIdle) == SessionState::absolute_expired));
}

BOOST_AUTO_TEST_CASE(refreshes_at_most_once_a_minute_or_a_quarter_of_the_idle_limit) {
  SessionTimes t = new_session_times(kT0, kAbsolute);
  BOOST_TEST(!session_needs_refresh(t, kT0 + 59'999, kIdle));
  BOOST_TEST(session_needs_refresh(t, kT0 + 60'000, kIdle));
  BOOST_TEST(!session_needs_refresh(t, kT0 + 499, 2'000));
  BOOST_TEST(session_needs_refresh(t, kT0 + 500, 2'000));
}

BOOST_AUTO_TEST_CASE(the_key_lives_until_the_nearer_limit_plus_a_grace) {
  SessionTimes t = new_session_times(kT0, kAbsolute);
  BOOST_TEST(session_key_ttl_s(t, kT0, kIdle) == 7200 + kExpiredGraceS);
  t.last_seen_ms = kT0 + kAbsolute - 60'000;
  BOOST_TEST(session_key_ttl_s(t, kT0 + kAbsolute - 60'000, kIdle) == 60 + kExpiredGraceS);
  BOOST_TEST(session_key_ttl_s(t, kT0 + kAbsolute + 5'000, kIdle) == kExpiredGraceS);
}

BOOST_AUTO_TEST_SUITE_END()
