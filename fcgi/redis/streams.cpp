#include "redis/streams.hpp"

#include <algorithm>
#include <atomic>

#include "core/error.hpp"
#include "redis/keys.hpp"
#include "redis/stream_entry.hpp"
#include "wire/fanout.hpp"

namespace palabre::redis {

namespace {
std::atomic<uint64_t> g_published{0};
}  // namespace

uint64_t published_total() { return g_published.load(std::memory_order_relaxed); }
void count_published() { g_published.fetch_add(1, std::memory_order_relaxed); }

void announce_entry(Connection& redis, const std::string& stream_key, std::string_view id,
                    std::string_view prev, std::string_view type, std::string_view data) {
  redis.publish_later(keys::fanout_channel(), wire::encode_entry(stream_key, id, prev, type, data));
}

std::vector<StreamEntry> parse_entries(const redisReply* reply) {
  std::vector<StreamEntry> out;
  if (!reply || reply->type != REDIS_REPLY_ARRAY) return out;
  out.reserve(reply->elements);
  for (size_t i = 0; i < reply->elements; ++i) {
    if (auto e = xrange_entry(reply->element[i]))
      out.push_back({std::string(e->id_text), std::string(e->type), std::string(e->data)});
  }
  return out;
}

std::vector<StreamEntry> read_after(Connection& redis, const std::string& stream_key,
                                    const std::string& after, size_t count) {
  std::string start = (after.empty() || after == "0" || after == "-" || after == "0-0") ? "-" : "(" + after;
  ReplyPtr r = redis.command({"XRANGE", stream_key, start, "+", "COUNT", std::to_string(count)});
  if (is_error(r.get())) throw Error(Code::bad_request, "The cursor is not valid.");
  return parse_entries(r.get());
}

std::vector<StreamEntry> read_last(Connection& redis, const std::string& stream_key, size_t count) {
  ReplyPtr r = redis.command({"XREVRANGE", stream_key, "+", "-", "COUNT", std::to_string(count)});
  auto entries = parse_entries(r.get());
  std::reverse(entries.begin(), entries.end());
  return entries;
}

std::string last_id(Connection& redis, const std::string& stream_key) {
  auto last = read_last(redis, stream_key, 1);
  return last.empty() ? "0-0" : last.front().id;
}

}  // namespace palabre::redis
