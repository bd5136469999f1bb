#include "wire/longpoll.hpp"

#include <boost/test/unit_test.hpp>

using namespace palabre::wire;

BOOST_AUTO_TEST_SUITE(wire_longpoll)

BOOST_AUTO_TEST_CASE(items_carry_cursor_type_and_data_verbatim) {
  LongPollBody body;
  body.add("1-0", "message", R"({"id":"q_1","text":"a \"b\""})");
  body.add("2-0", "retract", R"({"id":"q_1"})");
  BOOST_TEST(
      std::move(body).finish("2-0") ==
      R"({"cursor":"2-0","items":[{"cursor":"1-0","type":"message","data":{"id":"q_1","text":"a \"b\""}},)"
      R"({"cursor":"2-0","type":"retract","data":{"id":"q_1"}}]})");
}

BOOST_AUTO_TEST_CASE(empty_answer_echoes_the_request_cursor) {
  BOOST_TEST(LongPollBody{}.finish("1763913600123-0") ==
             R"({"cursor":"1763913600123-0","items":[]})");
}

BOOST_AUTO_TEST_CASE(empty_data_becomes_null_and_strings_are_escaped) {
  LongPollBody body;
  body.add("1-0", "a\"b\n", "");
  BOOST_TEST(std::move(body).finish("1-0") ==
             R"({"cursor":"1-0","items":[{"cursor":"1-0","type":"a\"b\n","data":null}]})");
}

BOOST_AUTO_TEST_SUITE_END()
