// One mail as the SMTP client sends it (RFC 5322 + MIME), written by hand:
// a UTF-8 text part in quoted-printable (no 8BITMIME needed on the way), an
// optional attachment in base64 (multipart/mixed), the subject as RFC 2047
// encoded words, and the headers every Palabre mail carries: Date,
// Message-ID, Auto-Submitted (no auto-replies) and the one-click
// unsubscribe of RFC 8058 (List-Unsubscribe + List-Unsubscribe-Post).
// Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace palabre::mail {

struct Attachment {
  std::string content_type;  // e.g. "text/calendar; charset=utf-8"
  std::string filename;      // ASCII
  std::string bytes;
};

struct Message {
  std::string from;  // bare addresses, checked by the caller (no CR, LF, <, >)
  std::string to;
  std::string subject;  // UTF-8
  std::string text;     // UTF-8, lines ended by \n
  std::string unsubscribe_url;  // https://…, ASCII
  int64_t date_ms = 0;
  std::optional<Attachment> attachment;
};

// The whole message with CRLF line ends. `unique` makes the Message-ID and
// the MIME boundary (random, from the caller).
std::string render(const Message& message, std::string_view unique);

// Exposed for the tests.
std::string encoded_words(std::string_view utf8);          // "=?UTF-8?B?…?=", folded
std::string quoted_printable(std::string_view utf8_text);  // CRLF lines, at most 76 octets each
std::string rfc5322_date(int64_t unix_ms);                 // "Sun, 06 Dec 2026 07:28:36 +0000"

}  // namespace palabre::mail
