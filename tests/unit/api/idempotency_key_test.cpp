#include <boost/test/unit_test.hpp>

#include "api/idempotency.hpp"

using palabre::api::is_idempotency_key;

BOOST_AUTO_TEST_SUITE(idempotency_key)

BOOST_AUTO_TEST_CASE(accepts_uuids_hex_and_ulids) {
  BOOST_TEST(is_idempotency_key("3f2b8c1e-9d4a-4e6b-8f1a-2c3d4e5f6a7b"));
  BOOST_TEST(is_idempotency_key("0123456789abcdef0123456789abcdef"));
  BOOST_TEST(is_idempotency_key("01HZX3K4M5N6P7Q8R9S0T1V2W3"));
  BOOST_TEST(is_idempotency_key("ask:v_1.q-2_x"));
  BOOST_TEST(is_idempotency_key(std::string(8, 'a')));
  BOOST_TEST(is_idempotency_key(std::string(128, 'a')));
}

BOOST_AUTO_TEST_CASE(refuses_short_long_and_unusual_characters) {
  BOOST_TEST(!is_idempotency_key(""));
  BOOST_TEST(!is_idempotency_key("short"));
  BOOST_TEST(!is_idempotency_key(std::string(129, 'a')));
  BOOST_TEST(!is_idempotency_key("has space inside"));
  BOOST_TEST(!is_idempotency_key("clé-accentuée-1"));
  BOOST_TEST(!is_idempotency_key("line\nbreak12"));
  BOOST_TEST(!is_idempotency_key("semi;colon123"));
}

BOOST_AUTO_TEST_SUITE_END()
