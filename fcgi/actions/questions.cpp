#include "actions/questions.hpp"

#include "audit/drain.hpp"
#include "core/error.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"
#include "wire/frames.hpp"

namespace palabre::actions {
namespace {

struct Loaded {
  domain::Question question;
  bool applied_before = false;  // this request's Idempotency-Key already took effect
  std::optional<domain::Claim> claim;  // a moderator's, if one holds it
};

// The question, and in the same round trip whether a first attempt of this
// request was already applied (its result would otherwise be refused by the
// rules: a retried publish finds the question published).
Loaded load(const Mutation& m, const std::string& event_id, const std::string& qid) {
  std::vector<std::vector<std::string>> cmds = {
      {"HGETALL", keys::question(event_id, qid)}, {"GET", keys::claim(event_id, qid)}, {"SCARD", keys::supporters(event_id, qid)}};
  if (!m.idempotency_digest.empty()) cmds.push_back({"EXISTS", keys::applied_once(event_id, m.idempotency_digest)});
  auto replies = m.redis.pipeline(cmds);
  for (const auto& r : replies)
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
  auto fields = redis::field_pairs(replies[0].get());
  if (fields.empty()) throw Error(Code::not_found, "No such question in this debate.");
  Loaded out{domain::from_fields(fields)};
  if (out.question.event_id != event_id) throw Error(Code::not_found, "No such question in this debate.");
  if (!redis::is_nil(replies[1].get())) out.claim = domain::parse_claim(redis::str(replies[1].get()));
  if (replies[2]->type == REDIS_REPLY_INTEGER) out.question.supports = replies[2]->integer;
  out.applied_before = replies.size() > 3 && replies[3]->type == REDIS_REPLY_INTEGER && replies[3]->integer == 1;
  return out;
}

// Adds to `b` what `change` does to its question: the record, the queues it
// enters or leaves, the public frame it makes, and the frames that tell the
// staff (and the guest, for a forwarded question) about it, with the claim
// that stays on it (null: none).
void stage(redis::Batch& b, const domain::Change& change, int64_t now_ms, const domain::Claim* claim) {
  const domain::Question& q = change.after;
  const std::string key = keys::question(q.event_id, q.id);
  b.hset(key, domain::to_fields(q));
  if (change.leaves_pending_queue) b.zrem(keys::pending_queue(q.event_id), q.id);
  if (change.guest_queue == domain::GuestQueueMove::add) b.zadd(keys::guest_queue(q.event_id), q.guest_order, q.id);
  if (change.guest_queue == domain::GuestQueueMove::remove) {
    b.zrem(keys::guest_queue(q.event_id), q.id);
    b.del_if_equal(keys::guest_now(q.event_id), q.id);
  }
  if (change.public_frame == "message") {
    b.append(keys::public_stream(q.event_id), "message", wire::question_message_json(q, now_ms));
    b.hset_last_entry_id(key, "public_cursor");
  } else if (change.public_frame == "retract") {
    b.append(keys::public_stream(q.event_id), "retract", wire::retract_json(q.id));
  }
  b.append(keys::staff_stream(q.event_id), "question", wire::staff_json(q, claim));
  if (q.forwarded) b.append(keys::guest_stream(q.event_id), "question", wire::staff_json(q));
}

// The claim as the acting moderator leaves it: theirs stays while they go
// on editing; anything that decides the question ends it.
const domain::Claim* claim_after(const Mutation& m, const Loaded& loaded, bool keeps) {
  if (!keeps || !loaded.claim || loaded.claim->holder != m.holder) return nullptr;
  return &*loaded.claim;
}

}  // namespace

bool ask(const Mutation& m, const domain::Question& question) {
  domain::Question q = question;
  q.version = 1;
  const std::string key = keys::question(q.event_id, q.id);
  redis::Batch b(m.config);
  b.once(m.idempotency_digest).expect_version(key, 0);
  b.hset(key, domain::to_fields(q));
  b.zadd(keys::all_questions(q.event_id), q.created_ms, q.id);
  b.zadd(keys::visitor_questions(q.event_id, q.visitor_id), q.created_ms, q.id);
  // A hidden question (a silent ban) is its author's only: no queue, no frame.
  if (!q.hidden) {
    b.zadd(keys::pending_queue(q.event_id), q.created_ms, q.id);
    b.append(keys::staff_stream(q.event_id), "question", wire::staff_json(q));
  }
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
    if (loaded.applied_before) return {loaded.question, loaded.claim, true};
    const domain::Question& q = loaded.question;
    domain::Change change = domain::decide(q, action, input, m.now_ms);

    redis::Batch b(m.config);
    b.once(m.idempotency_digest).expect_version(keys::question(event_id, qid), q.version);
    // Another moderator's claim makes this one wait (409 claimed).
    if (!m.holder.empty()) b.claimed_by_none_or(keys::claim(event_id, qid), m.holder);
    const bool keeps_claim = action == domain::Action::edit;
    if (!keeps_claim) b.del(keys::claim(event_id, qid));
    stage(b, change, m.now_ms, claim_after(m, loaded, keeps_claim));
    audit::Line line{m.actor, std::string(domain::action_name(action)), qid, {}, m.now_ms};
    if (action == domain::Action::edit) line.details = {{"before", change.before_text}, {"after", change.after.text}};
    if (action == domain::Action::reject)
      line.details = {{"reason", std::string(domain::reject_reason_name(input.reason))}, {"note", input.note}};
    audit::write(b, event_id, line);
    redis::Applied applied;
    try {
      applied = b.apply(m.redis);
    } catch (const redis::StaleVersion&) {
      continue;
    }
    if (applied.replayed) {
      Loaded now = load(m, event_id, qid);
      return {now.question, now.claim, true};
    }
    archive_public_entries(m, event_id, applied);
    if (const auto* e = applied.last_on(keys::public_stream(event_id)); e && change.public_frame == "message")
      change.after.public_cursor = e->id;
    const domain::Claim* kept = claim_after(m, loaded, keeps_claim);
    return {change.after, kept ? std::optional<domain::Claim>(*kept) : std::nullopt, false};
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
      b.expect_version(keys::question(event_id, qid), q.version);
      // The question first (if it was only forwarded), then its answer, so
      // that the answer sits under it on every screen. A moderator's claim
      // does not hold the guest back, and ends with the answer.
      b.del(keys::claim(event_id, qid));
      stage(b, change, m.now_ms, nullptr);
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

Merged merge(const Mutation& m, const std::string& event_id, const std::string& source_qid,
             const std::string& target_qid) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Loaded source = load(m, event_id, source_qid);
    if (source.applied_before) return {load(m, event_id, target_qid).question, source.question, true};
    Loaded target = load(m, event_id, target_qid);
    domain::Merge merge = domain::decide_merge(source.question, target.question, m.now_ms);

    redis::Batch b(m.config);
    b.once(m.idempotency_digest);
    b.expect_version(keys::question(event_id, source_qid), source.question.version);
    b.expect_version(keys::question(event_id, target_qid), target.question.version);
    if (!m.holder.empty()) {
      b.claimed_by_none_or(keys::claim(event_id, source_qid), m.holder);
      b.claimed_by_none_or(keys::claim(event_id, target_qid), m.holder);
    }
    b.del(keys::claim(event_id, source_qid));
    stage(b, merge.source, m.now_ms, nullptr);
    stage(b, merge.target, m.now_ms, claim_after(m, target, true));
    audit::write(b, event_id, {m.actor, "merge", source_qid, {{"into", target_qid}}, m.now_ms});
    redis::Applied applied;
    try {
      applied = b.apply(m.redis);
    } catch (const redis::StaleVersion&) {
      continue;
    }
    if (applied.replayed) return {load(m, event_id, target_qid).question, load(m, event_id, source_qid).question, true};
    return {merge.target.after, merge.source.after, false};
  }
  throw Error(Code::conflict, "The questions kept changing while they were merged; look again and retry.");
}

