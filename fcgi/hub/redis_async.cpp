#include "hub/redis_async.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "redis/handshake.hpp"

namespace palabre::hub {
namespace {

constexpr int kFirstBackoffMs = 100;
constexpr int kMaxBackoffMs = 2000;

RedisAsync* owner(const redisAsyncContext* ac) { return static_cast<RedisAsync*>(ac->data); }

}  // namespace

// One command awaiting its reply; hiredis hands it back exactly once, with
// the reply or with nullptr when the context is freed.
struct RedisAsync::Pending {
  RedisAsync* self;
  ReplyFn fn;
};

RedisAsync::RedisAsync(Loop& loop, const Config& config, MasterLookup* lookup, Options options,
                       std::atomic<uint64_t>& reconnects_total, std::atomic<uint64_t>& errors_total)
    : loop_(loop),
      config_(config),
      lookup_(lookup),
      options_(std::move(options)),
      reconnects_total_(reconnects_total),
      errors_total_(errors_total) {}

RedisAsync::~RedisAsync() { stop(); }

void RedisAsync::start() {
  stopping_ = false;
  connect_now();
}

void RedisAsync::stop() {
  stopping_ = true;
  if (reconnect_timer_) loop_.cancel(reconnect_timer_);
  if (reset_timer_) loop_.cancel(reset_timer_);
  reconnect_timer_ = reset_timer_ = 0;
  // Runs the pending callbacks with nullptr (they see stopping_ and only free
  // their state), then ev_cleanup.
  if (ac_) redisAsyncFree(ac_);
  ac_ = nullptr;
  ready_ = connected_ = false;
}

void RedisAsync::connect_now() {
  reconnect_timer_ = 0;
  if (stopping_ || looking_up_) return;
  if (started_once_) reconnects_total_.fetch_add(1, std::memory_order_relaxed);
  started_once_ = true;
  if (lookup_ == nullptr) {
    connect_to(config_.redis_host, config_.redis_port, config_.redis_socket);
    return;
  }
  // Asked anew at every connect: after a failover the master moved. The
  // answer comes later, from another thread (master_lookup.hpp).
  looking_up_ = true;
  lookup_->ask([this](const std::optional<redis::MasterAddress>& master, const std::string& why) {
    looking_up_ = false;
    if (stopping_) return;
    if (!master) {
      errors_total_.fetch_add(1, std::memory_order_relaxed);
      if (failures_in_a_row_++ == 0) log::warn("hub: no redis master from the sentinels", {{"conn", options_.name}, {"error", why}});
      schedule_reconnect();
      return;
    }
    connect_to(master->host, master->port, "");
  });
}

void RedisAsync::connect_to(const std::string& host, int port, const std::string& socket) {
  redisAsyncContext* ac = socket.empty() ? redisAsyncConnect(host.c_str(), port) : redisAsyncConnectUnix(socket.c_str());
  if (ac == nullptr || ac->err) {
    errors_total_.fetch_add(1, std::memory_order_relaxed);
    if (failures_in_a_row_++ == 0) {
      log::warn("hub: redis connect failed",
                {{"conn", options_.name}, {"error", ac ? ac->errstr : "out of memory"}});
    }
    // Not attached to the loop yet and not inside a callback: free here.
    if (ac) redisAsyncFree(ac);
    schedule_reconnect();
    return;
  }
  ac_ = ac;
  going_away_ = false;
  fd_ = ac->c.fd;
  want_read_ = want_write_ = false;
  ac->data = this;
  ac->ev.data = this;
  ac->ev.addRead = ev_add_read;
  ac->ev.delRead = ev_del_read;
  ac->ev.addWrite = ev_add_write;
  ac->ev.delWrite = ev_del_write;
  ac->ev.cleanup = ev_cleanup;
  // Registered with no interest first; hiredis asks for write readiness to
  // learn that the non-blocking connect finished.
  loop_.add(fd_, 0, this);
  if (socket.empty()) redisEnableKeepAlive(&ac->c);
  connect_started_ms_ = monotonic_ms();
  redisAsyncSetDisconnectCallback(ac, on_disconnect);
  redisAsyncSetConnectCallback(ac, on_connect);
}

void RedisAsync::schedule_reconnect() {
  if (stopping_ || reconnect_timer_) return;
  reconnect_timer_ = loop_.schedule(monotonic_ms() + backoff_ms_, [this] { connect_now(); });
  backoff_ms_ = std::min(backoff_ms_ * 2, kMaxBackoffMs);
}

void RedisAsync::request_reset() {
  if (reset_timer_ || stopping_) return;
  reset_timer_ = loop_.schedule(monotonic_ms(), [this] {
    reset_timer_ = 0;
    reset();
  });
}

void RedisAsync::reset() {
  // Never called from a hiredis callback (see request_reset); ev_cleanup
  // schedules the reconnect.
  if (ac_) redisAsyncFree(ac_);
}

void RedisAsync::check_timeouts(int64_t now_ms) {
  if (!ac_) return;
  const int64_t limit = config_.redis_timeout_ms;
  bool connect_slow = !connected_ && now_ms - connect_started_ms_ > limit;
  bool reply_slow = !in_flight_.empty() && now_ms - in_flight_.front() > limit;
  if (connect_slow || reply_slow) {
    errors_total_.fetch_add(1, std::memory_order_relaxed);
    log::warn("hub: redis timed out",
              {{"conn", options_.name}, {"stage", connect_slow ? "connect" : "reply"}});
    reset();
  }
}

bool RedisAsync::command(std::initializer_list<std::string_view> argv, ReplyFn fn) {
  if (!ready()) return false;
  return send(argv, std::move(fn));
}

bool RedisAsync::send(std::initializer_list<std::string_view> argv, ReplyFn fn) {
  return send(std::vector<std::string_view>(argv), std::move(fn));
}

bool RedisAsync::send(const std::vector<std::string_view>& argv, ReplyFn fn) {
  if (!ac_ || going_away_) return false;
  std::vector<const char*> args;
  std::vector<size_t> lens;
  args.reserve(argv.size());
  lens.reserve(argv.size());
  for (auto a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  auto pending = std::make_unique<Pending>(Pending{this, std::move(fn)});
  if (redisAsyncCommandArgv(ac_, on_reply, pending.get(), static_cast<int>(args.size()),
                            args.data(), lens.data()) != REDIS_OK) {
    return false;
  }
  pending.release();  // hiredis hands it back to on_reply exactly once
  in_flight_.push_back(monotonic_ms());
  return true;
}

bool RedisAsync::subscribe(std::initializer_list<std::string_view> channels, ReplyFn on_reply) {
  if (!ready() || !ac_) return false;
  subscription_fn_ = std::move(on_reply);
  std::vector<const char*> args{"SUBSCRIBE"};
  std::vector<size_t> lens{9};
  for (auto c : channels) {
    args.push_back(c.data());
    lens.push_back(c.size());
  }
  // The subscription's callback stays registered in the context and gets
  // nullptr when the context is freed; it points at this object, which
  // outlives the context.
  return redisAsyncCommandArgv(ac_, on_subscription, this, static_cast<int>(args.size()),
                               args.data(), lens.data()) == REDIS_OK;
}

void RedisAsync::restart() {
  if (!ac_ || stopping_) return;
  errors_total_.fetch_add(1, std::memory_order_relaxed);
  request_reset();
}

void RedisAsync::on_events(uint32_t events) {
  // Reads first: an error or a hang-up is found by reading. Either call may
  // free the context (ev_cleanup clears ac_).
  if (ac_ && (events & (EPOLLIN | EPOLLERR | EPOLLHUP))) redisAsyncHandleRead(ac_);
  if (ac_ && (events & EPOLLOUT)) redisAsyncHandleWrite(ac_);
}

void RedisAsync::update_interest() {
  uint32_t events = (want_read_ ? uint32_t{EPOLLIN} : 0u) | (want_write_ ? uint32_t{EPOLLOUT} : 0u);
  loop_.modify(fd_, events, this);
}

void RedisAsync::on_connect(const redisAsyncContext* ac, int status) {
  RedisAsync* self = owner(ac);
  if (status != REDIS_OK) {
    // hiredis frees the context after this returns (ev_cleanup follows).
    self->errors_total_.fetch_add(1, std::memory_order_relaxed);
    if (self->failures_in_a_row_++ == 0) {
      log::warn("hub: redis connect failed",
                {{"conn", self->options_.name}, {"error", ac->errstr ? ac->errstr : ""}});
    }
    return;
  }
  self->connected_ = true;
  self->handshake(0);
}

// AUTH, SELECT, ROLE (redis/handshake.hpp) one after the other, then ready.
// A refusal drops the connection; the reconnect (with backoff) asks the
// sentinels again.
void RedisAsync::handshake(size_t step) {
  auto steps = redis::handshake_commands(config_, options_.select_db);
  if (step >= steps.size()) {
    backoff_ms_ = kFirstBackoffMs;
    if (failures_in_a_row_ > 0) {
      log::info("hub: redis reconnected",
                {{"conn", options_.name}, {"failed_attempts", std::to_string(failures_in_a_row_)}});
    }
    failures_in_a_row_ = 0;
    ready_ = true;
    if (options_.on_ready) options_.on_ready();
    return;
  }
  const redis::Step kind = steps[step].step;
  const auto& argv = steps[step].argv;
  std::vector<std::string_view> views(argv.begin(), argv.end());
  bool sent = send(views, [this, step, kind](redisReply* reply) {
    if (reply == nullptr) return;
    std::string failure = redis::handshake_failure(config_, kind, reply);
    if (failure.empty()) {
      handshake(step + 1);
      return;
    }
    errors_total_.fetch_add(1, std::memory_order_relaxed);
    if (failures_in_a_row_++ == 0) log::warn("hub: redis handshake failed", {{"conn", options_.name}, {"error", failure}});
    request_reset();
  });
  if (!sent) request_reset();
}

void RedisAsync::on_disconnect(const redisAsyncContext* ac, int status) {
  RedisAsync* self = owner(ac);
  if (status != REDIS_OK && !self->stopping_) {
    self->errors_total_.fetch_add(1, std::memory_order_relaxed);
    log::warn("hub: redis connection lost",
              {{"conn", self->options_.name}, {"error", ac->errstr ? ac->errstr : ""}});
  }
}

void RedisAsync::on_reply(redisAsyncContext* ac, void* reply, void* privdata) {
  std::unique_ptr<Pending> pending(static_cast<Pending*>(privdata));
  RedisAsync* self = pending->self;
  if (!self->in_flight_.empty()) self->in_flight_.pop_front();
  auto* r = static_cast<redisReply*>(reply);
  if (r == nullptr) {
    // The context is being freed: callbacks must not send on it.
    self->going_away_ = true;
  } else if (r->type == REDIS_REPLY_ERROR) {
    self->errors_total_.fetch_add(1, std::memory_order_relaxed);
  }
  if (!self->stopping_ && pending->fn) pending->fn(r);
}

void RedisAsync::on_subscription(redisAsyncContext* ac, void* reply, void* privdata) {
  auto* self = static_cast<RedisAsync*>(privdata);
  if (reply == nullptr || self->stopping_ || !self->subscription_fn_) return;
  self->subscription_fn_(static_cast<redisReply*>(reply));
}

void RedisAsync::ev_add_read(void* p) {
  auto* self = static_cast<RedisAsync*>(p);
  if (!self->want_read_) {
    self->want_read_ = true;
    self->update_interest();
  }
}

void RedisAsync::ev_del_read(void* p) {
  auto* self = static_cast<RedisAsync*>(p);
  if (self->want_read_) {
    self->want_read_ = false;
    self->update_interest();
  }
}

void RedisAsync::ev_add_write(void* p) {
  auto* self = static_cast<RedisAsync*>(p);
  if (!self->want_write_) {
    self->want_write_ = true;
    self->update_interest();
  }
}

void RedisAsync::ev_del_write(void* p) {
  auto* self = static_cast<RedisAsync*>(p);
  if (self->want_write_) {
    self->want_write_ = false;
    self->update_interest();
  }
}

void RedisAsync::ev_cleanup(void* p) {
  // Called by hiredis while freeing the context, before it closes the fd.
  auto* self = static_cast<RedisAsync*>(p);
  self->loop_.remove(self->fd_);
  self->fd_ = -1;
  self->ac_ = nullptr;
  bool was_ready = self->ready_;
  self->ready_ = self->connected_ = false;
  self->want_read_ = self->want_write_ = false;
  self->in_flight_.clear();
  if (self->stopping_) return;
  if (was_ready && self->options_.on_lost) self->options_.on_lost();
  self->schedule_reconnect();
}

}  // namespace palabre::hub
