#include "actions/event_removal.hpp"

#include "core/error.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"

#include <vector>

namespace palabre::actions {
namespace {
constexpr size_t kBatch = 500;

void check(const redis::ReplyPtr& r) {
  if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
}

// DEL in batches; returns how many existed.
size_t delete_keys(redis::Connection& redis, const std::vector<std::string>& names) {
  size_t deleted = 0;
  for (size_t i = 0; i < names.size(); i += kBatch) {
    std::vector<std::string> cmd{"UNLINK"};
    for (size_t j = i; j < names.size() && j < i + kBatch; ++j) cmd.push_back(names[j]);
    redis::ReplyPtr r = redis.command(cmd);
    check(r);
    if (r->type == REDIS_REPLY_INTEGER) deleted += static_cast<size_t>(r->integer);
  }
  return deleted;
}
}  // namespace

size_t remove_event_state(redis::Connection& redis, const std::string& event_id) {
  // Question keys first: their ids are listed in a key of the debate.
  std::vector<std::string> names;
  redis::ReplyPtr qids = redis.command({"ZRANGE", keys::all_questions(event_id), "0", "-1"});
  check(qids);
  if (qids->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < qids->elements; ++i) {
      std::string qid(redis::str(qids->element[i]));
      names.push_back(keys::question(event_id, qid));
      names.push_back(keys::claim(event_id, qid));
      names.push_back(keys::supporters(event_id, qid));
    }
  }
  size_t deleted = delete_keys(redis, names);

  // Frames waiting for their once-a-second slot would write the debate's
  // stream again: its set of them goes with its keys below, and the debate
  // leaves the global lists.
  check(redis.command({"SREM", keys::frames_due_debates(), event_id}));
  check(redis.command({"SREM", keys::audit_pending(), event_id}));

  // Then every key of the debate. Event ids hold no glob characters
  // (domain::is_event_id: a-z, 0-9, '-'), and ':' ends the id, so the
  // pattern matches this debate's keys only.
  const std::string pattern = keys::cat({keys::ev(event_id), ":*"});
  std::string cursor = "0";
  do {
    redis::ReplyPtr page = redis.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    check(page);
    if (page->type != REDIS_REPLY_ARRAY || page->elements != 2)
      throw Error(Code::store_unavailable, "The live store answered SCAN strangely.");
    cursor = std::string(redis::str(page->element[0]));
    std::vector<std::string> found;
    const redisReply* list = page->element[1];
    for (size_t i = 0; i < list->elements; ++i) found.emplace_back(redis::str(list->element[i]));
    deleted += delete_keys(redis, found);
  } while (cursor != "0");
  return deleted;
}

}  // namespace palabre::actions
