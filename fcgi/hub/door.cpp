// The door (hub.hpp): the hub's own listening socket for the stream
// locations. Hub thread only, except next_door_request() and door_reply(),
// which door threads call.
//
// Why: a long-poll answered by the hub used to end its connection, and the
// client's next poll was a new connection that an accept thread had to
// accept, read with libfcgi, check against Redis and hand back to the hub.
// When a message answers 5,000 polls at once, 5,000 connections came back at
// once through 4 threads per worker and overflowed the accept queue. Here
// nginx keeps its connections (fastcgi_keep_conn on, an upstream keepalive
// pool), the hub reads the next request on a connection it already watches,
// and a poll or a reconnect whose cursor the hub's copy can honour is parked
// in the same loop iteration.
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/clock.hpp"
#include "core/cursor.hpp"
#include "core/embedded.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "http/response.hpp"
#include "hub/hub_core.hpp"
#include "redis/keys.hpp"

namespace palabre::hub {
namespace {

constexpr size_t kReadChunk = 16 * 1024;
// A warning about a full descriptor table at most this often.
constexpr int64_t kAcceptWarnEveryMs = 10'000;
// How long the door stops accepting when the process is out of descriptors.
constexpr int64_t kAcceptPauseMs = 100;

// "/api/events/{id}/poll" or "/api/events/{id}/stream": the event id and
// which one; anything else is for the door threads' router.
struct PublicStreamPath {
  std::string event_id;
  StreamKind kind = StreamKind::Sse;
};

std::optional<PublicStreamPath> public_stream_path(std::string_view path) {
  static constexpr std::string_view kPrefix = "/api/events/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  path.remove_prefix(kPrefix.size());
  size_t slash = path.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  std::string_view rest = path.substr(slash);
  PublicStreamPath p;
  if (rest == "/poll") {
    p.kind = StreamKind::LongPoll;
  } else if (rest != "/stream") {
    return std::nullopt;
  }
  p.event_id = std::string(path.substr(0, slash));
  return p;
}

}  // namespace

void DoorConnection::on_events(uint32_t events) { hub.on_door_events(*this, events); }
void DoorListener::on_events(uint32_t) { hub.accept_door(); }

// --- door threads ------------------------------------------------------------

void HubCore::open_door(int listen_fd) { door_listen_ = Fd(listen_fd); }

bool HubCore::next_door_request(DoorRequest& out) {
  std::unique_lock lock(door_mutex_);
  door_ready_.wait(lock, [this] { return door_closed_ || !door_queue_.empty(); });
  if (door_closed_) return false;
  out = std::move(door_queue_.front());
  door_queue_.pop_front();
  return true;
}

void HubCore::door_reply(DoorReply&& reply) {
  {
    std::lock_guard lock(door_mutex_);
    if (door_closed_) return;  // the connection was closed with the hub
    door_replies_.push_back(std::move(reply));
  }
  loop_.wake();
}

// --- hub thread ----------------------------------------------------------------

void HubCore::start_door() {
  if (!door_listen_) return;
  if (!ParkedStream::make_nonblocking(door_listen_.get()) ||
      !loop_.add(door_listen_.get(), EPOLLIN, &door_listener_)) {
    log::error("hub: cannot watch the door's socket; streams go through the accept threads only");
    door_listen_.reset();
    return;
  }
  door_open_ = true;
}

void HubCore::accept_door() {
  while (door_open_) {
    int fd = ::accept4(door_listen_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {
        // The listener is level-triggered and stays readable: watched, it
        // would wake the loop at once, over and over, until a descriptor is
        // freed. Stop watching it a moment instead; the connections wait in
        // the accept queue (or nginx tries another worker).
        const int64_t now = monotonic_ms();
        if (now - door_accept_warned_ms_ >= kAcceptWarnEveryMs) {
          door_accept_warned_ms_ = now;
          log::warn("hub: no descriptor left to accept a stream", {{"error", std::strerror(errno)}});
        }
        loop_.remove(door_listen_.get());
        loop_.schedule(now + kAcceptPauseMs, [this] {
          if (door_open_ && door_listen_) loop_.add(door_listen_.get(), EPOLLIN, &door_listener_);
        });
      }
      return;
    }
    stats_.door_connections_total.fetch_add(1, std::memory_order_relaxed);
    adopt_door_connection(Fd(fd), false);
  }
}

void HubCore::adopt_door_connection(Fd fd, bool kept) {
  FastcgiInput::Limits limits;
  limits.max_body_bytes = config_.max_body_bytes;
  auto owned = std::make_unique<DoorConnection>(*this, std::move(fd), limits);
  DoorConnection& c = *owned;
  // A new connection's first request must come in time; a kept one is idle
  // until nginx reuses it (nginx's keepalive_timeout closes it).
  c.reading_since_ms = kept ? 0 : monotonic_ms();
  const uint32_t events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  if (!(kept ? loop_.repoint(c.fd.get(), events, &c) : loop_.add(c.fd.get(), events, &c))) return;
  door_connections_.emplace(&c, std::move(owned));
}

void HubCore::on_door_events(DoorConnection& c, uint32_t events) {
  if (c.closed) return;
  if (c.ticket != 0) {
    // Waiting for a door thread: only a hang-up matters (nginx sends
    // nothing more until it has our answer).
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) close_door_connection(c);
    return;
  }
  char buf[kReadChunk];
  bool eof = (events & (EPOLLHUP | EPOLLERR)) != 0;
  for (;;) {
    ssize_t n = ::recv(c.fd.get(), buf, sizeof buf, 0);
    if (n > 0) {
      if (c.reading_since_ms == 0) c.reading_since_ms = monotonic_ms();
      if (c.input.feed(std::string_view(buf, static_cast<size_t>(n))) != FastcgiInput::State::Reading) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    eof = true;  // 0: nginx closed it (an idle kept connection it let go), or an error
    break;
  }
  switch (c.input.state()) {
    case FastcgiInput::State::Ready:
      on_door_request(c);
      return;
    case FastcgiInput::State::Failed: {
      const uint16_t id = c.input.request_id();
      const bool answerable = id != 0 && c.input.failure() != FastcgiInput::Failure::Protocol;
      if (!answerable) {
        close_door_connection(c);
        return;
      }
      Error error = c.input.failure() == FastcgiInput::Failure::BodyTooLarge
                        ? Error(Code::payload_too_large, "The request body is too large.")
                        : Error(Code::bad_request, "The request headers are too large.");
      respond(take_door_fd(c), id, false, http::response_text(http::error_response(error)));
      return;
    }
    case FastcgiInput::State::Reading:
      if (eof) close_door_connection(c);
      return;
  }
}

void HubCore::on_door_request(DoorConnection& c) {
  stats_.door_requests_total.fetch_add(1, std::memory_order_relaxed);
  c.reading_since_ms = 0;
  http::Request req = http::parse_params(std::move(c.input.params()), config_.prefix, config_.public_url);
  req.body = std::move(c.input.body());
  std::string cookie;
  auto park = park_without_help(req, cookie);
  if (!park) {
    leave_to_door_threads(c, std::move(req));
    return;
  }
  if (cookie.empty()) {
    admit_from_door(c, std::move(*park));
    return;
  }
  // A joined visitor: their session and ban, from Redis, on the hub's own
  // connection. The connection waits meanwhile, as for a door thread.
  static const std::string kScript(embedded::file("fcgi/redis/scripts/stream_visitor.lua"));
  const std::string event_id = park->event_id;
  const uint64_t ticket = ++door_tickets_;
  bool sent = commands_.ready() &&
              commands_.command({"EVAL", kScript, "2", keys::visitor_session(event_id, ids::sha256_hex(cookie)),
                                 keys::bans(event_id), event_id},
                                [this, ticket](redisReply* r) { on_stream_visitor(ticket, r); });
  if (!sent) {
    leave_to_door_threads(c, std::move(req));
    return;
  }
  wait(c, ticket);
  c.pending = std::make_unique<DoorConnection::Pending>(DoorConnection::Pending{std::move(*park), std::move(req)});
}

void HubCore::wait(DoorConnection& c, uint64_t ticket) {
  c.ticket = ticket;
  door_waiting_.emplace(ticket, &c);
}

DoorConnection* HubCore::stop_waiting(uint64_t ticket) {
  auto it = door_waiting_.find(ticket);
  if (it == door_waiting_.end()) return nullptr;  // nginx let go meanwhile
  DoorConnection* c = it->second;
  door_waiting_.erase(it);
  c->ticket = 0;
  return c;
}

void HubCore::on_stream_visitor(uint64_t ticket, redisReply* reply) {
  DoorConnection* waiting = stop_waiting(ticket);
  if (!waiting) return;
  DoorConnection& c = *waiting;
  ParkRequest park = std::move(c.pending->park);
  http::Request req = std::move(c.pending->request);
  c.pending.reset();
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY) {
    leave_to_door_threads(c, std::move(req));  // Redis trouble: the handler says what
    return;
  }
  if (reply->elements == 2 && reply->element[0]->type == REDIS_REPLY_STRING) {
    const bool banned = reply->element[1]->type == REDIS_REPLY_INTEGER && reply->element[1]->integer == 1;
    if (banned) {
      leave_to_door_threads(c, std::move(req));  // the handler refuses with 403 banned
      return;
    }
    park.visitor_id.assign(reply->element[0]->str, reply->element[0]->len);
  }
  admit_from_door(c, std::move(park));
}

