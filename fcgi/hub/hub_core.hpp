// HubCore (Hub::Impl derives from it, since Impl is private to Hub): the
// state of the hub thread, shared by hub.cpp (lifecycle:
// park, run, stop, the 1-second tick), delivery.cpp (what each parked stream
// is sent, and when it ends) and fanout.cpp (Redis Pub/Sub and XRANGE into
// the mirrors). Private to fcgi/hub.
//
// Threads: park(), stop() and stats() from any thread, through the members
// marked as such; everything else is the hub thread's alone
// (assert_hub_thread()). Errors: nothing here throws after construction; a
// stream's failure closes that stream, a Redis failure degrades to waiting
// and reloading (see redis_async.hpp).
//
// One iteration of run(), in order:
//   1. epoll_wait (timeout 0 while streams wait to be serviced, else until
//      the next timer), then for each ready fd: Redis replies and messages
//      (mirrors grow, their readers are marked dirty), stream input and
//      hang-ups (streams close), EPOLLOUT of streams whose socket was full
//      (marked dirty);
//   2. due timers: long-poll deadlines, Redis reconnects, the 1 s tick
//      (pings, Redis timeouts, mirror retries and expiry, ending streams
//      that overstay);
//   3. parked requests handed over by accept threads (after a wake-up);
//   4. up to kDirtyBatch dirty streams serviced: pull entries from the
//      mirror into the queue, write at most kMaxWritePerStream bytes;
//   5. closed streams destroyed (their fds closed), counters published.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/config.hpp"
#include "core/systemd.hpp"
#include "hub/fastcgi_input.hpp"
#include "hub/hub.hpp"
#include "hub/loop.hpp"
#include "hub/mirror.hpp"
#include "hub/parked_stream.hpp"
#include "hub/redis_async.hpp"

namespace palabre::hub {

// Streams serviced per loop iteration: a message to 40,000 streams is
// written in slices, so that Redis input, hang-ups and new streams are not
// held up for the whole round.
inline constexpr size_t kDirtyBatch = 2048;
// Bytes written to one stream per service (STYLE.md §5, fairness).
inline constexpr size_t kMaxWritePerStream = 64 * 1024;
// XRANGE page size.
inline constexpr size_t kXrangePage = 1000;
// The SSE `retry:` each stream is given is drawn from this range, so that
// thousands of browsers dropped at once (a worker restarting) do not all
// come back in the same 100 ms. Our own client (static/assets/js/stream.js)
// adds its own full-jitter back-off on top.
inline constexpr int kSseRetryMinMs = 1000;
inline constexpr int kSseRetryMaxMs = 8000;
// Drawn in steps, so that the opening frames are built once per step and
// shared (HubCore::opening_frame), not once per stream.
inline constexpr int kSseRetryStepMs = 250;
inline constexpr size_t kSseRetrySteps = (kSseRetryMaxMs - kSseRetryMinMs) / kSseRetryStepMs + 1;
inline constexpr int64_t kTickMs = 1000;
// A mirror without readers is kept this long: a reader reconnecting soon
// (EventSource retries after 3 s) finds it loaded.
inline constexpr int64_t kMirrorIdleMs = 60'000;
// A stream being ended whose socket stays full is closed after this.
inline constexpr int64_t kEndGraceMs = 5'000;
// stop(): how long run() waits for the end records to go out.
inline constexpr int64_t kStopGraceMs = 2'000;
// How often each worker publishes its watcher counts, and how long one
// holds: a worker killed stops counting within kWatchersHoldMs.
inline constexpr int64_t kWatchersEveryMs = 2'000;
inline constexpr int64_t kWatchersHoldMs = 3 * kWatchersEveryMs;

class HubCore;
struct Followed;

// One parked stream and what the hub knows about its reader.
struct Subscriber final : Loop::Handler {
  Subscriber(HubCore& hub, Fd fd, uint16_t request_id, size_t backlog_limit)
      : hub(hub), out(std::move(fd), request_id, backlog_limit) {}
  void on_events(uint32_t events) override;

