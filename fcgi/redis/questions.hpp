// Questions in Redis: one hash per question plus per-event sorted sets
// (all questions, pending, the guest's queue, each visitor's own).
// Accept threads only. Throws Error(store_unavailable).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "domain/question.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

// Stores a new question (scripts/new_question.lua); a question that already
// exists under this id (a retry with the same Idempotency-Key) is kept as
// it is. Throws Error(store_unavailable), also when Redis answered too late.
void save_new_question(Connection& redis, const domain::Question& q);
std::optional<domain::Question> load_question(Connection& redis, const std::string& qid);
std::vector<domain::Question> load_questions(Connection& redis, const std::vector<std::string>& ids);
// Every question of the event, oldest first.
std::vector<domain::Question> event_questions(Connection& redis, const std::string& event_id);
std::vector<domain::Question> visitor_questions(Connection& redis, const std::string& event_id,
                                                const std::string& visitor_id);

struct TransitionResult {
  std::string previous_status;
  std::string public_cursor;  // "" when nothing was published
};
// Runs scripts/transition.lua. Throws Error(not_found) or Error(conflict).
TransitionResult transition(Connection& redis, const Config& config, const domain::Question& q,
                            std::string_view allowed_from, std::string_view new_status,
                            std::string_view public_type, std::string_view public_data,
                            const domain::Fields& set_fields);
// Adds to / removes from the guest's ordered queue.
void set_guest_queue_position(Connection& redis, const std::string& event_id, const std::string& qid,
                              int64_t order);
void remove_from_guest_queue(Connection& redis, const std::string& event_id, const std::string& qid);

}  // namespace palabre::redis
