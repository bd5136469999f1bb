#include "schedule/phase_clock.hpp"

#include <chrono>

#include "actions/audience.hpp"
#include "actions/event_removal.hpp"
#include "audit/drain.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "domain/event.hpp"
#include "domain/stats.hpp"
#include "redis/phase.hpp"
#include "redis/stats.hpp"
#include "schedule/purge.hpp"
#include "wire/frames.hpp"

namespace palabre::schedule {
namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
// Events are read newest first; older ones closed long ago.
constexpr int kEventsPerTick = 500;
}  // namespace

PhaseClock::PhaseClock(const Config& config, const Clock& clock)
    : config_(config), clock_(clock), redis_(config) {}

void PhaseClock::run() {
  ticker_.run([this] { tick(); });
}

void PhaseClock::stop() {
  ticker_.stop();
}

// Once per slot and debate from this worker; the script keeps one point
// per slot whichever worker comes first.
bool PhaseClock::sample_timeline(const store::Event& event, int64_t now_ms) {
  int64_t slot = domain::timeline_slot_ms(domain::phase_of(event, now_ms));
  if (slot == 0) return false;
  int64_t start = domain::slot_start(now_ms, slot);
  int64_t& asked = sampled_[event.id];
  if (asked == start) return false;
  bool added = redis::sample_timeline(redis_, event.id, start);
  asked = start;
  return added;
}

// The list of debates was read before this tick wrote to Redis: a debate
// deleted in between (DELETE /api/events/{id} removes SQL first, then
// Redis) would get keys back that nothing ever removes. Checked after the
// write, so whichever order the two go in, nothing is left.
bool PhaseClock::forget_if_deleted(const std::string& event_id) {
  if (store_->get_event(event_id)) return false;
  actions::remove_event_state(redis_, event_id);
  announced_.erase(event_id);
  sampled_.erase(event_id);
  return true;
}

void PhaseClock::tick() {
  try {
    if (!store_) store_ = store::open(config_);
    int64_t now = clock_.now_ms();
    for (const auto& event : store_->list_events(kEventsPerTick)) {
      // A day after its last phase change an event has nothing left to announce.
      if (event.ends_at_ms + (event.late_questions_days + 1) * kDayMs < now) continue;
      bool wrote = sample_timeline(event, now);
      std::string data = wire::phase_json(event, now);
      auto seen = announced_.find(event.id);
      if (seen != announced_.end() && seen->second == data) {
        if (wrote) forget_if_deleted(event.id);
        continue;
      }
      redis::PhaseFrame frame = redis::announce_phase(redis_, config_, event.id, data);
      redis_.send_later();  // no response to wait for here
      if (forget_if_deleted(event.id)) continue;
      if (!frame.cursor.empty()) {
        store_->archive_message({event.id, frame.cursor, "phase", data, now});
        log::info("phase announced", {{"event_id", event.id}, {"cursor", frame.cursor}});
      }
      announced_[event.id] = data;
    }
    // Audit entries that actions wrote to Redis, into SQL (audit/drain.hpp).
    audit::drain_pending(redis_, *store_);
    // Count frames (supports, poll results) held back to one a second.
    if (actions::send_due_frames(redis_, config_) > 0) redis_.send_later();
    // The retention purge, every purge_interval_s (schedule/purge.hpp).
    if (monotonic_ms() >= next_purge_ms_) {
      next_purge_ms_ = monotonic_ms() + config_.purge_interval_s * 1000LL;
      run_purge(redis_, *store_, config_, now);
    }
    // What this tick's writes left for after a response (Batch's repeated
    // listings): there is none to wait for here.
    redis_.send_later();
    if (failing_) log::info("phase clock recovered");
    failing_ = false;
  } catch (const Error& e) {
    if (e.code() == Code::store_unavailable) store_.reset();
    if (!failing_) log::warn("phase clock failed; retrying every second", {{"error", e.what()}});
    failing_ = true;
  }
}

}  // namespace palabre::schedule
