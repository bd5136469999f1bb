#include <boost/test/unit_test.hpp>

#include <string>

#include "domain/image_type.hpp"

using namespace palabre::domain;
using namespace std::string_literals;

BOOST_AUTO_TEST_SUITE(image_type)

BOOST_AUTO_TEST_CASE(png_jpeg_gif_and_webp_are_recognised_by_their_magic) {
  BOOST_TEST(*sniff_image_type("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s) == "image/png");
  BOOST_TEST(*sniff_image_type("\xff\xd8\xff\xe0\0\x10JFIF"s) == "image/jpeg");
  BOOST_TEST(*sniff_image_type("GIF89a\x01\0\x01\0"s) == "image/gif");
  BOOST_TEST(*sniff_image_type("GIF87a\x01\0"s) == "image/gif");
  BOOST_TEST(*sniff_image_type("RIFF\x24\0\0\0WEBPVP8 "s) == "image/webp");
}

BOOST_AUTO_TEST_CASE(svg_html_and_truncated_files_are_refused) {
  BOOST_TEST(!sniff_image_type("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"));
  BOOST_TEST(!sniff_image_type("<?xml version=\"1.0\"?><svg/>"));
  BOOST_TEST(!sniff_image_type("<html><body>"));
  BOOST_TEST(!sniff_image_type(""));
  BOOST_TEST(!sniff_image_type("\x89PNG"s));
  BOOST_TEST(!sniff_image_type("RIFF\x24\0\0\0WAVE"s));
  BOOST_TEST(!sniff_image_type("\xff\xd8"s));
}

BOOST_AUTO_TEST_SUITE_END()
