#include "actions/visitors.hpp"

#include "audit/drain.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/question.hpp"
#include "redis/address_limits.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "redis/reply.hpp"
#include "redis/sessions.hpp"
#include "wire/frames.hpp"

namespace palabre::actions {

void ban(const Mutation& m, const std::string& event_id, const std::string& visitor_id, const std::string& reason,
         bool silent) {
  // The address too, for new visitor ids: clearing cookies does not undo a
  // ban. Other visitors already there (a school, a town hall's Wi-Fi) keep
  // taking part. Set first and alone: it has a lifetime of its own, and
  // setting it twice is harmless. Not for a silent ban: it would show.
  if (!silent) redis::ban_visitor_address(m.redis, event_id, visitor_id, m.config.address_key_rotation_s);
  // A question a moderator decides on meanwhile makes this a new round.
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    redis::Batch b(m.config);
    b.once(m.idempotency_digest);
    b.hset(keys::bans(event_id), {{visitor_id, redis::ban_record({visitor_id, reason, m.now_ms, silent})}});
    b.append(keys::staff_stream(event_id), "ban", wire::ban_json(visitor_id, reason, silent));
    if (silent) {
      // What they asked and nobody decided on yet leaves the queue.
      for (domain::Question q : redis::visitor_questions(m.redis, event_id, visitor_id)) {
        if (!domain::awaits_moderation(q) || q.hidden) continue;
        b.expect_version(keys::question(event_id, q.id), q.version);
        q.hidden = true;
        q.version += 1;
        b.hset(keys::question(event_id, q.id), {{"hidden", "1"}, {"version", std::to_string(q.version)}});
        b.zrem(keys::pending_queue(event_id), q.id);
        b.zrem(keys::guest_queue(event_id), q.id);
        b.append(keys::staff_stream(event_id), "question", wire::staff_json(q));
      }
    }
    audit::write(b, event_id,
                 {m.actor, silent ? "silent_ban" : "ban", visitor_id, {{"reason", reason}}, m.now_ms});
    try {
      b.apply(m.redis);
    } catch (const redis::StaleVersion&) {
      continue;
    }
    if (!silent) redis::close_visitor_streams(m.redis, event_id, visitor_id);
    return;
  }
  throw Error(Code::conflict, "The visitor's questions kept changing while the ban was applied; retry.");
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

int64_t time_out(const Mutation& m, const std::string& event_id, const std::string& visitor_id, int64_t seconds) {
  if (seconds < domain::kMinTimeoutS || seconds > domain::kMaxTimeoutS)
    throw Error(Code::invalid_field, "Field 'seconds' must be between 10 and 86400.");
  const int64_t until = m.now_ms + seconds * 1000;
  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  b.set_with_ttl(keys::timeout(event_id, visitor_id), std::to_string(until), seconds * 1000);
  b.append(keys::staff_stream(event_id), "timeout", wire::timeout_json(visitor_id, until));
  audit::write(b, event_id,
               {m.actor, "timeout", visitor_id, {{"until", timefmt::format_rfc3339(until)}}, m.now_ms});
  b.apply(m.redis);
  return until;
}

void lift_time_out(const Mutation& m, const std::string& event_id, const std::string& visitor_id) {
  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  b.require(keys::timeout(event_id, visitor_id), "This visitor is not timed out.");
  b.del(keys::timeout(event_id, visitor_id));
  b.append(keys::staff_stream(event_id), "timeout", wire::timeout_json(visitor_id, 0));
  audit::write(b, event_id, {m.actor, "lift_timeout", visitor_id, {}, m.now_ms});
  b.apply(m.redis);
}

namespace {
domain::Controls controls_of(const redisReply* r) {
  domain::Controls c;
  for (const auto& [field, value] : redis::field_pairs(r)) {
    if (field == "slow_mode_s") c.slow_mode_s = std::atoi(value.c_str());
    else if (field == "shield") c.shield = value == "1";
  }
  return c;
}
}  // namespace

domain::Controls controls(redis::Connection& redis, const std::string& event_id) {
  redis::ReplyPtr r = redis.command({"HGETALL", keys::controls(event_id)});
  if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
  return controls_of(r.get());
}

Standing standing(redis::Connection& redis, const std::string& event_id, const std::string& visitor_id) {
  auto replies = redis.pipeline({{"HGET", keys::bans(event_id), visitor_id},
                                 {"GET", keys::timeout(event_id, visitor_id)},
                                 {"HGETALL", keys::controls(event_id)}});
  for (const auto& r : replies)
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
  Standing s;
  if (!redis::is_nil(replies[0].get())) s.ban = redis::parse_ban(visitor_id, std::string(redis::str(replies[0].get())));
  if (!redis::is_nil(replies[1].get())) s.timed_out_until_ms = std::atoll(std::string(redis::str(replies[1].get())).c_str());
  s.controls = controls_of(replies[2].get());
  return s;
}

domain::Controls set_controls(const Mutation& m, const std::string& event_id, std::optional<int> slow_mode_s,
                              std::optional<bool> shield) {
  domain::Controls c = controls(m.redis, event_id);
  if (slow_mode_s) {
    if (*slow_mode_s < 0 || *slow_mode_s > domain::kMaxSlowModeS)
      throw Error(Code::invalid_field, "Field 'slow_mode_s' must be between 0 (off) and 3600.");
    c.slow_mode_s = *slow_mode_s;
  }
  if (shield) c.shield = *shield;
  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  b.hset(keys::controls(event_id), {{"slow_mode_s", std::to_string(c.slow_mode_s)}, {"shield", c.shield ? "1" : "0"}});
  const std::string frame = wire::controls_json(c);
  b.append(keys::public_stream(event_id), "controls", frame);
  b.append(keys::staff_stream(event_id), "controls", frame);
  audit::write(b, event_id,
               {m.actor, "controls", event_id,
                {{"slow_mode_s", std::to_string(c.slow_mode_s)}, {"shield", c.shield ? "on" : "off"}}, m.now_ms});
  b.apply(m.redis);
  return c;
}

}  // namespace palabre::actions
