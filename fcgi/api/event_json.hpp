// Debates as JSON: validating what an admin sends (POST /api/events, PATCH,
// `palabre-admin create-event --json`) and rendering the public event object
// of docs/API.md. No I/O; time comes as an argument.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/site_settings.hpp"
#include "domain/event.hpp"

namespace palabre::api {

// Builds a new event from the JSON body of POST /api/events (or
// `palabre-admin create-event --json`). Throws Error(invalid_json |
// invalid_field | invalid_utf8). Generates an id when none is given.
domain::Event event_from_json(std::string_view json, int64_t now_ms);
// Applies a PATCH body to `event`. `moderator_only` restricts the fields to
// ends_at and closed (else Error(forbidden)). Returns true when the phase-relevant
// fields (starts_at, ends_at, closed, status) changed.
bool apply_event_patch(domain::Event& event, const rapidjson::Value& patch, bool moderator_only,
                       int64_t now_ms);

// The declared guests' names, in order.
std::vector<std::string> guest_names(const domain::Event& event);
// Each guest's photo_url, "" for a guest without one, in the guests' order.
std::vector<std::string> guest_photo_urls(const domain::Event& event);
// The names a visitor may not pass for: the guests' and the organiser's.
std::vector<std::string> reserved_names(const domain::Event& event);

// What the event object needs besides the event: the time, the address
// the request came to (ends with '/', e.g. "http://127.0.0.1:8080/palabre/"),
// and the site's defaults with the address of the site's logo ("": none),
// for the fields the debate leaves to the site (api/site.hpp).
// Owns its base URL: Request::base_url() returns a new string each call,
// and a view kept across statements would dangle.
struct EventView {
  int64_t now_ms;
  std::string base_url;
  const SiteDefaults& site;
  std::string_view site_logo;
};

// The public event object of docs/API.md as one JSON string.
std::string event_json(const domain::Event& event, const EventView& view);
void write_event(rapidjson::Writer<rapidjson::StringBuffer>& w, const domain::Event& event, const EventView& view);

}  // namespace palabre::api
