#include "domain/image_type.hpp"

namespace palabre::domain {

std::optional<std::string_view> sniff_image_type(std::string_view b) {
  using namespace std::string_view_literals;
  if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1a\n"sv) return "image/png";
  if (b.size() >= 3 && b.substr(0, 3) == "\xff\xd8\xff"sv) return "image/jpeg";
  if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a"sv || b.substr(0, 6) == "GIF89a"sv)) return "image/gif";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF"sv && b.substr(8, 4) == "WEBP"sv) return "image/webp";
  return std::nullopt;
}

}  // namespace palabre::domain
