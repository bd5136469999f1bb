// Live polls: a moderator opens one (2–8 options, one choice or several),
// visitors vote once, the results show live and stay in the thread once it
// is closed. Pure: what a poll and a vote may be.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace palabre::domain {

inline constexpr size_t kPollMinOptions = 2;
inline constexpr size_t kPollMaxOptions = 8;
inline constexpr size_t kPollOptionChars = 200;
inline constexpr size_t kPollQuestionChars = 500;

enum class PollState { open, closed };
std::string_view poll_state_name(PollState s);

struct Poll {
  std::string id;  // "p_…"
  std::string event_id;
  std::string question;
  std::vector<std::string> options;
  bool multiple = false;
  PollState state = PollState::open;
  int64_t opened_ms = 0;
  int64_t closed_ms = 0;
  // Counted in Redis, not part of the poll's record.
  std::vector<int64_t> results;  // votes per option
  int64_t votes = 0;             // voters
};

// The question and options as asked: checked like any text (trimmed,
// not empty, not too long), 2–8 options, no option twice. Throws Error.
Poll checked_poll(std::string_view question, const std::vector<std::string>& options, bool multiple);

// A voter's choice: option indexes, each once, in range; exactly one for a
// single-choice poll. Returns them sorted. Throws Error(invalid_field).
std::vector<int> checked_choice(const Poll& poll, const std::vector<int64_t>& chosen);

// The poll's record in Redis (a flat list of fields), and back.
std::vector<std::pair<std::string, std::string>> poll_fields(const Poll& poll);
std::optional<Poll> poll_from_fields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace palabre::domain
