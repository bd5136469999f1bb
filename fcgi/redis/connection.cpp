#include "redis/connection.hpp"

#include <algorithm>

#include <sys/time.h>

#include "core/clock.hpp"
#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "redis/handshake.hpp"
#include "redis/sentinel.hpp"

#include <cerrno>
#include <map>

namespace palabre::redis {
namespace {
timeval to_timeval(int ms) { return timeval{ms / 1000, (ms % 1000) * 1000}; }

void append(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data());
}

// A write sent to a replica: the master we knew was demoted (a failover)
// while this connection stayed open. Also inside a script's error.
bool is_readonly_error(const redisReply* r) {
  if (!is_error(r)) return false;
  std::string_view s = str(r);
  return s.rfind("READONLY", 0) == 0 || s.find(" READONLY ") != std::string_view::npos;
}
}  // namespace

// Connects to one address and runs the handshake (redis/handshake.hpp);
// null with `why` set when either fails.
ContextPtr Connection::open(const std::string& host, int port, const std::string& socket, std::string& why) {
  timeval tv = to_timeval(config_.redis_timeout_ms);
  ContextPtr c(socket.empty() ? redisConnectWithTimeout(host.c_str(), port, tv)
                              : redisConnectUnixWithTimeout(socket.c_str(), tv));
  const std::string where = socket.empty() ? host + ":" + std::to_string(port) : socket;
  if (!c || c->err) {
    why = where + ": " + (c ? c->errstr : "out of memory");
    return nullptr;
  }
  redisSetTimeout(c.get(), tv);
  auto steps = handshake_commands(config_, true);
  for (const auto& step : steps) append(c.get(), step.argv);
  for (const auto& step : steps) {
    void* raw = nullptr;
    if (redisGetReply(c.get(), &raw) != REDIS_OK) {
      why = where + ": " + c->errstr;
      return nullptr;
    }
    ReplyPtr r(static_cast<redisReply*>(raw));
    std::string failure = handshake_failure(config_, step.step, r.get());
    if (!failure.empty()) {
      why = where + ": " + failure;
      return nullptr;
    }
  }
  return c;
}

redisContext* Connection::connected() {
  if (ctx_ && ctx_->err == 0) return ctx_.get();
  ctx_.reset();
  std::string why;
  if (config_.redis_sentinels.empty()) {
    ctx_ = open(config_.redis_host, config_.redis_port, config_.redis_socket, why);
  } else {
    // Each sentinel's answer in turn: one may still name the old master.
    for (size_t tried = 0; !ctx_ && tried < config_.redis_sentinels.size(); ++tried) {
      auto master = ask_sentinels(config_, next_sentinel_, why);
      if (!master) break;
      ctx_ = open(master->host, master->port, "", why);
    }
  }
  if (!ctx_) {
    log::warn("redis command failed", {{"what", "connect"}, {"error", why}});
    throw Error(Code::store_unavailable, "The live store is unavailable; try again shortly.");
  }
  ++generation_;
  return ctx_.get();
}

ReplyPtr Connection::command(const std::vector<std::string>& args) {
  auto replies = pipeline({args});
  return std::move(replies.front());
}

ReplyPtr Connection::command(std::initializer_list<std::string_view> args) {
  std::vector<std::string> v;
  v.reserve(args.size());
  for (auto a : args) v.emplace_back(a);
  return command(v);
}

