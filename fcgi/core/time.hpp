// RFC 3339 timestamps <-> Unix milliseconds. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace palabre::timefmt {

// Accepts "2026-11-23T18:00:00Z", with optional fraction and a +hh:mm/-hh:mm
// offset. nullopt for anything else.
std::optional<int64_t> parse_rfc3339(std::string_view s);
// "2026-11-23T18:00:00Z" (UTC, second precision).
std::string format_rfc3339(int64_t unix_ms);
// "20261123T180000Z" for iCalendar.
std::string format_ical(int64_t unix_ms);

}  // namespace palabre::timefmt
