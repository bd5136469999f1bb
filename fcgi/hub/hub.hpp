// The hub: one thread, one epoll loop, owning every open stream (SSE and
// long-poll) and this process's Redis connections used for fan-out.
//
// Accept threads never hold a stream. After writing the response headers with
// libfcgi they take the connection away from libfcgi (http/handoff) and call
// Hub::park(); from then on the hub alone writes whole FastCGI STDOUT records
// to that fd, non-blocking, with a bounded backlog per stream, and ends the
// request (empty STDOUT + FCGI_END_REQUEST, then close).
//
// Where messages come from: every published entry is XADDed to a Redis stream
// and PUBLISHed on keys::fanout_channel() in the same Lua script
// (redis/scripts/apply.lua). The hub SUBSCRIBEs once per process. It keeps a
// mirror of each stream that has parked readers, loaded with XRANGE on an
// async Redis connection of its own, and checks each live message's `prev`
// against the mirror's last id; a gap or a reconnect reloads from Redis, so
// the stream, not Pub/Sub, is the source of truth.
//
// Threads: park(), stop() and stats() may be called from any thread; run()
// is the hub thread. Nothing on the hub thread blocks or throws.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "http/request.hpp"

namespace palabre::hub {

enum class StreamKind { Sse, LongPoll };

struct ParkRequest {
  int fd = -1;               // connection from nginx; ownership moves to the hub
  uint16_t request_id = 1;   // FastCGI request id of that connection
  StreamKind kind = StreamKind::Sse;
  std::string stream_key;    // Redis stream to follow (redis/keys.hpp)
  std::string event_id;      // for closing a banned visitor's streams
  std::string visitor_id;    // "" when anonymous
  // Staff streams: the session (hash of its cookie) and the invite they
  // were opened with, "" when none; "!close-staff" closes them.
  std::string staff_session;
  std::string invite_id;
  // Staff streams: ended by the hub's tick at this monotonic time (the
  // session's absolute end or the invite's expiry); 0: never.
  int64_t expires_mono_ms = 0;
  // Deliver entries whose id is greater than this stream id ("0" = all).
  std::string cursor = "0";
  // The debate's epoch the cursor was checked against (core/cursor.hpp):
  // should the hub's copy of the stream be of another epoch, the stream is
  // ended and the client, reconnecting, gets a reset. Cursors handed out
  // (SSE ids, long-poll cursors) are "<epoch>.<id>".
  std::string epoch;
  // SSE: frames to write first (a `reset` and the history from the archive).
  std::string prelude;
  int64_t deadline_mono_ms = 0;  // long-poll: answer empty at this monotonic time
  // Read by the hub's door (below): the hub writes the CGI headers itself
  // (hub/stream_headers.hpp; an accept thread has written them through
  // libfcgi already), and nginx may keep the connection afterwards.
  bool from_door = false;
  bool keep_conn = false;
};

// The door: a second listening socket per worker, for the stream locations
// only (nginx/palabre-live.conf.in), accepted and read by the hub thread
// itself, non-blocking, with nginx keeping the connections open between
// requests (fastcgi_keep_conn on). A long-poll that comes back, or a stream
// that reconnects with a cursor the hub's copy can honour, is parked there
// and then, without a thread handoff or a new accept(). Anything else (a
// newcomer, a cursor to check against Redis, a reset from the SQL archive,
// staff) goes to a door thread, which runs the ordinary handler
// (api::serve_read) and hands back either a stream to park or a whole
// response for the hub to write on the connection it kept.
struct DoorRequest {
  uint64_t ticket = 0;  // names the connection waiting for the reply
  http::Request request;
};
struct DoorReply {
  uint64_t ticket = 0;
  std::optional<ParkRequest> park;  // a stream to park (its fd is the door's)
  std::string response;             // else: CGI headers and body to write
};

struct HubStats {
  std::atomic<int64_t> sse_streams{0};
  std::atomic<int64_t> longpolls_waiting{0};
  std::atomic<uint64_t> streams_opened_total{0};
  std::atomic<uint64_t> frames_delivered_total{0};
  std::atomic<uint64_t> backlog_overflows_total{0};
  std::atomic<uint64_t> fanout_messages_total{0};
  std::atomic<uint64_t> redis_reconnects_total{0};
  std::atomic<uint64_t> redis_errors_total{0};
  std::atomic<uint64_t> mirror_reloads_total{0};
  // Probes that did not come back through the subscriber connection in time
  // (each one restarts that connection).
  std::atomic<uint64_t> pubsub_probe_failures_total{0};
  std::atomic<bool> subscribed{false};
  // The door: requests read, served by the hub alone, left to door threads.
  std::atomic<uint64_t> door_requests_total{0};
  std::atomic<uint64_t> door_served_by_hub_total{0};
  std::atomic<uint64_t> door_connections_total{0};
};

class Hub {
 public:
  explicit Hub(const Config& config);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Any thread. Queues the stream and wakes the hub (eventfd). After stop()
  // the fd is ended and closed at once.
  void park(ParkRequest&& request);
  // Before run(): the door's listening socket (non-blocking; the hub owns
  // it from now on).
  void open_door(int listen_fd);
  // Door threads: waits for the next request the hub leaves to them; false
  // once the hub stops.
  bool next_door_request(DoorRequest& out);
  // Door threads: the outcome of a request from next_door_request().
  void door_reply(DoorReply&& reply);
  // Hub thread: runs until stop(). Ends every stream cleanly before returning.
  void run();
  // Any thread.
  void stop();
  const HubStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace palabre::hub
