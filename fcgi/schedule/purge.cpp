#include "schedule/purge.hpp"

#include <atomic>

#include "audit/drain.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "domain/retention.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "redis/reply.hpp"

namespace palabre::schedule {
namespace {
std::atomic<uint64_t> g_purged{0};
constexpr int kEventsPerRun = 100000;
constexpr int kLockS = 50;
// Audit actions whose details may hold texts never published.
const std::vector<std::string> kAuditActions = {"edit", "reject", "ban", "silent_ban", "merge"};

PurgeReport purge_event(redis::Connection& redis, store::Store& store, const store::Event& e) {
  PurgeReport report;
  std::vector<std::vector<std::string>> cmds;
  for (const auto& q : redis::event_questions(redis, e.id)) {
    // Who supported a question names visitors: the count has been shown.
    cmds.push_back({"DEL", keys::supporters(e.id, q.id)});
    if (!domain::never_public(q)) continue;
    cmds.push_back({"DEL", keys::question(e.id, q.id)});
    cmds.push_back({"ZREM", keys::all_questions(e.id), q.id});
    cmds.push_back({"ZREM", keys::pending_queue(e.id), q.id});
    cmds.push_back({"ZREM", keys::guest_queue(e.id), q.id});
    cmds.push_back({"ZREM", keys::visitor_questions(e.id, q.visitor_id), q.id});
    ++report.questions;
  }
  // Who voted on a poll names visitors; its results name nobody and stay.
  redis::ReplyPtr polls = redis.command({"ZRANGE", keys::polls(e.id), "0", "-1"});
  if (polls && polls->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < polls->elements; ++i)
      cmds.push_back({"DEL", keys::poll_voters(e.id, std::string(redis::str(polls->element[i])))});
  cmds.push_back({"DEL", keys::staff_stream(e.id), keys::guest_stream(e.id), keys::bans(e.id)});
  auto replies = redis.pipeline(cmds);
  for (const auto& r : replies)
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The purge could not delete.");
  const auto& last = replies.back();
  if (last->type == REDIS_REPLY_INTEGER) report.streams = static_cast<int>(last->integer);
  audit::drain(redis, store, e.id);
  report.audit_entries = store.blank_audit_details(e.id, kAuditActions);
  // Recorded last: a purge interrupted before this point runs again.
  redis.command({"SET", keys::purged(e.id), std::to_string(domain::closed_at_ms(e))});
  return report;
}
}  // namespace

uint64_t purged_total() { return g_purged.load(std::memory_order_relaxed); }

PurgeReport run_purge(redis::Connection& redis, store::Store& store, const Config& config, int64_t now_ms) {
  PurgeReport total;
  std::vector<store::Event> due;
  for (auto& e : store.list_events(kEventsPerRun))
    if (domain::purge_due(e, now_ms, config.retention_days)) due.push_back(std::move(e));
  if (due.empty()) return total;
  // Which of them were already purged for this closing.
  std::vector<std::vector<std::string>> gets;
  for (const auto& e : due) gets.push_back({"GET", keys::purged(e.id)});
  auto done = redis.pipeline(gets);
  std::vector<const store::Event*> todo;
  for (size_t i = 0; i < due.size(); ++i) {
    if (!done[i] || redis::is_error(done[i].get())) throw Error(Code::store_unavailable, "Redis did not answer.");
    if (redis::str(done[i].get()) != std::to_string(domain::closed_at_ms(due[i]))) todo.push_back(&due[i]);
  }
  if (todo.empty()) return total;
  redis::ReplyPtr lock = redis.command({"SET", keys::purge_lock(), "1", "NX", "EX", std::to_string(kLockS)});
  if (!lock || lock->type != REDIS_REPLY_STATUS) return total;  // another worker is purging
  for (const store::Event* e : todo) {
    PurgeReport r = purge_event(redis, store, *e);
    ++total.events;
    total.questions += r.questions;
    total.streams += r.streams;
    total.audit_entries += r.audit_entries;
    g_purged.fetch_add(static_cast<uint64_t>(r.questions + r.streams + r.audit_entries), std::memory_order_relaxed);
    log::info("retention purge", {{"event_id", e->id},
                                  {"questions", std::to_string(r.questions)},
                                  {"streams", std::to_string(r.streams)},
                                  {"audit_entries", std::to_string(r.audit_entries)},
                                  {"retention_days", std::to_string(config.retention_days)}});
  }
  redis.command({"DEL", keys::purge_lock()});
  return total;
}

}  // namespace palabre::schedule
