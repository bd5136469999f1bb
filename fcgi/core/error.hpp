// The one error type of the API. Handlers on accept threads throw it; http/
// catches it once and writes {"error":{"code","message"}} with the status from
// http_status(). Names of Code are the API's snake_case codes (shared/API.md).
// The hub thread never throws: it uses Io (below) like nginx's NGX_AGAIN.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace palabre {

enum class Code {
  bad_request,
  invalid_json,
  invalid_utf8,
  invalid_field,
  text_empty,
  text_too_long,
  text_control_chars,     // NUL, C0/C1 controls other than newline and tab
  name_reserved,          // a pseudonym that passes for staff or a guest
  unsupported_language,   // a question in a language the debate does not offer
  weak_password,          // too short, too long, or a common password
  unknown_guest,          // a guest invite labelled with no guest of the debate
  logo_unavailable,       // branding.logo_url could not be fetched as a PNG, JPEG, GIF or WebP image
  mail_unavailable,       // e-mail reminders asked for while the site sends no mail (no PALABRE_SMTP_URL)
  invalid_email,          // a reminder's address that is not of the form name@example.org (domain/mail_address.hpp)
  contrast_too_low,       // a brand colour under white text below WCAG AA's 4.5:1
  payload_too_large,
  unsupported_media_type, // a mutation without Content-Type: application/json
  unauthorized,
  forbidden,
  session_expired,        // a staff session past its idle or absolute limit
  csrf_failed,
  banned,
  timed_out,              // a visitor kept from posting for a while
  not_found,
  method_not_allowed,
  conflict,
  claimed,                // another moderator holds the question's claim
  already_voted,          // a visitor's second vote on a poll
  event_closed,
  not_joined,
  rate_limited,
  login_throttled,        // too many failed sign-ins for a login or an address
  busy,                   // a bounded resource (password hashing) is full
  idempotency_in_progress,
  idempotency_key_reused,
  store_unavailable,
  not_replicated,         // saved on the Redis master, but too few replicas have it yet (api/replication)
  internal_error,
};

class Error : public std::runtime_error {
 public:
  Error(Code code, std::string message) : std::runtime_error(message), code_(code) {}
  Code code() const noexcept { return code_; }
  // Seconds for Retry-After (rate_limited, idempotency_in_progress); 0: none.
  int retry_after = 0;
  // More string fields of the error object, for a client to act on (e.g.
  // "claimed_by" with Code::claimed).
  std::vector<std::pair<std::string, std::string>> details;

 private:
  Code code_;
};

// The single table mapping codes to HTTP statuses and wire names.
int http_status(Code code) noexcept;
std::string_view code_name(Code code) noexcept;

inline std::ostream& operator<<(std::ostream& os, Code code) { return os << code_name(code); }

// Result of a non-blocking operation on the hub thread.
enum class Io { Done, Again, Closed };

}  // namespace palabre
