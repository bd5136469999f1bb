#include "core/cursor.hpp"

namespace palabre {

bool is_epoch(std::string_view text) {
  if (text.empty() || text.size() > 32) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::optional<Cursor> parse_cursor(std::string_view text) {
  Cursor c;
  if (text.empty()) return c;
  std::string_view id = text;
  if (auto dot = text.find('.'); dot != std::string_view::npos) {
    if (!is_epoch(text.substr(0, dot))) return std::nullopt;
    c.epoch = std::string(text.substr(0, dot));
    id = text.substr(dot + 1);
  }
  auto parsed = parse_stream_id(id);
  if (!parsed) return std::nullopt;
  c.id = *parsed;
  return c;
}

std::string format_cursor(std::string_view epoch, std::string_view stream_id) {
  std::string out;
  out.reserve(epoch.size() + 1 + stream_id.size());
  out.append(epoch).append(1, '.').append(stream_id);
  return out;
}

Resync resync_needed(const Cursor& cursor, const StreamBounds& bounds) {
  const StreamId start{};
  // A new reader starts from the beginning, unless the stream no longer has it.
  if (cursor.epoch.empty() && cursor.id == start) return bounds.trimmed ? Resync::Expired : Resync::None;
  if (!cursor.epoch.empty() && cursor.epoch != bounds.epoch) return Resync::Epoch;
  if (cursor.id > bounds.last) return Resync::Ahead;
  if (bounds.trimmed && cursor.id < bounds.first) return Resync::Expired;
  return Resync::None;
}

std::string_view resync_reason(Resync r) {
  switch (r) {
    case Resync::Epoch: return "epoch";
    case Resync::Ahead: return "ahead";
    case Resync::Expired: return "expired";
    case Resync::None: break;
  }
  return "";
}

}  // namespace palabre
