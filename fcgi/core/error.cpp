#include "core/error.hpp"

namespace palabre {

int http_status(Code code) noexcept {
  switch (code) {
    case Code::bad_request:
    case Code::invalid_json:
    case Code::invalid_utf8:
    case Code::invalid_field:
    case Code::text_empty:
    case Code::text_too_long:
    case Code::text_control_chars:
      return 400;
    case Code::name_reserved:
    case Code::unsupported_language:
    case Code::weak_password:
    case Code::unknown_guest:
    case Code::logo_unavailable:
    case Code::invalid_email:
    case Code::contrast_too_low:
      return 422;
    case Code::payload_too_large: return 413;
    case Code::unsupported_media_type: return 415;
    case Code::session_expired:
    case Code::unauthorized:
    case Code::not_joined:
      return 401;
    case Code::forbidden:
    case Code::csrf_failed:
    case Code::banned:
    case Code::timed_out:
      return 403;
    case Code::not_found: return 404;
    case Code::method_not_allowed: return 405;
    case Code::conflict:
    case Code::claimed:
    case Code::already_voted:
    case Code::event_closed:
    case Code::idempotency_in_progress:
      return 409;
    case Code::idempotency_key_reused: return 422;
    case Code::rate_limited:
    case Code::login_throttled:
      return 429;
    case Code::busy:
    case Code::mail_unavailable:
    case Code::store_unavailable:
    case Code::not_replicated:
      return 503;
    case Code::internal_error: return 500;
  }
  return 500;
}

std::string_view code_name(Code code) noexcept {
  switch (code) {
    case Code::bad_request: return "bad_request";
    case Code::invalid_json: return "invalid_json";
    case Code::invalid_utf8: return "invalid_utf8";
    case Code::invalid_field: return "invalid_field";
    case Code::text_empty: return "text_empty";
    case Code::text_too_long: return "text_too_long";
    case Code::text_control_chars: return "text_control_chars";
    case Code::name_reserved: return "name_reserved";
    case Code::unsupported_language: return "unsupported_language";
    case Code::weak_password: return "weak_password";
    case Code::unknown_guest: return "unknown_guest";
    case Code::logo_unavailable: return "logo_unavailable";
    case Code::invalid_email: return "invalid_email";
    case Code::contrast_too_low: return "contrast_too_low";
    case Code::payload_too_large: return "payload_too_large";
    case Code::unsupported_media_type: return "unsupported_media_type";
    case Code::session_expired: return "session_expired";
    case Code::unauthorized: return "unauthorized";
    case Code::forbidden: return "forbidden";
    case Code::csrf_failed: return "csrf_failed";
    case Code::banned: return "banned";
    case Code::timed_out: return "timed_out";
    case Code::not_found: return "not_found";
    case Code::method_not_allowed: return "method_not_allowed";
    case Code::conflict: return "conflict";
    case Code::claimed: return "claimed";
    case Code::already_voted: return "already_voted";
    case Code::event_closed: return "event_closed";
    case Code::not_joined: return "not_joined";
    case Code::rate_limited: return "rate_limited";
    case Code::login_throttled: return "login_throttled";
    case Code::busy: return "busy";
    case Code::mail_unavailable: return "mail_unavailable";
    case Code::idempotency_in_progress: return "idempotency_in_progress";
    case Code::idempotency_key_reused: return "idempotency_key_reused";
    case Code::store_unavailable: return "store_unavailable";
    case Code::not_replicated: return "not_replicated";
    case Code::internal_error: return "internal_error";
  }
  return "internal_error";
}

}  // namespace palabre
