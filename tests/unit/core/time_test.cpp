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

// Found by fuzz/rfc3339.cpp: what we write must parse back to the same second.
BOOST_AUTO_TEST_CASE(writes_four_digit_years_and_rounds_down_before_1970) {
  auto year0 = parse_rfc3339("0000-01-01T00:00:00Z");
  BOOST_REQUIRE(year0.has_value());
  BOOST_TEST(format_rfc3339(*year0) == "0000-01-01T00:00:00Z");
  BOOST_TEST(format_rfc3339(*parse_rfc3339("0999-06-01T12:30:00Z")) == "0999-06-01T12:30:00Z");
  BOOST_TEST(format_ical(*year0) == "00000101T000000Z");
  BOOST_TEST(format_rfc3339(-500) == "1969-12-31T23:59:59Z");
  BOOST_TEST(format_rfc3339(-1000) == "1969-12-31T23:59:59Z");
  BOOST_TEST(format_rfc3339(-1001) == "1969-12-31T23:59:58Z");
  BOOST_TEST(format_ical(-500) == "19691231T235959Z");
  BOOST_TEST(*parse_rfc3339(format_rfc3339(-500)) == -1000);
}

BOOST_AUTO_TEST_SUITE_END()
