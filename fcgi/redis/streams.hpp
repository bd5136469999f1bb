// Reading the Redis streams that hold each debate's history (public, staff,
// guest), and waking the hubs for a new entry. Entries are appended by
// redis::Batch (actions/) and scripts/phase.lua, each with the id before it,
// read in the same script: that pair is what wakes the hubs
// (announce_entry). Accept threads only (sync connection). Throws
// Error(store_unavailable).
#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

struct StreamEntry {
  std::string id;    // "ms-seq": the SSE id / long-poll cursor
  std::string type;  // SSE event name
  std::string data;  // one-line JSON
};

// Entries appended to any stream by this process (publish, transitions,
// phase changes): palabre_messages_published_total.
uint64_t published_total();
void count_published();

// Queues the Pub/Sub wake-up of a new entry for every worker's hub
// (wire/fanout.hpp: key, id, previous id, type, data), to be sent
// with Connection::send_later(). An accept thread sends it once its response
// has left (main.cpp): the moderator's answer is then not queued, in nginx
// and for the CPUs, behind the fan-out to thousands of streams it starts.
// The entry itself is already in the stream, which is the truth.
void announce_entry(Connection& redis, const std::string& stream_key, std::string_view id,
                    std::string_view prev, std::string_view type, std::string_view data);

// Entries with id > after ("0" or "-" = from the start), at most `count`.
std::vector<StreamEntry> read_after(Connection& redis, const std::string& stream_key,
                                    const std::string& after, size_t count);
// The last `count` entries, oldest first.
std::vector<StreamEntry> read_last(Connection& redis, const std::string& stream_key, size_t count);
// The id of the newest entry, or "0-0".
std::string last_id(Connection& redis, const std::string& stream_key);
// Parses an XRANGE-style reply.
std::vector<StreamEntry> parse_entries(const redisReply* reply);

}  // namespace palabre::redis
