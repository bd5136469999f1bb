#include "redis/questions.hpp"

#include "core/error.hpp"
#include "redis/keys.hpp"

namespace palabre::redis {
namespace {
std::vector<std::string> ids_of(const redisReply* r) {
  std::vector<std::string> ids;
  if (r && r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < r->elements; ++i) ids.emplace_back(str(r->element[i]));
  return ids;
}
}  // namespace

std::optional<domain::Question> load_question(Connection& redis, const std::string& event_id, const std::string& qid) {
  auto all = load_questions(redis, event_id, {qid});
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<domain::Question> load_questions(Connection& redis, const std::string& event_id,
                                             const std::vector<std::string>& ids) {
  // Each question's record and its supporters' count, in one round trip.
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(2 * ids.size());
  for (const auto& id : ids) {
    cmds.push_back({"HGETALL", keys::question(event_id, id)});
    cmds.push_back({"SCARD", keys::supporters(event_id, id)});
  }
  std::vector<domain::Question> out;
  if (cmds.empty()) return out;
  auto replies = redis.pipeline(cmds);
  for (size_t i = 0; i + 1 < replies.size(); i += 2) {
    const redisReply* r = replies[i].get();
    if (!r || r->type != REDIS_REPLY_ARRAY || r->elements == 0) continue;
    domain::Question q = domain::from_fields(field_pairs(r));
    if (const redisReply* n = replies[i + 1].get(); n && n->type == REDIS_REPLY_INTEGER) q.supports = n->integer;
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<domain::Question> event_questions(Connection& redis, const std::string& event_id) {
  ReplyPtr r = redis.command({"ZRANGE", keys::all_questions(event_id), "0", "-1"});
  return load_questions(redis, event_id, ids_of(r.get()));
}

std::vector<std::optional<domain::Claim>> load_claims(Connection& redis, const std::string& event_id,
                                                    const std::vector<std::string>& ids) {
  std::vector<std::optional<domain::Claim>> out(ids.size());
  if (ids.empty()) return out;
  std::vector<std::string> mget = {"MGET"};
  for (const auto& id : ids) mget.push_back(keys::claim(event_id, id));
  ReplyPtr r = redis.command(mget);
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != ids.size()) return out;
  for (size_t i = 0; i < ids.size(); ++i)
    if (!is_nil(r->element[i])) out[i] = domain::parse_claim(str(r->element[i]));
  return out;
}

std::vector<domain::Question> visitor_questions(Connection& redis, const std::string& event_id,
                                                const std::string& visitor_id) {
  ReplyPtr r = redis.command({"ZRANGE", keys::visitor_questions(event_id, visitor_id), "0", "-1"});
  return load_questions(redis, event_id, ids_of(r.get()));
}

}  // namespace palabre::redis
