#include "redis/staff_sessions.hpp"

#include <cstdlib>
#include <map>
#include <utility>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "redis/keys.hpp"
#include "wire/fanout.hpp"

namespace palabre::redis::staff {
namespace {
std::string login_index(const std::string& login) { return keys::staff_sessions_of(ids::sha256_hex(login)); }
}  // namespace

void save(Connection& redis, const std::string& token_hash, const Session& s, int ttl_seconds) {
  const std::string key = keys::staff_session(token_hash);
  std::vector<std::string> hset = {"HSET", key,
                                   "role", s.role,
                                   "event_id", s.event_id,
                                   "login", s.login,
                                   "csrf", s.csrf,
                                   "invite_id", s.invite_id,
                                   "label", s.label,
                                   "created_ms", std::to_string(s.created_ms),
                                   "last_seen_ms", std::to_string(s.last_seen_ms),
                                   "absolute_end_ms", std::to_string(s.absolute_end_ms)};
  auto replies =
      redis.pipeline({{"MULTI"}, {"DEL", key}, hset, {"EXPIRE", key, std::to_string(ttl_seconds)}, {"EXEC"}});
  if (is_nil(replies.back().get()) || is_error(replies.back().get()))
    throw Error(Code::store_unavailable, "The session could not be stored.");
}

std::optional<Session> load(Connection& redis, const std::string& token_hash) {
  ReplyPtr r = redis.command({"HGETALL", keys::staff_session(token_hash)});
  auto pairs = field_pairs(r.get());
  std::map<std::string, std::string> h(pairs.begin(), pairs.end());
  if (h["role"].empty()) return std::nullopt;
  auto number = [&](const char* field) -> int64_t {
    const std::string& v = h[field];
    return v.empty() ? 0 : std::strtoll(v.c_str(), nullptr, 10);
  };
  Session s;
  s.role = h["role"];
  s.event_id = h["event_id"];
  s.login = h["login"];
  s.csrf = h["csrf"];
  s.invite_id = h["invite_id"];
  s.label = h["label"];
  s.created_ms = number("created_ms");
  s.last_seen_ms = number("last_seen_ms");
  s.absolute_end_ms = number("absolute_end_ms");
  return s;
}

void remove(Connection& redis, const std::string& token_hash) {
  redis.command({"DEL", keys::staff_session(token_hash)});
}

void refresh(Connection& redis, const std::string& token_hash, int64_t last_seen_ms, int ttl_seconds) {
  const std::string key = keys::staff_session(token_hash);
  redis.pipeline({{"HSET", key, "last_seen_ms", std::to_string(last_seen_ms)},
                  {"EXPIRE", key, std::to_string(ttl_seconds)}});
}

void index_for_login(Connection& redis, const std::string& login, const std::string& token_hash,
                     int ttl_seconds) {
  const std::string key = login_index(login);
  redis.pipeline({{"SADD", key, token_hash}, {"EXPIRE", key, std::to_string(ttl_seconds)}});
}

void unindex_for_login(Connection& redis, const std::string& login, const std::string& token_hash) {
  redis.command({"SREM", login_index(login), token_hash});
}

std::vector<std::pair<std::string, Session>> list_of_login(Connection& redis, const std::string& login) {
  const std::string key = login_index(login);
  ReplyPtr members = redis.command({"SMEMBERS", key});
  std::vector<std::pair<std::string, Session>> out;
  if (!members || members->type != REDIS_REPLY_ARRAY) return out;
  std::vector<std::string> gone;
  // An admin has a handful of sessions: one round trip each is fine.
  for (size_t i = 0; i < members->elements; ++i) {
    std::string hash(str(members->element[i]));
    if (auto s = load(redis, hash))
      out.emplace_back(hash, std::move(*s));
    else
      gone.push_back(std::move(hash));
  }
  if (!gone.empty()) {
    std::vector<std::string> srem = {"SREM", key};
    srem.insert(srem.end(), gone.begin(), gone.end());
    redis.command(srem);
  }
  return out;
}

std::vector<std::string> remove_all_of_login(Connection& redis, const std::string& login) {
  const std::string key = login_index(login);
  ReplyPtr members = redis.command({"SMEMBERS", key});
  std::vector<std::string> hashes;
  if (members && members->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < members->elements; ++i) hashes.emplace_back(str(members->element[i]));
  }
  std::vector<std::vector<std::string>> commands;
  for (const auto& h : hashes) commands.push_back({"DEL", keys::staff_session(h)});
  commands.push_back({"DEL", key});
  redis.pipeline(commands);
  return hashes;
}

void close_streams(Connection& redis, const std::string& kind, const std::string& value) {
  redis.command({"PUBLISH", keys::fanout_channel(), wire::encode_close_staff(kind, value)});
}

}  // namespace palabre::redis::staff
