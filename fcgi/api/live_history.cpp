#include "api/live_history.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "redis/epoch.hpp"

namespace palabre::api {
namespace {

std::string restore(Context& ctx, const std::string& event_id) {
  std::vector<redis::StreamEntry> entries;
  for (auto& m : ctx.services.sql().archived_messages(event_id))
    entries.push_back({std::move(m.cursor), std::move(m.type), std::move(m.data_json)});
  std::string epoch = redis::restore_epoch(ctx.services.redis, ctx.config(), event_id, entries);
  if (!entries.empty())
    log::warn("restored a debate's public history from the archive into Redis",
              {{"event_id", event_id}, {"entries", std::to_string(entries.size())}, {"epoch", epoch}});
  return epoch;
}

}  // namespace

std::string live_epoch(Context& ctx, const std::string& event_id) {
  if (auto epoch = redis::read_epoch(ctx.services.redis, event_id)) return *epoch;
  return restore(ctx, event_id);
}

StreamBounds live_bounds(Context& ctx, const std::string& event_id, const std::string& stream_key) {
  StreamBounds bounds = redis::stream_bounds(ctx.services.redis, event_id, stream_key);
  if (!bounds.epoch.empty()) return bounds;
  restore(ctx, event_id);
  // Read again: the restore may have rewritten this very stream.
  bounds = redis::stream_bounds(ctx.services.redis, event_id, stream_key);
  if (bounds.epoch.empty())  // flushed again in between: let the client retry
    throw Error(Code::store_unavailable, "The live store lost the debate's data; try again.");
  return bounds;
}

std::string live_cursor(Context& ctx, const std::string& event_id, const std::string& stream_key) {
  StreamBounds b = live_bounds(ctx, event_id, stream_key);
  return format_cursor(b.epoch, b.last.to_string());
}

std::string published_cursor(Context& ctx, const std::string& event_id, const std::string& epoch,
                             const std::string& entry_id) {
  return format_cursor(epoch.empty() ? live_epoch(ctx, event_id) : epoch, entry_id);
}

}  // namespace palabre::api
