// The organiser's logo, fetched once and served locally (api/logo.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/context.hpp"
#include "store/store.hpp"

namespace palabre::api {

// branding.logo_url of the event, or "".
std::string logo_source(const domain::Event& e);

// The logo to store when branding.logo_url names another image than the one
// kept (nullopt: no logo, or the same URL, already fetched). Throws
// Error(logo_unavailable) when it cannot be fetched or is not an image
// Palabre serves; call it before saving the event, so nothing is saved then.
std::optional<store::Logo> fetch_logo_if_new(Context& ctx, const domain::Event& e);
// The same for any owner: a debate's id, or "" for the site's default logo.
std::optional<store::Logo> fetch_logo_if_new(Context& ctx, const std::string& owner_id, const std::string& url);
// Fetches the image at `url` (https, PALABRE_LOGO_* limits) for `owner_id`;
// throws Error(logo_unavailable) naming `field` when it is not one.
store::Logo fetch_image(Context& ctx, const std::string& owner_id, const std::string& url, std::string_view field);

}  // namespace palabre::api
