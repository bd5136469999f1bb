#include <boost/test/unit_test.hpp>

#include "wire/frames.hpp"

using palabre::wire::message_json;

BOOST_AUTO_TEST_SUITE(wire_frames)

BOOST_AUTO_TEST_CASE(public_message_escapes_text_as_json) {
  std::string json = message_json("q_1", "question", "Camille", "<script>\"x\"</script>", "fr", "", 0);
  BOOST_TEST(json == R"({"id":"q_1","kind":"question","author":"Camille","text":"<script>\"x\"</script>","lang":"fr","reply_to":null,"ts":"1970-01-01T00:00:00Z"})");
}

BOOST_AUTO_TEST_SUITE_END()
