#include "core/stream_id.hpp"

#include <boost/test/unit_test.hpp>

using namespace palabre;

BOOST_AUTO_TEST_SUITE(stream_id)

BOOST_AUTO_TEST_CASE(parses_ms_and_seq) {
  auto id = parse_stream_id("1763913600123-7");
  BOOST_TEST_REQUIRE(id.has_value());
  BOOST_TEST(id->ms == 1763913600123u);
  BOOST_TEST(id->seq == 7u);
  BOOST_TEST(id->to_string() == "1763913600123-7");
}

BOOST_AUTO_TEST_CASE(zero_means_the_very_beginning) {
  BOOST_TEST((parse_stream_id("0") == StreamId{0, 0}));
  BOOST_TEST((parse_stream_id("0-0") == StreamId{0, 0}));
  BOOST_TEST((parse_stream_id("5") == StreamId{5, 0}));
}

BOOST_AUTO_TEST_CASE(compares_numerically_not_as_text) {
  BOOST_TEST((*parse_stream_id("999-0") < *parse_stream_id("1000-0")));
  BOOST_TEST((*parse_stream_id("1000-2") < *parse_stream_id("1000-10")));
  BOOST_TEST((*parse_stream_id("1000-10") > *parse_stream_id("999-99")));
}

BOOST_AUTO_TEST_CASE(handles_the_full_uint64_range) {
  auto id = parse_stream_id("18446744073709551615-18446744073709551615");
  BOOST_TEST_REQUIRE(id.has_value());
  BOOST_TEST(id->ms == UINT64_MAX);
  BOOST_TEST(!parse_stream_id("18446744073709551616-0").has_value());
}

BOOST_AUTO_TEST_CASE(rejects_malformed_ids) {
  for (const char* bad :
       {"", "-", "1-", "-1", "a-1", "1-a", "1-2-3", " 1-2", "1-2 ", "+1-2", "1--2", "0x1-0"}) {
    BOOST_TEST(!parse_stream_id(bad).has_value(), "accepted " << bad);
  }
}

BOOST_AUTO_TEST_SUITE_END()
