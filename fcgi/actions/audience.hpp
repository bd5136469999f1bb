// Audience signals (actions/mutation.hpp): visitors support published
// questions (+1, once each), and vote on live polls that moderators open and
// close. Counts change on every click; their frames on the public stream
// go out at most once a second per question or poll (send_due_frames), so
// that a storm of clicks never becomes a storm of frames.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actions/mutation.hpp"
#include "domain/poll.hpp"

namespace palabre::actions {

// +1 from `visitor_id`, counted once. Returns the count. Throws
// Error(not_found) or Error(conflict) when the question is not a published
// one waiting for an answer.
int64_t support(const Mutation& m, const std::string& event_id, const std::string& qid, const std::string& visitor_id);

// Opens `poll` (checked by domain::checked_poll) at once: gives it its id,
// its public `poll` frame (archived) and its audit line.
domain::Poll open_poll(const Mutation& m, const std::string& event_id, domain::Poll poll);
// Closes it: no more votes; its last frame, with the result, is archived
// and stays in the thread and the transcript. Closing twice changes nothing.
domain::Poll close_poll(const Mutation& m, const std::string& event_id, const std::string& pid);
// Counts one vote per visitor. Throws Error(already_voted) for a second
// one, Error(conflict) on a closed poll, Error(invalid_field) for a choice
// the poll does not take.
void vote(const Mutation& m, const std::string& event_id, const std::string& pid, const std::string& visitor_id,
          const std::vector<int64_t>& options);

// The debate's polls, oldest first, with their counts; one of them.
std::vector<domain::Poll> polls(redis::Connection& redis, const std::string& event_id);
std::optional<domain::Poll> load_poll(redis::Connection& redis, const std::string& event_id, const std::string& pid);
// Which polls of the debate this visitor voted on.
std::vector<std::string> polls_voted(redis::Connection& redis, const std::string& event_id,
                                     const std::string& visitor_id);

// What a visitor signalled (their export), and their signals forgotten
// (their erasure): their supports leave the counts, their votes stay in the
// polls' results, which name nobody, but they are no longer known as a voter.
std::vector<std::string> questions_supported(redis::Connection& redis, const std::string& event_id,
                                             const std::string& visitor_id);
void forget_signals(redis::Connection& redis, const std::string& event_id, const std::string& visitor_id);

// Sends every count frame that is due and allowed (one per item per
// second): called by each worker's phase clock every second. Returns how
// many it sent.
size_t send_due_frames(redis::Connection& redis, const Config& config);

}  // namespace palabre::actions