  HubCore& hub;
  ParkedStream out;
  StreamKind kind = StreamKind::Sse;
  // Whose stream it is, for the closings by ban, logout or revocation;
  // null for an anonymous reader (most of them: 128 bytes saved on each).
  struct Owner {
    std::string event_id;
    std::string visitor_id;
    std::string staff_session;  // staff streams: see ParkRequest
    std::string invite_id;
  };
  std::unique_ptr<Owner> owner;
  int64_t expires_mono_ms = 0;
  std::string cursor_text;  // long-poll: echoed by an empty answer
  std::string epoch;        // the epoch its cursor was checked against ("": any)
  uint64_t epoch_reload_token = 0;  // the mirror load asked for by epoch_matches()
  // Id of the last entry queued, or the request's cursor: nothing at or
  // before it is ever queued, so no entry is sent twice.
  StreamId delivered;
  // Mirror position of the next entry to look at.
  uint64_t next_seq = 0;
  // SSE: every entry the mirror had is queued, so new ones are queued as
  // they come, up to the backlog limit. Before that, a replaying stream
  // takes entries only while its queue is under the replay watermark, so a
  // long history never counts as backlog.
  bool caught_up = false;
  bool counted = false;  // counted in sse_streams / longpolls_waiting
  Followed* followed = nullptr;
  size_t reader_index = 0;  // in followed->readers
  size_t index = 0;         // in HubCore::subscribers_
  bool in_dirty = false;
  bool closed = false;
  // EPOLLOUT is asked for only while the socket is full: on a unix socket
  // every read by nginx would otherwise wake the hub once per stream and
  // message for nothing.
  bool waiting_writable = false;
  int64_t next_ping_ms = 0;
  int64_t end_deadline_ms = 0;
  Loop::TimerId deadline_timer = 0;
  // Came through the door with FCGI_KEEP_CONN: once its request has ended
  // cleanly the connection goes back to the door for nginx's next request.
  bool keep_conn = false;
  // A long-poll from the door: its CGI headers go out with the answer, with
  // a Content-Length (see hub/stream_headers.hpp).
  bool answer_headers = false;
};

// The last long-poll answer built from a copy, for the polls waiting at the
// same place (delivery.cpp, try_answer_longpoll).
struct LongPollAnswer {
  std::shared_ptr<const Frame> frame;
  uint64_t from_seq = 0, end_seq = 0;
  size_t items = 0;
};

// A connection on the door (hub.hpp) between requests: reading the next
// one, or waiting for a door thread's reply. Once a request is parked or
// answered, its fd moves to a Subscriber; with keep_conn it comes back here.
struct DoorConnection final : Loop::Handler {
  DoorConnection(HubCore& hub, Fd fd, FastcgiInput::Limits limits)
      : hub(hub), fd(std::move(fd)), input(limits) {}
  void on_events(uint32_t events) override;

  HubCore& hub;
  Fd fd;
  FastcgiInput input;
  uint64_t ticket = 0;           // waiting (a door thread, or Redis); 0 while reading
  // While the visitor of a request is read from Redis: what to park, and
  // the request, for a door thread should the hub not park it after all.
  struct Pending {
    ParkRequest park;
    http::Request request;
  };
  std::unique_ptr<Pending> pending;
  int64_t reading_since_ms = 0;  // a request begun and not complete (0: idle)
  bool closed = false;
};

struct DoorListener final : Loop::Handler {
  explicit DoorListener(HubCore& hub) : hub(hub) {}
  void on_events(uint32_t events) override;
  HubCore& hub;
};

// A followed Redis stream: its mirror and the streams reading it.
struct Followed {
  Followed(std::string key, size_t max_entries) : mirror(std::move(key), max_entries) {}
  Mirror mirror;
  std::vector<Subscriber*> readers;
  int64_t idle_since_ms = 0;  // 0 while it has readers
  // The stream's last id when a check found the copy behind it (check_last_ids).
  StreamId behind_at;
  // [0]: for polls whose headers went out already; [1]: with headers.
  LongPollAnswer answers[2];
};

class HubCore {
 public:
  explicit HubCore(const Config& config);
  ~HubCore();
  HubCore(const HubCore&) = delete;
  HubCore& operator=(const HubCore&) = delete;

