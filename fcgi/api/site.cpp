// GET|PUT /api/site, GET /api/site/logo, GET /api/site/audit.
#include "api/site.hpp"

#include "api/body.hpp"
#include "api/identity.hpp"
#include "api/logo.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "http/json.hpp"

namespace palabre::api {
namespace {

std::string stored_or_default(Context& ctx) {
  if (auto stored = ctx.services.sql().site_settings()) return *stored;
  rapidjson::Document empty(rapidjson::kObjectType);
  return normalised_site_settings(empty);
}

// The stored settings plus "logo", the address pages use for the logo.
std::string public_settings(Context& ctx, const std::string& settings) {
  std::string logo = site_logo_address(ctx, site_defaults_from(settings));
  std::string out = settings;
  out.pop_back();  // the closing brace
  out += ",\"logo\":";
  if (logo.empty()) {
    out += "null";
  } else {
    http::JsonWriter w;
    w.string(logo);
    out += w.take();
  }
  return out + "}";
}

http::Response get_site(Context& ctx) {
  return http::Response::json(200, public_settings(ctx, stored_or_default(ctx)));
}

http::Response put_site(Context& ctx) {
  const Staff& admin = admitted_staff(ctx);
  rapidjson::Document body = body_object(ctx);
  std::string settings = normalised_site_settings(body);
  SiteDefaults site = site_defaults_from(settings);
  // Fetched before anything is saved: an unusable logo changes nothing.
  std::optional<store::Logo> logo = fetch_logo_if_new(ctx, "", site.logo_url);
  store::Store& sql = ctx.services.sql();
  sql.put_site_settings(settings, ctx.now_ms(), {0, "", actor_of(admin), "update_site", "site", settings, ctx.now_ms()});
  if (logo) sql.put_logo(*logo);
  return http::Response::json(200, public_settings(ctx, settings));
}

http::Response get_site_logo(Context& ctx) {
  SiteDefaults site = site_defaults(ctx);
  auto logo = site.logo_url.empty() ? std::nullopt : ctx.services.sql().get_logo("");
  if (!logo) throw Error(Code::not_found, "The site has no logo.");
  http::Response r = http::Response::text(logo->content_type, std::move(logo->bytes));
  // The address carries the version (?v=), so a copy may be kept long.
  r.with_header("Cache-Control", "public, max-age=86400");
  return r;
}

http::Response get_site_audit(Context& ctx) {
  http::JsonWriter w;
  w.start_object();
  w.key("entries");
  w.start_array();
  for (const auto& e : ctx.services.sql().list_site_audit(500)) {
    w.start_object();
    w.field("id", e.id);
    w.field("at", timefmt::format_rfc3339(e.at_ms));
    w.field("actor", e.actor);
    w.field("action", e.action);
    w.field("target", e.target);
    w.key("details");
    w.raw(e.details_json);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}
}  // namespace

SiteDefaults site_defaults(Context& ctx) {
  auto stored = ctx.services.sql().site_settings();
  return site_defaults_from(stored ? *stored : std::string());
}

std::string site_logo_address(const Context& ctx, const SiteDefaults& site) {
  if (site.logo_url.empty()) return "";
  return ctx.req.base_url() + "api/site/logo?v=" + ids::sha256_hex(site.logo_url).substr(0, 12);
}

std::string event_json(Context& ctx, const domain::Event& event) {
  SiteDefaults site = site_defaults(ctx);
  std::string logo = site_logo_address(ctx, site);
  return event_json(event, EventView{ctx.now_ms(), ctx.req.base_url(), site, logo});
}

void write_event(Context& ctx, rapidjson::Writer<rapidjson::StringBuffer>& w, const domain::Event& event) {
  SiteDefaults site = site_defaults(ctx);
  std::string logo = site_logo_address(ctx, site);
  write_event(w, event, EventView{ctx.now_ms(), ctx.req.base_url(), site, logo});
}

void register_site_routes(Router& router) {
  router.add("GET", "/api/site", Access::public_, get_site);
  router.add("PUT", "/api/site", Access::admin, put_site);
  router.add("GET", "/api/site/logo", Access::public_, get_site_logo);
  router.add("GET", "/api/site/audit", Access::admin, get_site_audit);
}

}  // namespace palabre::api
