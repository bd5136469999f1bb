// Writing to and reading from the Redis streams that hold each debate's
// history (public, staff, guest). Accept threads only (sync connection).
// Every write goes through scripts/publish.lua so that the Pub/Sub wake-up
// and the stream entry can never disagree. Throws Error(store_unavailable).
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

// Appends and announces; returns the entry id. Returns once Redis has it.
// Entries appended to any stream by this process (publish, transitions,
// phase changes): palabre_messages_published_total.
uint64_t published_total();
void count_published();

std::string publish(Connection& redis, const Config& config, const std::string& stream_key,
                    std::string_view type, std::string_view data);
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
