// A debate as an iCalendar file (RFC 5545), GET
// /api/events/{id}/calendar.ics: what "Add to my calendar" on the visitor
// page downloads. Pure; any thread.
//
// One VEVENT with the debate's times in UTC, its title, its description
// followed by its address, and a DISPLAY alarm half an hour before the
// start, so that a citizen who saved it is reminded without an account.
// Text is escaped (§3.3.11) and lines are folded at 75 octets (§3.1),
// never inside a UTF-8 sequence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/event.hpp"

namespace palabre::api {

// How long before the start the alarm rings, as an RFC 5545 duration.
inline constexpr std::string_view kCalendarAlarm = "-PT30M";

// `url`: the debate's visitor page (absolute).
std::string calendar_ics(const domain::Event& event, std::string_view url, int64_t now_ms);

// Exposed for the tests: one escaped TEXT value, and one folded line with its CRLF.
std::string ical_text(std::string_view s);
std::string ical_line(std::string_view line);

}  // namespace palabre::api
