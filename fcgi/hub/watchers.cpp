// This worker's share of each debate's watchers, for the dashboard
// (GET /api/events/{id}/stats, domain/stats.hpp): every kWatchersEveryMs the
// hub counts the readers of each public stream it follows (open SSE streams
// and parked long-polls) and sends the count to Redis on its own async
// connection (scripts/watchers.lua), which also adds up every worker's
// share and raises the peak. A mirror kept without readers sends 0 until it
// expires; after that the share lapses by itself (kWatchersHoldMs), as does
// the share of a worker that was killed. Hub thread only; never blocks: a
// reply is not waited for, and a count not sent (Redis away) is sent at the
// next round.
#include "core/embedded.hpp"
#include "hub/hub_core.hpp"
#include "redis/keys.hpp"

namespace palabre::hub {

void HubCore::publish_watchers(int64_t now_ms) {
  if (now_ms < next_watchers_ms_ || !commands_.ready()) return;
  next_watchers_ms_ = now_ms + kWatchersEveryMs;
  static const std::string kScript(embedded::file("fcgi/redis/scripts/watchers.lua"));
  const std::string hold = std::to_string(kWatchersHoldMs);
  for (const auto& [key, f] : followed_) {
    std::string_view event_id = keys::event_of_public_stream(key);
    if (event_id.empty()) continue;
    commands_.command({"EVAL", kScript, "2", keys::watchers(event_id), keys::watchers_peak(event_id),
                       watcher_token_, std::to_string(f->readers.size()), hold},
                      [](redisReply*) {});
  }
}

}  // namespace palabre::hub
