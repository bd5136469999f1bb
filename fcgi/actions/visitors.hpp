// Moderators' actions on a visitor (actions/mutation.hpp).
#pragma once

#include <string>

#include "actions/mutation.hpp"

namespace palabre::actions {

// Bans the visitor from the debate: their posts are refused, their open
// streams close, and new visitor ids from their last network address are
// refused too (redis/address_limits.hpp). Banning again replaces the reason.
void ban(const Mutation& m, const std::string& event_id, const std::string& visitor_id, const std::string& reason);
// Lifts a ban; Error(not_found) when the visitor is not banned.
void unban(const Mutation& m, const std::string& event_id, const std::string& visitor_id);

}  // namespace palabre::actions
