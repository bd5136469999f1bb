#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "http/json.hpp"

using namespace palabre;

BOOST_AUTO_TEST_SUITE(http_json)

// Found by fuzz/json_body.cpp: RapidJSON decoded "\udc00" into the bytes of a
// surrogate, so a question could hold text that is not UTF-8.
BOOST_AUTO_TEST_CASE(refuses_escaped_lone_surrogates_as_invalid_utf8) {
  for (const char* body : {R"({"text":"\udc00"})", R"({"text":"a\ude00b"})", R"({"\udfff":"x"})",
                           R"({"a":[{"b":"\udc01"}]})"}) {
    BOOST_TEST_CONTEXT(body) {
      try {
        http::parse_object(body);
        BOOST_FAIL("accepted");
      } catch (const Error& e) {
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(Code::invalid_utf8));
      }
    }
  }
  // A high surrogate without its low half is refused by RapidJSON itself.
  BOOST_CHECK_THROW(http::parse_object(R"({"text":"\ud83d"})"), Error);
  // A pair is one character.
  auto doc = http::parse_object(R"({"text":"\ud83d\ude00 \u00e9"})");
  BOOST_TEST(*http::get_string(doc, "text") == "\xF0\x9F\x98\x80 \xC3\xA9");
}

// Found by fuzz/json_body.cpp: RapidJSON read 2e308 as infinity, which its
// writer cannot write back (to_json stopped at "{\"x\":").
BOOST_AUTO_TEST_CASE(refuses_numbers_beyond_double_as_invalid_json) {
  for (const char* body : {R"({"x":2e308})", R"({"x":[-1e999]})", R"({"a":{"b":1e400}})"}) {
    BOOST_TEST_CONTEXT(body) {
      try {
        http::parse_object(body);
        BOOST_FAIL("accepted");
      } catch (const Error& e) {
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(Code::invalid_json));
      }
    }
  }
  auto doc = http::parse_object(R"({"x":1e308,"y":-0.0,"z":18446744073709551616})");
  BOOST_TEST(http::to_json(doc).back() == '}');
}

BOOST_AUTO_TEST_SUITE_END()
