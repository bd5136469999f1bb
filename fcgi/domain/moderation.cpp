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

std::optional<RejectReason> parse_reject_reason(std::string_view name) {
  for (RejectReason r : {RejectReason::off_topic, RejectReason::duplicate, RejectReason::already_answered,
                         RejectReason::abusive, RejectReason::personal_data, RejectReason::other})
    if (reject_reason_name(r) == name) return r;
  return std::nullopt;
}

std::string_view reject_reason_name(RejectReason r) {
  switch (r) {
    case RejectReason::off_topic: return "off_topic";
    case RejectReason::duplicate: return "duplicate";
    case RejectReason::already_answered: return "already_answered";
    case RejectReason::abusive: return "abusive";
    case RejectReason::personal_data: return "personal_data";
    case RejectReason::other: return "other";
  }
  return "other";
}

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
      c.after.reject_reason = std::string(reject_reason_name(input.reason));
      c.after.reject_note = input.note;
      c.leaves_pending_queue = true;
      // A question handed to the guest and then set aside leaves their queue.
      if (q.forwarded) c.guest_queue = GuestQueueMove::remove;
      break;
    case Action::forward:
      if (q.status != Status::pending && q.status != Status::published) refuse(q, a);
      // Forwarded again while still waiting for the guest: it keeps its place.
      if (in_guest_queue(q)) break;
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

Merge decide_merge(const Question& source, const Question& target, int64_t now_ms) {
  if (source.id == target.id) throw Error(Code::invalid_field, "A question cannot be merged into itself.");
  if (source.event_id != target.event_id) throw Error(Code::invalid_field, "Both questions must be of this debate.");
  if (!awaits_moderation(source))
    throw Error(Code::conflict, "The question is " + std::string(status_name(source.status)) + "; it cannot be merged.");
  if (!awaits_moderation(target))
    throw Error(Code::conflict, "The question to merge into is " + std::string(status_name(target.status)) +
                                    "; merge into a question that awaits moderation.");
  Merge m{begin(source, now_ms), begin(target, now_ms)};
  m.source.after.status = Status::merged;
  m.source.after.merged_into = target.id;
  m.source.leaves_pending_queue = true;
  if (source.forwarded) m.source.guest_queue = GuestQueueMove::remove;
  // Its author and whoever it had credited already, each once.
  for (const Author& a : credited(source)) {
    bool known = a.visitor_id == target.visitor_id;
    for (const Author& c : m.target.after.co_authors) known = known || c.visitor_id == a.visitor_id;
    if (!known) m.target.after.co_authors.push_back(a);
  }
  return m;
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
