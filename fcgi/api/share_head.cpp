// GET /api/events/{id}/head.html (api/share_head.hpp).
#include "api/share_head.hpp"

#include "api/site.hpp"

#include <rapidjson/document.h>

#include "api/context.hpp"
#include "api/identity.hpp"
#include "api/page_text.hpp"
#include "api/public_copy.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "http/html.hpp"

namespace palabre::api {
namespace {

using http::html::escape;

// A string member of the branding object, or "".
std::string branding_field(const std::string& branding_json, const char* name) {
  rapidjson::Document b;
  b.Parse(branding_json.c_str(), branding_json.size());
  if (b.HasParseError() || !b.IsObject()) return "";
  auto it = b.FindMember(name);
  if (it == b.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// At most `max` code points of `s` (valid UTF-8, as the API stores it),
// whitespace runs as one space, "…" when cut.
std::string shortened(std::string_view s, size_t max) {
  std::string out;
  size_t points = 0;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if ((c & 0xC0) != 0x80) {
      if (points + (space ? 1 : 0) >= max) return out + "…";
      if (space) { out += ' '; ++points; space = false; }
      ++points;
    }
    out += static_cast<char>(c);
  }
  return out;
}

void meta(std::string& out, const char* attr, const char* name, std::string_view content) {
  out += "<meta ";
  out += attr;
  out += "=\"";
  out += name;
  out += "\" content=\"";
  out += escape(content);
  out += "\">\n";
}

}  // namespace

namespace {
// Open Graph wants a language_TERRITORY; the territory is the language's
// home, as a French city's debate in German is read by Germans first.
const char* og_locale(PageLang lang) {
  switch (lang) {
    case PageLang::en: return "en_GB";
    case PageLang::de: return "de_DE";
    case PageLang::it: return "it_IT";
    case PageLang::es: return "es_ES";
    case PageLang::pl: return "pl_PL";
    case PageLang::fr: break;
  }
  return "fr_FR";
}
}  // namespace

std::string share_head_html(const domain::Event& e, std::string_view base_url, std::string_view zone) {
  const std::string base(base_url);
  const std::string url = base + "e/" + e.id;
  const PageLang lang = page_lang(e);
  std::string organiser = branding_field(e.branding_json, "organiser");
  if (organiser.empty()) organiser = "Palabre";
  std::string description = long_datetime(e.starts_at_ms, lang, zone);
  if (!e.description.empty()) description += " — " + e.description;
  description = shortened(description, kShareDescriptionChars);
  // The logo as Palabre serves it, versioned like GET /api/events/{id}'s "logo".
  std::string logo;
  if (std::string source = branding_field(e.branding_json, "logo_url"); !source.empty())
    logo = base + "api/events/" + e.id + "/logo?v=" + ids::sha256_hex(source).substr(0, 12);

  std::string out = "<title>" + escape(e.title) + " – Palabre</title>\n";
  meta(out, "name", "description", description);
  meta(out, "property", "og:type", "website");
  meta(out, "property", "og:site_name", organiser);
  meta(out, "property", "og:title", e.title);
  meta(out, "property", "og:description", description);
  meta(out, "property", "og:url", url);
  meta(out, "property", "og:locale", og_locale(lang));
  if (!logo.empty()) meta(out, "property", "og:image", logo);
  meta(out, "property", "event:start_time", timefmt::format_rfc3339(e.starts_at_ms));
  meta(out, "property", "event:end_time", timefmt::format_rfc3339(e.ends_at_ms));
  meta(out, "name", "twitter:card", "summary");
  meta(out, "name", "twitter:title", e.title);
  meta(out, "name", "twitter:description", description);
  if (!logo.empty()) meta(out, "name", "twitter:image", logo);
  return out;
}

namespace {

// Reached only through nginx's SSI include (an internal location): a
// draft or unknown debate is a 404 here, which nginx turns into nothing.
http::Response share_head(Context& ctx) {
  store::Event e = load_event(ctx, ctx.param("id"));
  http::Response r = http::Response::text("text/html; charset=utf-8", share_head_html(e, ctx.req.base_url(), e.time_zone.empty() ? site_defaults(ctx).time_zone : e.time_zone));
  allow_public_copy(r, e, ctx.now_ms());
  return r;
}

}  // namespace

void register_share_head_routes(Router& router) {
  router.add("GET", "/api/events/{id}/head.html", Access::public_, share_head);
}

}  // namespace palabre::api
