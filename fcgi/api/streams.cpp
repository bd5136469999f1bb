// Open streams: the public and staff SSE streams and their long-polls.
// The accept thread checks the request, writes the headers and hands the
// connection to the hub (http/handoff); it never waits for messages itself.
#include <algorithm>

#include "api/context.hpp"
#include "api/identity.hpp"
#include "api/live_history.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/cursor.hpp"
#include "core/stream_id.hpp"
#include "http/handoff.hpp"
#include "wire/longpoll.hpp"
#include "wire/sse.hpp"
#include "hub/stream_headers.hpp"
#include "redis/keys.hpp"
#include "redis/sessions.hpp"
#include "redis/streams.hpp"

namespace palabre::api {
namespace {
using hub::kLongPollHeaders;
using hub::kSseHeaders;

Cursor checked_cursor(std::string_view text) {
  auto cursor = parse_cursor(text);
  if (!cursor)
    throw Error(Code::bad_request, "The cursor (Last-Event-ID, last_event_id or after) is not valid.");
  return *cursor;
}

Cursor sse_cursor(Context& ctx) {
  if (auto h = ctx.req.header("Last-Event-ID"); h && !h->empty()) return checked_cursor(*h);
  return checked_cursor(ctx.req.query_param("last_event_id").value_or(""));
}

std::string reset_data(Resync why) {
  return std::string("{\"reason\":\"") + std::string(resync_reason(why)) + "\"}";
}

// Where a stream starts: after the client's cursor, or, when that cannot be
// honoured, after a `reset` frame and the whole history again.
struct StreamStart {
  std::string epoch;
  std::string after = "0";  // stream id the hub resumes after
  std::string prelude;      // SSE frames written before the hub's
};

StreamStart sse_start(Context& ctx, const std::string& event_id, const std::string& stream_key,
                      bool archived) {
  Cursor cursor = sse_cursor(ctx);
  StreamBounds bounds = live_bounds(ctx, event_id, stream_key);
  StreamStart start;
  start.epoch = bounds.epoch;
  Resync why = resync_needed(cursor, bounds);
  if (why == Resync::None) {
    start.after = cursor.id.to_string();
    return start;
  }
  // A new reader has nothing to reset: it only needs the history.
  const bool new_reader = cursor.epoch.empty() && cursor.id == StreamId{};
  if (!new_reader) start.prelude = wire::sse_event(format_cursor(bounds.epoch, "0-0"), "reset", reset_data(why));
  if (!archived) return start;  // staff feeds: Redis holds all there is
  for (const auto& m : ctx.services.sql().archived_messages(event_id)) {
    start.prelude += wire::sse_event(format_cursor(bounds.epoch, m.cursor), m.type, m.data_json);
    start.after = m.cursor;
  }
  return start;
}

// Who a staff stream belongs to, so that a logout or a revoked invite can
// close it (hub: "!close-staff").
struct StaffOwner {
  std::string session_hash;
  std::string invite_id;
  int64_t expires_ms = 0;  // wall clock; 0: never
};

void set_owner(Context& ctx, hub::ParkRequest& park, StaffOwner&& owner) {
  park.staff_session = std::move(owner.session_hash);
  park.invite_id = std::move(owner.invite_id);
  // The hub keeps monotonic time: a staff stream ends when its credentials
  // expire, within its one-second tick.
  if (owner.expires_ms > 0)
    park.expires_mono_ms = monotonic_ms() + std::max<int64_t>(0, owner.expires_ms - ctx.now_ms());
}

StaffOwner owner_of(const Staff& staff) { return StaffOwner{staff.session_hash, staff.invite_id, staff.expires_ms}; }

// The feed a staff member follows: a guest only sees what was forwarded.
std::string staff_feed(const Staff& staff, const std::string& event_id) {
  return staff.role == Role::guest ? keys::guest_stream(event_id) : keys::staff_stream(event_id);
}

http::Response park_sse(Context& ctx, const std::string& event_id, std::string stream_key,
                        std::string visitor_id, bool archived, StaffOwner owner = {}) {
  StreamStart start = sse_start(ctx, event_id, stream_key, archived);
  hub::ParkRequest park;
  park.kind = hub::StreamKind::Sse;
  park.stream_key = std::move(stream_key);
  park.event_id = event_id;
  park.visitor_id = std::move(visitor_id);
  set_owner(ctx, park, std::move(owner));
  park.cursor = std::move(start.after);
  park.epoch = std::move(start.epoch);
  park.prelude = std::move(start.prelude);
  if (!ctx.parker.park(kSseHeaders, std::move(park)))
    return http::Response::no_content();  // the client left before the headers went out
  return http::Response::handed_off_to_hub();
}

// Who follows the public feed: the visitor of the cookie, "" when anonymous.
// A banned visitor's page is told so, by stream and poll alike; their cookie
// also names whose streams a ban closes.
std::string public_reader(Context& ctx, const std::string& event_id) {
  auto v = visitor_of(ctx);
  if (!v) return "";
  if (redis::is_banned(ctx.services.redis, event_id, v->visitor_id))
    throw Error(Code::banned, "You may no longer take part in this debate.");
  return v->visitor_id;
}

http::Response public_stream(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  return park_sse(ctx, event_id, keys::public_stream(event_id), public_reader(ctx, event_id), true);
}

http::Response staff_stream(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  return park_sse(ctx, event_id, staff_feed(staff, event_id), "", false, owner_of(staff));
}

// The same body the hub writes for a parked long-poll (wire/longpoll.hpp).
std::string poll_body(const std::string& epoch, const std::string& cursor,
                      const std::vector<redis::StreamEntry>& entries) {
  wire::LongPollBody body;
  for (const auto& e : entries) body.add(format_cursor(epoch, e.id), e.type, e.data);
  return std::move(body).finish(format_cursor(epoch, entries.empty() ? cursor : entries.back().id));
}

// A cursor that cannot be honoured: the public feed starts again from the
// SQL archive; a staff feed (not archived) answers no items and the latest
// cursor, and its console takes a fresh snapshot (GET queue, guest-queue).
std::string reset_poll_body(Context& ctx, const std::string& event_id, const StreamBounds& bounds,
                            bool archived) {
  wire::LongPollBody body;
  body.mark_reset();
  if (!archived) return std::move(body).finish(format_cursor(bounds.epoch, bounds.last.to_string()));
  std::string last = "0-0";
  for (const auto& m : ctx.services.sql().archived_messages(event_id)) {
    body.add(format_cursor(bounds.epoch, m.cursor), m.type, m.data_json);
    last = m.cursor;
  }
  return std::move(body).finish(format_cursor(bounds.epoch, last));
}

// A long-poll on one feed: answered at once when entries follow `after`,
// else parked in the hub until one does or the deadline passes.
http::Response park_poll(Context& ctx, const std::string& event_id, const std::string& key,
                         bool archived, std::string visitor_id, StaffOwner owner = {}) {
  redis::Connection& redis = ctx.services.redis;
  auto after = ctx.req.query_param("after");
  if (!after || after->empty()) {
    std::string epoch = live_epoch(ctx, event_id);
    auto recent = redis::read_last(redis, key, wire::kLongPollMaxItems);
    return http::Response::json(200, poll_body(epoch, recent.empty() ? "0-0" : recent.back().id, recent));
  }
  Cursor cursor = checked_cursor(*after);
  StreamBounds bounds = live_bounds(ctx, event_id, key);
  if (resync_needed(cursor, bounds) != Resync::None)
    return http::Response::json(200, reset_poll_body(ctx, event_id, bounds, archived));
  std::string from = cursor.id.to_string();
  auto entries = redis::read_after(redis, key, from, wire::kLongPollMaxItems);
  if (!entries.empty()) return http::Response::json(200, poll_body(bounds.epoch, from, entries));

  hub::ParkRequest park;
  park.kind = hub::StreamKind::LongPoll;
  park.stream_key = key;
  park.event_id = event_id;
  park.visitor_id = std::move(visitor_id);
  set_owner(ctx, park, std::move(owner));
  park.cursor = from;
  park.epoch = bounds.epoch;
  park.deadline_mono_ms = monotonic_ms() + ctx.config().longpoll_timeout_s * 1000LL;
  if (!ctx.parker.park(kLongPollHeaders, std::move(park)))
    return http::Response::no_content();
  return http::Response::handed_off_to_hub();
}

http::Response poll(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  return park_poll(ctx, event_id, keys::public_stream(event_id), true, public_reader(ctx, event_id));
}

// The staff stream's feed for consoles whose network holds SSE back
// (static/assets/js/stream.js falls back to it). A logout or a revoked
// invite ends a parked one, as it closes a staff stream.
http::Response staff_poll(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  return park_poll(ctx, event_id, staff_feed(staff, event_id), false, "", owner_of(staff));
}

}  // namespace

void register_stream_routes(Router& router) {
  // A visitor's cookie on the public stream only names whose streams a ban closes.
  router.add("GET", "/api/events/{id}/stream", Access::public_, public_stream);
  router.add("GET", "/api/events/{id}/staff/stream", Access::guest_or_moderator, staff_stream);
  router.add("GET", "/api/events/{id}/poll", Access::public_, poll);
  router.add("GET", "/api/events/{id}/staff/poll", Access::guest_or_moderator, staff_poll);
}

}  // namespace palabre::api
