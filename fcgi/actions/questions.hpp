// Moderators' actions on a question, and answers (actions/mutation.hpp).
#pragma once

#include <optional>
#include <string>

#include "actions/mutation.hpp"
#include "domain/claim.hpp"
#include "domain/moderation.hpp"
#include "domain/question.hpp"

namespace palabre::actions {

// Stores a visitor's new question (version 1) in the debate's lists and the
// moderation queue, and shows it to the moderators (a hidden one — a
// silently banned visitor's — only in its author's list). Returns false when a
// question with this id exists already (a retry: nothing changes).
bool ask(const Mutation& m, const domain::Question& question);

struct Moderated {
  domain::Question question;  // as the action left it
  std::optional<domain::Claim> claim;  // the acting moderator's, when it stays (an edit)
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

struct Merged {
  domain::Question into;    // the question that stays, crediting the merged one's authors
  domain::Question merged;  // the duplicate, now merged
  bool replayed = false;
};

// Merges the duplicate `source_qid` into `target_qid` (domain::decide_merge).
// Claims hold both questions like any action.
Merged merge(const Mutation& m, const std::string& event_id, const std::string& source_qid,
             const std::string& target_qid);

// Claims the question for the acting moderator (domain/claim.hpp) or renews
// their claim: the other moderators see it, and their actions on it get 409
// claimed until it ends. Throws Error(claimed) when another holds it,
// Error(conflict) when the question awaits nothing any more.
domain::Claim claim(const Mutation& m, const std::string& event_id, const std::string& qid);
// Ends the acting moderator's claim (nothing when they hold none).
void release(const Mutation& m, const std::string& event_id, const std::string& qid);

// Publishes the answer `answer_id` under the question (publishing the
// question first if it was only forwarded), marks it answered and takes it
// out of the guest's queue. `author` and `text` are checked by the caller.
Answered answer(const Mutation& m, const std::string& event_id, const std::string& qid, const std::string& answer_id,
                const std::string& author, const std::string& text);

}  // namespace palabre::actions