void HubCore::admit_from_door(DoorConnection& c, ParkRequest&& park) {
  stats_.door_served_by_hub_total.fetch_add(1, std::memory_order_relaxed);
  park.from_door = true;
  park.request_id = c.input.request_id();
  park.keep_conn = c.input.keep_conn();
  park.fd = take_door_fd(c).release();
  admit(std::move(park));
}

void HubCore::leave_to_door_threads(DoorConnection& c, http::Request&& req) {
  wait(c, ++door_tickets_);
  {
    std::lock_guard lock(door_mutex_);
    door_queue_.push_back(DoorRequest{c.ticket, std::move(req)});
  }
  door_ready_.notify_one();
}

// The requests the hub serves alone: public polls and streams whose cursor
// is of the epoch of the hub's copy and inside it (Mirror::holds_all_after),
// their visitor read from Redis by the caller. Everything this skips is what
// api/streams.cpp checks with Redis and SQL: the event exists (a copy exists
// only after a door or accept thread admitted a stream of it), the cursor's
// epoch and bounds (the copy's are those of Redis, kept by the fan-out), and
// a visitor's session and ban (the caller's one round trip, stream_visitor.lua).
std::optional<ParkRequest> HubCore::park_without_help(const http::Request& req, std::string& cookie) {
  if (req.method != "GET") return std::nullopt;
  auto path = public_stream_path(req.path);
  if (!path) return std::nullopt;
  // A joined visitor's cookie names whose streams a ban closes, and a banned
  // visitor is refused (stream and poll alike): the caller asks Redis (on_stream_visitor). A browser
  // sends one per debate; several (an older unscoped one too) are left to
  // the handler, which looks at each.
  auto cookies = req.cookies("palabre_v");
  if (cookies.size() > 1) return std::nullopt;
  cookie = cookies.empty() ? "" : cookies.front();
  std::optional<std::string> cursor_text;
  if (path->kind == StreamKind::LongPoll) {
    cursor_text = req.query_param("after");
  } else if (auto h = req.header("Last-Event-ID"); h && !h->empty()) {
    cursor_text = std::string(*h);
  } else {
    cursor_text = req.query_param("last_event_id");
  }
  std::string key = keys::public_stream(path->event_id);
  auto it = followed_.find(key);
  if (it == followed_.end()) return std::nullopt;
  const Mirror& m = it->second->mirror;
  if (m.epoch().empty()) return std::nullopt;
  Cursor cursor;
  if (!cursor_text || cursor_text->empty()) {
    // A newcomer's SSE stream starts with the whole history, which the copy
    // has when Redis never trimmed the stream. (A newcomer's poll answers
    // the latest entries from Redis; it comes once per page: left to the
    // handler.)
    if (path->kind != StreamKind::Sse || !m.holds_whole_history()) return std::nullopt;
  } else {
    auto parsed = parse_cursor(*cursor_text);
    if (!parsed || parsed->epoch != m.epoch() || !m.holds_all_after(parsed->id)) return std::nullopt;
    cursor = *parsed;
  }

  ParkRequest park;
  park.kind = path->kind;
  park.stream_key = std::move(key);
  park.event_id = std::move(path->event_id);
  park.cursor = cursor.id.to_string();
  park.epoch = m.epoch();
  if (path->kind == StreamKind::LongPoll) {
    park.deadline_mono_ms = monotonic_ms() + int64_t{config_.longpoll_timeout_s} * 1000;
  }
  return park;
}

