#include <boost/test/unit_test.hpp>

#include "api/site_settings.hpp"
#include "core/error.hpp"
#include "http/json.hpp"

using namespace palabre;

namespace {
std::string normalised(const char* json) {
  rapidjson::Document d = http::parse_object(json);
  return api::normalised_site_settings(d);
}

Code code_of(const char* json) {
  try {
    normalised(json);
  } catch (const Error& e) {
    return e.code();
  }
  return Code::internal_error;  // accepted
}
}  // namespace

BOOST_AUTO_TEST_SUITE(site_settings)

BOOST_AUTO_TEST_CASE(empty_settings_get_every_default) {
  std::string s = normalised("{}");
  BOOST_TEST(s.find(R"("time_zone":"Europe/Paris")") != std::string::npos);
  BOOST_TEST(s.find(R"("licence":{"name":"Licence Ouverte / Etalab 2.0")") != std::string::npos);
  BOOST_TEST(s.find(R"("status":"none","rate":null)") != std::string::npos);
  api::SiteDefaults d = api::site_defaults_from(s);
  BOOST_TEST(d.time_zone == "Europe/Paris");
  BOOST_TEST(d.organiser.empty());
  BOOST_TEST(api::site_defaults_from("").licence_name == "Licence Ouverte / Etalab 2.0");
}

BOOST_AUTO_TEST_CASE(what_an_admin_sets_is_kept) {
  std::string s = normalised(R"({"organiser":"Ville de Lyon","color":"#004494","site_url":"https://lyon.example/",
    "time_zone":"America/Martinique","licence":{"name":"CC BY 4.0","url":"https://creativecommons.org/licenses/by/4.0/"},
    "accessibility":{"status":"partial","rate":72.5,"audit_date":"2026-10-01","contact_email":"a11y@lyon.example",
                     "non_compliant":"Les graphiques n'ont pas d'alternative."}})");
  api::SiteDefaults d = api::site_defaults_from(s);
  BOOST_TEST(d.organiser == "Ville de Lyon");
  BOOST_TEST(d.color == "#004494");
  BOOST_TEST(d.time_zone == "America/Martinique");
  BOOST_TEST(d.licence_name == "CC BY 4.0");
  BOOST_TEST(s.find(R"("rate":72.5)") != std::string::npos);
  BOOST_TEST(s.find(R"("non_compliant":"Les graphiques n'ont pas d'alternative.")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_fields_are_refused_with_their_code) {
  struct Case {
    const char* json;
    Code code;
  };
  const Case cases[] = {
      {R"({"color":"#eeeeee"})", Code::contrast_too_low},
      {R"({"color":"blue"})", Code::invalid_field},
      {R"({"site_url":"javascript:void"})", Code::invalid_field},
      {R"({"logo_url":"http://insecure.example/l.png"})", Code::invalid_field},
      {R"({"time_zone":"Mars/Olympus"})", Code::invalid_field},
      {R"({"colour":"#004494"})", Code::invalid_field},
      {R"({"accessibility":{"status":"mostly"}})", Code::invalid_field},
      {R"({"accessibility":{"rate":101}})", Code::invalid_field},
      {R"({"accessibility":{"audit_date":"01/10/2026"}})", Code::invalid_field},
      {R"({"licence":{"url":"https://x.example/"}})", Code::invalid_field},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.json) { BOOST_TEST(static_cast<int>(code_of(c.json)) == static_cast<int>(c.code)); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
