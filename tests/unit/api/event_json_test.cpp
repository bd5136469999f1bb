#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "core/time.hpp"
#include "api/event_json.hpp"
#include "http/json.hpp"

using namespace palabre;

namespace {
constexpr int64_t kHour = 3600 * 1000;
const int64_t kStart = *timefmt::parse_rfc3339("2026-11-23T18:00:00Z");

domain::Event debate() {
  return api::event_from_json(
      R"({"id":"budget","title":"Budget","starts_at":"2026-11-23T18:00:00Z",)"
      R"("ends_at":"2026-11-23T19:00:00Z","late_questions_days":2})",
      kStart - 48 * kHour);
}

Code code_of_json(const char* json) {
  try {
    api::event_from_json(json, 0);
  } catch (const Error& e) {
    return e.code();
  }
  return Code::internal_error;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(event_json)

BOOST_AUTO_TEST_CASE(phase_follows_the_clock_through_the_whole_debate) {
  domain::Event e = debate();
  BOOST_TEST(domain::phase_name(domain::phase_of(e, kStart - kHour)) == "pre_questions");
  BOOST_TEST(domain::phase_name(domain::phase_of(e, kStart)) == "live");
  BOOST_TEST(domain::phase_name(domain::phase_of(e, kStart + kHour)) == "late_questions");
  BOOST_TEST(domain::phase_name(domain::phase_of(e, kStart + kHour + 48 * kHour)) == "closed");
  e.questions_before = false;
  BOOST_TEST(domain::phase_name(domain::phase_of(e, kStart - kHour)) == "scheduled");
  e.closed = true;
  BOOST_TEST(domain::phase_name(domain::phase_of(e, kStart)) == "closed");
}

BOOST_AUTO_TEST_CASE(only_open_phases_take_questions) {
  BOOST_TEST(domain::accepts_questions(domain::Phase::pre_questions));
  BOOST_TEST(domain::accepts_questions(domain::Phase::live));
  BOOST_TEST(domain::accepts_questions(domain::Phase::late_questions));
  BOOST_TEST(!domain::accepts_questions(domain::Phase::scheduled));
  BOOST_TEST(!domain::accepts_questions(domain::Phase::closed));
}

BOOST_AUTO_TEST_CASE(refuses_incomplete_or_inconsistent_events) {
  BOOST_TEST(code_of_json("[]") == Code::invalid_json);
  BOOST_TEST(code_of_json(R"({"title":"x"})") == Code::invalid_field);
  BOOST_TEST(code_of_json(R"({"title":"x","starts_at":"2026-11-23T19:00:00Z","ends_at":"2026-11-23T18:00:00Z"})") ==
             Code::invalid_field);
  BOOST_TEST(code_of_json(R"({"title":"x","starts_at":"2026-11-23T18:00:00Z","ends_at":"2026-11-23T19:00:00Z","moderation":"post"})") ==
             Code::invalid_field);
  BOOST_TEST(code_of_json(R"({"title":"x","starts_at":"2026-11-23T18:00:00Z","ends_at":"2026-11-23T19:00:00Z","branding":{"color":"red"}})") ==
             Code::invalid_field);
}

BOOST_AUTO_TEST_CASE(branding_keeps_the_organisers_fields_and_checks_what_pages_use) {
  domain::Event e = api::event_from_json(
      R"({"title":"x","starts_at":"2026-11-23T18:00:00Z","ends_at":"2026-11-23T19:00:00Z",)"
      R"("branding":{"color":"#05a","primary_color":"navy","show_logo":true}})",
      0);
  BOOST_TEST(e.branding_json == R"({"color":"#05a","primary_color":"navy","show_logo":true})");
  BOOST_TEST(code_of_json(R"({"title":"x","starts_at":"2026-11-23T18:00:00Z","ends_at":"2026-11-23T19:00:00Z","branding":{"logo_url":"http://x/logo.png"}})") ==
             Code::invalid_field);
}

BOOST_AUTO_TEST_CASE(moderators_may_only_extend_or_close) {
  domain::Event e = debate();
  rapidjson::Document extend = http::parse_object(R"({"ends_at":"2026-11-23T19:30:00Z"})");
  BOOST_TEST(api::apply_event_patch(e, extend, true, kStart));
  BOOST_TEST(e.ends_at_ms == kStart + kHour + kHour / 2);
  rapidjson::Document retitle = http::parse_object(R"({"title":"Other"})");
  BOOST_CHECK_THROW(api::apply_event_patch(e, retitle, true, kStart), Error);
  BOOST_TEST(!api::apply_event_patch(e, retitle, false, kStart));
  BOOST_TEST(e.title == "Other");
}

api::SiteDefaults site() {
  return api::SiteDefaults{.organiser = "Ville d'Exemple", .color = "#004494", .site_url = "https://ville.example/",
                           .logo_url = "", .time_zone = "Europe/Paris", .licence_name = "", .licence_url = ""};
}

BOOST_AUTO_TEST_CASE(public_object_carries_phase_and_urls) {
  api::SiteDefaults s = site();
  std::string json = api::event_json(debate(), {kStart, "https://ville.example/palabre/", s, ""});
  BOOST_TEST(json.find(R"("phase":"live")") != std::string::npos);
  BOOST_TEST(json.find(R"("url":"https://ville.example/palabre/e/budget")") != std::string::npos);
  BOOST_TEST(json.find(R"("status":"published")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(what_the_debate_leaves_empty_comes_from_the_site) {
  api::SiteDefaults s = site();
  domain::Event e = debate();
  std::string json = api::event_json(e, {kStart, "https://v.example/", s, "https://v.example/api/site/logo?v=1"});
  BOOST_TEST(json.find(R"("time_zone":"Europe/Paris")") != std::string::npos);
  BOOST_TEST(json.find(R"("brand":{"organiser":"Ville d'Exemple","color":"#004494","site_url":"https://ville.example/","logo":"https://v.example/api/site/logo?v=1"})") != std::string::npos);
  e.time_zone = "America/Cayenne";
  e.branding_json = R"({"organiser":"Mairie annexe","color":"#222222"})";
  json = api::event_json(e, {kStart, "https://v.example/", s, ""});
  BOOST_TEST(json.find(R"("time_zone":"America/Cayenne")") != std::string::npos);
  BOOST_TEST(json.find(R"("organiser":"Mairie annexe","color":"#222222","site_url":"https://ville.example/","logo":null)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_brand_colour_too_light_for_white_text_is_refused) {
  domain::Event e = debate();
  rapidjson::Document light = http::parse_object(R"({"branding":{"color":"#ffd700"}})");
  try {
    api::apply_event_patch(e, light, false, kStart);
    BOOST_FAIL("a light colour was accepted");
  } catch (const Error& err) {
    BOOST_TEST(static_cast<int>(err.code()) == static_cast<int>(Code::contrast_too_low));
  }
  rapidjson::Document dark = http::parse_object(R"({"branding":{"color":"#004494"}})");
  api::apply_event_patch(e, dark, false, kStart);
  BOOST_TEST(e.branding_json.find("#004494") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(status_and_time_zone_are_checked) {
  domain::Event e = debate();
  rapidjson::Document draft = http::parse_object(R"({"status":"draft"})");
  BOOST_TEST(api::apply_event_patch(e, draft, false, kStart));  // a phase-relevant change
  BOOST_TEST(e.draft);
  rapidjson::Document junk = http::parse_object(R"({"status":"hidden"})");
  BOOST_CHECK_THROW(api::apply_event_patch(e, junk, false, kStart), Error);
  rapidjson::Document zone = http::parse_object(R"({"time_zone":"../etc/passwd"})");
  BOOST_CHECK_THROW(api::apply_event_patch(e, zone, false, kStart), Error);
  rapidjson::Document moderator = http::parse_object(R"({"status":"published"})");
  BOOST_CHECK_THROW(api::apply_event_patch(e, moderator, true, kStart), Error);
}

BOOST_AUTO_TEST_SUITE_END()
