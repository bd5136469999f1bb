#include <boost/test/unit_test.hpp>

#include "http/html.hpp"

using namespace palabre;

BOOST_AUTO_TEST_SUITE(http_html)

BOOST_AUTO_TEST_CASE(escapes_markup_and_both_quotes_byte_for_byte) {
  BOOST_TEST(http::html::escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  BOOST_TEST(http::html::escape("a \"b\" & c") == "a &quot;b&quot; &amp; c");
  BOOST_TEST(http::html::escape("&amp;") == "&amp;amp;");
}

BOOST_AUTO_TEST_CASE(keeps_text_and_utf8_as_they_are) {
  BOOST_TEST(http::html::escape("") == "");
  BOOST_TEST(http::html::escape("Élodie\n\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85") == "Élodie\n\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85");
  std::string out = "<p>";
  http::html::append_escaped(out, "1 < 2");
  BOOST_TEST(out == "<p>1 &lt; 2");
}

BOOST_AUTO_TEST_SUITE_END()
