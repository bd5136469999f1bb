// A visitor's question and the moderation rules that move it between states.
// Pure: the Redis representation is a flat list of fields (to_fields /
// from_fields) so that this file needs no Redis.
//
//   pending --publish--> published --retract--> retracted
//   pending --reject---> rejected
//   pending|published --forward--> (same status, forwarded = true)
//   pending --edit--> pending (text replaced, original kept)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace palabre::domain {

struct Question {
  std::string id;
  std::string event_id;
  std::string visitor_id;
  std::string author;
  std::string text;
  std::string original_text;  // set by the first edit
  std::string lang;
  std::string status = "pending";  // pending | published | rejected | retracted
  std::string reject_reason;
  std::string public_cursor;  // stream id of its public message, once published
  bool forwarded = false;
  bool answered = false;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  int64_t guest_order = 0;  // position in the guest's queue (forward time by default)
};

using Fields = std::vector<std::pair<std::string, std::string>>;
Fields to_fields(const Question& q);
Question from_fields(const Fields& fields);

enum class Action { publish, reject, forward, edit, retract };
std::optional<Action> parse_action(std::string_view name);
std::string_view action_name(Action a);
// Statuses from which `a` is allowed, comma-separated (the transition script's format).
std::string_view allowed_from(Action a);
// Status after `a` ("" = unchanged).
std::string_view status_after(Action a);


}  // namespace palabre::domain
