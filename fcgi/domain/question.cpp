#include "domain/question.hpp"

#include "core/time.hpp"

namespace palabre::domain {

Fields to_fields(const Question& q) {
  return {{"id", q.id},
          {"event_id", q.event_id},
          {"visitor_id", q.visitor_id},
          {"author", q.author},
          {"text", q.text},
          {"original_text", q.original_text},
          {"lang", q.lang},
          {"status", q.status},
          {"reject_reason", q.reject_reason},
          {"public_cursor", q.public_cursor},
          {"forwarded", q.forwarded ? "1" : "0"},
          {"answered", q.answered ? "1" : "0"},
          {"created_ms", std::to_string(q.created_ms)},
          {"updated_ms", std::to_string(q.updated_ms)},
          {"guest_order", std::to_string(q.guest_order)}};
}

Question from_fields(const Fields& fields) {
  Question q;
  auto to_int = [](const std::string& s) -> int64_t {
    try {
      return s.empty() ? 0 : std::stoll(s);
    } catch (...) {
      return 0;
    }
  };
  for (const auto& [k, v] : fields) {
    if (k == "id") q.id = v;
    else if (k == "event_id") q.event_id = v;
    else if (k == "visitor_id") q.visitor_id = v;
    else if (k == "author") q.author = v;
    else if (k == "text") q.text = v;
    else if (k == "original_text") q.original_text = v;
    else if (k == "lang") q.lang = v;
    else if (k == "status") q.status = v;
    else if (k == "reject_reason") q.reject_reason = v;
    else if (k == "public_cursor") q.public_cursor = v;
    else if (k == "forwarded") q.forwarded = v == "1";
    else if (k == "answered") q.answered = v == "1";
    else if (k == "created_ms") q.created_ms = to_int(v);
    else if (k == "updated_ms") q.updated_ms = to_int(v);
    else if (k == "guest_order") q.guest_order = to_int(v);
  }
  return q;
}

std::optional<Action> parse_action(std::string_view name) {
  if (name == "publish") return Action::publish;
  if (name == "reject") return Action::reject;
  if (name == "forward") return Action::forward;
  if (name == "edit") return Action::edit;
  if (name == "retract") return Action::retract;
  return std::nullopt;
}

std::string_view action_name(Action a) {
  switch (a) {
    case Action::publish: return "publish";
    case Action::reject: return "reject";
    case Action::forward: return "forward";
    case Action::edit: return "edit";
    case Action::retract: return "retract";
  }
  return "";
}

std::string_view allowed_from(Action a) {
  switch (a) {
    case Action::publish: return "pending";
    case Action::reject: return "pending";
    case Action::forward: return "pending,published";
    case Action::edit: return "pending";
    case Action::retract: return "published";
  }
  return "";
}

std::string_view status_after(Action a) {
  switch (a) {
    case Action::publish: return "published";
    case Action::reject: return "rejected";
    case Action::retract: return "retracted";
    case Action::forward:
    case Action::edit: return "";
  }
  return "";
}

void write_staff_json(http::JsonWriter& w, const Question& q) {
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

std::string staff_json(const Question& q) {
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

std::string_view visitor_status(const Question& q) { return q.status; }

}  // namespace palabre::domain
