#include "auth/passwords.hpp"

#include <boost/test/unit_test.hpp>

#include "core/ids.hpp"

namespace palabre::auth {
namespace {
struct Crypto {
  Crypto() { ids::ensure_crypto_ready(); }
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(passwords, Crypto)

BOOST_AUTO_TEST_CASE(the_right_password_is_accepted) {
  std::string encoded = hash_password("correct horse battery staple");
  BOOST_TEST(verify_password(encoded, "correct horse battery staple"));
}

BOOST_AUTO_TEST_CASE(a_wrong_password_is_refused) {
  std::string encoded = hash_password("correct horse battery staple");
  BOOST_TEST(!verify_password(encoded, "correct horse battery stapler"));
  BOOST_TEST(!verify_password(encoded, ""));
}

BOOST_AUTO_TEST_CASE(passwords_are_hashed_with_argon2id) {
  BOOST_TEST(hash_password("pw").starts_with("$argon2id$"));
}

BOOST_AUTO_TEST_CASE(the_same_password_hashes_differently_each_time) {
  std::string a = hash_password("same");
  std::string b = hash_password("same");
  BOOST_TEST(a != b);
  BOOST_TEST(verify_password(a, "same"));
  BOOST_TEST(verify_password(b, "same"));
}

BOOST_AUTO_TEST_CASE(a_password_with_non_ascii_and_nul_bytes_round_trips) {
  const std::string password("mot de passe \xC3\xA9t\xC3\xA9\0suite", 25);
  std::string encoded = hash_password(password);
  BOOST_TEST(verify_password(encoded, password));
  BOOST_TEST(!verify_password(encoded, password.substr(0, 20)));
}

BOOST_AUTO_TEST_CASE(a_damaged_hash_refuses_every_password) {
  BOOST_TEST(!verify_password("", ""));
  BOOST_TEST(!verify_password("not a hash", "not a hash"));
  BOOST_TEST(!verify_password(std::string(500, '$'), "x"));
  std::string truncated = hash_password("pw");
  truncated.resize(truncated.size() / 2);
  BOOST_TEST(!verify_password(truncated, "pw"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::auth
