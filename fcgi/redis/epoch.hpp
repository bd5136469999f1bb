// The epoch of a debate's live data and the bounds of one of its streams,
// read in one round trip when a stream or a long-poll opens, and when a
// cursor is handed out (api/live_history.hpp puts them together).
//
// An epoch is created only together with the restored history (restore.lua):
// a Redis that lost its data has no epoch until a worker has put the archive
// back, so no reader can take the emptied stream for the whole debate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/cursor.hpp"
#include "redis/connection.hpp"
#include "redis/streams.hpp"

namespace palabre::redis {

// The debate's epoch; nullopt when Redis has none (never had, or lost it).
// Throws Error(store_unavailable).
std::optional<std::string> read_epoch(Connection& redis, const std::string& event_id);
// The first and last ids of an XINFO STREAM reply, and whether the stream
// was trimmed; false when the reply is not one (no such key). Pure, for the
// hub's async connection too.
bool read_stream_info(const redisReply* info, StreamBounds& bounds);
// Epoch ("" when there is none), first and last ids, and whether the stream
// was trimmed. Throws Error(store_unavailable).
StreamBounds stream_bounds(Connection& redis, const std::string& event_id,
                           const std::string& stream_key);
// Sets a new epoch and merges `archived` (id order) into the public stream,
// unless another worker set an epoch first. Returns the epoch in force.
std::string restore_epoch(Connection& redis, const Config& config, const std::string& event_id,
                          const std::vector<StreamEntry>& archived);

}  // namespace palabre::redis
