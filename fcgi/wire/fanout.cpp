#include "wire/fanout.hpp"

namespace palabre::wire {
namespace {

// Splits off the text up to the next '\n'; false when there is none.
bool next_line(std::string_view& rest, std::string_view& line) {
  auto nl = rest.find('\n');
  if (nl == std::string_view::npos) return false;
  line = rest.substr(0, nl);
  rest.remove_prefix(nl + 1);
  return true;
}

}  // namespace

FanoutMessage parse_fanout_message(std::string_view payload) {
  std::string_view rest = payload;
  std::string_view first;
  if (!next_line(rest, first)) return std::monostate{};
  if (!first.empty() && first.front() == '!') {
    const bool visitor = first == "!close-visitor";
    if (!visitor && first != "!close-staff") return std::monostate{};
    std::string_view head;
    if (!next_line(rest, head) || head.empty() || rest.empty()) return std::monostate{};
    if (rest.find('\n') != std::string_view::npos) return std::monostate{};
    if (visitor) return CloseVisitor{head, rest};
    if (head != "session" && head != "invite") return std::monostate{};
    return CloseStaff{head, rest};
  }
  PublishedEntry e;
  e.stream_key = first;
  std::string_view prev_text;
  if (first.empty() || !next_line(rest, e.id_text) || !next_line(rest, prev_text) ||
      !next_line(rest, e.type)) {
    return std::monostate{};
  }
  e.data = rest;  // the remainder: data may not contain '\n', but it is not cut if it does
  auto id = parse_stream_id(e.id_text);
  auto prev = parse_stream_id(prev_text);
  if (!id || !prev || e.type.empty()) return std::monostate{};
  e.id = *id;
  e.prev = *prev;
  return e;
}

std::string encode_entry(std::string_view stream_key, std::string_view id, std::string_view prev,
                         std::string_view type, std::string_view data) {
  std::string payload;
  payload.reserve(stream_key.size() + id.size() + prev.size() + type.size() + data.size() + 4);
  for (std::string_view part : {stream_key, id, prev, type}) {
    payload.append(part);
    payload.push_back('\n');
  }
  payload.append(data);
  return payload;
}

std::string encode_close_visitor(std::string_view event_id, std::string_view visitor_id) {
  std::string payload = "!close-visitor\n";
  payload.append(event_id).append("\n").append(visitor_id);
  return payload;
}

std::string encode_close_staff(std::string_view kind, std::string_view value) {
  std::string payload = "!close-staff\n";
  payload.append(kind).append("\n").append(value);
  return payload;
}

}  // namespace palabre::wire
