// Hub lifecycle: construction, park() from accept threads, run(), stop(),
// and the 1-second tick. See hub_core.hpp for the iteration order.
#include "hub/hub.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cassert>

#include "core/clock.hpp"
#include "core/cursor.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "hub/hub_core.hpp"
#include "wire/sse.hpp"
#include "hub/stream_headers.hpp"
#include "redis/keys.hpp"

namespace palabre::hub {
namespace {

// Ends a request the hub will not serve (parked after stop()): best effort,
// never blocking, then close.
void end_at_once(int fd, uint16_t request_id) {
  Fd owned(fd);
  auto end = encode_end_of_request(request_id);
  [[maybe_unused]] ssize_t n = ::send(fd, end.data(), end.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

// Impl is private to Hub; the shared state lives in HubCore so that the
// other files of the hub can name it.
struct Hub::Impl final : HubCore {
  using HubCore::HubCore;
};

HubCore::HubCore(const Config& config)
    : config_(config),
      loop_(),
      master_lookup_(config_, loop_),
      pubsub_(loop_, config_, config_.redis_sentinels.empty() ? nullptr : &master_lookup_,
              RedisAsync::Options{"pubsub", false,
                                  [this] {
                                    pubsub_.subscribe(
                                        {keys::fanout_channel(), probe_channel_},
                                        [this](redisReply* r) { on_subscription_reply(r); });
                                  },
                                  [this] {
                                    stats_.subscribed.store(false);
                                    probe_sent_ms_ = 0;
                                  }},
              stats_.redis_reconnects_total, stats_.redis_errors_total),
      commands_(loop_, config_, config_.redis_sentinels.empty() ? nullptr : &master_lookup_,
                RedisAsync::Options{"commands",
                                    true,
                                    [this] {
                                      for (auto& [key, f] : followed_) maybe_load(*f);
                                    },
                                    {}},
                stats_.redis_reconnects_total, stats_.redis_errors_total),
      replay_watermark_(
          std::max<size_t>(1, std::min<size_t>(64 * 1024, config.stream_backlog_bytes / 2))),
      probe_channel_(keys::probe_channel(ids::random_token(9))),
      watcher_token_(ids::random_token(9)),
      retry_random_(std::random_device{}()),
      ping_frame_(std::make_shared<const Frame>(wire::sse_ping())),
      hello_frame_(std::make_shared<const Frame>(wire::sse_hello(config.ping_interval_s))) {}

HubCore::~HubCore() {
  // Redis first: freeing a context runs its pending callbacks, which must
  // not find the streams half destroyed (RedisAsync::stop silences them).
  pubsub_.stop();
  commands_.stop();
  // Requests parked but never admitted (run() never ran): closed without an
  // end record, which nginx reports to the client as a cut response. Streams
  // still held close with their Fd when subscribers_ is destroyed.
  std::lock_guard lock(park_mutex_);
  for (auto& r : park_queue_) {
    Fd closing(r.fd);
  }
}

void HubCore::assert_hub_thread() const { assert(hub_thread_ == std::this_thread::get_id()); }

void HubCore::park(ParkRequest&& request) {
  {
    std::lock_guard lock(park_mutex_);
    if (accepting_) {
      park_queue_.push_back(std::move(request));
      loop_.wake();
      return;
    }
  }
  end_at_once(request.fd, request.request_id);
}

void HubCore::request_stop() {
  stop_requested_.store(true);
  loop_.wake();
}

void HubCore::run() {
  hub_thread_ = std::this_thread::get_id();
  pubsub_.start();
  commands_.start();
  loop_.schedule(monotonic_ms() + kTickMs, [this] { tick(); });
  start_door();
  for (;;) {
    bool woken = loop_.run_once(dirty_.empty() ? -1 : 0);
    if (stop_requested_.load() && !stopping_) begin_stop();
    if (woken && !stopping_) {
      drain_parks();
      drain_door_replies();
      master_lookup_.deliver();
    }
    service_dirty();
    bury_closed();
    if (frames_delivered_ > 0) {
      stats_.frames_delivered_total.fetch_add(frames_delivered_, std::memory_order_relaxed);
      frames_delivered_ = 0;
    }
    if (stopping_ && (subscribers_.empty() || monotonic_ms() >= stop_deadline_ms_)) break;
  }
  size_t unfinished = subscribers_.size();
  for (size_t i = subscribers_.size(); i-- > 0;) close_stream(*subscribers_[i]);
  for (Subscriber* s : dirty_) s->in_dirty = false;
  dirty_.clear();
  bury_closed();
  followed_.clear();
  log::info("hub: stopped", {{"unfinished_streams", std::to_string(unfinished)}});
}

void HubCore::drain_parks() {
  std::vector<ParkRequest> batch;
  {
    std::lock_guard lock(park_mutex_);
    batch.swap(park_queue_);
  }
  for (auto& r : batch) admit(std::move(r));
}

void HubCore::admit(ParkRequest&& r) {
  assert_hub_thread();
  Fd fd(r.fd);
  // From the door: accepted non-blocking and still registered in epoll.
  const bool from_door = r.from_door;
  if (!fd || (!from_door && !ParkedStream::make_nonblocking(fd.get()))) return;
  const bool sse = r.kind == StreamKind::Sse;
  // A long-poll stream only ever holds its one answer, whatever its size.
  size_t limit = sse ? config_.stream_backlog_bytes : SIZE_MAX;
  auto owned = std::make_unique<Subscriber>(*this, std::move(fd), r.request_id, limit);
  Subscriber& s = *owned;
  const uint32_t events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  if (!(from_door ? loop_.repoint(s.out.fd(), events, &s) : loop_.add(s.out.fd(), events, &s))) return;
  stats_.streams_opened_total.fetch_add(1, std::memory_order_relaxed);
  s.kind = r.kind;
  if (!r.visitor_id.empty() || !r.staff_session.empty() || !r.invite_id.empty())
    s.owner = std::make_unique<Subscriber::Owner>(Subscriber::Owner{
        std::move(r.event_id), std::move(r.visitor_id), std::move(r.staff_session), std::move(r.invite_id)});
  s.expires_mono_ms = r.expires_mono_ms;
  s.keep_conn = r.keep_conn;
  // The API validates cursors (400 on a malformed one); should one get
  // through anyway, it reads as "from the start".
  auto cursor = parse_stream_id(r.cursor);
  s.delivered = cursor.value_or(StreamId{});
  s.epoch = std::move(r.epoch);
  if (!sse) {  // echoed by an empty answer; an SSE stream never needs it
    s.cursor_text = cursor ? std::move(r.cursor) : "0-0";
    if (!s.epoch.empty()) s.cursor_text = format_cursor(s.epoch, s.cursor_text);
  }
  s.index = subscribers_.size();
  subscribers_.push_back(std::move(owned));
  Followed& f = follow(r.stream_key);
  s.followed = &f;
  s.reader_index = f.readers.size();
  f.readers.push_back(&s);
  f.idle_since_ms = 0;
  s.counted = true;
  if (sse) {
    stats_.sse_streams.fetch_add(1, std::memory_order_relaxed);
    s.next_ping_ms = monotonic_ms() + int64_t{config_.ping_interval_s} * 1000;
    std::uniform_int_distribution<size_t> retry_step(0, kSseRetrySteps - 1);
    const size_t step = retry_step(retry_random_);
    // The headers (from the door), `retry:` and then at once a visible
    // event (`hello`, no id): a page that gets the headers but not this is
    // behind a proxy that holds the stream, and falls back to long-poll
    // (static/assets/js/stream.js). Shared by every stream opened alike.
    // The prelude (a reset and the history) goes between `retry:` and
    // `hello`, however long: it is the answer to this request, not a backlog
    // of a client that stopped reading.
    if (r.prelude.empty()) {
      (void)s.out.enqueue(opening_frame(from_door, step, true), ParkedStream::Bound::None);
    } else {
      (void)s.out.enqueue(opening_frame(from_door, step, false), ParkedStream::Bound::None);
      (void)s.out.enqueue(std::make_shared<const Frame>(std::move(r.prelude)), ParkedStream::Bound::None);
      (void)s.out.enqueue(hello_frame_, ParkedStream::Bound::None);
    }
  } else {
    // A long-poll from the door: nothing is written before the answer,
    // which then carries its own headers and length (delivery.cpp).
    s.answer_headers = from_door;
    stats_.longpolls_waiting.fetch_add(1, std::memory_order_relaxed);
    Subscriber* sp = &s;
    s.deadline_timer = loop_.schedule(r.deadline_mono_ms, [this, sp] {
      sp->deadline_timer = 0;
      if (!sp->closed && !sp->out.ending()) answer_longpoll(*sp, nullptr);
    });
  }
  mark_dirty(s);
}

const std::shared_ptr<const Frame>& HubCore::opening_frame(bool with_headers, size_t retry_step, bool with_hello) {
  auto& slot = opening_frames_[with_headers ? 1 : 0][with_hello ? 1 : 0][retry_step];
  if (!slot) {
    std::string bytes = with_headers ? kSseHeaders : "";
    bytes += wire::sse_retry(kSseRetryMinMs + static_cast<int>(retry_step) * kSseRetryStepMs);
    if (with_hello) bytes += std::string(hello_frame_->padded().substr(0, hello_frame_->content_size()));
    slot = std::make_shared<const Frame>(std::move(bytes));
  }
  return slot;
}

void HubCore::begin_stop() {
  stopping_ = true;
  stop_deadline_ms_ = monotonic_ms() + kStopGraceMs;
  std::vector<ParkRequest> never_admitted;
  {
    std::lock_guard lock(park_mutex_);
    accepting_ = false;
    never_admitted.swap(park_queue_);
  }
  for (auto& r : never_admitted) end_at_once(r.fd, r.request_id);
  close_door();
  for (auto& s : subscribers_) end_stream(*s);
  pubsub_.stop();
  commands_.stop();
  stats_.subscribed.store(false);
}

void HubCore::tick() {
  assert_hub_thread();
  const int64_t now = monotonic_ms();
  loop_.schedule(now + kTickMs, [this] { tick(); });
  watchdog_.tick(now);
  pubsub_.check_timeouts(now);
  commands_.check_timeouts(now);
  probe_pubsub(now);
  publish_watchers(now);
  expire_mirrors(now);
  expire_door_connections(now);
  check_last_ids();
  const int64_t interval_ms = std::max(1, config_.ping_interval_s) * int64_t{1000};
  // Backwards: close_stream() moves the last stream into the freed slot.
  for (size_t i = subscribers_.size(); i-- > 0;) {
    Subscriber& s = *subscribers_[i];
    if (s.out.ending()) {
      if (now >= s.end_deadline_ms) close_stream(s);
      continue;
    }
    if (s.expires_mono_ms != 0 && now >= s.expires_mono_ms) {
      end_stream(s);  // its credential expired: a reconnection is refused
      continue;
    }
    if (s.kind != StreamKind::Sse || now < s.next_ping_ms) continue;
    s.next_ping_ms = now + interval_ms;
    if (!s.out.enqueue(ping_frame_)) {
      stats_.backlog_overflows_total.fetch_add(1, std::memory_order_relaxed);
      close_stream(s);
      continue;
    }
    mark_dirty(s);
  }
}

// Pub/Sub is at-most-once and a subscriber connection can stay open while
// nothing reaches it (a half-dead peer, a proxy that stopped forwarding):
// TCP keepalive would notice only after minutes. So the hub PUBLISHes a
// probe on its own channel through the command connection and expects it on
// the subscriber; when it is late the subscriber is restarted, and the
// resubscription reloads every mirror from its last id (fanout.cpp).
void HubCore::probe_pubsub(int64_t now_ms) {
  if (!stats_.subscribed.load(std::memory_order_relaxed)) {
    probe_sent_ms_ = 0;
    return;
  }
  if (probe_sent_ms_ != 0) {
    if (now_ms - probe_sent_ms_ <= config_.redis_timeout_ms) return;
    stats_.pubsub_probe_failures_total.fetch_add(1, std::memory_order_relaxed);
    log::warn("hub: pubsub probe not received, restarting the subscriber connection",
              {{"waited_ms", std::to_string(now_ms - probe_sent_ms_)}});
    probe_sent_ms_ = 0;
    stats_.subscribed.store(false);
    pubsub_.restart();
    return;
  }
  if (now_ms < next_probe_ms_ || !commands_.ready()) return;
  probe_payload_ = std::to_string(++probes_sent_);
  if (commands_.command({"PUBLISH", probe_channel_, probe_payload_}, [](redisReply*) {})) {
    probe_sent_ms_ = now_ms;
    next_probe_ms_ = now_ms + config_.pubsub_probe_ms;
  }
}

// --- Hub ---------------------------------------------------------------------

Hub::Hub(const Config& config) : impl_(std::make_unique<Impl>(config)) {}
Hub::~Hub() = default;
void Hub::park(ParkRequest&& request) { impl_->park(std::move(request)); }
void Hub::open_door(int listen_fd) { impl_->open_door(listen_fd); }
bool Hub::next_door_request(DoorRequest& out) { return impl_->next_door_request(out); }
void Hub::door_reply(DoorReply&& reply) { impl_->door_reply(std::move(reply)); }
void Hub::run() { impl_->run(); }
void Hub::stop() { impl_->request_stop(); }
const HubStats& Hub::stats() const { return impl_->stats_; }

}  // namespace palabre::hub
