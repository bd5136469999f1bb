// Reading questions from Redis: one hash per question plus per-event sorted
// sets (all questions, pending, the guest's queue, each visitor's own).
// Changes go through actions/ (one atomic step each, redis/batch.hpp).
// Accept threads only. Throws Error(store_unavailable).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/claim.hpp"
#include "domain/question.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

std::optional<domain::Question> load_question(Connection& redis, const std::string& event_id, const std::string& qid);
std::vector<domain::Question> load_questions(Connection& redis, const std::string& event_id,
                                             const std::vector<std::string>& ids);
// Every question of the event, oldest first.
std::vector<domain::Question> event_questions(Connection& redis, const std::string& event_id);
// The moderators' claims on these questions (keys::claim), in order; nullopt
// where none (or an unreadable one).
std::vector<std::optional<domain::Claim>> load_claims(Connection& redis, const std::string& event_id,
                                                    const std::vector<std::string>& ids);
std::vector<domain::Question> visitor_questions(Connection& redis, const std::string& event_id,
                                                const std::string& visitor_id);

}  // namespace palabre::redis
