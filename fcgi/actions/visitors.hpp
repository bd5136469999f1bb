// Moderators' controls of the audience (actions/mutation.hpp): bans (told
// or silent), timeouts, slow mode and the shield.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "actions/mutation.hpp"
#include "domain/controls.hpp"
#include "redis/sessions.hpp"

namespace palabre::actions {

// Bans the visitor from the debate. Told: their posts are refused, their
// open streams close, and new visitor ids from their last network address
// are refused too (redis/address_limits.hpp). Silent: they notice nothing,
// but what they asked and will ask is hidden from everyone else (their
// pending questions leave the queue). Banning again replaces the ban.
void ban(const Mutation& m, const std::string& event_id, const std::string& visitor_id, const std::string& reason,
         bool silent);
// Lifts a ban (hidden questions stay hidden); Error(not_found) when the
// visitor is not banned.
void unban(const Mutation& m, const std::string& event_id, const std::string& visitor_id);

// Keeps the visitor from asking for `seconds` (domain::kMinTimeoutS to
// kMaxTimeoutS, else Error(invalid_field)). Returns the end, in ms.
int64_t time_out(const Mutation& m, const std::string& event_id, const std::string& visitor_id, int64_t seconds);
void lift_time_out(const Mutation& m, const std::string& event_id, const std::string& visitor_id);

// Where a visitor stands, read in one round trip before they post: their
// ban (a silent one included), the end of their timeout (0: none), and the
// debate's controls.
struct Standing {
  std::optional<redis::Ban> ban;
  int64_t timed_out_until_ms = 0;
  domain::Controls controls;
};
Standing standing(redis::Connection& redis, const std::string& event_id, const std::string& visitor_id);

// The debate's controls, and a change of some of them (nullopt: kept). The
// change reaches the pages (public `controls` frame) and every console.
domain::Controls controls(redis::Connection& redis, const std::string& event_id);
domain::Controls set_controls(const Mutation& m, const std::string& event_id, std::optional<int> slow_mode_s,
                              std::optional<bool> shield);

}  // namespace palabre::actions
