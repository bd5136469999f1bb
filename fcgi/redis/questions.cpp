#include "redis/questions.hpp"

#include "core/error.hpp"
#include "redis/keys.hpp"
#include "redis/streams.hpp"

namespace palabre::redis {
namespace {
std::vector<std::string> ids_of(const redisReply* r) {
  std::vector<std::string> ids;
  if (r && r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < r->elements; ++i) ids.emplace_back(str(r->element[i]));
  return ids;
}
}  // namespace

void save_new_question(Connection& redis, const domain::Question& q) {
  std::vector<std::string> args = {std::to_string(q.created_ms), q.id};
  for (auto& [k, v] : domain::to_fields(q)) {
    args.push_back(k);
    args.push_back(v);
  }
  ReplyPtr r = redis.script("new_question",
                            {keys::question(q.id), keys::all_questions(q.event_id), keys::pending_queue(q.event_id),
                             keys::visitor_questions(q.event_id, q.visitor_id)},
                            args);
  if (!r || is_error(r.get()) || r->type != REDIS_REPLY_INTEGER)
    throw Error(Code::store_unavailable, "The question could not be stored.");
}

std::optional<domain::Question> load_question(Connection& redis, const std::string& qid) {
  ReplyPtr r = redis.command({"HGETALL", keys::question(qid)});
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements == 0) return std::nullopt;
  return domain::from_fields(field_pairs(r.get()));
}

std::vector<domain::Question> load_questions(Connection& redis, const std::vector<std::string>& ids) {
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(ids.size());
  for (const auto& id : ids) cmds.push_back({"HGETALL", keys::question(id)});
  std::vector<domain::Question> out;
  if (cmds.empty()) return out;
  for (auto& r : redis.pipeline(cmds)) {
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements > 0) out.push_back(domain::from_fields(field_pairs(r.get())));
  }
  return out;
}

std::vector<domain::Question> event_questions(Connection& redis, const std::string& event_id) {
  ReplyPtr r = redis.command({"ZRANGE", keys::all_questions(event_id), "0", "-1"});
  return load_questions(redis, ids_of(r.get()));
}

std::vector<domain::Question> visitor_questions(Connection& redis, const std::string& event_id,
                                                const std::string& visitor_id) {
  ReplyPtr r = redis.command({"ZRANGE", keys::visitor_questions(event_id, visitor_id), "0", "-1"});
  return load_questions(redis, ids_of(r.get()));
}

TransitionResult transition(Connection& redis, const Config& config, const domain::Question& q,
                            std::string_view allowed_from, std::string_view new_status,
                            std::string_view public_type, std::string_view public_data,
                            const domain::Fields& set_fields) {
  std::vector<std::string> args = {std::string(allowed_from), std::string(new_status),
                                   std::string(public_type),  std::string(public_data),
                                   std::to_string(config.history_max_entries)};
  for (const auto& [k, v] : set_fields) {
    args.push_back(k);
    args.push_back(v);
  }
  ReplyPtr r = redis.script(
      "transition", {keys::question(q.id), keys::pending_queue(q.event_id), keys::public_stream(q.event_id)},
      args);
  if (is_error(r.get())) {
    std::string_view err = str(r.get());
    if (err.rfind("NOTFOUND", 0) == 0) throw Error(Code::not_found, "No such question.");
    if (err.rfind("CONFLICT", 0) == 0) {
      std::string status(err.substr(err.find(' ') + 1));
      throw Error(Code::conflict, "The question is " + status + "; this action does not apply.");
    }
    throw Error(Code::store_unavailable, "The live store refused the change.");
  }
  TransitionResult result;
  if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 3) {
    result.previous_status = std::string(str(r->element[0]));
    result.public_cursor = std::string(str(r->element[1]));
    if (!result.public_cursor.empty()) {
      announce_entry(redis, keys::public_stream(q.event_id), result.public_cursor, str(r->element[2]),
                     public_type, public_data);
      count_published();
    }
  }
  return result;
}

void set_guest_queue_position(Connection& redis, const std::string& event_id, const std::string& qid,
                              int64_t order) {
  redis.command({"ZADD", keys::guest_queue(event_id), std::to_string(order), qid});
}

void remove_from_guest_queue(Connection& redis, const std::string& event_id, const std::string& qid) {
  redis.command({"ZREM", keys::guest_queue(event_id), qid});
}

}  // namespace palabre::redis
