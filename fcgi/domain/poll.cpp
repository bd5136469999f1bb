#include "domain/poll.hpp"

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "domain/record_fields.hpp"
#include "domain/text_rules.hpp"

namespace palabre::domain {

std::string_view poll_state_name(PollState s) { return s == PollState::open ? "open" : "closed"; }

Poll checked_poll(std::string_view question, const std::vector<std::string>& options, bool multiple) {
  if (options.size() < kPollMinOptions || options.size() > kPollMaxOptions)
    throw Error(Code::invalid_field, "A poll has 2 to 8 options.");
  Poll p;
  p.question = checked_text(question, kPollQuestionChars, "question");
  std::set<std::string> seen;
  for (const auto& o : options) {
    std::string option = checked_name(o, kPollOptionChars, "options");
    if (!seen.insert(option).second) throw Error(Code::invalid_field, "Each option of a poll must differ.");
    p.options.push_back(std::move(option));
  }
  p.multiple = multiple;
  return p;
}

std::vector<int> checked_choice(const Poll& poll, const std::vector<int64_t>& chosen) {
  if (chosen.empty()) throw Error(Code::invalid_field, "Choose at least one option.");
  if (!poll.multiple && chosen.size() != 1) throw Error(Code::invalid_field, "This poll takes one choice.");
  std::vector<int> out;
  for (int64_t i : chosen) {
    if (i < 0 || i >= static_cast<int64_t>(poll.options.size()))
      throw Error(Code::invalid_field, "Field 'options' names an option the poll does not have.");
    out.push_back(static_cast<int>(i));
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    throw Error(Code::invalid_field, "Field 'options' names an option twice.");
  return out;
}

std::vector<std::pair<std::string, std::string>> poll_fields(const Poll& p) {
  // Options one per line: they are checked names (no line breaks).
  std::string options;
  for (const auto& o : p.options) {
    if (!options.empty()) options.push_back('\n');
    options += o;
  }
  return {{"id", p.id},
          {"event_id", p.event_id},
          {"question", p.question},
          {"options", options},
          {"multiple", p.multiple ? "1" : "0"},
          {"state", std::string(poll_state_name(p.state))},
          {"opened_ms", std::to_string(p.opened_ms)},
          {"closed_ms", std::to_string(p.closed_ms)}};
}

std::optional<Poll> poll_from_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  Poll p;
  for (const auto& [k, v] : fields) {
    if (k == "id") p.id = v;
    else if (k == "event_id") p.event_id = v;
    else if (k == "question") p.question = v;
    else if (k == "multiple") p.multiple = v == "1";
    else if (k == "state") p.state = v == "closed" ? PollState::closed : PollState::open;
    else if (k == "opened_ms") p.opened_ms = int_field(v);
    else if (k == "closed_ms") p.closed_ms = int_field(v);
    else if (k == "options") {
      size_t start = 0;
      while (start <= v.size()) {
        size_t nl = v.find('\n', start);
        if (nl == std::string::npos) nl = v.size();
        p.options.push_back(v.substr(start, nl - start));
        start = nl + 1;
      }
    }
  }
  if (p.id.empty() || p.options.size() < kPollMinOptions) return std::nullopt;
  p.results.assign(p.options.size(), 0);
  return p;
}

}  // namespace palabre::domain
