// The CGI headers of an open stream, the same whichever way it was opened
// (an accept thread through libfcgi, or the hub's door).
#pragma once

namespace palabre::hub {

inline constexpr const char* kSseHeaders =
    "Status: 200 OK\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\n"
    "Cache-Control: no-cache, no-store\r\n"
    "X-Accel-Buffering: no\r\n\r\n";
inline constexpr const char* kLongPollHeaders =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Cache-Control: no-store\r\n"
    "X-Accel-Buffering: no\r\n\r\n";

// A long-poll parked by the door writes nothing until its answer, and then
// these headers, the length and the body in one record: nginx reads the
// whole response at once and sends it with a Content-Length (no chunks, no
// separate header write). Followed by "<length>\r\n\r\n<body>".
inline constexpr const char* kLongPollAnswerHeaders =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Cache-Control: no-store\r\n"
    "Content-Length: ";

}  // namespace palabre::hub
