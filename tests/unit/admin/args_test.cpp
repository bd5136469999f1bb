#include "admin/args.hpp"

#include <boost/test/unit_test.hpp>

namespace palabre::admin {
namespace {
Args parse(std::initializer_list<std::string_view> words) { return parse_args(words); }

bool is_usage_error(std::initializer_list<std::string_view> words) {
  try {
    parse_args(words);
  } catch (const UsageError&) {
    return true;
  }
  return false;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(admin_args)

BOOST_AUTO_TEST_CASE(reads_a_command_with_its_options_in_both_spellings) {
  Args a = parse({"invite", "--event", "demo", "--base-url=https://x.example/", "--label", "A b"});
  BOOST_TEST(a.command == "invite");
  BOOST_TEST(a.value("event") == "demo");
  BOOST_TEST(a.value("base-url") == "https://x.example/");
  BOOST_TEST(a.value("label") == "A b");
  BOOST_TEST(a.value("absent") == "");
}

BOOST_AUTO_TEST_CASE(db_may_come_before_or_after_the_command) {
  BOOST_TEST(*parse({"--db", "/tmp/a.db", "migrate"}).db == "/tmp/a.db");
  BOOST_TEST(*parse({"migrate", "--db=/tmp/b.db"}).db == "/tmp/b.db");
  BOOST_TEST(!parse({"migrate"}).db.has_value());
}

BOOST_AUTO_TEST_CASE(reads_flags) {
  Args a = parse({"create-admin", "--login", "ada", "--password-stdin", "--if-missing"});
  BOOST_TEST(a.flag("password-stdin"));
  BOOST_TEST(a.flag("if-missing"));
  BOOST_TEST(!parse({"create-admin", "--login", "ada"}).flag("if-missing"));
}

BOOST_AUTO_TEST_CASE(help_wins_over_everything_else) {
  BOOST_TEST(parse({"--help"}).help);
  BOOST_TEST(parse({"-h"}).help);
  BOOST_TEST(parse({"token", "--help"}).help);
  BOOST_TEST(parse({"nonsense", "--help"}).help);
}

BOOST_AUTO_TEST_CASE(a_json_body_is_taken_verbatim) {
  Args a = parse({"create-event", "--json", R"({"title":"--x","id":"demo"})", "--if-missing"});
  BOOST_TEST(a.value("json") == R"({"title":"--x","id":"demo"})");
}

BOOST_AUTO_TEST_CASE(refuses_what_it_does_not_understand) {
  BOOST_TEST(is_usage_error({}));
  BOOST_TEST(is_usage_error({"frobnicate"}));
  BOOST_TEST(is_usage_error({"migrate", "extra"}));
  BOOST_TEST(is_usage_error({"migrate", "--login", "ada"}));
  BOOST_TEST(is_usage_error({"migrate", "--if-missing"}));
  BOOST_TEST(is_usage_error({"migrate", "--verbose"}));
  BOOST_TEST(is_usage_error({"token"}));
  BOOST_TEST(is_usage_error({"token", "--login"}));
  BOOST_TEST(is_usage_error({"token", "--login", "a", "--login", "b"}));
  BOOST_TEST(is_usage_error({"create-admin", "--login", "ada", "--if-missing=yes"}));
  BOOST_TEST(is_usage_error({"invite", "--event", "demo"}));
  BOOST_TEST(is_usage_error({"migrate", "--db", ""}));
}

BOOST_AUTO_TEST_CASE(refuses_logins_people_could_not_type_back) {
  BOOST_TEST(is_usage_error({"token", "--login", ""}));
  BOOST_TEST(is_usage_error({"token", "--login", "ada lovelace"}));
  BOOST_TEST(is_usage_error({"token", "--login", "ada\n"}));
  BOOST_TEST(is_usage_error({"token", "--login", "\xC3"}));
  BOOST_TEST(!is_usage_error({"token", "--login", "h\xC3\xA9l\xC3\xA8ne"}));
}

BOOST_AUTO_TEST_CASE(an_invite_base_url_must_be_http) {
  BOOST_TEST(is_usage_error({"invite", "--event", "demo", "--base-url", "ftp://x/"}));
  BOOST_TEST(is_usage_error({"invite", "--event", "demo", "--base-url", "x.example/"}));
  BOOST_TEST(is_usage_error({"invite", "--event", "", "--base-url", "http://x/"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::admin
