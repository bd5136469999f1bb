// The organiser's logo, served from Palabre's own origin: fetched once when
// an admin sets branding.logo_url (creation or PATCH), checked to be a PNG,
// JPEG, GIF or WebP by its bytes, kept in SQL (event_logos) and served at
// GET /api/events/{id}/logo. Pages never ask the organiser's host, so a
// visitor's address reaches no third party (docs/PRIVACY.md).
#include "api/logo.hpp"

#include "api/identity.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "domain/image_type.hpp"
#include "http/json.hpp"
#include "net/http_client.hpp"

namespace palabre::api {
namespace {
// The URL carries the version (?v=), so a copy may be kept long.
constexpr const char* kLogoCacheControl = "public, max-age=86400";

http::Response get_logo(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  auto logo = ctx.services.sql().get_logo(event_id);
  if (!logo) throw Error(Code::not_found, "This debate has no logo.");
  http::Response r = http::Response::text(logo->content_type, std::move(logo->bytes));
  r.with_header("Cache-Control", kLogoCacheControl);
  // nginx adds X-Content-Type-Options: nosniff to every answer (palabre-headers.conf.in).
  return r;
}
}  // namespace

std::string logo_source(const domain::Event& e) {
  rapidjson::Document b;
  b.Parse(e.branding_json.c_str(), e.branding_json.size());
  if (b.HasParseError() || !b.IsObject()) return "";
  auto it = b.FindMember("logo_url");
  if (it == b.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<store::Logo> fetch_logo_if_new(Context& ctx, const domain::Event& e) {
  return fetch_logo_if_new(ctx, e.id, logo_source(e));
}

std::optional<store::Logo> fetch_logo_if_new(Context& ctx, const std::string& owner_id, const std::string& url) {
  if (url.empty()) return std::nullopt;
  if (auto stored = ctx.services.sql().get_logo(owner_id); stored && stored->source_url == url) return std::nullopt;
  return fetch_image(ctx, owner_id, url, "branding.logo_url");
}

store::Logo fetch_image(Context& ctx, const std::string& owner_id, const std::string& url, std::string_view field) {
  net::FetchLimits limits{ctx.config().logo_timeout_ms, static_cast<size_t>(ctx.config().logo_max_bytes),
                          ctx.config().logo_ca_file};
  net::FetchResult got = net::fetch_https(url, limits);
  std::optional<std::string_view> type;
  if (got.ok) {
    type = domain::sniff_image_type(got.body);
    if (!type) got.error = "not a PNG, JPEG, GIF or WebP image";
  }
  if (!got.ok || !type) {
    log::info("image refused", {{"event_id", owner_id}, {"field", std::string(field)}, {"error", got.error}});
    throw Error(Code::logo_unavailable, "The image at " + std::string(field) + " could not be used: " + got.error + ".");
  }
  store::Logo image{.event_id = owner_id, .source_url = url, .content_type = std::string(*type),
                    .bytes = std::move(got.body), .sha256 = {}, .fetched_ms = ctx.now_ms()};
  image.sha256 = ids::sha256_hex(image.bytes);
  log::info("image fetched", {{"event_id", owner_id}, {"field", std::string(field)},
                              {"bytes", std::to_string(image.bytes.size())}, {"type", image.content_type}});
  return image;
}

void register_logo_routes(Router& router) {
  router.add("GET", "/api/events/{id}/logo", Access::public_, get_logo);
}

}  // namespace palabre::api
