#include "domain/claim.hpp"

#include <charconv>

namespace palabre::domain {

std::string claim_value(const Claim& claim) {
  return claim.holder + "\t" + claim.label + "\t" + std::to_string(claim.until_ms);
}

std::optional<Claim> parse_claim(std::string_view value) {
  auto first = value.find('\t');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = value.find('\t', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  Claim c{std::string(value.substr(0, first)), std::string(value.substr(first + 1, second - first - 1)), 0};
  std::string_view until = value.substr(second + 1);
  auto [end, ec] = std::from_chars(until.data(), until.data() + until.size(), c.until_ms);
  if (ec != std::errc() || end != until.data() + until.size() || c.holder.empty()) return std::nullopt;
  return c;
}

}  // namespace palabre::domain
