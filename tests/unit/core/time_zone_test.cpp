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

BOOST_AUTO_TEST_SUITE(offsets)

// 2026-01-15 12:00 UTC and 2026-07-15 12:00 UTC.
constexpr int64_t kWinter = 1768478400;
constexpr int64_t kSummer = 1784116800;

BOOST_AUTO_TEST_CASE(follow_summer_time_where_there_is_one) {
  BOOST_TEST(palabre::tz::utc_offset_s("Europe/Paris", kWinter).value_or(-1) == 3600);
  BOOST_TEST(palabre::tz::utc_offset_s("Europe/Paris", kSummer).value_or(-1) == 7200);
  BOOST_TEST(palabre::tz::utc_offset_s("America/New_York", kWinter).value_or(-1) == -5 * 3600);
  BOOST_TEST(palabre::tz::utc_offset_s("America/New_York", kSummer).value_or(-1) == -4 * 3600);
  // The southern hemisphere: summer in January.
  BOOST_TEST(palabre::tz::utc_offset_s("Australia/Sydney", kWinter).value_or(-1) == 11 * 3600);
}

BOOST_AUTO_TEST_CASE(keep_a_fixed_offset_forever) {
  BOOST_TEST(palabre::tz::utc_offset_s("America/Cayenne", kSummer).value_or(-1) == -3 * 3600);
  BOOST_TEST(palabre::tz::utc_offset_s("Asia/Kolkata", kWinter).value_or(-1) == 19800);
  BOOST_TEST(palabre::tz::utc_offset_s("UTC", kSummer).value_or(-1) == 0);
  // Far in the future, a zone without summer time still answers.
  BOOST_TEST(palabre::tz::utc_offset_s("Asia/Tokyo", 4102444800).value_or(-1) == 9 * 3600);
}

BOOST_AUTO_TEST_CASE(say_nothing_for_an_unknown_zone_or_a_path) {
  BOOST_TEST(!palabre::tz::utc_offset_s("Mars/Olympus_Mons", kWinter));
  BOOST_TEST(!palabre::tz::utc_offset_s("../../etc/passwd", kWinter));
  BOOST_TEST(!palabre::tz::utc_offset_s("", kWinter));
}

BOOST_AUTO_TEST_SUITE_END()