std::vector<ReplyPtr> Connection::pipeline(const std::vector<std::vector<std::string>>& commands) {
  // One retry on a fresh connection covers a connection that Redis closed
  // while idle (timeout, restart); a second failure is a real outage.
  for (int attempt = 0; attempt < 2; ++attempt) {
    redisContext* c = connected();
    for (const auto& args : commands) append(c, args);
    std::vector<ReplyPtr> replies;
    replies.reserve(commands.size());
    bool failed = false;
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK || !raw) {
        failed = true;
        break;
      }
      replies.emplace_back(static_cast<redisReply*>(raw));
    }
    if (!failed) {
      // Nothing was written (a replica refuses every write): reconnect,
      // which asks the sentinels again, and send it once more.
      bool demoted = std::any_of(replies.begin(), replies.end(), [](const ReplyPtr& r) { return is_readonly_error(r.get()); });
      if (!demoted) return replies;
      drop();
      log::warn("redis answered READONLY: no longer the master, reconnecting");
      if (attempt == 1) throw Error(Code::store_unavailable, "The live store is unavailable; try again shortly.");
      continue;
    }
    bool timed_out = c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
    std::string err = c->errstr;
    drop();
    // After a timeout the command may have run: do not send it twice.
    if (timed_out || attempt == 1) {
      log::warn("redis command failed", {{"error", err}});
      throw Error(Code::store_unavailable, "The live store is unavailable; try again shortly.");
    }
  }
  throw Error(Code::store_unavailable, "The live store is unavailable; try again shortly.");
}

void Connection::publish_later(std::string channel, std::string message) {
  later_.push_back({"PUBLISH", std::move(channel), std::move(message)});
}

void Connection::command_later(std::vector<std::string> command) { later_.push_back(std::move(command)); }

void Connection::send_later() noexcept {
  if (later_.empty()) return;
  std::vector<std::vector<std::string>> batch;
  batch.swap(later_);
  try {
    pipeline(batch);
  } catch (const std::exception& e) {
    log::warn("wake-ups not sent; the hubs will find the entries", {{"messages", std::to_string(batch.size())},
                                                                     {"error", e.what()}});
  }
}

ReplyPtr Connection::script(std::string_view name, const std::vector<std::string>& keys,
                            const std::vector<std::string>& args) {
  std::string path = "fcgi/redis/scripts/" + std::string(name) + ".lua";
  std::string_view body = embedded::file(path);
  if (body.empty()) throw Error(Code::internal_error, "missing embedded script " + path);
  // Redis identifies scripts by SHA-1; computing it per call would cost more
  // than the cache saves, so remember it per process.
  static thread_local std::map<std::string, std::string, std::less<>> sha_by_name;
  auto it = sha_by_name.find(name);
  if (it == sha_by_name.end()) {
    ReplyPtr loaded = command({"SCRIPT", "LOAD", body});
    if (is_error(loaded.get()) || str(loaded.get()).empty())
      throw Error(Code::internal_error, "cannot load script " + path);
    it = sha_by_name.emplace(std::string(name), std::string(str(loaded.get()))).first;
  }
  std::vector<std::string> argv = {"EVALSHA", it->second, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  // Every script refuses to run after this wall-clock time (ms): by then we
  // have timed out and answered 503, so it must not take effect later, when
  // a frozen Redis wakes up and reads it from its socket buffer. A little
  // before our own timeout, so that a reply sent at the deadline still
  // reaches us. Assumes clocks in sync (NTP) between workers and Redis.
  const int64_t margin = std::min<int64_t>(100, config_.redis_timeout_ms / 4);
  argv.push_back(std::to_string(wall_clock_ms() + config_.redis_timeout_ms - margin));
  ReplyPtr r = command(argv);
  if (is_error(r.get()) && str(r.get()).rfind("NOSCRIPT", 0) == 0) {
    argv[0] = "EVAL";
    argv[1] = std::string(body);
    r = command(argv);
  }
  return r;
}

bool Connection::ping(int timeout_ms) {
  try {
    redisContext* c = connected();
    redisSetTimeout(c, to_timeval(std::min(timeout_ms, config_.redis_timeout_ms)));
    ReplyPtr r = command({"PING"});
    if (ctx_) redisSetTimeout(ctx_.get(), to_timeval(config_.redis_timeout_ms));
    return r && !is_error(r.get());
  } catch (const Error&) {
    return false;
  }
}

}  // namespace palabre::redis
