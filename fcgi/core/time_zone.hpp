// IANA time zone names ("Europe/Paris") as organisers choose them for the
// times their pages show. The browser formats the times (Intl), so the
// worker only checks that the name is one the system's tz database knows:
// a name Intl does not know would break the page's dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace palabre::tz {

inline constexpr std::string_view kDefaultTimeZone = "Europe/Paris";

// True for a zone of the tz database (a file under /usr/share/zoneinfo, as
// Debian's tzdata installs it), "UTC" included. Without that directory, any
// well-formed name is accepted.
bool is_known_time_zone(std::string_view name);

// The offset from UTC, in seconds, of zone `name` at `unix_s`, from its
// tz database file (TZif, read once per zone and kept): the pages the
// worker writes itself show a debate's times on its own clock, whatever the
// process's TZ. nullopt for a zone the system does not have, or an instant
// past the file's last transition that its footer rule would decide (Debian
// ships "fat" files, with transitions to 2037): the caller falls back on
// the process's local time then.
std::optional<int32_t> utc_offset_s(std::string_view name, int64_t unix_s);

}  // namespace palabre::tz
