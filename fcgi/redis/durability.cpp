#include "redis/durability.hpp"

#include "core/error.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {

// CONFIG GET answers [name, value].
std::string config_value(const redisReply* r) {
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 2) return {};
  return std::string(str(r->element[1]));
}

}  // namespace

Durability check_durability(Connection& redis) {
  Durability d;
  try {
    auto replies = redis.pipeline({{"CONFIG", "GET", "appendonly"}, {"CONFIG", "GET", "maxmemory-policy"}});
    std::string aof = config_value(replies[0].get());
    std::string policy = config_value(replies[1].get());
    if (aof.empty() || policy.empty()) return d;
    d.known = true;
    if (aof != "yes")
      d.warnings.push_back("Redis runs with appendonly no: a restart loses questions and sessions");
    if (policy != "noeviction")
      d.warnings.push_back("Redis maxmemory-policy is " + policy +
                           ": under memory pressure it may delete live data; use noeviction");
  } catch (const Error&) {
    // Unreachable: /healthz reports that under "redis".
  }
  return d;
}

}  // namespace palabre::redis
