#include "actions/visitors.hpp"

#include "audit/drain.hpp"
#include "redis/address_limits.hpp"
#include "redis/keys.hpp"
#include "redis/sessions.hpp"
#include "wire/frames.hpp"

namespace palabre::actions {

void ban(const Mutation& m, const std::string& event_id, const std::string& visitor_id, const std::string& reason) {
  // The address too, for new visitor ids: clearing cookies does not undo a
  // ban. Other visitors already there (a school, a town hall's Wi-Fi) keep
  // taking part. Set first and alone: it has a lifetime of its own, and
  // setting it twice is harmless.
  redis::ban_visitor_address(m.redis, event_id, visitor_id, m.config.address_key_rotation_s);
  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  b.hset(keys::bans(event_id), {{visitor_id, redis::ban_record({visitor_id, reason, m.now_ms})}});
  b.append(keys::staff_stream(event_id), "ban", wire::ban_json(visitor_id, reason));
  audit::write(b, event_id, {m.actor, "ban", visitor_id, {{"reason", reason}}, m.now_ms});
  b.apply(m.redis);
  redis::close_visitor_streams(m.redis, event_id, visitor_id);
}

void unban(const Mutation& m, const std::string& event_id, const std::string& visitor_id) {
  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  b.require_field(keys::bans(event_id), visitor_id, "This visitor is not banned.");
  b.hdel(keys::bans(event_id), visitor_id);
  audit::write(b, event_id, {m.actor, "unban", visitor_id, {}, m.now_ms});
  b.apply(m.redis);
  redis::unban_visitor_address(m.redis, event_id, visitor_id);
}

}  // namespace palabre::actions
