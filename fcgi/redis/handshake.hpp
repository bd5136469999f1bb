// What every connection to Redis says before its first command, synchronous
// (redis/connection.cpp, redis/sentinel.cpp) or not (hub/redis_async.cpp):
// AUTH when a password is configured, SELECT for a database other than 0,
// and ROLE when the address came from the sentinels (a stale answer, or a
// master demoted since, must not take our writes). Threads: any.
#pragma once

#include <hiredis/hiredis.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace palabre::redis {

enum class Step { auth, select, role };

struct HandshakeCommand {
  Step step;
  std::vector<std::string> argv;
};

// The commands in order; `select_db` false for Pub/Sub (channels ignore it).
std::vector<HandshakeCommand> handshake_commands(const Config& config, bool select_db);

// Empty when `reply` lets the connection go on; otherwise why not, in a
// sentence for the log. A refused AUTH is also logged as an error here,
// at most every few seconds per process: an operator must see why Redis
// "is down" without a log line per request.
std::string handshake_failure(const Config& config, Step step, const redisReply* reply);

// AUTH [user] password, with `password` from a file (core/config.hpp).
std::vector<std::string> auth_argv(const std::string& user, const std::string& password);

}  // namespace palabre::redis
