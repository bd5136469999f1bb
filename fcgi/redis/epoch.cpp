#include "redis/epoch.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {

// SET NX GET (Redis >= 7.0): the epoch already there, or nil when ours, a
// fresh 12 characters of [a-z0-9], was just set. One command, so every
// worker and the hubs agree on the first one.
std::vector<std::string> epoch_command(const std::string& event_id, std::string& proposed) {
  proposed = ids::new_id("");
  return {"SET", keys::epoch(event_id), proposed, "NX", "GET"};
}

std::string epoch_from(const redisReply* r, const std::string& proposed) {
  if (r && r->type == REDIS_REPLY_NIL) return proposed;
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
  std::string proposed;
  ReplyPtr r = redis.command(epoch_command(event_id, proposed));
  return epoch_from(r.get(), proposed);
}

StreamBounds stream_bounds(Connection& redis, const std::string& event_id,
                           const std::string& stream_key) {
  std::string proposed;
  auto replies = redis.pipeline({epoch_command(event_id, proposed), {"XINFO", "STREAM", stream_key}});
  StreamBounds b;
  b.epoch = epoch_from(replies[0].get(), proposed);
  const redisReply* info = replies[1].get();
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
  StreamBounds b = stream_bounds(redis, event_id, stream_key);
  return format_cursor(b.epoch, b.last.to_string());
}

}  // namespace palabre::redis
