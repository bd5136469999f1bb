// One line of the moderation audit log as a mutation writes it: into the
// debate's audit stream, in the same atomic step as the change it records
// (redis::Batch), from where audit/drain.hpp moves it into SQL. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace palabre::audit {

struct Line {
  std::string actor;   // api::actor_of: "moderator:<label>", "admin:<login>", …
  std::string action;  // "publish", "reject", "edit", "ban", …
  std::string target;  // a question id, a visitor id, …
  // What the audit view shows besides (docs/API.md "Audit log"): "before"
  // and "after" (an edit's texts), "reason", "note", and action-specific
  // fields. Written as one JSON object of strings; empty values are left out.
  std::vector<std::pair<std::string, std::string>> details;
  int64_t at_ms = 0;
};

using StreamFields = std::vector<std::pair<std::string, std::string>>;

// The fields of the audit stream entry (redis/keys.hpp, audit_stream).
StreamFields to_stream_fields(const Line& line);
// The SQL row of a stream entry; nullopt when a field is missing.
std::optional<store::AuditEntry> from_stream_entry(const std::string& event_id, const std::string& stream_id,
                                                   const StreamFields& fields);
// details as JSON (also used for entries written straight to SQL).
std::string details_json(const std::vector<std::pair<std::string, std::string>>& details);

}  // namespace palabre::audit
