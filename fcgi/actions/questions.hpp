// Moderators' actions on a question, and answers (actions/mutation.hpp).
#pragma once

#include <string>

#include "actions/mutation.hpp"
#include "domain/moderation.hpp"
#include "domain/question.hpp"

namespace palabre::actions {

// Stores a visitor's new question (version 1) in the debate's lists and the
// moderation queue, and shows it to the moderators. Returns false when a
// question with this id exists already (a retry: nothing changes).
bool ask(const Mutation& m, const domain::Question& question);

struct Moderated {
  domain::Question question;  // as the action left it
  bool replayed = false;      // a retry: the action had already been applied
};

// publish, reject, forward, edit, retract. Throws Error(not_found) for a
// question of another debate, Error(conflict) when its state does not allow
// the action.
Moderated moderate(const Mutation& m, const std::string& event_id, const std::string& qid, domain::Action action,
                   const domain::ActionInput& input);

struct Answered {
  std::string entry_id;  // the answer's entry on the public stream
  std::string epoch;     // the debate's epoch, for the cursor ("" if Redis lost it)
  bool replayed = false;
};

// Publishes the answer `answer_id` under the question (publishing the
// question first if it was only forwarded), marks it answered and takes it
// out of the guest's queue. `author` and `text` are checked by the caller.
Answered answer(const Mutation& m, const std::string& event_id, const std::string& qid, const std::string& answer_id,
                const std::string& author, const std::string& text);

}  // namespace palabre::actions
