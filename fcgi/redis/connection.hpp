// A synchronous Redis connection for one accept thread (hiredis contexts are
// not thread-safe). Commands time out after Config::redis_timeout_ms so that
// a frozen Redis fails a request fast instead of hanging it. A context that
// has errored is dropped and the next command reconnects (authenticating,
// and asking the sentinels anew when they are configured: redis/sentinel.hpp);
// a READONLY answer (a failover demoted our master) drops it too; a command that
// cannot be sent or answered throws Error(store_unavailable). Redis error
// replies (e.g. WRONGTYPE, script errors) are returned, not thrown.
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {

struct ContextFree {
  void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextFree>;

class Connection {
 public:
  explicit Connection(const Config& config) : config_(config) {}

  ReplyPtr command(const std::vector<std::string>& args);
  ReplyPtr command(std::initializer_list<std::string_view> args);
  // Sends all commands in one round trip; replies in the same order.
  std::vector<ReplyPtr> pipeline(const std::vector<std::vector<std::string>>& commands);
  // Runs an embedded script (fcgi/redis/scripts/<name>.lua) with EVALSHA,
  // loading it on NOSCRIPT.
  ReplyPtr script(std::string_view name, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args);
  // PING with its own, usually shorter, timeout: a health check must
  // answer before the load balancer's own timeout, Redis frozen or not.
  bool ping(int timeout_ms);

  // Pub/Sub messages that can wait until the current request's response is
  // out (why: redis/streams.hpp, announce_entry): queued here and sent by
  // send_later() in one round trip. send_later() never throws; what it
  // cannot send is logged, and the hubs find the entries by themselves
  // (hub/fanout.cpp, check_last_ids).
  void publish_later(std::string channel, std::string message);
  // Any other command that may wait the same way (redis/batch.cpp: a
  // debate's listing repeated after its script).
  void command_later(std::vector<std::string> command);
  void send_later() noexcept;

  // Connections opened so far, and whether one is open now (for WAIT:
  // redis/replication.hpp).
  uint64_t generation() const { return generation_; }
  bool is_connected() const { return ctx_ && ctx_->err == 0; }

 private:
  redisContext* connected();
  ContextPtr open(const std::string& host, int port, const std::string& socket, std::string& why);
  void drop() { ctx_.reset(); }

  const Config& config_;
  ContextPtr ctx_;
  std::vector<std::vector<std::string>> later_;
  size_t next_sentinel_ = 0;  // redis/sentinel.hpp
  uint64_t generation_ = 0;
};

}  // namespace palabre::redis
