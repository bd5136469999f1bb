#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "domain/text_rules.hpp"

using namespace palabre;

namespace {
Code code_of(void (*f)()) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return Code::internal_error;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(text_rules)

BOOST_AUTO_TEST_CASE(trims_and_keeps_script_as_plain_text) {
  BOOST_TEST(domain::checked_text("  <script>alert(1)</script>\n", 2000) == "<script>alert(1)</script>");
}

BOOST_AUTO_TEST_CASE(limit_counts_characters_and_is_inclusive) {
  std::string exactly(2000, 'a');
  BOOST_TEST(domain::checked_text(exactly, 2000).size() == 2000u);
  std::string accents;
  for (int i = 0; i < 2000; ++i) accents += "é";
  BOOST_TEST(domain::checked_text(accents, 2000).size() == 4000u);
  BOOST_TEST(code_of([] { domain::checked_text(std::string(2001, 'a'), 2000); }) == Code::text_too_long);
}

BOOST_AUTO_TEST_CASE(refuses_empty_whitespace_and_invalid_utf8) {
  BOOST_TEST(code_of([] { domain::checked_text("   \n\t", 2000); }) == Code::text_empty);
  // No-break, ideographic, em and zero-width spaces look empty too.
  BOOST_TEST(code_of([] { domain::checked_text("\u00a0\u3000\u2003\u200b", 2000); }) == Code::text_empty);
  BOOST_TEST(domain::checked_text("\u00a0 Pourquoi ?\u3000", 2000) == "Pourquoi ?");
  BOOST_TEST(code_of([] { domain::checked_text("ab\xff", 2000); }) == Code::invalid_utf8);
  BOOST_TEST(code_of([] { domain::checked_name("a\x01b", 40); }) == Code::text_control_chars);
}

BOOST_AUTO_TEST_CASE(refuses_controls_but_tab_and_newline) {
  using namespace std::string_literals;
  BOOST_TEST(code_of([] { domain::checked_text("a\0=tail"s, 2000); }) == Code::text_control_chars);
  BOOST_TEST(code_of([] { domain::checked_text("bell\x07", 2000); }) == Code::text_control_chars);
  BOOST_TEST(code_of([] { domain::checked_text("esc\x1b[31m", 2000); }) == Code::text_control_chars);
  BOOST_TEST(code_of([] { domain::checked_text("del\x7f", 2000); }) == Code::text_control_chars);
  BOOST_TEST(code_of([] { domain::checked_text("c1\u0085x", 2000); }) == Code::text_control_chars);
  BOOST_TEST(code_of([] { domain::checked_text("c1\u009bx", 2000); }) == Code::text_control_chars);
  BOOST_TEST(domain::checked_text("un\tdeux\ntrois", 2000) == "un\tdeux\ntrois");
  BOOST_TEST(domain::checked_text("un\r\ndeux\rtrois", 2000) == "un\ndeux\ntrois");
  // Names are one line, and may not reverse the text that follows them.
  BOOST_TEST(code_of([] { domain::checked_name("Anne\nMartin", 40); }) == Code::text_control_chars);
  BOOST_TEST(code_of([] { domain::checked_name("\u202enimda", 40); }) == Code::text_control_chars);
  BOOST_TEST(code_of([] { domain::checked_name("x\u2066y", 40); }) == Code::text_control_chars);
  BOOST_TEST(domain::checked_name("\u05e9\u05dc\u05d5\u05dd\u200f", 40) == "\u05e9\u05dc\u05d5\u05dd\u200f");
}

BOOST_AUTO_TEST_CASE(pseudonyms_may_not_pass_for_staff) {
  const std::vector<std::string> staff = {"Anne Martin", "Ville de Démo", "Li"};
  for (const char* name : {"Modération", "La modération", "MODERATEUR", "Équipe de modération", "admin",
                           "M o d é r a t i o n", "mod\u00e9ration officielle", "Organisateur", "Anne Martin",
                           "anne  MARTIN (maire)", "A.n.n.e M.a.r.t.i.n", "AnneMartin", "ville de demo", "Li",
                           "Staff Palabre", "Moderator"})
    BOOST_TEST(domain::impersonates_staff(name, staff), name);
  for (const char* name : {"Anne", "Martin", "Joanne Martinez", "Badminton", "Citoyenne", "Lili", "Paul",
                           "Administré du 3e", "Modeste"})
    BOOST_TEST(!domain::impersonates_staff(name, staff), name);
}

BOOST_AUTO_TEST_CASE(recognises_event_ids_and_language_tags) {
  BOOST_TEST(domain::is_event_id("budget-2027"));
  BOOST_TEST(!domain::is_event_id("Budget"));
  BOOST_TEST(!domain::is_event_id("ab"));
  BOOST_TEST(domain::is_language_tag("pt-BR"));
  BOOST_TEST(!domain::is_language_tag("f"));
}

BOOST_AUTO_TEST_SUITE_END()
