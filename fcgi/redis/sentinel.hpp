// Where the Redis master is, asked of Redis Sentinel
// (Config::redis_sentinels, redis_master_name): SENTINEL
// get-master-addr-by-name, one sentinel after the other until one answers.
// The caller connects to the answer and checks ROLE (redis/handshake.hpp):
// a sentinel may answer with a master that was demoted since, or before it
// noticed a failover.
//
// Blocking: each sentinel gets min(redis_timeout_ms, 500 ms) to connect and
// answer (sentinels that are down refuse at once on a live host; a host cut
// from the network takes the whole delay). Accept threads call it when they
// reconnect; the hub, which must not wait, through hub/master_lookup.hpp.
// Threads: any.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/config.hpp"

namespace palabre::redis {

struct MasterAddress {
  std::string host;
  int port = 0;
};

// Asks the sentinels in turn starting at `next` (advanced past the one that
// answered, so that the next call starts with another when this answer
// turns out wrong). nullopt when none answered with an address; `why` then
// says what the last one did.
std::optional<MasterAddress> ask_sentinels(const Config& config, size_t& next, std::string& why);

}  // namespace palabre::redis
