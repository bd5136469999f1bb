// The phase clock: announces the phase changes that come from the clock
// alone (a debate opens at starts_at, ends at ends_at, stops taking late
// questions) as `phase` frames on the public stream. Changes made by staff
// (PATCH) are announced by the request itself, through the same
// redis::announce_phase, so nothing is announced twice.
//
// One per worker process, on its own thread, with its own Redis and SQL
// connections. Every worker runs one: whichever notices a change first
// announces it, and the Lua script makes the others' attempts no-ops, so a
// change is announced once and within about a second, as long as any worker
// is up. Errors (Redis or SQL down) are logged and retried at the next tick.
//
// The same thread runs the retention purge (schedule/purge.hpp) every
// PALABRE_PURGE_INTERVAL_S (60 s).
//
// And it takes the points of the open debates' timelines for their
// dashboards (domain/stats.hpp, redis::sample_timeline): every worker asks
// at the start of each slot, the first one's point is kept.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/ticker.hpp"
#include "redis/connection.hpp"
#include "store/store.hpp"

namespace palabre::schedule {

class PhaseClock {
 public:
  PhaseClock(const Config& config, const Clock& clock);
  // Its own thread: ticks every second until stop().
  void run();
  // Any thread.
  void stop();

 private:
  void tick();
  // True if this call added the slot's point.
  bool sample_timeline(const store::Event& event, int64_t now_ms);
  // True (and its Redis state removed again) if the debate is no more.
  bool forget_if_deleted(const std::string& event_id);

  const Config& config_;
  const Clock& clock_;
  redis::Connection redis_;
  std::unique_ptr<store::Store> store_;
  // Event id → the phase data this clock last saw announced; saves a Redis
  // round trip per event per second while nothing changes.
  std::unordered_map<std::string, std::string> announced_;
  // Event id → the start of the last timeline slot this clock asked for.
  std::unordered_map<std::string, int64_t> sampled_;
  bool failing_ = false;  // log a failure once, not every second
  int64_t next_purge_ms_ = 0;  // monotonic; the retention purge's next run

  Ticker ticker_;
};

}  // namespace palabre::schedule
