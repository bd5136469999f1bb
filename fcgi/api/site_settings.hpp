// The site's settings as an admin writes them in the back-office (PUT
// /api/site): the organiser's defaults for every debate (name, logo,
// colour, link back to the city's site, time zone), the licence of the
// open-data downloads, and the fields of the accessibility statement that
// /accessibilite shows. Validating and normalising them is pure; api/site.cpp
// stores and serves them.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace palabre::api {

// What the pages of every debate fall back on.
struct SiteDefaults {
  std::string organiser;
  std::string color;      // "#rrggbb" or "": Palabre's own
  std::string site_url;   // the city's site, or ""
  std::string logo_url;   // the source, as configured, or ""
  std::string time_zone;  // IANA, never empty
  std::string licence_name;
  std::string licence_url;
};

// The settings JSON with every field present (defaults for the missing
// ones), from what an admin sent. Throws Error(invalid_field |
// contrast_too_low | invalid_json). Unknown fields are refused, so that a
// typo is not silently dropped.
std::string normalised_site_settings(const rapidjson::Value& body);
// From normalised (stored) settings, or "" when none were ever saved.
SiteDefaults site_defaults_from(std::string_view stored_json);

}  // namespace palabre::api
