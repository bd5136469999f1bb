#include "redis/epoch.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {

std::optional<std::string> epoch_from(const redisReply* r) {
  if (r && r->type == REDIS_REPLY_NIL) return std::nullopt;
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

std::optional<std::string> read_epoch(Connection& redis, const std::string& event_id) {
  ReplyPtr r = redis.command({"GET", keys::epoch(event_id)});
  return epoch_from(r.get());
}

StreamBounds stream_bounds(Connection& redis, const std::string& event_id,
                           const std::string& stream_key) {
  auto replies = redis.pipeline({{"GET", keys::epoch(event_id)}, {"XINFO", "STREAM", stream_key}});
  StreamBounds b;
  b.epoch = epoch_from(replies[0].get()).value_or("");
  // No such key (an error reply): an empty stream.
  read_stream_info(replies[1].get(), b);
  return b;
}

bool read_stream_info(const redisReply* info, StreamBounds& b) {
  if (!info || info->type != REDIS_REPLY_ARRAY) return false;
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
  return true;
}

std::string restore_epoch(Connection& redis, const Config& config, const std::string& event_id,
                          const std::vector<StreamEntry>& archived) {
  // Only what MAXLEN would keep: the newest entries; the others are counted.
  size_t skip = archived.size() > config.history_max_entries ? archived.size() - config.history_max_entries : 0;
  std::vector<std::string> args = {ids::new_id(""), std::to_string(config.history_max_entries),
                                   std::to_string(skip)};
  args.reserve(3 + 3 * (archived.size() - skip));
  for (size_t i = skip; i < archived.size(); ++i) {
    args.push_back(archived[i].id);
    args.push_back(archived[i].type);
    args.push_back(archived[i].data);
  }
  ReplyPtr r = redis.script("restore", {keys::epoch(event_id), keys::public_stream(event_id)}, args);
  if (auto epoch = epoch_from(r.get())) return *epoch;
  throw Error(Code::store_unavailable, "The live store did not give the stream's epoch.");
}

}  // namespace palabre::redis