void HubCore::drain_door_replies() {
  std::vector<DoorReply> replies;
  {
    std::lock_guard lock(door_mutex_);
    replies.swap(door_replies_);
  }
  for (auto& reply : replies) {
    DoorConnection* waiting = stop_waiting(reply.ticket);
    if (!waiting) continue;
    DoorConnection& c = *waiting;
    const uint16_t id = c.input.request_id();
    const bool keep = c.input.keep_conn();
    Fd fd = take_door_fd(c);
    if (reply.park) {
      reply.park->fd = fd.release();
      reply.park->request_id = id;
      reply.park->keep_conn = keep;
      admit(std::move(*reply.park));
    } else {
      respond(std::move(fd), id, keep, std::move(reply.response));
    }
  }
}

Fd HubCore::take_door_fd(DoorConnection& c) {
  // Left registered: whoever takes it next re-points it (Loop::add). Until
  // then no event reaches the closed connection (it is skipped).
  Fd fd = std::move(c.fd);
  close_door_connection(c);
  return fd;
}

void HubCore::close_door_connection(DoorConnection& c) {
  if (c.closed) return;
  c.closed = true;
  if (c.fd) loop_.remove(c.fd.get());
  if (c.ticket != 0) door_waiting_.erase(c.ticket);
  auto it = door_connections_.find(&c);
  if (it == door_connections_.end()) return;
  // Destroyed after this iteration: epoll may still report it.
  door_graveyard_.push_back(std::move(it->second));
  door_connections_.erase(it);
}

