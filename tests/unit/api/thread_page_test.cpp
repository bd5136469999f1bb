#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <ctime>
#include <string>
#include <utility>

#include "api/page_text.hpp"
#include "api/thread_page.hpp"
#include "core/time.hpp"

using namespace palabre;
using api::PageLang;

namespace {
// Times are the process's local time: these tests pin it.
struct ParisTime {
  ParisTime() { set("Europe/Paris"); }
  ~ParisTime() { set("UTC0"); }
  static void set(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }
};

int64_t at(const char* rfc3339) { return *timefmt::parse_rfc3339(rfc3339); }

domain::Event debate() {
  domain::Event e;
  e.id = "conseil-2026";
  e.title = "Le <b>marché</b> & \"nous\"";
  e.starts_at_ms = at("2026-12-01T18:00:00Z");
  e.ends_at_ms = at("2026-12-01T20:00:00Z");
  e.languages = {"fr", "en"};
  e.late_questions_days = 2;
  return e;
}

api::PublishedThread thread() {
  return api::fold_thread({
      {"1-0", "message", R"({"id":"q1","kind":"question","author":"<i>Lou</i>","text":"<script>alert(1)</script>","lang":"fr","reply_to":null,"ts":"2026-12-01T18:05:00Z"})"},
      {"2-0", "message", R"({"id":"a1","kind":"answer","author":"Karim","text":"Oui.","lang":"fr","reply_to":"q1","ts":"2026-12-01T18:10:00Z"})"},
      {"3-0", "message", R"({"id":"n1","kind":"announcement","author":"moderation","text":"Pause","lang":"en","reply_to":null,"ts":"2026-12-01T18:20:00Z"})"},
  });
}

bool has(const std::string& page, const std::string& part) { return page.find(part) != std::string::npos; }
}  // namespace

BOOST_AUTO_TEST_SUITE(thread_page)

BOOST_AUTO_TEST_CASE(dates_read_as_on_the_visitor_page_in_local_time) {
  ParisTime paris;
  const int64_t t = at("2026-12-01T18:05:09Z");
  BOOST_TEST(api::long_datetime(t, PageLang::fr) == "mardi 1er décembre 2026 à 19:05");
  BOOST_TEST(api::long_datetime(t, PageLang::en) == "Tuesday 1 December 2026 at 19:05");
  BOOST_TEST(api::short_datetime(t, PageLang::fr) == "1 déc. 2026, 19:05");
  BOOST_TEST(api::short_datetime(t, PageLang::en) == "1 Dec 2026, 19:05");
  BOOST_TEST(api::clock_time(t) == "19:05:09");
  BOOST_TEST(api::utc_offset(t) == "UTC+1");
  BOOST_TEST(api::utc_offset(at("2026-07-01T12:00:00Z")) == "UTC+2");
  ParisTime::set("UTC0");
  BOOST_TEST(api::utc_offset(t) == "UTC");
  ParisTime::set("<+0530>-5:30");
  BOOST_TEST(api::utc_offset(t) == "UTC+5:30");
}

