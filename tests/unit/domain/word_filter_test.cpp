#include <boost/test/unit_test.hpp>

#include "core/config.hpp"
#include "core/error.hpp"
#include "domain/controls.hpp"
#include "domain/word_filter.hpp"

using namespace palabre::domain;

BOOST_AUTO_TEST_SUITE(word_filter)

BOOST_AUTO_TEST_CASE(whole_words_without_case_accents_or_punctuation) {
  std::vector<WordFilter> f = {{"con", ""}, {"Arnaque", "fr"}};
  BOOST_TEST(matching_patterns(f, "Espèce de CON !", "fr") == std::vector<std::string>{"con"});
  BOOST_TEST(matching_patterns(f, "Le conseil municipal", "fr").empty(), "not inside another word");
  BOOST_TEST(matching_patterns(f, "C'est une ARNAQUÉ", "fr") == std::vector<std::string>{"Arnaque"});
  BOOST_TEST(matching_patterns(f, "It is an arnaque", "en").empty(), "a filter for French only");
}

BOOST_AUTO_TEST_CASE(a_star_lets_a_word_go_on) {
  std::vector<WordFilter> f = {{"arnaq*", ""}, {"*voleur", ""}, {"grand escroc", ""}};
  BOOST_TEST(matching_patterns(f, "Des arnaqueurs !", "fr").size() == 1u);
  BOOST_TEST(matching_patterns(f, "un super-voleur", "fr").size() == 1u);
  BOOST_TEST(matching_patterns(f, "le grand   Escroc.", "fr").size() == 1u);
  BOOST_TEST(matching_patterns(f, "le grand escrocs", "fr").empty());
}

BOOST_AUTO_TEST_CASE(patterns_are_checked) {
  BOOST_TEST(checked_pattern("  idiot  ") == "idiot");
  BOOST_CHECK_THROW(checked_pattern("***"), palabre::Error);
  BOOST_CHECK_THROW(checked_pattern(""), palabre::Error);
  BOOST_CHECK_THROW(checked_pattern("a\nb"), palabre::Error);
}

BOOST_AUTO_TEST_CASE(the_shield_tightens_every_limit_at_once) {
  palabre::Config config;
  config.questions_per_window = 10;
  config.questions_per_address = 120;
  config.joins_per_address = 60;
  Limits normal = effective_limits(config, {0, false});
  BOOST_TEST(normal.slow_mode_s == 0);
  BOOST_TEST(normal.questions_per_window == 10);
  Limits slow = effective_limits(config, {20, false});
  BOOST_TEST(slow.slow_mode_s == 20);
  Limits shield = effective_limits(config, {20, true});
  BOOST_TEST(shield.slow_mode_s == kShieldSlowModeS);
  BOOST_TEST(shield.questions_per_window == 2);
  BOOST_TEST(shield.questions_per_address == 30);
  BOOST_TEST(shield.joins_per_address == 15);
  BOOST_TEST(effective_limits(config, {600, true}).slow_mode_s == 600, "a slower slow mode stays");
}

BOOST_AUTO_TEST_SUITE_END()
