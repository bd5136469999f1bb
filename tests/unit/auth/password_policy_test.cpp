#include "auth/password_policy.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <thread>

#include "auth/password_gate.hpp"
#include "core/error.hpp"

using namespace palabre::auth;

namespace {
std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(password_policy)

BOOST_AUTO_TEST_CASE(twelve_to_128_code_points_of_any_script) {
  BOOST_TEST(!password_problem("douze-car-ok"));
  BOOST_TEST(password_problem("onze-car-ok").has_value());
  BOOST_TEST(!password_problem(repeat("é", 128)));
  BOOST_TEST(password_problem(repeat("é", 129)).has_value());
  BOOST_TEST(password_problem(repeat("x", 129)).has_value());
  // 11 code points but 33 bytes: counted in characters.
  BOOST_TEST(password_problem("日本語のパスワードです").has_value());
  BOOST_TEST(!password_problem("日本語のパスワードです!"));
  BOOST_TEST(!password_problem("Пароль-надёжный"));
}

BOOST_AUTO_TEST_CASE(common_passwords_are_refused_whatever_their_case) {
  for (const char* p : {"motdepasse123456", "MotDePasse123456", "azerty123456", "AZERTY123456",
                        "qwertyuiop123", "password1234", "123456789012", "iloveyou123!"}) {
    BOOST_TEST(is_common_password(p), p);
    BOOST_TEST(password_problem(p).has_value(), p);
  }
  for (const char* p : {"motdepasse", "azerty123", "soleil", "123456", "password"})
    BOOST_TEST(is_common_password(p), p);
  BOOST_TEST(!is_common_password("chevaux-bleus-du-marais"));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_refused) { BOOST_TEST(password_problem("\xff\xfe long enough pw").has_value()); }

BOOST_AUTO_TEST_CASE(the_check_throws_weak_password) {
  try {
    check_password_policy("court");
    BOOST_FAIL("nothing thrown");
  } catch (const palabre::Error& e) {
    BOOST_TEST((e.code() == palabre::Code::weak_password));
  }
  check_password_policy("un-mot-de-passe-solide");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(password_gate)

BOOST_AUTO_TEST_CASE(beyond_its_places_and_queue_it_refuses_at_once) {
  PasswordGate gate(1, 0);
  auto first = gate.enter(std::chrono::milliseconds(100));
  BOOST_TEST(first.has_value());
  BOOST_TEST(!gate.enter(std::chrono::milliseconds(100)).has_value());
  first.reset();
  BOOST_TEST(gate.enter(std::chrono::milliseconds(0)).has_value());
  BOOST_TEST(gate.active_for_test() == 0);
}

BOOST_AUTO_TEST_CASE(a_waiter_gets_the_place_freed_within_its_wait) {
  PasswordGate gate(1, 1);
  std::optional<PasswordGate::Permit> held = gate.enter(std::chrono::milliseconds(0));
  BOOST_TEST_REQUIRE(held.has_value());
  std::thread freer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    held.reset();
  });
  auto waited = gate.enter(std::chrono::milliseconds(2000));
  freer.join();
  BOOST_TEST(waited.has_value());
  BOOST_TEST(gate.active_for_test() == 1);
}

BOOST_AUTO_TEST_CASE(a_waiter_gives_up_after_its_wait) {
  PasswordGate gate(1, 1);
  auto held = gate.enter(std::chrono::milliseconds(0));
  auto start = std::chrono::steady_clock::now();
  BOOST_TEST(!gate.enter(std::chrono::milliseconds(50)).has_value());
  BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(45)));
}

BOOST_AUTO_TEST_SUITE_END()
