// Writing to and reading from the Redis streams that hold each debate's
// history (public, staff, guest). Accept threads only (sync connection).
// Every write returns the new entry's id with the id before it, read in the
// same script, and that pair is what wakes the hubs (announce_entry).
// Throws Error(store_unavailable).
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
// (hub/fanout_message.hpp: key, id, previous id, type, data), to be sent
// with Connection::send_later(). An accept thread sends it once its response
// has left (main.cpp): the moderator's answer is then not queued, in nginx
// and for the CPUs, behind the fan-out to thousands of streams it starts.
// The entry itself is already in the stream, which is the truth.
void announce_entry(Connection& redis, const std::string& stream_key, std::string_view id,
                    std::string_view prev, std::string_view type, std::string_view data);

// Appends (scripts/publish.lua) and announces (announce_entry); returns the
// entry id once Redis has it.
std::string publish(Connection& redis, const Config& config, const std::string& stream_key,
                    std::string_view type, std::string_view data);

struct Published {
  std::string id;
  bool appended = false;  // false: an earlier attempt of this request did
  std::string epoch;      // the debate's epoch, "" if Redis has none (lost)
};
// publish() to a debate's public stream for a request that hands out the
// entry's cursor, so the epoch is read in the same script. With an
// Idempotency-Key (its digest, else ""), a retry whose first attempt died
// after appending gets that entry back instead of appending the message
// twice; kept as long as the key (24 h).
Published publish_public(Connection& redis, const Config& config, const std::string& event_id,
                         std::string_view type, std::string_view data, const std::string& idempotency_digest);
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
