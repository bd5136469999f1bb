// Whether the Redis we talk to is configured not to lose acknowledged data:
// append-only file on, and no eviction. Checked at start-up (logged) and by
// /healthz (reported as "warn"). A Redis that refuses CONFIG (renamed in
// managed services) is reported as unknown, not as a failure.
#pragma once

#include <string>
#include <vector>

#include "redis/connection.hpp"

namespace palabre::redis {

struct Durability {
  bool known = false;
  std::vector<std::string> warnings;  // human sentences; empty when all is well
};

Durability check_durability(Connection& redis);

}  // namespace palabre::redis
