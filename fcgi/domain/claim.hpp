// A moderator's claim on a question: a soft lock that tells the other
// moderators "I am on it" and makes their actions on it wait (409 claimed).
// It lasts kClaimMs and the holder's console renews it while the item is
// open. Pure: kept in Redis as claim_value() (keys::claim), read back with
// parse_claim().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace palabre::domain {

inline constexpr int64_t kClaimMs = 30000;

struct Claim {
  std::string holder;  // who: an invite id, or "admin:<login>"
  std::string label;   // how the others see them
  int64_t until_ms = 0;
};

// "<holder>\t<label>\t<until ms>": labels are checked names, without tabs.
std::string claim_value(const Claim& claim);
std::optional<Claim> parse_claim(std::string_view value);

}  // namespace palabre::domain
