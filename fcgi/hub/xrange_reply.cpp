#include "hub/xrange_reply.hpp"

#include <string_view>

namespace palabre::hub {
namespace {

std::string_view text(const redisReply* r) {
  if (r == nullptr || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) return {};
  return {r->str, r->len};
}

}  // namespace

std::optional<RawEntry> xrange_entry(const redisReply* element) {
  if (element == nullptr || element->type != REDIS_REPLY_ARRAY || element->elements != 2)
    return std::nullopt;
  std::string_view id_text = text(element->element[0]);
  auto id = parse_stream_id(id_text);
  if (!id) return std::nullopt;
  RawEntry entry{*id, id_text, {}, {}};
  const redisReply* fields = element->element[1];
  if (fields != nullptr && fields->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
      std::string_view name = text(fields->element[i]);
      if (name == "t")
        entry.type = text(fields->element[i + 1]);
      else if (name == "d")
        entry.data = text(fields->element[i + 1]);
    }
  }
  return entry;
}

}  // namespace palabre::hub
