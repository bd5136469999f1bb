#include "audit/line.hpp"

#include "http/json.hpp"

namespace palabre::audit {

std::string details_json(const std::vector<std::pair<std::string, std::string>>& details) {
  http::JsonWriter w;
  w.start_object();
  for (const auto& [name, value] : details)
    if (!value.empty()) w.field(name, value);
  w.end_object();
  return w.take();
}

StreamFields to_stream_fields(const Line& line) {
  return {{"actor", line.actor},
          {"action", line.action},
          {"target", line.target},
          {"details", details_json(line.details)},
          {"at", std::to_string(line.at_ms)}};
}

std::optional<store::AuditEntry> from_stream_entry(const std::string& event_id, const std::string& stream_id,
                                                   const StreamFields& fields) {
  store::AuditEntry e;
  e.event_id = event_id;
  e.stream_id = stream_id;
  bool has_action = false, has_at = false;
  for (const auto& [name, value] : fields) {
    if (name == "actor") e.actor = value;
    else if (name == "action") {
      e.action = value;
      has_action = !value.empty();
    } else if (name == "target") e.target = value;
    else if (name == "details") e.details_json = value.empty() ? "{}" : value;
    else if (name == "at") {
      try {
        e.at_ms = std::stoll(value);
        has_at = true;
      } catch (...) {
      }
    }
  }
  if (!has_action || !has_at) return std::nullopt;
  return e;
}

}  // namespace palabre::audit
