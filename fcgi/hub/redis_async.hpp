// One hiredis async connection (redisAsyncContext) driven by the hub's epoll
// Loop through a small adapter (ev.addRead/delRead/addWrite/delWrite/cleanup
// → epoll_ctl), reconnecting by itself with backoff (100 ms doubling to 2 s).
// The hub holds two: one SUBSCRIBEd to the fan-out channel, one for XRANGE.
//
// Ownership: owns the context; hiredis frees it on a connection error, this
// class on a timeout, stop() or destruction. Never from inside one of the
// context's own callbacks (STYLE.md §3): resets asked for there are run from
// a zero-delay Loop timer, after hiredis has returned.
// Threads: the hub thread only.
// Errors: never throws (except std::bad_alloc). A failed connect, a lost
// connection, an error reply or a timeout bumps redis_errors_total; every
// new attempt after the first connect bumps redis_reconnects_total. Reply
// callbacks get nullptr when the connection is lost before the reply.
//
// hiredis 0.14 has no timeouts on async contexts: connect and command
// timeouts (Config::redis_timeout_ms) are checked by check_timeouts(), which
// the hub calls once a second. A subscribed connection cannot be probed with
// PING (hiredis 0.14 routes the reply as a pattern message and never calls
// the PING callback), so the hub probes it end to end instead: it PUBLISHes
// on a channel of its own through the command connection and restart()s the
// subscriber when the message does not come back (hub.cpp, probe_pubsub). A hostname in redis_host is
// resolved with a blocking getaddrinfo inside hiredis: use an address or a
// socket path.
//
// Every connect runs the handshake of redis/handshake.hpp (AUTH, SELECT,
// ROLE) before on_ready; with sentinels configured, every connect first
// asks them where the master is (hub/master_lookup.hpp, on a thread of its
// own), so that a reconnect after a failover finds the new master. The
// hub then resubscribes and reloads its mirrors from their last ids
// (fanout.cpp, on_subscribed): nothing published meanwhile is skipped.
#pragma once

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "hub/loop.hpp"
#include "hub/master_lookup.hpp"

namespace palabre::hub {

class RedisAsync final : private Loop::Handler {
 public:
  using ReplyFn = std::function<void(redisReply*)>;

  struct Options {
    std::string name;        // for logs: "pubsub", "commands"
    bool select_db = false;  // SELECT Config::redis_db before ready (not needed for Pub/Sub)
    // connected, authenticated, db selected, and (with sentinels) ROLE says
    // master: issue commands now
    std::function<void()> on_ready;
    std::function<void()> on_lost;   // a ready connection went away; a reconnect is scheduled
  };

  // `lookup`: where the master is, with sentinels configured; nullptr
  // connects to Config's redis_socket or redis_host:redis_port.
  RedisAsync(Loop& loop, const Config& config, MasterLookup* lookup, Options options,
             std::atomic<uint64_t>& reconnects_total, std::atomic<uint64_t>& errors_total);
  ~RedisAsync();
  RedisAsync(const RedisAsync&) = delete;
  RedisAsync& operator=(const RedisAsync&) = delete;

  void start();
  // Frees the context without calling back (pending replies are dropped) and
  // stops reconnecting.
  void stop();
  bool ready() const { return ready_ && !going_away_; }

  // Sends a command; `fn` gets the reply (valid during the call only) or
  // nullptr. False when not ready or hiredis refused: `fn` is not called.
  bool command(std::initializer_list<std::string_view> argv, ReplyFn fn);
  // SUBSCRIBE to every channel given: `on_reply` gets every reply of the
  // subscription (one confirmation per channel, then each message) until the
  // connection is lost. False when not ready.
  bool subscribe(std::initializer_list<std::string_view> channels, ReplyFn on_reply);
  // Drops the connection and reconnects (the peer looks alive but is not).
  void restart();

  // Times out a connect or a command older than Config::redis_timeout_ms.
  void check_timeouts(int64_t now_ms);

 private:
  struct Pending;

  void on_events(uint32_t events) override;
  void connect_now();
  void connect_to(const std::string& host, int port, const std::string& socket);
  void schedule_reconnect();
  void request_reset();
  void reset();
  bool send(std::initializer_list<std::string_view> argv, ReplyFn fn);
  bool send(const std::vector<std::string_view>& argv, ReplyFn fn);
  void handshake(size_t step);
  void update_interest();

  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_disconnect(const redisAsyncContext* ac, int status);
  static void on_reply(redisAsyncContext* ac, void* reply, void* privdata);
  static void on_subscription(redisAsyncContext* ac, void* reply, void* privdata);
  static void ev_add_read(void* self);
  static void ev_del_read(void* self);
  static void ev_add_write(void* self);
  static void ev_del_write(void* self);
  static void ev_cleanup(void* self);

  Loop& loop_;
  const Config& config_;
  MasterLookup* lookup_;
  Options options_;
  std::atomic<uint64_t>& reconnects_total_;
  std::atomic<uint64_t>& errors_total_;

  redisAsyncContext* ac_ = nullptr;
  int fd_ = -1;
  bool want_read_ = false;
  bool want_write_ = false;
  bool connected_ = false;
  bool ready_ = false;
  bool stopping_ = false;
  bool started_once_ = false;
  bool going_away_ = false;
  bool looking_up_ = false;  // a MasterLookup answer is awaited
  int backoff_ms_ = 100;
  int failures_in_a_row_ = 0;
  Loop::TimerId reconnect_timer_ = 0;
  Loop::TimerId reset_timer_ = 0;
  int64_t connect_started_ms_ = 0;
  // Send times of the commands awaiting a reply, oldest first (replies come
  // back in order on one connection).
  std::deque<int64_t> in_flight_;
  ReplyFn subscription_fn_;
};

}  // namespace palabre::hub
