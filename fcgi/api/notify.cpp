#include "api/notify.hpp"

#include "api/question_json.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "redis/keys.hpp"
#include "redis/phase.hpp"
#include "redis/questions.hpp"
#include "redis/streams.hpp"

namespace palabre::api {

domain::Question announce_question_change(Context& ctx, const std::string& qid) {
  auto q = redis::load_question(ctx.services.redis, qid);
  if (!q) throw Error(Code::not_found, "No such question.");
  std::string data = api::staff_json(*q);
  redis::publish(ctx.services.redis, ctx.config(), keys::staff_stream(q->event_id), "question", data);
  if (q->forwarded)
    redis::publish(ctx.services.redis, ctx.config(), keys::guest_stream(q->event_id), "question", data);
  return *q;
}

void archive_public(Context& ctx, const std::string& event_id, const std::string& cursor,
                    const std::string& type, const std::string& data) {
  // The Redis stream already holds the frame and every stream has it; a
  // failed archive write must not turn a delivered publish into an error.
  try {
    ctx.services.sql().archive_message({event_id, cursor, type, data, ctx.now_ms()});
  } catch (const Error& e) {
    log::warn("archive write failed", {{"event_id", event_id}, {"cursor", cursor}, {"error", e.what()}});
  }
}

void announce_phase_change(Context& ctx, const domain::Event& event) {
  std::string data = redis::phase_data(event, ctx.now_ms());
  redis::PhaseFrame frame = redis::announce_phase(ctx.services.redis, ctx.config(), event.id, data);
  if (!frame.cursor.empty()) archive_public(ctx, event.id, frame.cursor, "phase", data);
}

domain::Question load_event_question(Context& ctx, const std::string& event_id, const std::string& qid) {
  auto q = redis::load_question(ctx.services.redis, qid);
  if (!q || q->event_id != event_id) throw Error(Code::not_found, "No such question in this debate.");
  return *q;
}

}  // namespace palabre::api
