// IANA time zone names ("Europe/Paris") as organisers choose them for the
// times their pages show. The browser formats the times (Intl), so the
// worker only checks that the name is one the system's tz database knows:
// a name Intl does not know would break the page's dates.
#pragma once

#include <string_view>

namespace palabre::tz {

inline constexpr std::string_view kDefaultTimeZone = "Europe/Paris";

// True for a zone of the tz database (a file under /usr/share/zoneinfo, as
// Debian's tzdata installs it), "UTC" included. Without that directory, any
// well-formed name is accepted.
bool is_known_time_zone(std::string_view name);

}  // namespace palabre::tz
