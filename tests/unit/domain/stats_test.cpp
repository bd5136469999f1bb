#include <boost/test/unit_test.hpp>

#include "domain/stats.hpp"
#include "redis/keys.hpp"

using namespace palabre::domain;

BOOST_AUTO_TEST_SUITE(domain_stats)

BOOST_AUTO_TEST_CASE(counts_each_question_in_one_bucket) {
  std::vector<QuestionFacts> qs = {
      {"pending", "fr", "", false, false},
      {"published", "fr", "", true, false},
      {"published", "en", "", false, false},
      {"rejected", "fr", "off_topic", false, false},
      {"rejected", "en", "abusive", false, false},
      {"rejected", "fr", "", false, false},        // before reasons were coded: other
      {"merged", "fr", "", false, false},          // set aside as merged
      {"retracted", "fr", "", false, false},
      {"pending", "de", "", false, true},          // a silent ban's: hidden only
      {"pending", "", "", false, false},
  };
  QuestionCounts c = count_questions(qs);
  BOOST_TEST(c.received == 10);
  BOOST_TEST(c.pending == 2);
  BOOST_TEST(c.published == 2);
  BOOST_TEST(c.answered == 1);
  BOOST_TEST(c.rejected == 4);
  BOOST_TEST(c.retracted == 1);
  BOOST_TEST(c.hidden == 1);
  BOOST_TEST(c.received == c.pending + c.published + c.rejected + c.retracted + c.hidden);
  BOOST_TEST(c.by_lang.at("fr") == 6);
  BOOST_TEST(c.by_lang.at("en") == 2);
  BOOST_TEST(c.by_lang.at("de") == 1);
  BOOST_TEST(c.by_lang.at("und") == 1);
  BOOST_TEST(c.by_reason.at("off_topic") == 1);
  BOOST_TEST(c.by_reason.at("abusive") == 1);
  BOOST_TEST(c.by_reason.at("other") == 1);
  BOOST_TEST(c.by_reason.at("merged") == 1);
  BOOST_TEST(c.by_reason.at("duplicate") == 0);  // listed at zero
  BOOST_TEST(c.by_reason.size() == reported_reasons().size());
}

BOOST_AUTO_TEST_CASE(sums_the_shares_still_valid) {
  std::vector<std::pair<std::string, std::string>> shares = {
      {"w1", "3 2000"}, {"w2", "4 1500"}, {"w3", "7 999"}, {"w4", "garbage"}, {"w5", "-2 5000"}};
  BOOST_TEST(sum_watchers(shares, 1000) == 7);
  BOOST_TEST(sum_watchers(shares, 1600) == 3);
  BOOST_TEST(sum_watchers({}, 0) == 0);
  BOOST_TEST(!parse_share("1 2 3"));
  BOOST_TEST(!parse_share(""));
}

BOOST_AUTO_TEST_CASE(reads_timeline_points) {
  auto p = parse_point("60000 12 4");
  BOOST_REQUIRE(p);
  BOOST_TEST(p->t_ms == 60000);
  BOOST_TEST(p->watchers == 12);
  BOOST_TEST(p->questions == 4);
  BOOST_TEST(!parse_point("60000 12"));
  BOOST_TEST(!parse_point("a b c"));
}

BOOST_AUTO_TEST_CASE(samples_by_minute_live_and_by_quarter_around) {
  BOOST_TEST(timeline_slot_ms(Phase::live) == 60'000);
  BOOST_TEST(timeline_slot_ms(Phase::pre_questions) == 900'000);
  BOOST_TEST(timeline_slot_ms(Phase::late_questions) == 900'000);
  BOOST_TEST(timeline_slot_ms(Phase::scheduled) == 0);
  BOOST_TEST(timeline_slot_ms(Phase::closed) == 0);
  BOOST_TEST(slot_start(125'000, 60'000) == 120'000);
}

BOOST_AUTO_TEST_CASE(names_the_debate_of_a_public_stream_only) {
  namespace keys = palabre::keys;
  BOOST_TEST(keys::event_of_public_stream(keys::public_stream("budget-2027")) == "budget-2027");
  BOOST_TEST(keys::event_of_public_stream(keys::staff_stream("budget")).empty());
  BOOST_TEST(keys::event_of_public_stream("palabre:ev:{}:pub").empty());
  BOOST_TEST(keys::event_of_public_stream("other:ev:x:pub").empty());
}

BOOST_AUTO_TEST_SUITE_END()
