// The site's settings (api/site_settings.hpp) as the worker keeps and serves
// them: GET|PUT /api/site, the site's default logo, the site's audit log.
#pragma once

#include <string>

#include "api/context.hpp"
#include "api/event_json.hpp"
#include "api/site_settings.hpp"

namespace palabre::api {

// Read from SQL on each call (one row); the defaults when never saved.
SiteDefaults site_defaults(Context& ctx);
// The address Palabre serves the site's logo at (versioned by its source),
// or "" when there is none.
std::string site_logo_address(const Context& ctx, const SiteDefaults& site);

// The event object (api/event_json.hpp) for this request, with the site's
// defaults read once per call.
std::string event_json(Context& ctx, const domain::Event& event);
void write_event(Context& ctx, rapidjson::Writer<rapidjson::StringBuffer>& w, const domain::Event& event);

}  // namespace palabre::api
