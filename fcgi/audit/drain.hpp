// Moves audit entries from the debates' audit streams in Redis, where each
// mutation writes its entry in the same atomic step as its change
// (audit/line.hpp, redis::Batch), into SQL's audit_log, then trims them from
// Redis. Writing an entry twice is harmless (its stream id is unique in
// SQL), so any number of workers may drain at once. Accept threads (before
// reading the audit log or blanking its details) and the phase clock (every
// second) drain; never the hub thread. The debates with entries waiting
// are listed in keys::audit_pending, a global set kept outside the
// mutation's script (redis/debate_index.hpp). Throws Error(store_unavailable).
#pragma once

#include <cstddef>
#include <string>

#include "redis/batch.hpp"
#include "redis/connection.hpp"
#include "store/store.hpp"

#include "audit/line.hpp"

namespace palabre::audit {

// Adds `line` to the debate's audit stream as part of `batch`.
void write(redis::Batch& batch, const std::string& event_id, const Line& line);

// One debate's waiting entries; returns how many were written to SQL.
size_t drain(redis::Connection& redis, store::Store& sql, const std::string& event_id);
// Every debate with waiting entries.
size_t drain_pending(redis::Connection& redis, store::Store& sql);

}  // namespace palabre::audit
