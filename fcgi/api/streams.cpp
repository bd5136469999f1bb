// Open streams: the public SSE stream, the staff SSE stream and long-poll.
// The accept thread checks the request, writes the headers and hands the
// connection to the hub (http/handoff); it never waits for messages itself.
#include "api/context.hpp"
#include "api/identity.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/stream_id.hpp"
#include "http/handoff.hpp"
#include "hub/longpoll_body.hpp"
#include "redis/keys.hpp"
#include "redis/sessions.hpp"
#include "redis/streams.hpp"

namespace palabre::api {
namespace {
constexpr const char* kSseHeaders =
    "Status: 200 OK\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\n"
    "Cache-Control: no-cache, no-store\r\n"
    "X-Accel-Buffering: no\r\n\r\n";
constexpr const char* kLongPollHeaders =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Cache-Control: no-store\r\n"
    "X-Accel-Buffering: no\r\n\r\n";

std::string checked_cursor(std::string cursor) {
  if (cursor.empty()) return "0";
  if (!parse_stream_id(cursor))
    throw Error(Code::bad_request, "The cursor (Last-Event-ID, last_event_id or after) is not valid.");
  return cursor;
}

std::string sse_cursor(Context& ctx) {
  if (auto h = ctx.req.header("Last-Event-ID"); h && !h->empty()) return checked_cursor(std::string(*h));
  return checked_cursor(ctx.req.query_param("last_event_id").value_or(""));
}

http::Response park_sse(Context& ctx, const std::string& event_id, std::string stream_key,
                        std::string visitor_id) {
  hub::ParkRequest park;
  park.kind = hub::StreamKind::Sse;
  park.stream_key = std::move(stream_key);
  park.event_id = event_id;
  park.visitor_id = std::move(visitor_id);
  park.cursor = sse_cursor(ctx);
  if (!http::hand_off(ctx.fcgi, kSseHeaders, std::move(park), ctx.services.hub))
    return http::Response::no_content();  // the client left before the headers went out
  return http::Response::handed_off_to_hub();
}

http::Response public_stream(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  std::string visitor_id;
  if (auto v = visitor_of(ctx)) {
    if (redis::is_banned(ctx.services.redis, event_id, v->visitor_id))
      throw Error(Code::banned, "You may no longer take part in this debate.");
    visitor_id = v->visitor_id;
  }
  return park_sse(ctx, event_id, keys::public_stream(event_id), visitor_id);
}

http::Response staff_stream(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  Staff staff = require_guest_or_moderator(ctx, event_id);
  std::string key = staff.role == Role::guest ? keys::guest_stream(event_id) : keys::staff_stream(event_id);
  return park_sse(ctx, event_id, key, "");
}

// The same body the hub writes for a parked long-poll (hub/longpoll_body).
std::string poll_body(const std::string& cursor, const std::vector<redis::StreamEntry>& entries) {
  hub::LongPollBody body;
  for (const auto& e : entries) body.add(e.id, e.type, e.data);
  return std::move(body).finish(entries.empty() ? cursor : entries.back().id);
}

http::Response poll(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  std::string key = keys::public_stream(event_id);
  redis::Connection& redis = ctx.services.redis;
  auto after = ctx.req.query_param("after");
  if (!after || after->empty()) {
    auto recent = redis::read_last(redis, key, hub::kLongPollMaxItems);
    return http::Response::json(200, poll_body(recent.empty() ? "0-0" : recent.back().id, recent));
  }
  std::string cursor = checked_cursor(*after);
  auto entries = redis::read_after(redis, key, cursor, hub::kLongPollMaxItems);
  if (!entries.empty()) return http::Response::json(200, poll_body(cursor, entries));

  hub::ParkRequest park;
  park.kind = hub::StreamKind::LongPoll;
  park.stream_key = key;
  park.event_id = event_id;
  if (auto v = visitor_of(ctx)) park.visitor_id = v->visitor_id;
  park.cursor = cursor;
  park.deadline_mono_ms = monotonic_ms() + ctx.config().longpoll_timeout_s * 1000LL;
  if (!http::hand_off(ctx.fcgi, kLongPollHeaders, std::move(park), ctx.services.hub))
    return http::Response::no_content();
  return http::Response::handed_off_to_hub();
}

}  // namespace

void register_stream_routes(Router& router) {
  router.add("GET", "/api/events/{id}/stream", public_stream);
  router.add("GET", "/api/events/{id}/staff/stream", staff_stream);
  router.add("GET", "/api/events/{id}/poll", poll);
}

}  // namespace palabre::api
