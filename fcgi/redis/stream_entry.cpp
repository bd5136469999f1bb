#include "redis/stream_entry.hpp"

#include "redis/reply.hpp"

#include <string_view>

namespace palabre::redis {
std::optional<EntryView> xrange_entry(const redisReply* element) {
  if (element == nullptr || element->type != REDIS_REPLY_ARRAY || element->elements != 2)
    return std::nullopt;
  std::string_view id_text = str(element->element[0]);
  auto id = parse_stream_id(id_text);
  if (!id) return std::nullopt;
  EntryView entry{*id, id_text, {}, {}};
  const redisReply* fields = element->element[1];
  if (fields != nullptr && fields->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
      std::string_view name = str(fields->element[i]);
      if (name == "t")
        entry.type = str(fields->element[i + 1]);
      else if (name == "d")
        entry.data = str(fields->element[i + 1]);
    }
  }
  return entry;
}

}  // namespace palabre::redis
