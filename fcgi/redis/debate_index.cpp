#include "redis/debate_index.hpp"

#include "core/error.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {
int64_t integer_of(Connection& redis, const std::vector<std::string>& command) {
  ReplyPtr r = redis.command(command);
  if (!r || r->type != REDIS_REPLY_INTEGER) throw Error(Code::store_unavailable, "The live store did not answer.");
  return r->integer;
}
}  // namespace

void list_debate(Connection& redis, const std::string& index_key, const std::string& event_id) {
  integer_of(redis, {"SADD", index_key, event_id});
}

void list_debate_later(Connection& redis, const std::string& index_key, const std::string& event_id) {
  redis.command_later({"SADD", index_key, event_id});
}

bool unlist_if_empty(Connection& redis, const std::string& index_key, const std::string& event_id,
                     const std::vector<std::string>& size) {
  if (integer_of(redis, size) != 0) return false;
  integer_of(redis, {"SREM", index_key, event_id});
  if (integer_of(redis, size) == 0) return true;
  list_debate(redis, index_key, event_id);
  return false;
}

}  // namespace palabre::redis
