// The guest's queue: the questions handed to them, in the order the
// moderators arrange, and the one marked as being answered now
// (actions/mutation.hpp). The guest's console follows it live (`queue`
// frames on the guest and staff streams).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actions/mutation.hpp"

namespace palabre::actions {

struct GuestQueue {
  std::vector<std::string> order;  // question ids, first to answer first
  std::string now;                 // "" when none is marked
};

// As it stands (a "now" no longer in the queue reads as none).
GuestQueue guest_queue(redis::Connection& redis, const std::string& event_id);

// Puts `order` first, in that order (each must be in the queue, once), the
// questions it leaves out after them as they were; marks `now` (nullopt:
// unchanged; "": none; else a question of the queue). Throws
// Error(invalid_field) or Error(conflict) for a question not in the queue.
GuestQueue arrange_guest_queue(const Mutation& m, const std::string& event_id, const std::vector<std::string>& order,
                               const std::optional<std::string>& now);

}  // namespace palabre::actions
