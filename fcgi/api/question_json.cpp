#include "api/question_json.hpp"

#include "core/time.hpp"

namespace palabre::api {

void write_staff_json(http::JsonWriter& w, const domain::Question& q) {
  w.start_object();
  w.field("id", q.id);
  w.field("event_id", q.event_id);
  w.field("visitor_id", q.visitor_id);
  w.field("author", q.author);
  w.field("text", q.text);
  if (!q.original_text.empty()) w.field("original_text", q.original_text);
  w.field("lang", q.lang);
  w.field("status", q.status);
  w.field("forwarded", q.forwarded);
  w.field("answered", q.answered);
  w.field("created_at", timefmt::format_rfc3339(q.created_ms));
  w.field("updated_at", timefmt::format_rfc3339(q.updated_ms));
  w.field("reject_reason", q.reject_reason);
  w.end_object();
}

std::string staff_json(const domain::Question& q) {
  http::JsonWriter w;
  write_staff_json(w, q);
  return w.take();
}

std::string message_json(std::string_view id, std::string_view kind, std::string_view author,
                         std::string_view text, std::string_view lang, std::string_view reply_to,
                         int64_t ts_ms) {
  http::JsonWriter w;
  w.start_object();
  w.field("id", id);
  w.field("kind", kind);
  w.field("author", author);
  w.field("text", text);
  w.field("lang", lang);
  w.field_or_null("reply_to", reply_to);
  w.field("ts", timefmt::format_rfc3339(ts_ms));
  w.end_object();
  return w.take();
}

}  // namespace palabre::api
