#include <boost/test/unit_test.hpp>

#include <cstdint>

#include "domain/retention.hpp"

using namespace palabre::domain;

namespace {
constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kHour = 3600 * 1000;

Event debate() {
  Event e;
  e.starts_at_ms = 100 * kDay;
  e.ends_at_ms = 100 * kDay + 2 * kHour;
  e.late_questions_days = 2;
  e.updated_ms = 90 * kDay;
  return e;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(retention)

BOOST_AUTO_TEST_CASE(a_debate_closes_when_its_late_question_window_ends) {
  Event e = debate();
  BOOST_TEST(closed_at_ms(e) == e.ends_at_ms + 2 * kDay);
  e.late_questions_days = 0;
  BOOST_TEST(closed_at_ms(e) == e.ends_at_ms);
}

BOOST_AUTO_TEST_CASE(a_debate_closed_early_closed_at_its_last_change) {
  Event e = debate();
  e.closed = true;
  e.updated_ms = 100 * kDay + kHour;
  BOOST_TEST(closed_at_ms(e) == 100 * kDay + kHour);
  // A change after the window ended does not move the closing time.
  e.updated_ms = 200 * kDay;
  BOOST_TEST(closed_at_ms(e) == e.ends_at_ms + 2 * kDay);
}

BOOST_AUTO_TEST_CASE(the_purge_is_due_only_once_the_retention_has_passed) {
  Event e = debate();
  int64_t closed = closed_at_ms(e);
  BOOST_TEST(!purge_due(e, e.starts_at_ms, 30));
  BOOST_TEST(!purge_due(e, closed, 30));
  BOOST_TEST(!purge_due(e, closed + 30 * kDay, 30));
  BOOST_TEST(purge_due(e, closed + 30 * kDay + 1, 30));
  BOOST_TEST(purge_due(e, closed + 2 * kDay, 1));
  // Extended (ends_at moved later): no longer due.
  e.ends_at_ms += 60 * kDay;
  BOOST_TEST(!purge_due(e, closed + 31 * kDay, 30));
}

BOOST_AUTO_TEST_CASE(a_visitor_session_ends_an_hour_after_the_window) {
  Event e = debate();
  int64_t now = e.starts_at_ms;
  int64_t until = closed_at_ms(e) + kHour;
  BOOST_TEST(visitor_session_ttl_s(e, now, 30) == (until - now) / 1000);
  // Never more than the configured maximum...
  BOOST_TEST(visitor_session_ttl_s(e, now - 60 * kDay, 30) == 30 * 86400);
  // ...and never less than the grace, even joining a closed debate.
  BOOST_TEST(visitor_session_ttl_s(e, until + 10 * kDay, 30) == 3600);
  BOOST_TEST(visitor_session_ttl_s(e, until - 1000, 30) == 3600);
}

BOOST_AUTO_TEST_SUITE_END()
