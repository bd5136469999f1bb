// Announcements: a moderator's message published at once (actions/mutation.hpp).
#pragma once

#include <string>

#include "actions/mutation.hpp"

namespace palabre::actions {

struct Announced {
  std::string entry_id;  // on the public stream
  std::string epoch;     // the debate's epoch, for the cursor ("" if Redis lost it)
  bool replayed = false;
};

// `id`, `text` and `lang` are checked by the caller.
Announced announce(const Mutation& m, const std::string& event_id, const std::string& id, const std::string& text,
                   const std::string& lang);

}  // namespace palabre::actions
