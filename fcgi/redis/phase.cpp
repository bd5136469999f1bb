#include "redis/phase.hpp"

#include "core/error.hpp"
#include "redis/keys.hpp"
#include "redis/streams.hpp"

namespace palabre::redis {

PhaseFrame announce_phase(Connection& redis, const Config& config, const std::string& event_id,
                          const std::string& data) {
  ReplyPtr r = redis.script("phase", {keys::event_phase(event_id), keys::public_stream(event_id)},
                            {data, std::to_string(config.history_max_entries)});
  if (!r || is_error(r.get())) throw Error(Code::store_unavailable, "The live store refused the phase change.");
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) return {};  // nil: nothing changed
  std::string id(str(r->element[0]));
  announce_entry(redis, keys::public_stream(event_id), id, str(r->element[1]), "phase", data);
  count_published();
  return {id, data};
}

}  // namespace palabre::redis
