#include <boost/test/unit_test.hpp>

#include <cstdint>

#include "domain/event.hpp"

using namespace palabre::domain;

namespace {
constexpr int64_t kDay = 24LL * 3600 * 1000;

Event debate() {
  Event e;
  e.starts_at_ms = 10'000;
  e.ends_at_ms = 20'000;
  e.late_questions_days = 2;
  return e;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(event_phases)

BOOST_AUTO_TEST_CASE(the_next_change_is_the_next_boundary_of_the_schedule) {
  Event e = debate();
  BOOST_TEST(next_phase_change_ms(e, 0) == 10'000);
  BOOST_TEST(next_phase_change_ms(e, 9'999) == 10'000);
  // At a boundary the phase has already changed: the next one counts.
  BOOST_TEST(next_phase_change_ms(e, 10'000) == 20'000);
  BOOST_TEST(next_phase_change_ms(e, 20'000) == 20'000 + 2 * kDay);
  BOOST_TEST(next_phase_change_ms(e, 20'000 + 2 * kDay) == INT64_MAX);
}

BOOST_AUTO_TEST_CASE(the_phase_is_the_same_until_the_next_change) {
  Event e = debate();
  for (int64_t now : {int64_t{0}, int64_t{10'000}, int64_t{15'000}, int64_t{20'000}, 20'000 + kDay}) {
    int64_t next = next_phase_change_ms(e, now);
    BOOST_TEST((phase_of(e, next - 1) == phase_of(e, now)), now);
    BOOST_TEST((phase_of(e, next) != phase_of(e, now)), now);
  }
}

BOOST_AUTO_TEST_CASE(a_debate_without_late_questions_or_closed_early) {
  Event e = debate();
  e.late_questions_days = 0;
  BOOST_TEST(next_phase_change_ms(e, 15'000) == 20'000);
  BOOST_TEST(next_phase_change_ms(e, 20'000) == INT64_MAX);
  e.closed = true;
  BOOST_TEST(next_phase_change_ms(e, 0) == INT64_MAX);
}

BOOST_AUTO_TEST_SUITE_END()
