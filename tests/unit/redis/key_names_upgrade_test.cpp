#include <boost/test/unit_test.hpp>

#include "redis/key_names_upgrade.hpp"
#include "redis/keys.hpp"

namespace keys = palabre::keys;
using palabre::redis::debate_in_text;
using palabre::redis::tagged_debate_key;

BOOST_AUTO_TEST_SUITE(redis_key_names_upgrade)

BOOST_AUTO_TEST_CASE(an_old_debate_key_gets_the_debate_tag) {
  BOOST_TEST(*tagged_debate_key("palabre:ev:budget-2027:pub") == keys::public_stream("budget-2027"));
  BOOST_TEST(*tagged_debate_key("palabre:ev:b:poll:p_1:voters") == keys::poll_voters("b", "p_1"));
  BOOST_TEST(*tagged_debate_key("palabre:ev:b:vq:v_9") == keys::visitor_questions("b", "v_9"));
}

BOOST_AUTO_TEST_CASE(other_keys_and_new_names_are_left) {
  BOOST_TEST(!tagged_debate_key(keys::public_stream("b")));
  BOOST_TEST(!tagged_debate_key("palabre:q:q_1"));
  BOOST_TEST(!tagged_debate_key("palabre:ev:"));
  BOOST_TEST(!tagged_debate_key("palabre:ev::pub"));
  BOOST_TEST(!tagged_debate_key("palabre:ev:nocolon"));
  BOOST_TEST(!tagged_debate_key("other:ev:b:pub"));
}

BOOST_AUTO_TEST_CASE(finds_the_debate_of_an_applied_record) {
  BOOST_TEST(debate_in_text(R"([[],[["1-0","0-0","palabre:ev:budget:pub"]]])") == "budget");
  BOOST_TEST(debate_in_text(R"([[],[]])").empty());
  BOOST_TEST(debate_in_text(R"([[],[["1-0","0-0","palabre:ev:{budget}:pub"]]])").empty());
}

BOOST_AUTO_TEST_SUITE_END()
