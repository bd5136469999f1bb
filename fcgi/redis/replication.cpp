#include "redis/replication.hpp"

#include <atomic>
#include <string>

#include "core/log.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {
std::atomic<uint64_t> g_waits{0};
std::atomic<uint64_t> g_shortfalls{0};
}  // namespace

uint64_t replica_waits_total() { return g_waits.load(std::memory_order_relaxed); }
uint64_t replica_shortfalls_total() { return g_shortfalls.load(std::memory_order_relaxed); }

WaitMark mark_for_wait(const Connection& redis) {
  // Not connected yet: the request's first command opens the connection
  // its writes go to.
  return {redis.is_connected() ? redis.generation() : redis.generation() + 1};
}

bool wait_for_replicas(Connection& redis, const Config& config, const WaitMark& mark) {
  if (config.redis_wait_replicas <= 0) return true;
  g_waits.fetch_add(1, std::memory_order_relaxed);
  long long acknowledged = -1;
  if (redis.generation() == mark.expected_generation) {
    ReplyPtr r = redis.command({"WAIT", std::to_string(config.redis_wait_replicas),
                                std::to_string(config.redis_wait_timeout_ms)});
    if (r && r->type == REDIS_REPLY_INTEGER) acknowledged = r->integer;
  }
  if (acknowledged >= config.redis_wait_replicas) return true;
  g_shortfalls.fetch_add(1, std::memory_order_relaxed);
  log::warn(
      "redis replicas did not confirm a change in time: answered 503 not_replicated",
      {{"wanted", std::to_string(config.redis_wait_replicas)},
       {"acknowledged", acknowledged < 0 ? "unknown (reconnected)" : std::to_string(acknowledged)},
       {"timeout_ms", std::to_string(config.redis_wait_timeout_ms)}});
  return false;
}

}  // namespace palabre::redis
