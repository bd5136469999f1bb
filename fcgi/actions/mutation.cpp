#include "actions/mutation.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "redis/keys.hpp"

namespace palabre::actions {

void archive_public_entries(const Mutation& m, const std::string& event_id, const redis::Applied& applied) {
  if (applied.replayed) return;  // the first application archived them
  const std::string stream = keys::public_stream(event_id);
  for (const auto& e : applied.entries) {
    if (e.stream_key != stream) continue;
    try {
      m.sql().archive_message({event_id, e.id, e.type, e.data, m.now_ms});
    } catch (const Error& err) {
      log::warn("archive write failed", {{"event_id", event_id}, {"cursor", e.id}, {"error", err.what()}});
    }
  }
}

}  // namespace palabre::actions
