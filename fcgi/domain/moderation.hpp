// What a moderator may do to a question, and what each action changes. Pure:
// the caller (moderation/) loads the question, asks decide() for the change,
// and applies it in one atomic step guarded by the question's version, so
// the rule here is checked against the state the change is applied to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/question.hpp"

namespace palabre::domain {

enum class Action { publish, reject, forward, edit, retract };
std::optional<Action> parse_action(std::string_view name);
std::string_view action_name(Action a);

// Why a question was set aside. The author sees the reason (in "my
// questions"), never the note.
enum class RejectReason { off_topic, duplicate, already_answered, abusive, personal_data, other };
std::optional<RejectReason> parse_reject_reason(std::string_view name);
std::string_view reject_reason_name(RejectReason r);

// What the request brings besides the action (each used by some actions).
struct ActionInput {
  std::string text;  // edit: the new text, already checked (domain/text_rules.hpp)
  RejectReason reason = RejectReason::other;  // reject
  std::string note;  // reject: for the staff only, already checked
};

// How an action moves the question in the guest's queue.
enum class GuestQueueMove { none, add, remove };

struct Change {
  Question after;  // the question once the action applies (version + 1)
  bool leaves_pending_queue = false;
  GuestQueueMove guest_queue = GuestQueueMove::none;
  // The public frame the action adds: "" none, "message" (the question, now
  // public) or "retract".
  std::string_view public_frame;
  // For the audit log: the text before and after an edit.
  std::string before_text;
};

// Throws Error(conflict) when the question's state does not allow `a`.
Change decide(const Question& q, Action a, const ActionInput& input, int64_t now_ms);

// Merging `source`, a duplicate, into `target`: the source leaves the
// queues (status merged) and the target credits its author(s). Both must
// await moderation and be distinct questions of one debate; else
// Error(conflict) or Error(invalid_field).
struct Merge {
  Change source;
  Change target;
};
Merge decide_merge(const Question& source, const Question& target, int64_t now_ms);

// What answering a question changes: published (if it was only forwarded),
// answered, out of the guest's queue. Throws Error(conflict) when the
// question cannot be answered (domain::answerable).
Change decide_answer(const Question& q, int64_t now_ms);

}  // namespace palabre::domain
