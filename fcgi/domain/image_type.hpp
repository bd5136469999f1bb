// Which image a file is, from its first bytes (its "magic"), never from
// what a server claims. Pure.
#pragma once

#include <optional>
#include <string_view>

namespace palabre::domain {

// "image/png", "image/jpeg", "image/gif" or "image/webp"; nullopt for
// anything else, SVG included (it is XML and can carry script).
std::optional<std::string_view> sniff_image_type(std::string_view bytes);

}  // namespace palabre::domain
