#include "api/guest_photos.hpp"

#include <algorithm>
#include <charconv>

#include "api/event_json.hpp"
#include "api/identity.hpp"
#include "api/logo.hpp"
#include "core/error.hpp"
#include "http/response.hpp"

namespace palabre::api {
namespace {
// The URL carries the version (?v=), so a copy may be kept long.
constexpr const char* kPhotoCacheControl = "public, max-age=86400";

http::Response get_photo(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  const std::string& n = ctx.param("n");
  size_t index = 0;
  auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), index);
  std::vector<std::string> urls = guest_photo_urls(e);
  if (ec != std::errc() || end != n.data() + n.size() || index >= urls.size() || urls[index].empty())
    throw Error(Code::not_found, "This guest has no photo.");
  auto photo = ctx.services.sql().get_guest_photo(event_id, urls[index]);
  if (!photo) throw Error(Code::not_found, "This guest has no photo.");
  http::Response r = http::Response::text(photo->content_type, std::move(photo->bytes));
  r.with_header("Cache-Control", kPhotoCacheControl);
  return r;
}
}  // namespace

std::vector<store::Logo> fetch_new_guest_photos(Context& ctx, const domain::Event& e) {
  std::vector<store::Logo> fetched;
  for (const auto& url : guest_photo_urls(e)) {
    if (url.empty()) continue;
    bool have = std::any_of(fetched.begin(), fetched.end(), [&](const store::Logo& l) { return l.source_url == url; });
    if (have || ctx.services.sql().get_guest_photo(e.id, url)) continue;
    fetched.push_back(fetch_image(ctx, e.id, url, "guests[].photo_url"));
  }
  return fetched;
}

void store_guest_photos(Context& ctx, const domain::Event& e, const std::vector<store::Logo>& fetched) {
  for (const auto& photo : fetched) ctx.services.sql().put_guest_photo(photo);
  std::vector<std::string> kept = guest_photo_urls(e);
  ctx.services.sql().keep_guest_photos(e.id, kept);
}

void register_guest_photo_routes(Router& router) {
  router.add("GET", "/api/events/{id}/guests/{n}/photo", Access::public_, get_photo);
}

}  // namespace palabre::api
