#include <boost/test/unit_test.hpp>

#include "domain/question.hpp"

using namespace palabre::domain;

BOOST_AUTO_TEST_SUITE(question)

BOOST_AUTO_TEST_CASE(survives_a_round_trip_through_redis_fields) {
  Question q;
  q.id = "q_1";
  q.event_id = "budget";
  q.text = "Pourquoi ?";
  q.forwarded = true;
  q.created_ms = 42;
  Question back = from_fields(to_fields(q));
  BOOST_TEST(back.id == "q_1");
  BOOST_TEST(back.text == "Pourquoi ?");
  BOOST_TEST(back.forwarded);
  BOOST_TEST(!back.answered);
  BOOST_TEST(back.created_ms == 42);
}

BOOST_AUTO_TEST_CASE(only_pending_questions_can_be_published_or_rejected) {
  BOOST_TEST(allowed_from(Action::publish) == "pending");
  BOOST_TEST(allowed_from(Action::reject) == "pending");
  BOOST_TEST(allowed_from(Action::retract) == "published");
  BOOST_TEST(status_after(Action::publish) == "published");
  BOOST_TEST(status_after(Action::forward) == "");
  BOOST_TEST(!parse_action("delete").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
