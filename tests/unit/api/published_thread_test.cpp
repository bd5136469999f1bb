#include <boost/test/unit_test.hpp>

#include "api/published_thread.hpp"

using palabre::api::fold_thread;
using palabre::redis::StreamEntry;

namespace {
StreamEntry msg(const char* id, const char* kind, const char* text, const char* reply_to = nullptr) {
  std::string data = std::string(R"({"id":")") + id + R"(","kind":")" + kind + R"(","author":"Lou","text":")" + text +
                     R"(","lang":"fr","reply_to":)" + (reply_to ? std::string("\"") + reply_to + "\"" : "null") +
                     R"(,"ts":"2026-11-23T18:00:00Z"})";
  return {"1-0", "message", data};
}
StreamEntry retract(const char* id) { return {"1-0", "retract", std::string(R"({"id":")") + id + "\"}"}; }
}  // namespace

BOOST_AUTO_TEST_SUITE(published_thread)

BOOST_AUTO_TEST_CASE(answers_hang_under_their_question_in_order) {
  auto t = fold_thread({msg("q1", "question", "A"), msg("n1", "announcement", "B"), msg("a1", "answer", "C", "q1"),
                        {"2-0", "phase", R"({"phase":"live"})"}, msg("a2", "answer", "D", "q1")});
  BOOST_REQUIRE_EQUAL(t.top.size(), 2u);
  BOOST_TEST(t.messages[t.top[0]].id == "q1");
  BOOST_TEST(t.messages[t.top[1]].id == "n1");
  const auto& answers = t.messages[t.top[0]].answers;
  BOOST_REQUIRE_EQUAL(answers.size(), 2u);
  BOOST_TEST(t.messages[answers[0]].text == "C");
  BOOST_TEST(t.messages[answers[1]].text == "D");
  BOOST_TEST(t.messages[answers[1]].reply_to == "q1");
}

BOOST_AUTO_TEST_CASE(leaves_out_retracted_messages_and_their_answers) {
  auto t = fold_thread({msg("q1", "question", "A"), msg("a1", "answer", "C", "q1"), msg("q2", "question", "B"),
                        retract("q1")});
  BOOST_REQUIRE_EQUAL(t.top.size(), 1u);
  BOOST_TEST(t.messages[t.top[0]].id == "q2");
  for (const auto& m : t.messages) BOOST_TEST(m.id != "a1");
}

BOOST_AUTO_TEST_CASE(a_message_published_again_keeps_its_place_with_the_new_text) {
  StreamEntry again{"3-0", "message",
                    R"({"id":"q1","kind":"question","author":"Lou","text":"A2","lang":"fr","reply_to":null,"ts":"x","edited":true})"};
  auto t = fold_thread({msg("q1", "question", "A"), msg("q2", "question", "B"), again});
  BOOST_REQUIRE_EQUAL(t.top.size(), 2u);
  BOOST_TEST(t.messages[t.top[0]].text == "A2");
  BOOST_TEST(t.messages[t.top[0]].edited);
  BOOST_TEST(!t.messages[t.top[1]].edited);
}

BOOST_AUTO_TEST_CASE(an_answer_without_its_question_stands_alone_and_junk_is_skipped) {
  auto t = fold_thread({{"1-0", "message", "not json"}, {"1-1", "message", "[1]"}, msg("a1", "answer", "C", "q9")});
  BOOST_REQUIRE_EQUAL(t.top.size(), 1u);
  BOOST_TEST(t.messages[t.top[0]].id == "a1");
}

BOOST_AUTO_TEST_CASE(a_poll_keeps_the_place_it_opened_at_and_the_results_of_its_last_frame) {
  const char* open = R"({"id":"p1","question":"Piétonniser ?","options":["Oui","Non"],"multiple":false,"state":"open","results":[0,0],"votes":0,"opened_at":"2026-11-23T18:00:00Z"})";
  const char* counted = R"({"id":"p1","question":"Piétonniser ?","options":["Oui","Non"],"multiple":false,"state":"open","results":[3,1],"votes":4,"opened_at":"2026-11-23T18:00:00Z"})";
  const char* closed = R"({"id":"p1","question":"Piétonniser ?","options":["Oui","Non"],"multiple":false,"state":"closed","results":[5,2],"votes":7,"opened_at":"2026-11-23T18:00:00Z"})";
  auto t = fold_thread({msg("q1", "question", "A"), {"2-0", "poll", open}, msg("q2", "question", "B"),
                        {"3-0", "poll", counted}, {"4-0", "poll", closed}});
  BOOST_REQUIRE_EQUAL(t.top.size(), 3u);
  const auto& p = t.messages[t.top[1]];
  BOOST_TEST(p.kind == "poll");
  BOOST_TEST(p.text == "Piétonniser ?");
  BOOST_REQUIRE(p.poll.has_value());
  BOOST_TEST(p.poll->closed);
  BOOST_TEST(p.poll->results[0] == 5);
  BOOST_TEST(p.poll->votes == 7);
  BOOST_TEST(palabre::api::poll_summary(*p.poll) == "Oui: 5 · Non: 2");
  BOOST_TEST(p.raw.find(R"("poll":{"id":"p1")") != std::string::npos);
  BOOST_TEST(palabre::api::poll_results_html(*p.poll).find("<span class=\"poll-count\">5</span>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
