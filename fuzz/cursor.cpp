// Cursors and stream ids, as clients send them back (Last-Event-ID,
// ?last_event_id=, ?after=): core/cursor.hpp and core/stream_id.hpp, checked
// against a reference grammar written here and for round trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/cursor.hpp"
#include "core/stream_id.hpp"

using namespace palabre;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

// 1 or more digits whose value fits in 64 bits.
std::optional<uint64_t> reference_u64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  unsigned __int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > UINT64_MAX) return std::nullopt;
  }
  return static_cast<uint64_t>(v);
}

// "<ms>" or "<ms>-<seq>".
std::optional<StreamId> reference_stream_id(std::string_view s) {
  auto dash = s.find('-');
  auto ms = reference_u64(s.substr(0, dash));
  if (!ms) return std::nullopt;
  if (dash == std::string_view::npos) return StreamId{*ms, 0};
  auto seq = reference_u64(s.substr(dash + 1));
  if (!seq) return std::nullopt;
  return StreamId{*ms, *seq};
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto id = parse_stream_id(text);
  auto ref = reference_stream_id(text);
  check(id.has_value() == ref.has_value());
  if (id) {
    check(*id == *ref);
    check(parse_stream_id(id->to_string()) == id);
  }

  auto cursor = parse_cursor(text);
  if (cursor) {
    check(cursor->epoch.empty() || is_epoch(cursor->epoch));
    if (!cursor->epoch.empty()) {
      std::string again = format_cursor(cursor->epoch, cursor->id.to_string());
      auto back = parse_cursor(again);
      check(back && back->epoch == cursor->epoch && back->id == cursor->id);
    }
    // Every answer is one of the four, and its reason names it.
    for (bool trimmed : {false, true}) {
      StreamBounds b{"e1", StreamId{5, 0}, StreamId{9, 3}, trimmed};
      Resync r = resync_needed(*cursor, b);
      check((r == Resync::None) == resync_reason(r).empty());
    }
  } else {
    check(!text.empty());
  }
  return 0;
}
