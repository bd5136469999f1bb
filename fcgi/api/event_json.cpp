#include "api/event_json.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "domain/colour.hpp"
#include "domain/text_rules.hpp"

#include <cctype>
#include "http/json.hpp"

namespace palabre::api {
namespace {
[[noreturn]] void bad_field(const std::string& message) { throw Error(Code::invalid_field, message); }

int64_t parse_time_field(const rapidjson::Value& body, const char* name) {
  auto s = http::get_string(body, name);
  if (!s) bad_field(std::string("Field '") + name + "' is required (RFC 3339).");
  auto t = timefmt::parse_rfc3339(*s);
  if (!t) bad_field(std::string("Field '") + name + "' must be an RFC 3339 date-time.");
  return *t;
}

std::vector<std::string> parse_languages(const rapidjson::Value& v) {
  if (!v.IsArray() || v.Empty() || v.Size() > 10)
    bad_field("Field 'languages' must be a list of 1 to 10 language tags.");
  std::vector<std::string> out;
  for (const auto& item : v.GetArray()) {
    if (!item.IsString() || !domain::is_language_tag(item.GetString()))
      bad_field("Field 'languages' must hold language tags such as \"fr\" or \"en\".");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

std::string parse_guests(const rapidjson::Value& v) {
  if (!v.IsArray() || v.Size() > 20) bad_field("Field 'guests' must be a list of at most 20 guests.");
  http::JsonWriter w;
  w.start_array();
  for (const auto& g : v.GetArray()) {
    if (!g.IsObject()) bad_field("Each guest must be an object with 'name' and 'role'.");
    w.start_object();
    w.field("name", domain::checked_name(http::require_string(g, "name"), 120, "guest name"));
    auto role = http::get_string(g, "role");
    w.field("role", role ? domain::checked_name(*role, 200, "guest role") : std::string());
    // Fetched once and served by Palabre (api/guest_photos.cpp), like the logo.
    if (auto photo = http::get_string(g, "photo_url"); photo && !photo->empty()) {
      if (photo->rfind("https://", 0) != 0 || photo->size() > 500)
        bad_field("Field 'guests[].photo_url' must be an https:// address.");
      w.field("photo_url", *photo);
    }
    w.end_object();
  }
  w.end_array();
  return w.take();
}

bool is_hex_colour(std::string_view s) {
  if ((s.size() != 7 && s.size() != 4) || s[0] != '#') return false;
  for (size_t i = 1; i < s.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Branding is the organiser's: the pages use `color`, `logo_url` and
// `organiser`, which are checked because they end up in CSS and <img>; other
// scalar fields are kept as given for the organiser's own integrations.
std::string parse_branding(const rapidjson::Value& v) {
  if (!v.IsObject()) bad_field("Field 'branding' must be an object.");
  if (v.MemberCount() > 20) bad_field("Field 'branding' may hold at most 20 fields.");
  http::JsonWriter w;
  w.start_object();
  for (const auto& m : v.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name.size() > 64) bad_field("Field names in 'branding' must be short.");
    if (name == "color") {
      if (!m.value.IsString() || !is_hex_colour(m.value.GetString()))
        bad_field("Field 'branding.color' must be a colour such as #004494.");
      // Pages put white text on it (buttons, the header band).
      if (*domain::contrast_with_white(m.value.GetString()) < domain::kMinContrastWithWhite)
        throw Error(Code::contrast_too_low, "White text on branding.color is not readable enough (below 4.5:1, "
                                            "WCAG AA): choose a darker colour.");
    } else if (name == "site_url") {
      std::string_view url = m.value.IsString() ? m.value.GetString() : "";
      if (!url.empty() && ((url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) || url.size() > 500))
        bad_field("Field 'branding.site_url' must be an http(s):// address.");
    } else if (name == "logo_url") {
      std::string_view url = m.value.IsString() ? m.value.GetString() : "";
      if (url.rfind("https://", 0) != 0 || url.size() > 500)
        bad_field("Field 'branding.logo_url' must be an https:// address.");
    } else if (name == "organiser") {
      if (!m.value.IsString()) bad_field("Field 'branding.organiser' must be a string.");
      w.field("organiser", domain::checked_name(m.value.GetString(), 200, "organiser"));
      continue;
    }
    if (m.value.IsString()) {
      std::string_view value(m.value.GetString(), m.value.GetStringLength());
      if (value.size() > 500) bad_field("Values in 'branding' must be at most 500 characters.");
      w.field(name, value);
    } else if (m.value.IsBool()) {
      w.field(name, m.value.GetBool());
    } else if (m.value.IsInt64()) {
      w.field(name, m.value.GetInt64());
    } else if (!m.value.IsNull()) {
      bad_field("Values in 'branding' must be strings, numbers or booleans.");
    }
  }
  w.end_object();
  return w.take();
}

// Fields shared by creation and PATCH; absent fields leave `e` unchanged.
void apply_fields(domain::Event& e, const rapidjson::Value& body) {
  if (auto title = http::get_string(body, "title")) e.title = domain::checked_name(*title, 200, "title");
  if (auto desc = http::get_string(body, "description")) {
    e.description = desc->empty() ? std::string() : domain::checked_text(*desc, 5000, "description");
  }
  if (body.HasMember("starts_at")) e.starts_at_ms = parse_time_field(body, "starts_at");
  if (body.HasMember("ends_at")) e.ends_at_ms = parse_time_field(body, "ends_at");
  if (auto it = body.FindMember("languages"); it != body.MemberEnd()) e.languages = parse_languages(it->value);
  if (auto it = body.FindMember("guests"); it != body.MemberEnd()) e.guests_json = parse_guests(it->value);
  if (auto it = body.FindMember("branding"); it != body.MemberEnd()) e.branding_json = parse_branding(it->value);
  if (auto qb = http::get_bool(body, "questions_before")) e.questions_before = *qb;
  if (auto late = http::get_int(body, "late_questions_days")) {
    if (*late < 0 || *late > 365) bad_field("Field 'late_questions_days' must be between 0 and 365.");
    e.late_questions_days = static_cast<int>(*late);
  }
  if (auto mod = http::get_string(body, "moderation")) {
    if (*mod != "pre") bad_field("Field 'moderation' must be \"pre\": nothing is public before a moderator publishes it.");
    e.moderation = *mod;
  }
  if (auto closed = http::get_bool(body, "closed")) e.closed = *closed;
  if (auto status = http::get_string(body, "status")) {
    if (*status != "draft" && *status != "published") bad_field("Field 'status' must be \"draft\" or \"published\".");
    e.draft = *status == "draft";
  }
  if (auto zone = http::get_string(body, "time_zone")) {
    if (!zone->empty() && !tz::is_known_time_zone(*zone))
      bad_field("Field 'time_zone' must be a time zone such as Europe/Paris (or empty for the site's).");
    e.time_zone = *zone;
  }
}

void check_times(const domain::Event& e) {
  if (e.ends_at_ms <= e.starts_at_ms) bad_field("Field 'ends_at' must be after 'starts_at'.");
}
}  // namespace

domain::Event event_from_json(std::string_view json, int64_t now_ms) {
  rapidjson::Document body = http::parse_object(json);
  domain::Event e;
  e.languages = {"fr"};
  if (auto id = http::get_string(body, "id")) {
    if (!domain::is_event_id(*id)) bad_field("Field 'id' must be 3 to 64 characters among a-z, 0-9 and '-'.");
    e.id = *id;
  } else {
    e.id = ids::new_id("");
  }
  if (!body.HasMember("title")) bad_field("Field 'title' is required.");
  apply_fields(e, body);
  if (!body.HasMember("starts_at")) bad_field("Field 'starts_at' is required (RFC 3339).");
  if (!body.HasMember("ends_at")) bad_field("Field 'ends_at' is required (RFC 3339).");
  check_times(e);
  e.created_ms = e.updated_ms = now_ms;
  return e;
}

std::vector<std::string> guest_names(const domain::Event& e) {
  std::vector<std::string> names;
  rapidjson::Document guests;
  guests.Parse(e.guests_json.c_str());
  if (!guests.IsArray()) return names;
  for (const auto& g : guests.GetArray())
    if (g.IsObject() && g.HasMember("name") && g["name"].IsString()) names.emplace_back(g["name"].GetString());
  return names;
}

std::vector<std::string> reserved_names(const domain::Event& e) {
  std::vector<std::string> names = guest_names(e);
  rapidjson::Document branding;
  branding.Parse(e.branding_json.c_str());
  if (branding.IsObject() && branding.HasMember("organiser") && branding["organiser"].IsString())
    names.emplace_back(branding["organiser"].GetString());
  return names;
}

bool apply_event_patch(domain::Event& e, const rapidjson::Value& patch, bool moderator_only,
                       int64_t now_ms) {
  if (moderator_only) {
    for (const auto& m : patch.GetObject()) {
      std::string_view name(m.name.GetString(), m.name.GetStringLength());
      if (name != "ends_at" && name != "closed")
        throw Error(Code::forbidden, "Moderators may change only 'ends_at' and 'closed'.");
    }
  }
  if (patch.HasMember("id")) bad_field("Field 'id' cannot be changed.");
  int64_t starts = e.starts_at_ms, ends = e.ends_at_ms;
  bool closed = e.closed, draft = e.draft;
  apply_fields(e, patch);
  check_times(e);
  e.updated_ms = now_ms;
  return starts != e.starts_at_ms || ends != e.ends_at_ms || closed != e.closed || draft != e.draft;
}

namespace {
// branding.logo_url, or "".
std::string logo_url_of(const std::string& branding_json) {
  rapidjson::Document b;
  b.Parse(branding_json.c_str(), branding_json.size());
  if (b.HasParseError() || !b.IsObject()) return "";
  auto it = b.FindMember("logo_url");
  if (it == b.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}
}  // namespace

// branding.<name> when it is a non-empty string, else `fallback`.
std::string branding_text(const rapidjson::Document& b, const char* name, const std::string& fallback) {
  if (!b.IsObject()) return fallback;
  auto it = b.FindMember(name);
  if (it == b.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0) return fallback;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

namespace {
// The guests as stored, each with `photo`: the address Palabre serves its
// photo at (api/guest_photos.cpp), versioned by its source. Pages use it,
// never photo_url.
void write_guests(rapidjson::Writer<rapidjson::StringBuffer>& w, const domain::Event& e, std::string_view base) {
  rapidjson::Document guests;
  guests.Parse(e.guests_json.c_str(), e.guests_json.size());
  w.StartArray();
  if (guests.IsArray()) {
    unsigned i = 0;
    for (const auto& g : guests.GetArray()) {
      if (!g.IsObject()) continue;
      w.StartObject();
      for (const auto& m : g.GetObject()) {
        w.Key(m.name.GetString(), m.name.GetStringLength());
        m.value.Accept(w);
      }
      if (auto it = g.FindMember("photo_url"); it != g.MemberEnd() && it->value.IsString()) {
        std::string photo = std::string(base) + "api/events/" + e.id + "/guests/" + std::to_string(i) +
                            "/photo?v=" + ids::sha256_hex(it->value.GetString()).substr(0, 12);
        w.Key("photo");
        w.String(photo.c_str(), static_cast<rapidjson::SizeType>(photo.size()));
      }
      w.EndObject();
      ++i;
    }
  }
  w.EndArray();
}

}  // namespace

std::vector<std::string> guest_photo_urls(const domain::Event& e) {
  std::vector<std::string> urls;
  rapidjson::Document guests;
  guests.Parse(e.guests_json.c_str(), e.guests_json.size());
  if (!guests.IsArray()) return urls;
  for (const auto& g : guests.GetArray()) {
    std::string url;
    if (g.IsObject())
      if (auto it = g.FindMember("photo_url"); it != g.MemberEnd() && it->value.IsString()) url = it->value.GetString();
    urls.push_back(std::move(url));
  }
  return urls;
}

void write_event(rapidjson::Writer<rapidjson::StringBuffer>& w, const domain::Event& e, const EventView& view) {
  auto key = [&](std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); };
  auto str = [&](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  const int64_t now_ms = view.now_ms;
  w.StartObject();
  key("id"); str(e.id);
  key("status"); str(e.draft ? "draft" : "published");
  key("title"); str(e.title);
  key("description"); str(e.description);
  key("starts_at"); str(timefmt::format_rfc3339(e.starts_at_ms));
  key("ends_at"); str(timefmt::format_rfc3339(e.ends_at_ms));
  // The zone the pages show times in: the debate's, else the site's.
  key("time_zone"); str(e.time_zone.empty() ? view.site.time_zone : e.time_zone);
  key("languages");
  w.StartArray();
  for (const auto& l : e.languages) str(l);
  w.EndArray();
  key("guests");
  write_guests(w, e, view.base_url);
  key("questions_before"); w.Bool(e.questions_before);
  key("late_questions_days"); w.Int(e.late_questions_days);
  key("moderation"); str(e.moderation);
  key("branding"); w.RawValue(e.branding_json.data(), e.branding_json.size(), rapidjson::kObjectType);
  key("closed"); w.Bool(e.closed);
  key("phase"); str(domain::phase_name(domain::phase_of(e, now_ms)));
  std::string base(view.base_url);
  key("url"); str(base + "e/" + e.id);
  key("stream_url"); str(base + "api/events/" + e.id + "/stream");
  // The logo as Palabre serves it (api/logo.cpp), versioned by its source,
  // else the site's: pages use this, never branding.logo_url.
  std::string logo;
  if (std::string source = logo_url_of(e.branding_json); !source.empty())
    logo = base + "api/events/" + e.id + "/logo?v=" + ids::sha256_hex(source).substr(0, 12);
  else
    logo = std::string(view.site_logo);
  key("logo");
  if (logo.empty()) w.Null(); else str(logo);
  // What pages show: the debate's branding, each field falling back on the site's.
  rapidjson::Document b;
  b.Parse(e.branding_json.c_str(), e.branding_json.size());
  key("brand");
  w.StartObject();
  key("organiser"); str(branding_text(b, "organiser", view.site.organiser));
  key("color"); str(branding_text(b, "color", view.site.color));
  key("site_url"); str(branding_text(b, "site_url", view.site.site_url));
  key("logo");
  if (logo.empty()) w.Null(); else str(logo);
  w.EndObject();
  w.EndObject();
}

std::string event_json(const domain::Event& e, const EventView& view) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  write_event(w, e, view);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace palabre::api
