#include "redis/epoch.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {

std::vector<std::string> set_if_missing(const std::string& event_id) {
  // 12 characters of [a-z0-9] (core/cursor.hpp is_epoch).
  return {"SET", keys::epoch(event_id), ids::new_id(""), "NX"};
}

std::string epoch_from(const redisReply* r) {
  if (!r || r->type != REDIS_REPLY_STRING || !is_epoch(str(r)))
    throw Error(Code::store_unavailable, "The live store did not give the stream's epoch.");
  return std::string(str(r));
}

StreamId id_of(const redisReply* r) {
  if (r && r->type == REDIS_REPLY_STRING) return parse_stream_id(str(r)).value_or(StreamId{});
  // first-entry / last-entry: [id, [field, value, ...]]
  if (r && r->type == REDIS_REPLY_ARRAY && r->elements >= 1) return id_of(r->element[0]);
  return {};
}

}  // namespace

std::string ensure_epoch(Connection& redis, const std::string& event_id) {
  auto replies = redis.pipeline({set_if_missing(event_id), {"GET", keys::epoch(event_id)}});
  return epoch_from(replies.back().get());
}

StreamBounds stream_bounds(Connection& redis, const std::string& event_id,
                           const std::string& stream_key) {
  auto replies = redis.pipeline(
      {set_if_missing(event_id), {"GET", keys::epoch(event_id)}, {"XINFO", "STREAM", stream_key}});
  StreamBounds b;
  b.epoch = epoch_from(replies[1].get());
  const redisReply* info = replies[2].get();
  // No such key (an error reply): an empty stream.
  if (!info || info->type != REDIS_REPLY_ARRAY) return b;
  long long length = 0, added = 0;
  for (size_t i = 0; i + 1 < info->elements; i += 2) {
    std::string_view field = str(info->element[i]);
    const redisReply* value = info->element[i + 1];
    if (field == "length") length = value->integer;
    else if (field == "entries-added") added = value->integer;
    else if (field == "first-entry") b.first = id_of(value);
    else if (field == "last-entry") b.last = id_of(value);
  }
  b.trimmed = added > length;
  return b;
}

std::string stream_cursor(Connection& redis, const std::string& event_id,
                          const std::string& stream_key) {
  auto replies = redis.pipeline({set_if_missing(event_id),
                                 {"GET", keys::epoch(event_id)},
                                 {"XREVRANGE", stream_key, "+", "-", "COUNT", "1"}});
  std::string epoch = epoch_from(replies[1].get());
  const redisReply* last = replies[2].get();
  StreamId id = (last && last->type == REDIS_REPLY_ARRAY && last->elements > 0) ? id_of(last->element[0])
                                                                                : StreamId{};
  return format_cursor(epoch, id.to_string());
}

}  // namespace palabre::redis
