// The dashboard's figures: GET /api/events/{id}/stats (admin, the debate's
// moderators). What each number means is in domain/stats.hpp; where the
// watcher counts and the timeline come from, in redis/stats.hpp and
// hub/watchers.cpp. Read at most once a second per debate and worker (a
// dashboard refreshes every few seconds, and a debate may have 5,000
// questions to count), so a figure may be a second old.
#include <map>
#include <mutex>

#include "api/context.hpp"
#include "api/identity.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"
#include "http/json.hpp"
#include "redis/stats.hpp"

namespace palabre::api {
namespace {

constexpr int64_t kFreshMs = 1000;
// Debates whose figures are kept; beyond it the copies are dropped.
constexpr size_t kCachedDebates = 256;

struct Cached {
  int64_t read_mono_ms = 0;
  redis::DebateStats stats;
};

// Shared by the accept threads of this worker.
std::mutex cache_mutex;
std::map<std::string, Cached, std::less<>> cache;

redis::DebateStats read_fresh(Context& ctx, const std::string& event_id) {
  const int64_t now = monotonic_ms();
  {
    std::lock_guard lock(cache_mutex);
    auto it = cache.find(event_id);
    if (it != cache.end() && now - it->second.read_mono_ms < kFreshMs) return it->second.stats;
  }
  // Read outside the lock: two threads may both read, which is harmless.
  redis::DebateStats stats = redis::read_stats(ctx.services.redis, event_id);
  std::lock_guard lock(cache_mutex);
  if (cache.size() >= kCachedDebates) cache.clear();
  cache[event_id] = Cached{now, stats};
  return stats;
}

void write_counts(http::JsonWriter& w, const std::map<std::string, int64_t>& counts) {
  w.start_object();
  for (const auto& [k, n] : counts) w.field(k, n);
  w.end_object();
}

http::Response stats(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const redis::DebateStats s = read_fresh(ctx, event_id);
  const domain::QuestionCounts& q = s.questions;
  http::JsonWriter w;
  w.start_object();
  w.field("event_id", event_id);
  w.field("watchers_now", s.watchers_now);
  w.field("watchers_peak", s.watchers_peak);
  w.key("questions");
  w.start_object();
  w.field("received", q.received);
  w.field("pending", q.pending);
  w.field("published", q.published);
  w.field("rejected", q.rejected);
  w.field("answered", q.answered);
  w.field("retracted", q.retracted);
  w.field("hidden", q.hidden);
  w.key("by_lang");
  write_counts(w, q.by_lang);
  w.key("by_reason");
  write_counts(w, q.by_reason);
  w.end_object();
  w.key("timeline");
  w.start_array();
  for (const auto& p : s.timeline) {
    w.start_object();
    w.field("t", timefmt::format_rfc3339(p.t_ms));
    w.field("watchers", p.watchers);
    w.field("questions", p.questions);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  http::Response r = http::Response::json(200, w.take());
  r.with_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void register_stats_routes(Router& router) {
  router.add("GET", "/api/events/{id}/stats", Access::moderator, stats);
}

}  // namespace palabre::api