void HubCore::respond(Fd fd, uint16_t request_id, bool keep_conn, std::string response) {
  if (!fd) return;
  auto owned = std::make_unique<Subscriber>(*this, std::move(fd), request_id, SIZE_MAX);
  Subscriber& s = *owned;
  if (!loop_.repoint(s.out.fd(), EPOLLIN | EPOLLRDHUP | EPOLLET, &s)) return;
  s.kind = StreamKind::LongPoll;  // one answer, then the end of the request
  s.keep_conn = keep_conn;
  s.index = subscribers_.size();
  subscribers_.push_back(std::move(owned));
  if (!response.empty())
    (void)s.out.enqueue(std::make_shared<const Frame>(std::move(response)), ParkedStream::Bound::None);
  s.out.end_after_queued();
  s.end_deadline_ms = monotonic_ms() + kEndGraceMs;
  mark_dirty(s);
}

void HubCore::return_to_door(Subscriber& s) {
  // Stays registered; adopt_door_connection re-points it.
  Fd fd = s.out.release_fd();
  close_stream(s);
  if (door_open_) adopt_door_connection(std::move(fd), true);
}

void HubCore::expire_door_connections(int64_t now_ms) {
  const int64_t limit_ms = int64_t{config_.fcgi_read_timeout_s} * 1000;
  std::vector<DoorConnection*> late;
  for (auto& [c, owned] : door_connections_) {
    if (c->ticket == 0 && c->reading_since_ms != 0 && now_ms - c->reading_since_ms > limit_ms) late.push_back(c);
  }
  for (DoorConnection* c : late) close_door_connection(*c);
}

void HubCore::close_door() {
  if (door_listen_) {
    loop_.remove(door_listen_.get());
    door_listen_.reset();
  }
  door_open_ = false;
  std::vector<DoorConnection*> all;
  for (auto& [c, owned] : door_connections_) all.push_back(c);
  for (DoorConnection* c : all) close_door_connection(*c);
  {
    std::lock_guard lock(door_mutex_);
    door_closed_ = true;
    door_queue_.clear();
    door_replies_.clear();
  }
  door_ready_.notify_all();
}

}  // namespace palabre::hub
