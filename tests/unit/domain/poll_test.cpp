#include <boost/test/unit_test.hpp>

#include <functional>

#include "core/error.hpp"
#include "domain/poll.hpp"

using namespace palabre::domain;
using palabre::Code;
using palabre::Error;

namespace {
Code code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return Code::internal_error;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(poll)

BOOST_AUTO_TEST_CASE(a_poll_has_two_to_eight_distinct_options) {
  Poll p = checked_poll("  Piétonniser ?  ", {"Oui", " Non "}, false);
  BOOST_TEST(p.question == "Piétonniser ?");
  BOOST_TEST(p.options[1] == "Non");
  BOOST_TEST((code_of([] { checked_poll("Q", {"Oui"}, false); }) == Code::invalid_field));
  BOOST_TEST((code_of([] { checked_poll("Q", std::vector<std::string>(9, "x"), false); }) == Code::invalid_field));
  BOOST_TEST((code_of([] { checked_poll("Q", {"Oui", "Oui"}, false); }) == Code::invalid_field));
  BOOST_TEST((code_of([] { checked_poll("", {"a", "b"}, false); }) == Code::text_empty));
  BOOST_TEST((code_of([] { checked_poll("Q", {"a", "b\nc"}, false); }) != Code::internal_error));
}

BOOST_AUTO_TEST_CASE(a_choice_names_existing_options_once) {
  Poll single = checked_poll("Q", {"a", "b", "c"}, false);
  BOOST_TEST(checked_choice(single, {2}) == std::vector<int>{2});
  BOOST_TEST((code_of([&] { checked_choice(single, {0, 1}); }) == Code::invalid_field));
  BOOST_TEST((code_of([&] { checked_choice(single, {3}); }) == Code::invalid_field));
  BOOST_TEST((code_of([&] { checked_choice(single, {}); }) == Code::invalid_field));
  Poll multiple = checked_poll("Q", {"a", "b", "c"}, true);
  BOOST_TEST(checked_choice(multiple, {2, 0}) == (std::vector<int>{0, 2}));
  BOOST_TEST((code_of([&] { checked_choice(multiple, {1, 1}); }) == Code::invalid_field));
  BOOST_TEST((code_of([&] { checked_choice(multiple, {-1}); }) == Code::invalid_field));
}

BOOST_AUTO_TEST_CASE(a_poll_survives_a_round_trip_through_redis_fields) {
  Poll p = checked_poll("Q ?", {"Oui", "Non", "Peut-être"}, true);
  p.id = "p_1";
  p.event_id = "budget";
  p.state = PollState::closed;
  p.opened_ms = 5;
  p.closed_ms = 9;
  auto back = poll_from_fields(poll_fields(p));
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(back->options == p.options);
  BOOST_TEST(back->multiple);
  BOOST_TEST((back->state == PollState::closed));
  BOOST_TEST(back->closed_ms == 9);
  BOOST_TEST(back->results.size() == 3u);
  BOOST_TEST(!poll_from_fields({{"id", "p_2"}, {"options", "seule"}}).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
