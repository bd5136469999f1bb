#include "wire/frames.hpp"

#include "core/time.hpp"

namespace palabre::wire {
namespace {

void write_ids(http::JsonWriter& w, const std::vector<std::string>& ids) {
  w.key("ids");
  w.start_array();
  for (const auto& id : ids) w.string(id);
  w.end_array();
}

}  // namespace

void write_staff_json(http::JsonWriter& w, const domain::Question& q, const domain::Claim* claim) {
  w.start_object();
  w.field("id", q.id);
  w.field("event_id", q.event_id);
  w.field("visitor_id", q.visitor_id);
  w.field("author", q.author);
  w.field("text", q.text);
  if (!q.original_text.empty()) w.field("original_text", q.original_text);
  w.field("edited", domain::is_edited(q));
  w.field("lang", q.lang);
  w.field("status", domain::status_name(q.status));
  w.field("forwarded", q.forwarded);
  w.field("answered", q.answered);
  w.field("created_at", timefmt::format_rfc3339(q.created_ms));
  w.field("updated_at", timefmt::format_rfc3339(q.updated_ms));
  w.field("reject_reason", q.reject_reason);
  w.field("supports", q.supports);
  w.key("flags");
  w.start_array();
  for (const auto& f : q.flags) w.string(f);
  w.end_array();
  if (q.hidden) w.field("hidden", true);
  if (!q.reject_note.empty()) w.field("reject_note", q.reject_note);
  if (!q.merged_into.empty()) w.field("merged_into", q.merged_into);
  w.key("authors");
  w.start_array();
  for (const auto& a : domain::credited(q)) {
    w.start_object();
    w.field("visitor_id", a.visitor_id);
    w.field("name", a.name);
    w.end_object();
  }
  w.end_array();
  w.field("version", q.version);
  if (claim) {
    w.field("claimed_by", claim->label);
    w.field("claimed_until", timefmt::format_rfc3339(claim->until_ms));
  }
  w.end_object();
}

std::string staff_json(const domain::Question& q, const domain::Claim* claim) {
  http::JsonWriter w;
  write_staff_json(w, q, claim);
  return w.take();
}

std::string message_json(const Message& m) {
  http::JsonWriter w;
  w.start_object();
  w.field("id", m.id);
  w.field("kind", m.kind);
  w.field("author", m.author);
  w.field("text", m.text);
  w.field("lang", m.lang);
  w.field_or_null("reply_to", m.reply_to);
  w.field("ts", timefmt::format_rfc3339(m.ts_ms));
  if (m.edited) w.field("edited", true);
  if (m.authors && m.authors->size() > 1) {
    w.key("authors");
    w.start_array();
    for (const auto& a : *m.authors) w.string(a.name);
    w.end_array();
  }
  w.end_object();
  return w.take();
}

std::string message_json(std::string_view id, std::string_view kind, std::string_view author,
                         std::string_view text, std::string_view lang, std::string_view reply_to,
                         int64_t ts_ms) {
  return message_json(Message{id, kind, author, text, lang, reply_to, ts_ms, false, nullptr});
}

std::string question_message_json(const domain::Question& q, int64_t ts_ms) {
  const std::vector<domain::Author> authors = domain::credited(q);
  return message_json(Message{q.id, "question", q.author, q.text, q.lang, "", ts_ms, domain::is_edited(q), &authors});
}

std::string retract_json(std::string_view id) {
  http::JsonWriter w;
  w.start_object();
  w.field("id", id);
  w.end_object();
  return w.take();
}

std::string phase_json(const domain::Event& event, int64_t now_ms) {
  http::JsonWriter w;
  w.start_object();
  w.field("phase", domain::phase_name(domain::phase_of(event, now_ms)));
  w.field("ends_at", timefmt::format_rfc3339(event.ends_at_ms));
  w.end_object();
  return w.take();
}

std::string author_json(const std::vector<std::string>& ids, std::string_view author) {
  http::JsonWriter w;
  w.start_object();
  write_ids(w, ids);
  w.field("author", author);
  w.end_object();
  return w.take();
}

std::string erased_json(const std::vector<std::string>& ids) {
  http::JsonWriter w;
  w.start_object();
  write_ids(w, ids);
  w.end_object();
  return w.take();
}

std::string support_json(std::string_view qid, int64_t supports) {
  http::JsonWriter w;
  w.start_object();
  w.field("id", qid);
  w.field("supports", supports);
  w.end_object();
  return w.take();
}

std::string poll_json(const domain::Poll& p) {
  http::JsonWriter w;
  w.start_object();
  w.field("id", p.id);
  w.field("question", p.question);
  w.key("options");
  w.start_array();
  for (const auto& o : p.options) w.string(o);
  w.end_array();
  w.field("multiple", p.multiple);
  w.field("state", domain::poll_state_name(p.state));
  w.key("results");
  w.start_array();
  for (int64_t n : p.results) w.integer(n);
  w.end_array();
  w.field("votes", p.votes);
  w.field("opened_at", timefmt::format_rfc3339(p.opened_ms));
  if (p.state == domain::PollState::closed) w.field("closed_at", timefmt::format_rfc3339(p.closed_ms));
  w.end_object();
  return w.take();
}

std::string queue_json(const std::vector<std::string>& order, std::string_view now) {
  http::JsonWriter w;
  w.start_object();
  w.key("order");
  w.start_array();
  for (const auto& id : order) w.string(id);
  w.end_array();
  w.field_or_null("now", now);
  w.end_object();
  return w.take();
}

std::string ban_json(std::string_view visitor_id, std::string_view reason, bool silent) {
  http::JsonWriter w;
  w.start_object();
  w.field("visitor_id", visitor_id);
  w.field("reason", reason);
  if (silent) w.field("silent", true);
  w.end_object();
  return w.take();
}

std::string timeout_json(std::string_view visitor_id, int64_t until_ms) {
  http::JsonWriter w;
  w.start_object();
  w.field("visitor_id", visitor_id);
  if (until_ms > 0) w.field("until", timefmt::format_rfc3339(until_ms));
  else w.field_or_null("until", "");
  w.end_object();
  return w.take();
}

std::string controls_json(const domain::Controls& c) {
  http::JsonWriter w;
  w.start_object();
  w.field("slow_mode_s", c.slow_mode_s);
  w.field("shield", c.shield);
  w.end_object();
  return w.take();
}

}  // namespace palabre::wire
