#include "wire/fanout.hpp"

#include <boost/test/unit_test.hpp>

using namespace palabre::wire;
using palabre::StreamId;
using palabre::parse_stream_id;

BOOST_AUTO_TEST_SUITE(wire_fanout)

BOOST_AUTO_TEST_CASE(published_entry_carries_key_id_prev_type_and_data) {
  auto msg = parse_fanout_message(
      "palabre:ev:{demo}:pub\n1763913600123-0\n1763913600100-3\nmessage\n{\"a\":1}");
  auto* e = std::get_if<PublishedEntry>(&msg);
  BOOST_TEST_REQUIRE(e != nullptr);
  BOOST_TEST(e->stream_key == "palabre:ev:{demo}:pub");
  BOOST_TEST(e->id_text == "1763913600123-0");
  BOOST_TEST((e->id == StreamId{1763913600123, 0}));
  BOOST_TEST((e->prev == StreamId{1763913600100, 3}));
  BOOST_TEST(e->type == "message");
  BOOST_TEST(e->data == "{\"a\":1}");
}

BOOST_AUTO_TEST_CASE(first_entry_of_a_stream_has_prev_zero) {
  auto msg = parse_fanout_message("k\n5-0\n0-0\nphase\n{}");
  auto* e = std::get_if<PublishedEntry>(&msg);
  BOOST_TEST_REQUIRE(e != nullptr);
  BOOST_TEST((e->prev == StreamId{0, 0}));
}

BOOST_AUTO_TEST_CASE(close_visitor_names_event_and_visitor) {
  auto msg = parse_fanout_message("!close-visitor\ndemo\nv_abc");
  auto* c = std::get_if<CloseVisitor>(&msg);
  BOOST_TEST_REQUIRE(c != nullptr);
  BOOST_TEST(c->event_id == "demo");
  BOOST_TEST(c->visitor_id == "v_abc");
}

BOOST_AUTO_TEST_CASE(close_staff_names_a_session_or_an_invite) {
  auto msg = parse_fanout_message("!close-staff\nsession\nabc123");
  auto* c = std::get_if<CloseStaff>(&msg);
  BOOST_TEST_REQUIRE(c != nullptr);
  BOOST_TEST(c->kind == "session");
  BOOST_TEST(c->value == "abc123");
  msg = parse_fanout_message("!close-staff\ninvite\ninv_0123456789ab");
  c = std::get_if<CloseStaff>(&msg);
  BOOST_TEST_REQUIRE(c != nullptr);
  BOOST_TEST(c->kind == "invite");
  BOOST_TEST(c->value == "inv_0123456789ab");
}

BOOST_AUTO_TEST_CASE(close_staff_of_an_unknown_kind_is_ignored) {
  for (const char* bad : {"!close-staff\nlogin\nada", "!close-staff\nsession", "!close-staff\nsession\n",
                          "!close-staff\ninvite\na\nb"})
    BOOST_TEST(std::holds_alternative<std::monostate>(parse_fanout_message(bad)), "accepted " << bad);
}

BOOST_AUTO_TEST_CASE(unknown_control_messages_and_malformed_payloads_are_ignored) {
  for (const char* bad : {"", "k", "k\n1-0\n0-0\n", "k\nx\n0-0\nt\n{}", "k\n1-0\nbad\nt\n{}",
                          "k\n1-0\n0-0\n\n{}", "!reset\nk", "!close-visitor\ndemo",
                          "!close-visitor\n\nv", "!close-visitor\ne\nv\nextra"}) {
    BOOST_TEST(std::holds_alternative<std::monostate>(parse_fanout_message(bad)),
               "accepted " << bad);
  }
}

BOOST_AUTO_TEST_SUITE_END()
