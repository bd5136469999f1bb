// GET /api/events/{id}/calendar.ics (api/calendar.hpp).
#include "api/calendar.hpp"

#include "api/context.hpp"
#include "api/identity.hpp"
#include "core/time.hpp"

namespace palabre::api {

std::string ical_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') { out += '\\'; out += c; }
    else if (c == '\n') out += "\\n";
    else if (c != '\r') out += c;
  }
  return out;
}

std::string ical_line(std::string_view line) {
  std::string out;
  size_t col = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    // Fold only at the start of a UTF-8 sequence, before the whole
    // sequence would pass 75 octets (CRLF not counted; a continuation's
    // leading space is).
    if ((c & 0xC0) != 0x80) {
      size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (col + len > 75) {
        out += "\r\n ";
        col = 1;
      }
    }
    out += line[i];
    ++col;
  }
  return out + "\r\n";
}

std::string calendar_ics(const domain::Event& e, std::string_view url, int64_t now_ms) {
  std::string u(url);
  std::string body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Palabre//Palabre//EN\r\nCALSCALE:GREGORIAN\r\n"
                     "BEGIN:VEVENT\r\n";
  body += ical_line("UID:" + e.id + "@palabre");
  body += ical_line("DTSTAMP:" + timefmt::format_ical(now_ms));
  body += ical_line("DTSTART:" + timefmt::format_ical(e.starts_at_ms));
  body += ical_line("DTEND:" + timefmt::format_ical(e.ends_at_ms));
  body += ical_line("SUMMARY:" + ical_text(e.title));
  if (!e.description.empty()) body += ical_line("DESCRIPTION:" + ical_text(e.description + "\n" + u));
  body += ical_line("URL:" + u);
  // RFC 5545 §3.6.6: a DISPLAY alarm needs ACTION, TRIGGER and DESCRIPTION.
  // The trigger is relative to DTSTART, so it follows a changed start.
  body += "BEGIN:VALARM\r\nACTION:DISPLAY\r\n";
  body += ical_line("TRIGGER:" + std::string(kCalendarAlarm));
  body += ical_line("DESCRIPTION:" + ical_text(e.title));
  body += "END:VALARM\r\n";
  body += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  return body;
}

namespace {

http::Response calendar(Context& ctx) {
  store::Event e = load_event(ctx, ctx.param("id"));
  http::Response r = http::Response::text("text/calendar; charset=utf-8",
                                          calendar_ics(e, ctx.req.base_url() + "e/" + e.id, ctx.now_ms()));
  r.with_header("Content-Disposition", "attachment; filename=\"" + e.id + ".ics\"");
  r.with_header("Cache-Control", "public, max-age=300");
  return r;
}

}  // namespace

void register_calendar_routes(Router& router) {
  router.add("GET", "/api/events/{id}/calendar.ics", Access::public_, calendar);
}

}  // namespace palabre::api
