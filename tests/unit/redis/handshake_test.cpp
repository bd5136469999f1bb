// What a new Redis connection sends first, and which answers let it go on.
#include "redis/handshake.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using palabre::Config;
using palabre::redis::handshake_commands;
using palabre::redis::handshake_failure;
using palabre::redis::Step;

namespace {

// A reply built by hand (hiredis frees nothing here: the test owns it).
redisReply text_reply(int type, std::string& text) {
  redisReply r{};
  r.type = type;
  r.str = text.data();
  r.len = text.size();
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_handshake)

BOOST_AUTO_TEST_CASE(nothing_to_say_without_password_db_or_sentinels) {
  Config c;
  BOOST_TEST(handshake_commands(c, true).empty());
}

BOOST_AUTO_TEST_CASE(auth_select_and_role_in_that_order) {
  Config c;
  c.redis_password = "pw";
  c.redis_user = "palabre";
  c.redis_db = 3;
  c.redis_sentinels = {{"127.0.0.1", 26379}};
  auto steps = handshake_commands(c, true);
  BOOST_TEST_REQUIRE(steps.size() == 3u);
  BOOST_TEST((steps[0].argv == std::vector<std::string>{"AUTH", "palabre", "pw"}));
  BOOST_TEST((steps[1].argv == std::vector<std::string>{"SELECT", "3"}));
  BOOST_TEST((steps[2].argv == std::vector<std::string>{"ROLE"}));
  // Pub/Sub ignores databases: no SELECT.
  BOOST_TEST(handshake_commands(c, false).size() == 2u);
  c.redis_user.clear();
  BOOST_TEST((handshake_commands(c, false)[0].argv == std::vector<std::string>{"AUTH", "pw"}));
}

BOOST_AUTO_TEST_CASE(an_error_or_a_replica_stops_the_connection) {
  Config c;
  std::string ok = "OK";
  redisReply status = text_reply(REDIS_REPLY_STATUS, ok);
  BOOST_TEST(handshake_failure(c, Step::auth, &status).empty());
  std::string wrong = "WRONGPASS invalid username-password pair or user is disabled.";
  redisReply error = text_reply(REDIS_REPLY_ERROR, wrong);
  BOOST_TEST(handshake_failure(c, Step::auth, &error) == wrong);
  BOOST_TEST(!handshake_failure(c, Step::auth, nullptr).empty());

  std::string master = "master", slave = "slave";
  redisReply role_master = text_reply(REDIS_REPLY_STRING, master);
  redisReply role_slave = text_reply(REDIS_REPLY_STRING, slave);
  redisReply* first_master[] = {&role_master};
  redisReply* first_slave[] = {&role_slave};
  redisReply roles{};
  roles.type = REDIS_REPLY_ARRAY;
  roles.elements = 1;
  roles.element = first_master;
  BOOST_TEST(handshake_failure(c, Step::role, &roles).empty());
  roles.element = first_slave;
  BOOST_TEST(handshake_failure(c, Step::role, &roles) == "not the master (ROLE says slave)");
  BOOST_TEST(!handshake_failure(c, Step::role, &status).empty());
}

BOOST_AUTO_TEST_SUITE_END()
