// A client's position in one debate's stream, as the API hands it out (SSE
// `id:`, long-poll `cursor`, the queue's `cursor`): "<epoch>.<stream id>".
//
// The epoch names one life of the debate's Redis data (keys::epoch). When
// Redis loses its data it gets a new epoch, so a cursor from before cannot be
// mistaken for a position in the new stream. Pure value code; any thread.
//
// When a cursor cannot be honoured the stream says so with a `reset` frame
// and sends the whole history again (api/streams.cpp) instead of leaving a
// silent gap: see resync_needed() for when.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/stream_id.hpp"

namespace palabre {

struct Cursor {
  std::string epoch;  // empty: a bare stream id (older clients) or no cursor
  StreamId id;
};

// Accepts "", "0" (from the start), "<ms>-<seq>" and "<epoch>.<ms>-<seq>"
// where the epoch is 1 to 32 of [a-z0-9]. nullopt for anything else.
std::optional<Cursor> parse_cursor(std::string_view text);
std::string format_cursor(std::string_view epoch, std::string_view stream_id);
bool is_epoch(std::string_view text);

// What the stream holds now (redis/epoch.hpp reads it).
struct StreamBounds {
  std::string epoch;
  StreamId first;        // 0-0 when empty
  StreamId last;         // 0-0 when empty
  bool trimmed = false;  // entries were dropped from its start (MAXLEN)
};

enum class Resync {
  None,     // resume after the cursor
  Epoch,    // the cursor belongs to another life of the data
  Ahead,    // the cursor is newer than anything the stream has
  Expired,  // what follows the cursor was trimmed away
};

Resync resync_needed(const Cursor& cursor, const StreamBounds& bounds);
// "epoch", "ahead", "expired" (the `reason` of the reset frame).
std::string_view resync_reason(Resync r);

}  // namespace palabre
