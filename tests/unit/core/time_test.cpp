#include <boost/test/unit_test.hpp>

#include "core/time.hpp"

using namespace palabre::timefmt;

BOOST_AUTO_TEST_SUITE(rfc3339)

BOOST_AUTO_TEST_CASE(parses_utc_and_offsets_to_the_same_instant) {
  auto utc = parse_rfc3339("2026-11-23T18:00:00Z");
  auto paris = parse_rfc3339("2026-11-23T19:00:00+01:00");
  BOOST_REQUIRE(utc.has_value());
  BOOST_TEST(*utc == *paris);
  BOOST_TEST(*parse_rfc3339("2026-11-23T18:00:00.250Z") == *utc + 250);
  BOOST_TEST(format_rfc3339(*utc) == "2026-11-23T18:00:00Z");
  BOOST_TEST(format_ical(*utc) == "20261123T180000Z");
}

BOOST_AUTO_TEST_CASE(refuses_dates_that_do_not_exist_or_lack_a_zone) {
  BOOST_TEST(!parse_rfc3339("2026-02-30T10:00:00Z").has_value());
  BOOST_TEST(!parse_rfc3339("2026-11-23T18:00:00").has_value());
  BOOST_TEST(!parse_rfc3339("tomorrow").has_value());
  BOOST_TEST(!parse_rfc3339("2026-11-23T18:00:00Zjunk").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
