#include "redis/sessions.hpp"

#include <rapidjson/document.h>

#include <map>
#include <vector>

#include "core/error.hpp"
#include "http/json.hpp"
#include "redis/address_limits.hpp"
#include "redis/keys.hpp"
#include "wire/fanout.hpp"

namespace palabre::redis {
namespace {
std::map<std::string, std::string> hash_of(const redisReply* r) {
  auto pairs = field_pairs(r);
  return {pairs.begin(), pairs.end()};
}

void save_hash(Connection& redis, const std::string& key,
               const std::vector<std::pair<std::string, std::string>>& fields, int ttl) {
  std::vector<std::string> hset = {"HSET", key};
  for (auto& [k, v] : fields) {
    hset.push_back(k);
    hset.push_back(v);
  }
  auto replies = redis.pipeline({{"MULTI"}, {"DEL", key}, hset, {"EXPIRE", key, std::to_string(ttl)}, {"EXEC"}});
  if (is_nil(replies.back().get()) || is_error(replies.back().get()))
    throw Error(Code::store_unavailable, "The session could not be stored.");
}
}  // namespace

void save_visitor_session(Connection& redis, const std::string& token_hash, const VisitorSession& s,
                          int ttl_seconds) {
  save_hash(redis, keys::visitor_session(s.event_id, token_hash),
            {{"visitor_id", s.visitor_id}, {"event_id", s.event_id}, {"name", s.name}, {"lang", s.lang},
             {"csrf", s.csrf}},
            ttl_seconds);
}

std::optional<VisitorSession> load_visitor_session(Connection& redis, const std::string& event_id,
                                                    const std::string& token_hash) {
  ReplyPtr r = redis.command({"HGETALL", keys::visitor_session(event_id, token_hash)});
  auto h = hash_of(r.get());
  if (h["visitor_id"].empty()) return std::nullopt;
  return VisitorSession{h["visitor_id"], h["event_id"], h["name"], h["lang"], h["csrf"]};
}

std::string ban_record(const Ban& ban) {
  http::JsonWriter w;
  w.start_object();
  w.field("reason", ban.reason);
  w.field("at_ms", ban.at_ms);
  if (ban.silent) w.field("silent", true);
  w.end_object();
  return w.take();
}

Ban parse_ban(std::string visitor_id, const std::string& json) {
  Ban b;
  b.visitor_id = std::move(visitor_id);
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.IsObject()) {
    if (d.HasMember("reason") && d["reason"].IsString()) b.reason = d["reason"].GetString();
    if (d.HasMember("at_ms") && d["at_ms"].IsInt64()) b.at_ms = d["at_ms"].GetInt64();
    if (d.HasMember("silent") && d["silent"].IsBool()) b.silent = d["silent"].GetBool();
  }
  return b;
}

std::optional<Ban> find_ban(Connection& redis, const std::string& event_id, const std::string& visitor_id) {
  ReplyPtr r = redis.command({"HGET", keys::bans(event_id), visitor_id});
  if (is_nil(r.get()) || is_error(r.get())) return std::nullopt;
  return parse_ban(visitor_id, std::string(str(r.get())));
}

bool remove_ban(Connection& redis, const std::string& event_id, const std::string& visitor_id) {
  ReplyPtr r = redis.command({"HDEL", keys::bans(event_id), visitor_id});
  return r && r->type == REDIS_REPLY_INTEGER && r->integer > 0;
}

bool is_banned(Connection& redis, const std::string& event_id, const std::string& visitor_id) {
  auto ban = find_ban(redis, event_id, visitor_id);
  return ban && !ban->silent;
}

std::vector<Ban> list_bans(Connection& redis, const std::string& event_id) {
  ReplyPtr r = redis.command({"HGETALL", keys::bans(event_id)});
  std::vector<Ban> out;
  for (auto& [visitor, json] : hash_of(r.get())) out.push_back(parse_ban(visitor, json));
  return out;
}

int take_question_slot(Connection& redis, const std::string& event_id, const std::string& visitor_id,
                       int per_window, int window_s) {
  return take_slot(redis, keys::rate(event_id, visitor_id), per_window, window_s);
}

void close_visitor_streams(Connection& redis, const std::string& event_id, const std::string& visitor_id) {
  redis.command({"PUBLISH", keys::fanout_channel(), wire::encode_close_visitor(event_id, visitor_id)});
}

}  // namespace palabre::redis
