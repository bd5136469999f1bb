// The one path of every change a request makes to a debate's live state:
// the layer between the API handlers (api/) and the stores (redis/, store/).
// A function of actions/ takes the accept thread's connections, computes
// the change from what it reads (domain/), applies it — state, queue moves,
// stream entries and the audit line — as one atomic step in Redis
// (redis::Batch), archives what became public in SQL, and returns what the
// handler reports. A retry of the same request (Idempotency-Key) gets the
// first result instead of a second change. Accept threads only; throws Error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/config.hpp"
#include "redis/batch.hpp"
#include "redis/connection.hpp"
#include "store/store.hpp"

namespace palabre::actions {

// A change computed from a version that another change has overtaken is
// computed again from a fresh read (redis::StaleVersion); past this many
// rounds the state is changing faster than anyone could follow, and the
// request gets 409 conflict.
inline constexpr int kAttempts = 4;

struct Mutation {
  redis::Connection& redis;
  // Opened when first needed: a change that archives nothing works while
  // the SQL store is away.
  std::function<store::Store&()> sql;
  const Config& config;
  std::string actor;               // as the audit log names them (api::actor_of)
  // For staff: who holds claims (an invite id, or "admin:<login>") and how
  // the other moderators see them (domain/claim.hpp). Empty for visitors.
  std::string holder;
  std::string holder_label;
  std::string idempotency_digest;  // api::IdempotentCall::digest(); "" without a key
  int64_t now_ms = 0;
};

// Writes the entries `applied` added to the debate's public stream to the
// SQL archive (idempotent on their ids). The Redis stream already holds
// them and every open stream has them: a failed archive write is logged,
// not turned into an error for a change that took effect.
void archive_public_entries(const Mutation& m, const std::string& event_id, const redis::Applied& applied);

}  // namespace palabre::actions
