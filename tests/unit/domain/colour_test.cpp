#include <boost/test/unit_test.hpp>

#include "domain/colour.hpp"

using namespace palabre::domain;

BOOST_AUTO_TEST_SUITE(brand_colour)

BOOST_AUTO_TEST_CASE(white_on_black_and_on_white_are_the_extremes) {
  BOOST_TEST(*contrast_with_white("#000000") == 21.0, boost::test_tools::tolerance(0.01));
  BOOST_TEST(*contrast_with_white("#fff") == 1.0, boost::test_tools::tolerance(0.01));
}

BOOST_AUTO_TEST_CASE(known_colours_fall_on_the_right_side_of_aa) {
  // The European Commission's blue, white text on it: about 8.8:1.
  BOOST_TEST(*contrast_with_white("#004494") > kMinContrastWithWhite);
  // #767676 is the lightest grey that passes (4.54:1); #777777 fails (4.48:1).
  BOOST_TEST(*contrast_with_white("#767676") >= kMinContrastWithWhite);
  BOOST_TEST(*contrast_with_white("#777777") < kMinContrastWithWhite);
  // A bright yellow under white text is unreadable.
  BOOST_TEST(*contrast_with_white("#FFD700") < 2.0);
}

BOOST_AUTO_TEST_CASE(anything_but_a_hex_colour_is_refused) {
  BOOST_TEST(!contrast_with_white("004494"));
  BOOST_TEST(!contrast_with_white("#00449"));
  BOOST_TEST(!contrast_with_white("#00449g"));
  BOOST_TEST(!contrast_with_white("red"));
  BOOST_TEST(!contrast_with_white(""));
}

BOOST_AUTO_TEST_SUITE_END()
