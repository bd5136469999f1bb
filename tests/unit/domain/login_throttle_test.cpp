#include "domain/login_throttle.hpp"

#include <boost/test/unit_test.hpp>

using namespace palabre::domain;

BOOST_AUTO_TEST_SUITE(login_throttle)

BOOST_AUTO_TEST_CASE(the_first_failures_cost_nothing) {
  for (int64_t n = 0; n <= kLoginAddressRule.free_failures; ++n)
    BOOST_TEST(throttle_delay_ms(kLoginAddressRule, n) == 0);
}

BOOST_AUTO_TEST_CASE(then_one_second_doubling_up_to_fifteen_minutes) {
  BOOST_TEST(throttle_delay_ms(kLoginAddressRule, 6) == 1'000);
  BOOST_TEST(throttle_delay_ms(kLoginAddressRule, 7) == 2'000);
  BOOST_TEST(throttle_delay_ms(kLoginAddressRule, 8) == 4'000);
  BOOST_TEST(throttle_delay_ms(kLoginAddressRule, 15) == 512'000);
  BOOST_TEST(throttle_delay_ms(kLoginAddressRule, 16) == 900'000);
  BOOST_TEST(throttle_delay_ms(kLoginAddressRule, 1'000'000) == 900'000);
}

BOOST_AUTO_TEST_CASE(a_login_attacked_from_everywhere_waits_at_most_a_minute) {
  BOOST_TEST(throttle_delay_ms(kLoginRule, kLoginRule.free_failures) == 0);
  BOOST_TEST(throttle_delay_ms(kLoginRule, kLoginRule.free_failures + 1) == 1'000);
  for (int64_t n = 0; n < 10'000; n += 37) BOOST_TEST(throttle_delay_ms(kLoginRule, n) <= 60'000);
  BOOST_TEST(throttle_delay_ms(kLoginRule, 10'000) == 60'000);
}

BOOST_AUTO_TEST_CASE(the_rules_are_ordered_from_strict_to_loose) {
  BOOST_TEST(kLoginAddressRule.free_failures < kLoginRule.free_failures);
  BOOST_TEST(kLoginRule.free_failures < kAddressRule.free_failures);
  BOOST_TEST(kLoginRule.max_delay_ms < kLoginAddressRule.max_delay_ms);
}

BOOST_AUTO_TEST_CASE(retry_after_rounds_up_and_is_never_zero) {
  BOOST_TEST(retry_after_s(10'000, 9'001) == 1);
  BOOST_TEST(retry_after_s(10'000, 8'999) == 2);
  BOOST_TEST(retry_after_s(10'000, 10'000) == 1);
  BOOST_TEST(retry_after_s(10'000, 20'000) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
