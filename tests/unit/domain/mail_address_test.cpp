#include <boost/test/unit_test.hpp>

#include "domain/mail_address.hpp"

using palabre::domain::normalized_mail_address;

BOOST_AUTO_TEST_SUITE(mail_address)

BOOST_AUTO_TEST_CASE(common_addresses_are_kept_with_their_domain_lower_cased) {
  BOOST_TEST(*normalized_mail_address("Camille.Martin@Ville.Example") == "Camille.Martin@ville.example");
  BOOST_TEST(*normalized_mail_address("a+debats@sub.example.org") == "a+debats@sub.example.org");
}

BOOST_AUTO_TEST_CASE(what_cannot_go_into_a_header_or_reach_anyone_is_refused) {
  for (const char* bad : {"", "camille", "@example.org", "camille@", "camille@localhost", "ca mille@example.org",
                          "camille@example..org", ".camille@example.org", "camille.@example.org",
                          "ca..mille@example.org", "camille@-example.org", "\"c\"@example.org",
                          "camille@example.org\r\nBcc: x@example.org", "camille@[127.0.0.1]", "é@example.org",
                          "camille@exämple.org", "a<b@example.org"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!normalized_mail_address(bad)); }
  }
  BOOST_TEST(!normalized_mail_address(std::string(65, 'a') + "@example.org"));
  BOOST_TEST(!normalized_mail_address("a@" + std::string(250, 'b') + ".org"));
}

BOOST_AUTO_TEST_SUITE_END()
