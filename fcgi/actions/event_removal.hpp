// Everything Redis holds about one debate, deleted when an admin deletes
// the debate (DELETE /api/events/{id}): its streams, queues, question
// records, claims, supporters, polls, controls, bans, rate counters, audit
// stream, watcher counts — every key named "palabre:ev:{<id>}:…" by
// redis/keys.hpp plus the per-question keys "palabre:q:{<id>}:<qid>…" of its
// questions — and its frames still due. Sessions of the debate's visitors
// expire by themselves and open nothing once the debate is gone.
#pragma once

#include <string>

#include "redis/connection.hpp"

namespace palabre::actions {

// Returns the number of keys deleted. Safe to run again (a deletion cut
// short by a Redis failure is finished by the next call). Throws
// Error(store_unavailable) when Redis does not answer.
size_t remove_event_state(redis::Connection& redis, const std::string& event_id);

}  // namespace palabre::actions
