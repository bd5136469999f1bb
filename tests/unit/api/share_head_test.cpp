// api/share_head.hpp: the Open Graph and Twitter-card lines of a debate.
#include <boost/test/unit_test.hpp>

#include "api/share_head.hpp"
#include "core/time.hpp"

using namespace palabre;

namespace {
domain::Event debate() {
  domain::Event e;
  e.id = "budget";
  e.title = "Budget <script>alert(\"x\")</script> & co";
  e.description = "Parlons-en.";
  e.languages = {"fr"};
  e.starts_at_ms = *timefmt::parse_rfc3339("2026-11-23T18:00:00Z");
  e.ends_at_ms = *timefmt::parse_rfc3339("2026-11-23T19:30:00Z");
  return e;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

BOOST_AUTO_TEST_SUITE(share_head)

BOOST_AUTO_TEST_CASE(every_card_field_is_written_escaped) {
  std::string out = api::share_head_html(debate(), "https://ville.example/palabre/");
  const std::string title = "Budget &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co";
  BOOST_TEST(has(out, "<title>" + title + " – Palabre</title>"));
  BOOST_TEST(has(out, "<meta property=\"og:title\" content=\"" + title + "\">"));
  BOOST_TEST(has(out, "<meta name=\"twitter:title\" content=\"" + title + "\">"));
  BOOST_TEST(has(out, "<meta property=\"og:url\" content=\"https://ville.example/palabre/e/budget\">"));
  BOOST_TEST(has(out, "<meta property=\"og:type\" content=\"website\">"));
  BOOST_TEST(has(out, "<meta property=\"og:site_name\" content=\"Palabre\">"));
  BOOST_TEST(has(out, "<meta name=\"twitter:card\" content=\"summary\">"));
  BOOST_TEST(has(out, "<meta property=\"event:start_time\" content=\"2026-11-23T18:00:00"));
  BOOST_TEST(has(out, "— Parlons-en.\">"));
  BOOST_TEST(!has(out, "og:image"));
  BOOST_TEST(!has(out, "<script"));
}

BOOST_AUTO_TEST_CASE(organiser_and_logo_come_from_the_branding) {
  domain::Event e = debate();
  e.branding_json = R"({"organiser":"Ville d'Ici","logo_url":"https://ici.example/logo.png"})";
  std::string out = api::share_head_html(e, "https://ville.example/");
  BOOST_TEST((has(out, "<meta property=\"og:site_name\" content=\"Ville d&#39;Ici\">") ||
              has(out, "<meta property=\"og:site_name\" content=\"Ville d&#x27;Ici\">")));
  BOOST_TEST(has(out, "<meta property=\"og:image\" content=\"https://ville.example/api/events/budget/logo?v="));
}

BOOST_AUTO_TEST_CASE(a_long_description_is_cut_on_a_character) {
  domain::Event e = debate();
  e.description.clear();
  for (int i = 0; i < 300; ++i) e.description += "é";
  std::string out = api::share_head_html(e, "https://ville.example/");
  size_t at = out.find("og:description\" content=\"");
  BOOST_REQUIRE(at != std::string::npos);
  std::string value = out.substr(at + 25, out.find('"', at + 25) - at - 25);
  BOOST_TEST(value.size() < 2 * (api::kShareDescriptionChars + 1) + 2);
  BOOST_TEST(value.substr(value.size() - 3) == "…");
}

BOOST_AUTO_TEST_SUITE_END()