  // --- any thread ----------------------------------------------------------
  void park(ParkRequest&& request);
  void request_stop();

  // --- hub thread: hub.cpp -------------------------------------------------
  void run();
  void assert_hub_thread() const;
  void admit(ParkRequest&& request);
  void drain_parks();
  void begin_stop();
  void tick();
  void probe_pubsub(int64_t now_ms);
  // watchers.cpp: every kWatchersEveryMs, this worker's count of public
  // watchers per followed debate, to Redis (scripts/watchers.lua).
  void publish_watchers(int64_t now_ms);

  // --- hub thread: delivery.cpp --------------------------------------------
  void mark_dirty(Subscriber& s);
  void mark_readers_dirty(Followed& f);
  void service_dirty();
  void service(Subscriber& s);
  bool epoch_matches(Subscriber& s);
  // Ends a stream whose cursor belongs to another epoch (see epoch_matches).
  void end_for_resync(Subscriber& s);
  void pump_sse(Subscriber& s);
  void try_answer_longpoll(Subscriber& s);
  // nullptr: the empty answer at the stream's own cursor.
  void answer_longpoll(Subscriber& s, std::shared_ptr<const Frame> answer);
  std::shared_ptr<const Frame> longpoll_frame(std::string body, bool with_headers);
  void on_stream_events(Subscriber& s, uint32_t events);
  void watch_writable(Subscriber& s, bool on);
  // Ends the request cleanly (empty STDOUT + END_REQUEST) once what must go
  // before it is written; detaches the stream from its mirror at once.
  void end_stream(Subscriber& s);
  void detach(Subscriber& s);
  void close_stream(Subscriber& s);
  void bury_closed();

  // --- door: door.cpp -----------------------------------------------------
  void open_door(int listen_fd);                  // before run()
  bool next_door_request(DoorRequest& out);       // door threads
  void door_reply(DoorReply&& reply);             // door threads
  void start_door();                              // hub thread, from run()
  void accept_door();
  void on_door_events(DoorConnection& c, uint32_t events);
  void on_door_request(DoorConnection& c);
  // The stream the hub can open by itself from its copy, if any.
  // `cookie`: the visitor cookie whose session must be read first, or "".
  std::optional<ParkRequest> park_without_help(const http::Request& req, std::string& cookie);
  void on_stream_visitor(uint64_t ticket, redisReply* reply);
  void admit_from_door(DoorConnection& c, ParkRequest&& park);
  void leave_to_door_threads(DoorConnection& c, http::Request&& req);
  // A connection waits, under `ticket`, for a door thread or for Redis.
  void wait(DoorConnection& c, uint64_t ticket);
  DoorConnection* stop_waiting(uint64_t ticket);  // null: it is gone
  void drain_door_replies();
  // Takes the fd out of a door connection, which is then destroyed.
  Fd take_door_fd(DoorConnection& c);
  void close_door_connection(DoorConnection& c);
  // Writes a whole response (CGI headers and body) on a door connection.
  void respond(Fd fd, uint16_t request_id, bool keep_conn, std::string response);
  // A kept connection whose request ended goes back to the door.
  void return_to_door(Subscriber& s);
  void adopt_door_connection(Fd fd, bool kept);
  void expire_door_connections(int64_t now_ms);
  void close_door();

