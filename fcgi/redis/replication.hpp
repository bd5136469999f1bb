// WAIT after a change, so that a Sentinel failover cannot lose what a
// response acknowledged (Config::redis_wait_replicas; docs/OPERATIONS.md,
// "WAIT"). api/dispatch.cpp waits once per successful mutation, before its
// response is written: WAIT covers every write the connection made before
// it (the message, its stream entry, the Idempotency-Key record).
//
// A connection lost and opened again during the request cannot prove
// anything with WAIT (Redis counts from the new connection's own writes):
// that counts as a shortfall. Threads: any (counters are atomic).
#pragma once

#include <cstdint>

#include "core/config.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

// Taken before the request's first command.
struct WaitMark {
  uint64_t expected_generation = 0;
};
WaitMark mark_for_wait(const Connection& redis);

// True when no wait is configured, or when at least
// config.redis_wait_replicas replicas acknowledged this connection's writes
// within config.redis_wait_timeout_ms. False otherwise, counted and logged:
// the writes are on the master, not yet safe. Throws
// Error(store_unavailable) when Redis cannot be asked.
bool wait_for_replicas(Connection& redis, const Config& config, const WaitMark& mark);

// For /metrics: WAITs sent, and those that came back short.
uint64_t replica_waits_total();
uint64_t replica_shortfalls_total();

}  // namespace palabre::redis
