// A global set listing the debates that have something waiting (audit
// entries to drain, count frames due), kept outside the debate's scripts:
// in a Redis Cluster a script may touch one slot only, and each debate's
// keys have their own (redis/keys.hpp, hash tags).
//
// So listing a debate is no longer atomic with what it lists. What keeps
// it safe:
//   - a writer lists the debate before its script runs (list_debate) and
//     again after it (list_debate_later: sent once the request's response
//     is out, with the fan-out's wake-ups): a worker dying in between leaves
//     at worst a listed debate with nothing waiting, which the next pass
//     unlists. Only a worker dying in the instant between its response and
//     that second SADD, while a reader unlisted the debate, leaves entries
//     unlisted; the debate's next write lists them again;
//   - a reader that finds the debate's waiting work empty unlists it, then
//     looks again and lists it back if something arrived meanwhile
//     (unlist_if_empty): a writer's item added before that second look is
//     seen, one added after it is followed by the writer's list_debate_later.
// Accept threads and the phase clock. Throws Error(store_unavailable).
#pragma once

#include <string>
#include <vector>

#include "redis/connection.hpp"

namespace palabre::redis {

void list_debate(Connection& redis, const std::string& index_key, const std::string& event_id);
// The same, queued on the connection until its send_later().
void list_debate_later(Connection& redis, const std::string& index_key, const std::string& event_id);

// `size` is a command giving the size of the debate's waiting work (XLEN,
// SCARD…). Returns whether the debate was unlisted.
bool unlist_if_empty(Connection& redis, const std::string& index_key, const std::string& event_id,
                     const std::vector<std::string>& size);

}  // namespace palabre::redis
