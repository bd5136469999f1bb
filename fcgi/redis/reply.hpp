// Owner of a hiredis reply. Freeing a reply frees its children, so element
// pointers borrowed from an array live as long as the top-level ReplyPtr.
#pragma once

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace palabre::redis {

struct ReplyFree {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

inline std::string_view str(const redisReply* r) {
  return (r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
                r->type == REDIS_REPLY_ERROR))
             ? std::string_view(r->str, r->len)
             : std::string_view{};
}
// The field/value pairs of an HGETALL reply (empty for anything else).
inline std::vector<std::pair<std::string, std::string>> field_pairs(const redisReply* r) {
  std::vector<std::pair<std::string, std::string>> out;
  if (r && r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i + 1 < r->elements; i += 2) out.emplace_back(str(r->element[i]), str(r->element[i + 1]));
  return out;
}
inline bool is_nil(const redisReply* r) { return !r || r->type == REDIS_REPLY_NIL; }
inline bool is_error(const redisReply* r) { return r && r->type == REDIS_REPLY_ERROR; }

}  // namespace palabre::redis
