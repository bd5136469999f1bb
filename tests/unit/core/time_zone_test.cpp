#include <boost/test/unit_test.hpp>

#include "core/time_zone.hpp"

using palabre::tz::is_known_time_zone;

BOOST_AUTO_TEST_SUITE(time_zones)

// True whether or not tzdata is installed (without it, well-formed names pass).
BOOST_AUTO_TEST_CASE(real_zones_are_known) {
  BOOST_TEST(is_known_time_zone("Europe/Paris"));
  BOOST_TEST(is_known_time_zone("America/Argentina/Buenos_Aires"));
  BOOST_TEST(is_known_time_zone("UTC"));
}

BOOST_AUTO_TEST_CASE(names_that_leave_the_directory_or_are_malformed_are_refused) {
  BOOST_TEST(!is_known_time_zone(""));
  BOOST_TEST(!is_known_time_zone("../../etc/passwd"));
  BOOST_TEST(!is_known_time_zone("/etc/passwd"));
  BOOST_TEST(!is_known_time_zone("Europe/"));
  BOOST_TEST(!is_known_time_zone("Europe//Paris"));
  BOOST_TEST(!is_known_time_zone("Europe/Paris Berlin"));
  BOOST_TEST(!is_known_time_zone("Europe/.hidden"));
  BOOST_TEST(!is_known_time_zone("A/B/C/D"));
  BOOST_TEST(!is_known_time_zone(std::string(65, 'a')));
}

BOOST_AUTO_TEST_SUITE_END()
