// One mutation applied to Redis as a whole or not at all (scripts/apply.lua):
// its checks (the question is still at the version the change was computed
// from, nobody else holds its claim), then its writes — the state change,
// queue moves, stream entries and the audit entry — in one atomic step. So
// an action is never public without its audit line, and never half done.
//
//   redis::Batch b(config);
//   b.once(digest).expect_version(keys::question(ev, id), q.version);
//   b.hset(keys::question(ev, id), domain::to_fields(after));
//   size_t msg = b.append(keys::public_stream(ev), "message", data);
//   auto applied = b.apply(redis);   // throws Error or StaleVersion
//   applied.entries[msg].id
//
// apply() announces every appended entry to the hubs (streams.hpp,
// announce_entry) once Redis has it, sent after the response (main.cpp).
// Every key of one batch must be in one Redis Cluster slot: a debate's keys
// (redis/keys.hpp, hash tags). Global sets go through list_in().
// Accept threads only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

struct AppendedEntry {
  std::string stream_key;
  std::string id;    // the new entry's id
  std::string prev;  // the id of the entry before it ("0-0": none)
  std::string type, data;  // as appended (empty for a replay and for records)
};

struct Applied {
  // True when a retry of the same request (the key given to once()) found
  // the first application's result: nothing was written again, and nothing
  // is announced again (hub/fanout.cpp finds entries a lost wake-up missed).
  // values and entries are then the first application's, which may have had
  // other operations than this one: find entries by stream_key.
  bool replayed = false;
  std::vector<std::string> values;     // of read(), in order
  std::vector<AppendedEntry> entries;  // of append(), in order

  // The last entry appended to `stream_key`, or null.
  const AppendedEntry* last_on(const std::string& stream_key) const;
};

// The question changed since it was read (another moderator acted first):
// recompute the change from a fresh read and apply again.
struct StaleVersion {};

class Batch {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;

  explicit Batch(const Config& config) : config_(config) {}

  // A request with an Idempotency-Key (its digest): once applied, a retry
  // gets the first result back (kept 24 h) instead of applying it again.
  Batch& once(const std::string& idempotency_digest);
  // The hash's "version" field (0 when absent) must still be `version`;
  // apply() throws StaleVersion otherwise.
  Batch& expect_version(const std::string& hash_key, int64_t version);
  // The key must exist, else Error(not_found, `message`).
  Batch& require(const std::string& key, std::string message);
  // The hash must have the field, else Error(not_found, `message`).
  Batch& require_field(const std::string& hash_key, const std::string& field, std::string message);
  // The claim (a string "<holder>\t<label>", actions/claims.hpp) must be
  // absent or held by `holder`; else Error(claimed) with the holder's label
  // as "claimed_by".
  Batch& claimed_by_none_or(const std::string& claim_key, const std::string& holder);

  Batch& hset(const std::string& hash_key, const Fields& fields);
  // Sets `field` of the hash to the id of the entry appended just before.
  Batch& hset_last_entry_id(const std::string& hash_key, const std::string& field);
  Batch& hdel(const std::string& hash_key, const std::string& field);
  Batch& zadd(const std::string& key, int64_t score, const std::string& member);
  // Moves a member already in the sorted set; adds nothing.
  Batch& zmove(const std::string& key, int64_t score, const std::string& member);
  Batch& zrem(const std::string& key, const std::string& member);
  // Lists the debate in a global set (keys::audit_pending…): a key of
  // another slot, so SADD before the script and again after the response
  // (Connection::send_later) rather than in it
  // (redis/debate_index.hpp says why that is safe).
  Batch& list_in(const std::string& index_key, const std::string& event_id);
  Batch& set_with_ttl(const std::string& key, const std::string& value, int64_t ttl_ms);
  Batch& del(const std::string& key);
  Batch& del_if_equal(const std::string& key, const std::string& value);
  // Returns the index of the value in Applied::values.
  size_t read(const std::string& key);
  // An entry {t: type, d: data} on a debate's public, staff or guest stream,
  // trimmed to Config::history_max_entries. Returns the index in
  // Applied::entries.
  size_t append(const std::string& stream_key, std::string_view type, std::string_view data);
  // An entry with any fields, untrimmed (the audit stream: drained, then
  // trimmed, by audit/drain.hpp). Not announced to the hubs.
  size_t append_record(const std::string& stream_key, const Fields& fields);

  // Runs it. Throws StaleVersion, Error(not_found | claimed | store_unavailable).
  Applied apply(Connection& redis);

 private:
  std::string key_arg(const std::string& key);

  const Config& config_;
  std::vector<std::string> keys_;
  std::vector<std::string> args_;
  std::string once_digest_;  // once(): the Idempotency-Key digest, if any
  std::vector<std::pair<std::string, std::string>> listings_;  // list_in(): index key, event id
  std::vector<std::pair<std::string, std::string>> not_found_messages_;  // key argument, message
  struct Appended {
    std::string stream_key;
    bool announced;
    std::string type, data;
  };
  std::vector<Appended> appended_;
  size_t reads_ = 0;
};

}  // namespace palabre::redis
