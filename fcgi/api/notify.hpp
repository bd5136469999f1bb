// What follows a change, for the handlers that make it: tell the staff (and
// the guest, for forwarded questions) through their streams, announce an
// event's phase, and archive public frames in SQL. Accept threads only.
#pragma once

#include <string>

#include "api/context.hpp"
#include "domain/event.hpp"
#include "domain/question.hpp"

namespace palabre::api {

// Reloads the question and publishes it on the staff stream, and on the
// guest stream when it is forwarded. Returns the reloaded question.
domain::Question announce_question_change(Context& ctx, const std::string& qid);
// Writes a published public frame to the SQL archive (idempotent).
void archive_public(Context& ctx, const std::string& event_id, const std::string& cursor,
                    const std::string& type, const std::string& data);
// Announces the event's phase on its public stream if it differs from the
// last announced (redis::announce_phase) and archives the frame.
void announce_phase_change(Context& ctx, const domain::Event& event);
// The question of this event, or Error(not_found).
domain::Question load_event_question(Context& ctx, const std::string& event_id, const std::string& qid);

}  // namespace palabre::api
