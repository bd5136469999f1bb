#include "actions/questions.hpp"

#include "audit/drain.hpp"
#include "core/error.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"
#include "wire/frames.hpp"

namespace palabre::actions {
namespace {

// A change computed from a version that another moderator's change has
// overtaken is computed again from a fresh read; past this many rounds the
// question is changing faster than anyone could follow.
constexpr int kAttempts = 4;

struct Loaded {
  domain::Question question;
  bool applied_before = false;  // this request's Idempotency-Key already took effect
};

// The question, and in the same round trip whether a first attempt of this
// request was already applied (its result would otherwise be refused by the
// rules: a retried publish finds the question published).
Loaded load(const Mutation& m, const std::string& event_id, const std::string& qid) {
  std::vector<std::vector<std::string>> cmds = {{"HGETALL", keys::question(qid)}};
  if (!m.idempotency_digest.empty()) cmds.push_back({"EXISTS", keys::applied_once(m.idempotency_digest)});
  auto replies = m.redis.pipeline(cmds);
  for (const auto& r : replies)
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
  auto fields = redis::field_pairs(replies[0].get());
  if (fields.empty()) throw Error(Code::not_found, "No such question in this debate.");
  Loaded out{domain::from_fields(fields)};
  if (out.question.event_id != event_id) throw Error(Code::not_found, "No such question in this debate.");
  out.applied_before = replies.size() > 1 && replies[1]->type == REDIS_REPLY_INTEGER && replies[1]->integer == 1;
  return out;
}

// Adds to `b` what `change` does to its question: the record, the queues it
// enters or leaves, the public frame it makes, and the frames that tell the
// staff (and the guest, for a forwarded question) about it.
void stage(redis::Batch& b, const domain::Change& change, int64_t now_ms) {
  const domain::Question& q = change.after;
  const std::string key = keys::question(q.id);
  b.hset(key, domain::to_fields(q));
  if (change.leaves_pending_queue) b.zrem(keys::pending_queue(q.event_id), q.id);
  if (change.guest_queue == domain::GuestQueueMove::add) b.zadd(keys::guest_queue(q.event_id), q.guest_order, q.id);
  if (change.guest_queue == domain::GuestQueueMove::remove) b.zrem(keys::guest_queue(q.event_id), q.id);
  if (change.public_frame == "message") {
    b.append(keys::public_stream(q.event_id), "message", wire::question_message_json(q, now_ms));
    b.hset_last_entry_id(key, "public_cursor");
  } else if (change.public_frame == "retract") {
    b.append(keys::public_stream(q.event_id), "retract", wire::retract_json(q.id));
  }
  const std::string staff = wire::staff_json(q);
  b.append(keys::staff_stream(q.event_id), "question", staff);
  if (q.forwarded) b.append(keys::guest_stream(q.event_id), "question", staff);
}

domain::Question reloaded(const Mutation& m, const std::string& event_id, const std::string& qid) {
  return load(m, event_id, qid).question;
}

}  // namespace

bool ask(const Mutation& m, const domain::Question& question) {
  domain::Question q = question;
  q.version = 1;
  const std::string key = keys::question(q.id);
  redis::Batch b(m.config);
  b.once(m.idempotency_digest).expect_version(key, 0);
  b.hset(key, domain::to_fields(q));
  b.zadd(keys::all_questions(q.event_id), q.created_ms, q.id);
  b.zadd(keys::pending_queue(q.event_id), q.created_ms, q.id);
  b.zadd(keys::visitor_questions(q.event_id, q.visitor_id), q.created_ms, q.id);
  b.append(keys::staff_stream(q.event_id), "question", wire::staff_json(q));
  try {
    return !b.apply(m.redis).replayed;
  } catch (const redis::StaleVersion&) {
    return false;
  }
}

Moderated moderate(const Mutation& m, const std::string& event_id, const std::string& qid, domain::Action action,
                   const domain::ActionInput& input) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Loaded loaded = load(m, event_id, qid);
    if (loaded.applied_before) return {loaded.question, true};
    const domain::Question& q = loaded.question;
    domain::Change change = domain::decide(q, action, input, m.now_ms);

    redis::Batch b(m.config);
    b.once(m.idempotency_digest).expect_version(keys::question(qid), q.version);
    stage(b, change, m.now_ms);
    audit::Line line{m.actor, std::string(domain::action_name(action)), qid, {}, m.now_ms};
    if (action == domain::Action::edit) line.details = {{"before", change.before_text}, {"after", change.after.text}};
    if (action == domain::Action::reject) line.details = {{"reason", input.reason}};
    audit::write(b, event_id, line);
    redis::Applied applied;
    try {
      applied = b.apply(m.redis);
    } catch (const redis::StaleVersion&) {
      continue;
    }
    if (applied.replayed) return {reloaded(m, event_id, qid), true};
    archive_public_entries(m, event_id, applied);
    if (const auto* e = applied.last_on(keys::public_stream(event_id)); e && change.public_frame == "message")
      change.after.public_cursor = e->id;
    return {change.after, false};
  }
  throw Error(Code::conflict, "The question kept changing while this action was applied; look again and retry.");
}

Answered answer(const Mutation& m, const std::string& event_id, const std::string& qid, const std::string& answer_id,
                const std::string& author, const std::string& text) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Loaded loaded = load(m, event_id, qid);
    const domain::Question& q = loaded.question;
    redis::Batch b(m.config);
    // First, so that a replay finds it at the same place whatever the
    // first attempt's other operations were.
    b.read(keys::epoch(event_id));
    b.once(m.idempotency_digest);
    if (!loaded.applied_before) {
      domain::Change change = domain::decide_answer(q, m.now_ms);
      b.expect_version(keys::question(qid), q.version);
      // The question first (if it was only forwarded), then its answer, so
      // that the answer sits under it on every screen.
      stage(b, change, m.now_ms);
      b.append(keys::public_stream(event_id), "message",
               wire::message_json(answer_id, "answer", author, text, q.lang, q.id, m.now_ms));
      audit::write(b, event_id, {m.actor, "answer", qid, {{"answer_id", answer_id}}, m.now_ms});
    }
    redis::Applied applied;
    try {
      applied = b.apply(m.redis);
    } catch (const redis::StaleVersion&) {
      continue;
    }
    const auto* entry = applied.last_on(keys::public_stream(event_id));
    if (!entry) throw Error(Code::store_unavailable, "The live store lost the answer.");
    archive_public_entries(m, event_id, applied);
    return {entry->id, applied.values.empty() ? std::string() : applied.values.front(), applied.replayed};
  }
  throw Error(Code::conflict, "The question kept changing while the answer was published; retry.");
}

}  // namespace palabre::actions
