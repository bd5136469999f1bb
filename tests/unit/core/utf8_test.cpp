#include <boost/test/unit_test.hpp>

#include "core/utf8.hpp"

using palabre::utf8::count_code_points;

BOOST_AUTO_TEST_SUITE(utf8)

BOOST_AUTO_TEST_CASE(counts_code_points_not_bytes) {
  BOOST_TEST(*count_code_points("abc") == 3u);
  BOOST_TEST(*count_code_points("élu") == 3u);
  BOOST_TEST(*count_code_points("🙂") == 1u);
}

BOOST_AUTO_TEST_CASE(rejects_malformed_sequences) {
  BOOST_TEST(!count_code_points("\xff").has_value());
  BOOST_TEST(!count_code_points("\xc3").has_value());          // truncated
  BOOST_TEST(!count_code_points("\xc0\xaf").has_value());      // overlong '/'
  BOOST_TEST(!count_code_points("\xed\xa0\x80").has_value());  // surrogate
  BOOST_TEST(!count_code_points("\xf4\x90\x80\x80").has_value());  // above U+10FFFF
}

BOOST_AUTO_TEST_SUITE_END()
