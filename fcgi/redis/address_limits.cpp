#include "redis/address_limits.hpp"

#include "redis/keys.hpp"

namespace palabre::redis {

int take_slot(Connection& redis, const std::string& key, int per_window, int window_s) {
  auto replies = redis.pipeline({{"INCR", key}, {"EXPIRE", key, std::to_string(window_s), "NX"}, {"TTL", key}});
  long long count = replies[0] && replies[0]->type == REDIS_REPLY_INTEGER ? replies[0]->integer : 0;
  // Redis < 7 has no EXPIRE NX: fall back to setting the TTL on the first hit.
  if (is_error(replies[1].get()) && count == 1) redis.command({"EXPIRE", key, std::to_string(window_s)});
  long long ttl = replies[2] && replies[2]->type == REDIS_REPLY_INTEGER ? replies[2]->integer : window_s;
  if (ttl < 0) {
    redis.command({"EXPIRE", key, std::to_string(window_s)});
    ttl = window_s;
  }
  if (count > per_window) return static_cast<int>(ttl > 0 ? ttl : 1);
  return 0;
}

void remember_visitor_address(Connection& redis, const std::string& event_id, const std::string& visitor_id,
                              const std::string& address_hash, int ttl_s) {
  redis.command({"SET", keys::visitor_address(event_id, visitor_id), address_hash, "EX", std::to_string(ttl_s)});
}

void ban_visitor_address(Connection& redis, const std::string& event_id, const std::string& visitor_id,
                         int ttl_s) {
  ReplyPtr seen = redis.command({"GET", keys::visitor_address(event_id, visitor_id)});
  std::string_view hash = str(seen.get());
  if (hash.empty()) return;
  redis.command({"SET", keys::banned_address(event_id, hash), visitor_id, "EX", std::to_string(ttl_s)});
}

void unban_visitor_address(Connection& redis, const std::string& event_id, const std::string& visitor_id) {
  ReplyPtr seen = redis.command({"GET", keys::visitor_address(event_id, visitor_id)});
  std::string_view hash = str(seen.get());
  if (hash.empty()) return;
  // Only this visitor's ban: another banned visitor may share the address.
  redis.script("unban_address", {keys::banned_address(event_id, hash)}, {visitor_id});
}

bool is_address_banned(Connection& redis, const std::string& event_id, const std::string& address_hash) {
  ReplyPtr r = redis.command({"EXISTS", keys::banned_address(event_id, address_hash)});
  return r && r->type == REDIS_REPLY_INTEGER && r->integer == 1;
}

}  // namespace palabre::redis
