// A debate's live history as the stream handlers and the cursors they hand
// out see it: the epoch of its Redis data and the bounds of a stream, with
// the history put back from the SQL archive first when Redis lost it (a
// restart without its files, a flush). Accept threads only.
#pragma once

#include <string>
#include <vector>

#include "api/context.hpp"
#include "core/cursor.hpp"
#include "redis/streams.hpp"

namespace palabre::api {

// The debate's epoch; restores the archive into Redis when there is none.
std::string live_epoch(Context& ctx, const std::string& event_id);
// The bounds of one of the debate's streams, with a restored epoch.
StreamBounds live_bounds(Context& ctx, const std::string& event_id, const std::string& stream_key);
// "<epoch>.<last id>" of a stream: where a client that just read a
// snapshot (the queues) resumes.
std::string live_cursor(Context& ctx, const std::string& event_id, const std::string& stream_key);
// The cursor of an entry a request appended, with the epoch read in the same
// atomic step ("": Redis had lost it, and it is restored now).
std::string published_cursor(Context& ctx, const std::string& event_id, const std::string& epoch,
                             const std::string& entry_id);

}  // namespace palabre::api
