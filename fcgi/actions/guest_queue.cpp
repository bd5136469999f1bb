#include "actions/guest_queue.hpp"

#include <algorithm>
#include <set>

#include "audit/drain.hpp"
#include "core/error.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"
#include "wire/frames.hpp"

namespace palabre::actions {

GuestQueue guest_queue(redis::Connection& redis, const std::string& event_id) {
  auto replies = redis.pipeline({{"ZRANGE", keys::guest_queue(event_id), "0", "-1"}, {"GET", keys::guest_now(event_id)}});
  for (const auto& r : replies)
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
  GuestQueue q;
  const redisReply* ids = replies[0].get();
  if (ids->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < ids->elements; ++i) q.order.emplace_back(redis::str(ids->element[i]));
  std::string now(redis::str(replies[1].get()));
  if (std::find(q.order.begin(), q.order.end(), now) != q.order.end()) q.now = std::move(now);
  return q;
}

GuestQueue arrange_guest_queue(const Mutation& m, const std::string& event_id, const std::vector<std::string>& order,
                               const std::optional<std::string>& now) {
  GuestQueue current = guest_queue(m.redis, event_id);
  auto queued = [&](const std::string& id) {
    return std::find(current.order.begin(), current.order.end(), id) != current.order.end();
  };
  std::set<std::string> seen;
  for (const auto& id : order) {
    if (!seen.insert(id).second) throw Error(Code::invalid_field, "Field 'order' names a question twice.");
    if (!queued(id)) throw Error(Code::conflict, "Question " + id + " is not in the guest's queue (any more).");
  }
  if (now && !now->empty() && !queued(*now))
    throw Error(Code::conflict, "Question " + *now + " is not in the guest's queue (any more).");

  GuestQueue next;
  next.order = order;
  for (const auto& id : current.order)
    if (!seen.count(id)) next.order.push_back(id);
  next.now = now ? *now : current.now;

  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  const std::string queue_key = keys::guest_queue(event_id);
  // Positions 1, 2, …: a question forwarded later (scored with its time)
  // comes after them. XX: one answered meanwhile is not put back.
  for (size_t i = 0; i < next.order.size(); ++i) b.zmove(queue_key, static_cast<int64_t>(i + 1), next.order[i]);
  if (next.now.empty()) b.del(keys::guest_now(event_id));
  else b.set_with_ttl(keys::guest_now(event_id), next.now, 7LL * 24 * 3600 * 1000);
  const std::string frame = wire::queue_json(next.order, next.now);
  b.append(keys::guest_stream(event_id), "queue", frame);
  b.append(keys::staff_stream(event_id), "queue", frame);
  audit::write(b, event_id, {m.actor, "arrange_guest_queue", event_id, {{"now", next.now}}, m.now_ms});
  b.apply(m.redis);
  return next;
}

}  // namespace palabre::actions
