#include <boost/test/unit_test.hpp>

#include "audit/line.hpp"

using namespace palabre::audit;

BOOST_AUTO_TEST_SUITE(audit_line)

BOOST_AUTO_TEST_CASE(an_entry_reads_back_as_the_row_it_becomes) {
  Line line{"moderator:Anne", "edit", "q_1", {{"before", "Pourquoi ?"}, {"after", "Pourquoi donc ?"}}, 1234};
  auto row = from_stream_entry("budget", "1700000000000-3", to_stream_fields(line));
  BOOST_REQUIRE(row.has_value());
  BOOST_TEST(row->event_id == "budget");
  BOOST_TEST(row->stream_id == "1700000000000-3");
  BOOST_TEST(row->actor == "moderator:Anne");
  BOOST_TEST(row->action == "edit");
  BOOST_TEST(row->target == "q_1");
  BOOST_TEST(row->at_ms == 1234);
  BOOST_TEST(row->details_json == R"({"before":"Pourquoi ?","after":"Pourquoi donc ?"})");
}

BOOST_AUTO_TEST_CASE(empty_details_are_left_out_and_text_is_escaped) {
  BOOST_TEST(details_json({{"reason", ""}, {"note", "\"<b>\"\n"}}) == R"({"note":"\"<b>\"\n"})");
  BOOST_TEST(details_json({}) == "{}");
}

BOOST_AUTO_TEST_CASE(an_entry_without_action_or_time_is_refused) {
  BOOST_TEST(!from_stream_entry("e", "1-0", {{"actor", "a"}, {"at", "5"}}).has_value());
  BOOST_TEST(!from_stream_entry("e", "1-0", {{"action", "ban"}, {"at", "x"}}).has_value());
  BOOST_TEST(from_stream_entry("e", "1-0", {{"action", "ban"}, {"at", "5"}}).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