BOOST_AUTO_TEST_CASE(dates_follow_the_debates_zone_whatever_the_process_tz) {
  ParisTime paris;
  const int64_t t = at("2026-12-01T18:00:00Z");
  // Cayenne is UTC-3 all year; New York UTC-5 in December, UTC-4 in July.
  BOOST_TEST(api::long_datetime(t, PageLang::fr, "America/Cayenne") == "mardi 1er décembre 2026 à 15:00");
  BOOST_TEST(api::utc_offset(t, "America/Cayenne") == "UTC-3");
  BOOST_TEST(api::utc_offset(t, "America/New_York") == "UTC-5");
  BOOST_TEST(api::utc_offset(at("2026-07-01T12:00:00Z"), "America/New_York") == "UTC-4");
  BOOST_TEST(api::clock_time(t, "Asia/Kolkata") == "23:30:00");
  // An unknown zone: the process's own clock.
  BOOST_TEST(api::utc_offset(t, "Mars/Olympus_Mons") == "UTC+1");
  std::string page = api::thread_page_html(debate(), thread(), at("2026-12-01T18:30:00Z"), "America/Cayenne");
  BOOST_TEST(page.find("<time datetime=\"2026-12-01T20:00:00Z\">mardi 1er décembre 2026 à 17:00</time> (UTC-3)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_language_is_the_debates_first_one_the_interface_knows) {
  domain::Event e = debate();
  BOOST_TEST((api::page_lang(e) == PageLang::fr));
  e.languages = {"nl", "en-GB", "fr"};
  BOOST_TEST((api::page_lang(e) == PageLang::en));
  e.languages = {"nl"};
  BOOST_TEST((api::page_lang(e) == PageLang::fr));
  const std::pair<const char*, PageLang> six[] = {{"fr", PageLang::fr}, {"en-GB", PageLang::en}, {"de-AT", PageLang::de},
                                                  {"it", PageLang::it},  {"ES", PageLang::es},    {"pl", PageLang::pl}};
  for (const auto& [tag, lang] : six) {
    e.languages = {"nl", tag};
    BOOST_TEST((api::page_lang(e) == lang), tag);
  }
  BOOST_TEST(api::lang_tag(PageLang::de) == "de");
  BOOST_TEST(api::lang_tag(PageLang::pl) == "pl");
}

BOOST_AUTO_TEST_CASE(dates_in_the_six_languages_read_as_intl_writes_them) {
  ParisTime paris;
  const int64_t t = at("2026-12-01T18:05:09Z");
  BOOST_TEST(api::long_datetime(t, PageLang::de) == "Dienstag, 1. Dezember 2026 um 19:05");
  BOOST_TEST(api::long_datetime(t, PageLang::it) == "martedì 1 dicembre 2026 alle 19:05");
  BOOST_TEST(api::long_datetime(t, PageLang::es) == "martes, 1 de diciembre de 2026, 19:05");
  BOOST_TEST(api::long_datetime(t, PageLang::pl) == "wtorek, 1 grudnia 2026 19:05");
  BOOST_TEST(api::short_datetime(t, PageLang::de) == "1. Dez. 2026, 19:05");
  BOOST_TEST(api::short_datetime(t, PageLang::it) == "1 dic 2026, 19:05");
  BOOST_TEST(api::short_datetime(t, PageLang::es) == "1 dic 2026, 19:05");
  BOOST_TEST(api::short_datetime(t, PageLang::pl) == "1 gru 2026, 19:05");
  // Only French writes "1er"; other days as they are.
  BOOST_TEST(api::long_datetime(at("2026-12-02T18:05:00Z"), PageLang::fr) == "mercredi 2 décembre 2026 à 19:05");
}

BOOST_AUTO_TEST_CASE(the_page_speaks_the_debates_language) {
  ParisTime paris;
  domain::Event e = debate();
  const char* now = "2026-12-01T18:30:00Z";
  const std::pair<const char*, const char*> live[] = {
      {"de", "Die Debatte ist live bis <time datetime=\"2026-12-01T20:00:00Z\">Dienstag, 1. Dezember 2026 um 21:00</time>"},
      {"it", "Il dibattito è in diretta fino a <time datetime=\"2026-12-01T20:00:00Z\">martedì 1 dicembre 2026 alle 21:00</time>"},
      {"es", "El debate está en directo hasta el <time datetime=\"2026-12-01T20:00:00Z\">martes, 1 de diciembre de 2026, 21:00</time>"},
      {"pl", "Debata trwa na żywo do: <time datetime=\"2026-12-01T20:00:00Z\">wtorek, 1 grudnia 2026 21:00</time>"},
  };
  for (const auto& [tag, line] : live) {
    e.languages = {tag};
    std::string page = api::thread_page_html(e, thread(), at(now));
    BOOST_TEST(has(page, std::string("<html lang=\"") + tag + "\">"), tag);
    BOOST_TEST(has(page, line), tag);
  }
}

BOOST_AUTO_TEST_CASE(lists_messages_newest_first_with_answers_under_their_question) {
  ParisTime paris;
  std::string page = api::thread_page_html(debate(), thread(), at("2026-12-01T18:30:00Z"));
  size_t announcement = page.find("Pause"), question = page.find("alert(1)"), answer = page.find("Oui.");
  BOOST_REQUIRE(announcement != std::string::npos);
  BOOST_TEST(announcement < question);
  BOOST_TEST(question < answer);
  BOOST_TEST(has(page, "<ol class=\"answers\" aria-label=\"Réponses\">\n<li class=\"msg msg-answer\">"));
  BOOST_TEST(has(page, "<p class=\"msg-text\" dir=\"auto\" lang=\"en\">Pause</p>"));
  BOOST_TEST(has(page, "<time datetime=\"2026-12-01T18:05:00Z\">1 déc. 2026, 19:05</time>"));
  BOOST_TEST(has(page, "<html lang=\"fr\">"));
  BOOST_TEST(has(page, "Le débat est en direct jusqu’au <time datetime=\"2026-12-01T20:00:00Z\">mardi 1er décembre 2026 à 21:00</time> (UTC+1)."));
  BOOST_TEST(has(page, "<a href=\"thread.html\">Actualiser le fil</a>"));
  BOOST_TEST(has(page, "<a href=\"../../../e/conseil-2026\">Page interactive du débat</a>"));
  BOOST_TEST(has(page, "<a href=\"transcript.html\">"));
  BOOST_TEST(has(page, "href=\"../../../assets/palabre.css\""));
}

BOOST_AUTO_TEST_CASE(escapes_everything_and_has_no_script_or_inline_style) {
  std::string page = api::thread_page_html(debate(), thread(), at("2026-12-01T18:30:00Z"));
  BOOST_TEST(has(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  BOOST_TEST(has(page, "<bdi class=\"msg-author\">&lt;i&gt;Lou&lt;/i&gt;</bdi>"));
  BOOST_TEST(has(page, "<h1>Le &lt;b&gt;marché&lt;/b&gt; &amp; &quot;nous&quot;</h1>"));
  BOOST_TEST(!has(page, "<script"));
  BOOST_TEST(!has(page, "style="));
  BOOST_TEST(!has(page, "<b>"));
}

BOOST_AUTO_TEST_CASE(says_what_the_debate_does_and_until_when) {
  ParisTime paris;
  domain::Event e = debate();
  auto page_at = [&](const char* now) { return api::thread_page_html(e, {}, at(now)); };
  e.questions_before = false;
  BOOST_TEST(has(page_at("2026-11-30T12:00:00Z"), "data-phase=\"scheduled\">À venir</span> Le débat commence le <time"));
  e.questions_before = true;
  BOOST_TEST(has(page_at("2026-11-30T12:00:00Z"), "Vous pouvez déjà poser vos questions"));
  BOOST_TEST(has(page_at("2026-12-02T12:00:00Z"),
                 "poser des questions depuis la page interactive jusqu’au <time datetime=\"2026-12-03T20:00:00Z\">jeudi 3 décembre 2026 à 21:00</time>"));
  BOOST_TEST(has(page_at("2026-12-09T12:00:00Z"), "Le débat s’est terminé le <time datetime=\"2026-12-01T20:00:00Z\">"));
  e.closed = true;
  BOOST_TEST(has(page_at("2026-12-01T18:30:00Z"), "data-phase=\"closed\">Terminé</span> Le débat est terminé.</p>"));
  BOOST_TEST(has(page_at("2026-12-01T18:30:00Z"), "<p class=\"empty\">Aucun message publié pour l’instant.</p>"));
  e.languages = {"en"};
  e.closed = false;
  std::string en = page_at("2026-12-01T18:30:00Z");
  BOOST_TEST(has(en, "<html lang=\"en\">"));
  BOOST_TEST(has(en, "The debate is live until <time datetime=\"2026-12-01T20:00:00Z\">Tuesday 1 December 2026 at 21:00</time> (UTC+1)."));
  BOOST_TEST(has(en, "Refresh the thread"));
}

BOOST_AUTO_TEST_CASE(marks_edited_messages_and_a_title_in_another_language) {
  domain::Event e = debate();
  e.languages = {"nl"};
  auto t = api::fold_thread({{"1-0", "message", R"({"id":"q1","kind":"question","author":"Lou","text":"Nieuw","lang":"nl","reply_to":null,"ts":"2026-12-01T18:05:00Z","edited":true})"}});
  std::string page = api::thread_page_html(e, t, at("2026-12-01T18:30:00Z"));
  BOOST_TEST(has(page, "<span class=\"msg-edited\">(modifiée)</span>"));
  BOOST_TEST(has(page, "<h1 lang=\"nl\">"));
}

BOOST_AUTO_TEST_SUITE_END()
