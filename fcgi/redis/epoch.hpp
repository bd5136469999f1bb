// The epoch of a debate's live data and the bounds of one of its streams,
// read in one round trip when a stream or a long-poll opens (api/streams.cpp)
// and when a cursor is handed out (queues).
#pragma once

#include <string>

#include "core/cursor.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

// The debate's epoch, created if missing (SET NX GET: every worker agrees).
std::string ensure_epoch(Connection& redis, const std::string& event_id);
// Epoch (created if missing), first and last ids, and whether the stream
// was trimmed. Throws Error(store_unavailable).
StreamBounds stream_bounds(Connection& redis, const std::string& event_id,
                           const std::string& stream_key);
// "<epoch>.<last id>" of a stream: where a client that just read a snapshot
// (the queue) resumes.
std::string stream_cursor(Connection& redis, const std::string& event_id,
                          const std::string& stream_key);

}  // namespace palabre::redis