domain::Claim claim(const Mutation& m, const std::string& event_id, const std::string& qid) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Loaded loaded = load(m, event_id, qid);
    const domain::Question& q = loaded.question;
    if (!domain::awaits_moderation(q) && !domain::in_guest_queue(q))
      throw Error(Code::conflict, "The question is " + std::string(domain::status_name(q.status)) +
                                      "; there is nothing left to do with it.");
    domain::Claim c{m.holder, m.holder_label, m.now_ms + domain::kClaimMs};
    redis::Batch b(m.config);
    b.expect_version(keys::question(event_id, qid), q.version).claimed_by_none_or(keys::claim(event_id, qid), m.holder);
    b.set_with_ttl(keys::claim(event_id, qid), domain::claim_value(c), domain::kClaimMs);
    b.append(keys::staff_stream(event_id), "question", wire::staff_json(q, &c));
    try {
      b.apply(m.redis);
    } catch (const redis::StaleVersion&) {
      continue;
    }
    return c;
  }
  throw Error(Code::conflict, "The question kept changing; look again and retry.");
}

void release(const Mutation& m, const std::string& event_id, const std::string& qid) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Loaded loaded = load(m, event_id, qid);
    if (!loaded.claim || loaded.claim->holder != m.holder) return;  // not theirs (any more): nothing to do
    redis::Batch b(m.config);
    b.expect_version(keys::question(event_id, qid), loaded.question.version).claimed_by_none_or(keys::claim(event_id, qid), m.holder);
    b.del(keys::claim(event_id, qid));
    b.append(keys::staff_stream(event_id), "question", wire::staff_json(loaded.question));
    try {
      b.apply(m.redis);
      return;
    } catch (const redis::StaleVersion&) {
      continue;
    }
  }
  throw Error(Code::conflict, "The question kept changing; look again and retry.");
}

}  // namespace palabre::actions
