#include "domain/question.hpp"


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

}  // namespace palabre::domain
