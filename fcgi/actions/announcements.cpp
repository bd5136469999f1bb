#include "actions/announcements.hpp"

#include "audit/drain.hpp"
#include "core/error.hpp"
#include "redis/keys.hpp"
#include "wire/frames.hpp"

namespace palabre::actions {

Announced announce(const Mutation& m, const std::string& event_id, const std::string& id, const std::string& text,
                   const std::string& lang) {
  redis::Batch b(m.config);
  b.read(keys::epoch(event_id));
  b.once(m.idempotency_digest);
  b.append(keys::public_stream(event_id), "message",
           wire::message_json(id, "announcement", "moderation", text, lang, "", m.now_ms));
  audit::write(b, event_id, {m.actor, "announce", id, {}, m.now_ms});
  redis::Applied applied = b.apply(m.redis);
  const auto* entry = applied.last_on(keys::public_stream(event_id));
  if (!entry) throw Error(Code::store_unavailable, "The live store lost the announcement.");
  archive_public_entries(m, event_id, applied);
  return {entry->id, applied.values.empty() ? std::string() : applied.values.front(), applied.replayed};
}

}  // namespace palabre::actions
