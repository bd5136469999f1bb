#include "domain/moderation.hpp"

#include "core/error.hpp"

namespace palabre::domain {
namespace {

[[noreturn]] void refuse(const Question& q, Action a) {
  throw Error(Code::conflict, "The question is " + std::string(status_name(q.status)) + "; '" +
                                  std::string(action_name(a)) + "' does not apply.");
}

Change begin(const Question& q, int64_t now_ms) {
  Change c;
  c.after = q;
  c.after.updated_ms = now_ms;
  c.after.version = q.version + 1;
  return c;
}

}  // namespace

std::optional<Action> parse_action(std::string_view name) {
  if (name == "publish") return Action::publish;
  if (name == "reject") return Action::reject;
  if (name == "forward") return Action::forward;
  if (name == "edit") return Action::edit;
  if (name == "retract") return Action::retract;
  return std::nullopt;
}

std::string_view action_name(Action a) {
  switch (a) {
    case Action::publish: return "publish";
    case Action::reject: return "reject";
    case Action::forward: return "forward";
    case Action::edit: return "edit";
    case Action::retract: return "retract";
  }
  return "";
}

Change decide(const Question& q, Action a, const ActionInput& input, int64_t now_ms) {
  Change c = begin(q, now_ms);
  switch (a) {
    case Action::publish:
      if (!awaits_moderation(q)) refuse(q, a);
      c.after.status = Status::published;
      c.leaves_pending_queue = true;
      c.public_frame = "message";
      break;
    case Action::reject:
      if (!awaits_moderation(q)) refuse(q, a);
      c.after.status = Status::rejected;
      c.after.reject_reason = input.reason;
      c.leaves_pending_queue = true;
      // A question handed to the guest and then set aside leaves their queue.
      if (q.forwarded) c.guest_queue = GuestQueueMove::remove;
      break;
    case Action::forward:
      if (q.status != Status::pending && q.status != Status::published) refuse(q, a);
      c.after.forwarded = true;
      c.after.guest_order = now_ms;
      c.guest_queue = GuestQueueMove::add;
      break;
    case Action::edit:
      if (!awaits_moderation(q)) refuse(q, a);
      c.before_text = q.text;
      if (q.original_text.empty()) c.after.original_text = q.text;
      c.after.text = input.text;
      break;
    case Action::retract:
      if (!is_public(q)) refuse(q, a);
      c.after.status = Status::retracted;
      c.guest_queue = GuestQueueMove::remove;
      c.public_frame = "retract";
      break;
  }
  return c;
}

Change decide_answer(const Question& q, int64_t now_ms) {
  if (!answerable(q)) throw Error(Code::conflict, "Only forwarded or published questions can be answered.");
  Change c = begin(q, now_ms);
  if (awaits_moderation(q)) {
    c.after.status = Status::published;
    c.leaves_pending_queue = true;
    c.public_frame = "message";
  }
  c.after.answered = true;
  c.guest_queue = GuestQueueMove::remove;
  return c;
}

}  // namespace palabre::domain
