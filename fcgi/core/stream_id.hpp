// Redis stream entry ids ("<ms>-<seq>") as comparable values. Pure value type;
// any thread. Parsing never throws: malformed input yields nullopt.
//
// Ids must compare as (ms, seq) pairs of uint64: comparing the strings would
// put "999-0" after "1000-0".
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace palabre {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  friend constexpr auto operator<=>(const StreamId&, const StreamId&) = default;

  // "<ms>-<seq>", the form Redis returns.
  std::string to_string() const;
};

// Accepts "<ms>-<seq>" and "<ms>" (seq 0, as XRANGE does for a start), so "0"
// is 0-0. Rejects signs, spaces, empty parts and values above UINT64_MAX.
std::optional<StreamId> parse_stream_id(std::string_view text);

}  // namespace palabre
