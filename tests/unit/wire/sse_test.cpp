#include "wire/sse.hpp"

#include <boost/test/unit_test.hpp>

using namespace palabre::wire;

BOOST_AUTO_TEST_SUITE(wire_sse)

BOOST_AUTO_TEST_CASE(event_frame_has_id_event_and_data_lines_then_a_blank_line) {
  BOOST_TEST(sse_event("1763913600123-0", "message", R"({"id":"q_1"})") ==
             "id: 1763913600123-0\nevent: message\ndata: {\"id\":\"q_1\"}\n\n");
}

BOOST_AUTO_TEST_CASE(ping_is_a_comment) { BOOST_TEST(sse_ping() == ": ping\n\n"); }

BOOST_AUTO_TEST_CASE(retry_hint_in_milliseconds) {
  BOOST_TEST(sse_retry(3000) == "retry: 3000\n\n");
}

BOOST_AUTO_TEST_CASE(hello_names_the_ping_interval_and_carries_no_id) {
  BOOST_TEST(sse_hello(15) == "event: hello\ndata: {\"ping_s\":15}\n\n");
  BOOST_TEST(sse_hello(1) == "event: hello\ndata: {\"ping_s\":1}\n\n");
}

BOOST_AUTO_TEST_CASE(line_breaks_in_data_become_separate_data_lines) {
  BOOST_TEST(sse_event("1-0", "t", "a\nb\r\nc\rd") ==
             "id: 1-0\nevent: t\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
}

BOOST_AUTO_TEST_CASE(line_breaks_in_id_or_type_cannot_forge_fields) {
  BOOST_TEST(sse_event("1-0\ndata: x", "t\nid: 9", "{}") ==
             "id: 1-0data: x\nevent: tid: 9\ndata: {}\n\n");
}

BOOST_AUTO_TEST_SUITE_END()