  // --- hub thread: fanout.cpp ----------------------------------------------
  Followed& follow(const std::string& key);
  void maybe_load(Followed& f);
  void start_load(Followed& f);
  void request_page(const std::string& key, uint64_t token, const std::string& start);
  void request_epoch(const std::string& key, uint64_t token);
  void request_trim_state(const std::string& key, uint64_t token);
  void on_epoch(const std::string& key, uint64_t token, redisReply* reply);
  // Ends (see end_for_resync) the readers holding an epoch for which
  // `stale` is true.
  void end_readers_for_resync(Followed& f, const std::function<bool(const Subscriber&)>& stale);
  void on_page(const std::string& key, uint64_t token, redisReply* reply);
  void check_last_ids();
  void on_last_id(const std::string& key, uint64_t token, redisReply* reply);
  void on_subscription_reply(redisReply* reply);
  void on_subscribed(std::string_view channel);
  void on_fanout(std::string_view payload);
  void close_visitor(std::string_view event_id, std::string_view visitor_id);
  // kind "session": streams opened with that staff session; "invite": with
  // that invite (by Bearer or by a cookie exchanged from it).
  void close_staff(std::string_view kind, std::string_view value);
  void expire_mirrors(int64_t now_ms);

  const Config config_;
  HubStats stats_;
  systemd::Watchdog watchdog_;  // fed by tick()
  Loop loop_;
  // Before the connections that use it: destroyed after them.
  MasterLookup master_lookup_;
  RedisAsync pubsub_;
  RedisAsync commands_;

  // park() → hub thread. Guards park_queue_ and accepting_.
  std::mutex park_mutex_;
  std::vector<ParkRequest> park_queue_;
  bool accepting_ = true;
  std::atomic<bool> stop_requested_{false};

  std::thread::id hub_thread_;
  bool stopping_ = false;
  int64_t stop_deadline_ms_ = 0;
  size_t replay_watermark_;
  uint64_t load_tokens_ = 0;
  uint64_t frames_delivered_ = 0;  // added to stats_ once per iteration

  // The Pub/Sub probe (hub.cpp, probe_pubsub): our own channel, the payload
  // of the probe in flight and when it was sent (0: none in flight).
  const std::string probe_channel_;
  std::string probe_payload_;
  int64_t probe_sent_ms_ = 0;
  int64_t next_probe_ms_ = 0;
  uint64_t probes_sent_ = 0;

  // Names this worker's share of each debate's watchers (watchers.cpp).
  const std::string watcher_token_;
  int64_t next_watchers_ms_ = 0;

  std::minstd_rand retry_random_;
  std::shared_ptr<const Frame> ping_frame_;
  std::shared_ptr<const Frame> hello_frame_;
  // [door headers][hello][retry step]: what a stream opens with.
  const std::shared_ptr<const Frame>& opening_frame(bool with_headers, size_t retry_step, bool with_hello);
  std::shared_ptr<const Frame> opening_frames_[2][2][kSseRetrySteps];  // wire::sse_hello(), the same for every stream

  // Transparent hashing: a message's key is looked up without a copy.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::unique_ptr<Followed>, KeyHash, std::equal_to<>> followed_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;
  // Closed streams, destroyed after the iteration (and once out of dirty_),
  // because epoll events and dirty_ may still point at them.
  std::vector<std::unique_ptr<Subscriber>> graveyard_;
  std::deque<Subscriber*> dirty_;

  // The door (door.cpp). The listening socket and connections: hub thread.
  Fd door_listen_;
  DoorListener door_listener_{*this};
  bool door_open_ = false;
  std::unordered_map<DoorConnection*, std::unique_ptr<DoorConnection>> door_connections_;
  std::unordered_map<uint64_t, DoorConnection*> door_waiting_;
  std::vector<std::unique_ptr<DoorConnection>> door_graveyard_;
  uint64_t door_tickets_ = 0;
  int64_t door_accept_warned_ms_ = 0;
  // Hub thread ↔ door threads. Guards the queue, the replies and closed.
  std::mutex door_mutex_;
  std::condition_variable door_ready_;
  std::deque<DoorRequest> door_queue_;
  std::vector<DoorReply> door_replies_;
  bool door_closed_ = false;
};

}  // namespace palabre::hub
