#include "domain/question.hpp"

#include "domain/record_fields.hpp"

namespace palabre::domain {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::pending: return "pending";
    case Status::published: return "published";
    case Status::rejected: return "rejected";
    case Status::retracted: return "retracted";
    case Status::merged: return "merged";
  }
  return "pending";
}

std::optional<Status> parse_status(std::string_view name) {
  for (Status s : {Status::pending, Status::published, Status::rejected, Status::retracted, Status::merged})
    if (status_name(s) == name) return s;
  return std::nullopt;
}

namespace {

// "<visitor id>\t<name>" lines: names are checked (no control characters).
std::string authors_field(const std::vector<Author>& authors) {
  std::string out;
  for (const auto& a : authors) {
    if (!out.empty()) out.push_back('\n');
    out.append(a.visitor_id).append("\t").append(a.name);
  }
  return out;
}

std::vector<Author> parse_authors(std::string_view text) {
  std::vector<Author> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    auto tab = line.find('\t');
    if (tab != std::string_view::npos) out.push_back({std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))});
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// Flags are checked patterns: one line each.
std::string joined_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out.push_back('\n');
    out += l;
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace

std::vector<Author> credited(const Question& q) {
  std::vector<Author> out = {{q.visitor_id, q.author}};
  out.insert(out.end(), q.co_authors.begin(), q.co_authors.end());
  return out;
}

Fields to_fields(const Question& q) {
  return {{"id", q.id},
          {"event_id", q.event_id},
          {"visitor_id", q.visitor_id},
          {"author", q.author},
          {"text", q.text},
          {"original_text", q.original_text},
          {"lang", q.lang},
          {"status", std::string(status_name(q.status))},
          {"reject_reason", q.reject_reason},
          {"reject_note", q.reject_note},
          {"merged_into", q.merged_into},
          {"co_authors", authors_field(q.co_authors)},
          {"public_cursor", q.public_cursor},
          {"forwarded", q.forwarded ? "1" : "0"},
          {"hidden", q.hidden ? "1" : "0"},
          {"flags", joined_lines(q.flags)},
          {"answered", q.answered ? "1" : "0"},
          {"created_ms", std::to_string(q.created_ms)},
          {"updated_ms", std::to_string(q.updated_ms)},
          {"guest_order", std::to_string(q.guest_order)},
          {"version", std::to_string(q.version)}};
}

Question from_fields(const Fields& fields) {
  Question q;
  for (const auto& [k, v] : fields) {
    if (k == "id") q.id = v;
    else if (k == "event_id") q.event_id = v;
    else if (k == "visitor_id") q.visitor_id = v;
    else if (k == "author") q.author = v;
    else if (k == "text") q.text = v;
    else if (k == "original_text") q.original_text = v;
    else if (k == "lang") q.lang = v;
    else if (k == "status") q.status = parse_status(v).value_or(Status::pending);
    else if (k == "reject_reason") q.reject_reason = v;
    else if (k == "reject_note") q.reject_note = v;
    else if (k == "merged_into") q.merged_into = v;
    else if (k == "co_authors") q.co_authors = parse_authors(v);
    else if (k == "public_cursor") q.public_cursor = v;
    else if (k == "forwarded") q.forwarded = v == "1";
    else if (k == "hidden") q.hidden = v == "1";
    else if (k == "flags") q.flags = split_lines(v);
    else if (k == "answered") q.answered = v == "1";
    else if (k == "created_ms") q.created_ms = int_field(v);
    else if (k == "updated_ms") q.updated_ms = int_field(v);
    else if (k == "guest_order") q.guest_order = int_field(v);
    else if (k == "version") q.version = int_field(v);
  }
  return q;
}

}  // namespace palabre::domain
