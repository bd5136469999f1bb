// What follows a change of an event's times or state: its phase announced on
// its public stream and archived. Accept threads only.
#pragma once

#include "api/context.hpp"
#include "domain/event.hpp"

namespace palabre::api {

// Announces the event's phase on its public stream if it differs from the
// last announced (redis::announce_phase) and archives the frame.
void announce_phase_change(Context& ctx, const domain::Event& event);

}  // namespace palabre::api
