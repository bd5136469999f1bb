// Announcing an event's phase on its public stream, exactly once per change
// (scripts/phase.lua), whoever notices it first: a PATCH or any worker's
// phase clock. Any thread with its own Connection. Throws Error(store_unavailable).
#pragma once

#include <string>

#include "core/config.hpp"
#include "domain/event.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

struct PhaseFrame {
  std::string cursor;  // stream id of the published frame
  std::string data;    // wire::phase_json
};

// Publishes `data` unless it is what was last announced for this event.
// Returns the published frame, or an empty cursor when nothing changed.
PhaseFrame announce_phase(Connection& redis, const Config& config, const std::string& event_id,
                          const std::string& data);

}  // namespace palabre::redis
