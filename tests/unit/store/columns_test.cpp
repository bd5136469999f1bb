#include "store/columns.hpp"

#include <boost/test/unit_test.hpp>

namespace palabre::store {

BOOST_AUTO_TEST_SUITE(store_columns)

BOOST_AUTO_TEST_CASE(languages_survive_a_round_trip_through_json) {
  std::vector<std::string> tags = {"fr", "en", "de-CH"};
  BOOST_TEST(languages_to_json(tags) == R"(["fr","en","de-CH"])");
  BOOST_TEST(languages_from_json(languages_to_json(tags)) == tags);
}

BOOST_AUTO_TEST_CASE(a_damaged_languages_column_falls_back_to_french) {
  BOOST_TEST(languages_from_json("not json") == std::vector<std::string>{"fr"});
  BOOST_TEST(languages_from_json("[]") == std::vector<std::string>{"fr"});
  BOOST_TEST(languages_from_json(R"([1,"en"])") == std::vector<std::string>{"en"});
}

BOOST_AUTO_TEST_CASE(stream_ids_order_by_number_not_by_text) {
  BOOST_TEST(cursor_less("5-9", "5-10"));
  BOOST_TEST(!cursor_less("5-10", "5-9"));
  BOOST_TEST(cursor_less("999-0", "1000-0"));
  BOOST_TEST(!cursor_less("5-1", "5-1"));
  BOOST_TEST(cursor_less("5-1", "garbage"));
  BOOST_TEST(!cursor_less("garbage", "5-1"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::store
