#include "api/notify.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "redis/phase.hpp"
#include "wire/frames.hpp"

namespace palabre::api {

void announce_phase_change(Context& ctx, const domain::Event& event) {
  std::string data = wire::phase_json(event, ctx.now_ms());
  redis::PhaseFrame frame = redis::announce_phase(ctx.services.redis, ctx.config(), event.id, data);
  if (frame.cursor.empty()) return;
  // The Redis stream already holds the frame and every stream has it; a
  // failed archive write must not turn a delivered change into an error.
  try {
    ctx.services.sql().archive_message({event.id, frame.cursor, "phase", data, ctx.now_ms()});
  } catch (const Error& e) {
    log::warn("archive write failed", {{"event_id", event.id}, {"cursor", frame.cursor}, {"error", e.what()}});
  }
}

}  // namespace palabre::api
