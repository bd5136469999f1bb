// A visitor's question: its states and what they mean. Pure: the Redis
// representation is a flat list of fields (to_fields / from_fields) so that
// this file needs no Redis. What moderators may do to a question, and what
// each action changes, is in domain/moderation.hpp.
//
//   pending --publish--> published --retract--> retracted
//   pending --reject---> rejected
//   pending --merge----> merged (into another pending question, which credits
//                        its author as a co-author)
//   pending|published --forward--> (same status, forwarded = true)
//   pending --edit--> pending (text replaced, the first text kept)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace palabre::domain {

enum class Status { pending, published, rejected, retracted, merged };

std::string_view status_name(Status s);
std::optional<Status> parse_status(std::string_view name);

// Someone credited with a question: its author, or the author of a
// duplicate merged into it.
struct Author {
  std::string visitor_id;
  std::string name;
};

struct Question {
  std::string id;
  std::string event_id;
  std::string visitor_id;
  std::string author;
  std::string text;
  std::string original_text;  // set by the first edit
  std::string lang;
  Status status = Status::pending;
  std::string reject_reason;  // a code of domain::RejectReason, shown to the author
  std::string reject_note;    // free text for the staff only
  std::string merged_into;    // status merged: the question it was merged into
  std::vector<Author> co_authors;  // authors of the duplicates merged into it
  std::string public_cursor;  // stream id of its public message, once published
  bool forwarded = false;
  bool answered = false;
  // Asked by a silently banned visitor: its author sees it as any other,
  // nobody else does (no queue, no frame).
  bool hidden = false;
  // The blocked words and patterns it matched (domain/word_filter.hpp): the
  // moderators see them; the question is never dropped for them.
  std::vector<std::string> flags;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  // When it was forwarded: its score in the guest's queue (keys::guest_queue)
  // until moderators arrange the queue, which then holds the order.
  int64_t guest_order = 0;
  // Incremented by every change: an action computed from one version is
  // applied only if the question is still at that version
  // (redis/batch.hpp), so two moderators never both act on what they saw.
  int64_t version = 0;
  // Visitors who support it (+1): counted in its own set in Redis
  // (keys::supporters), read with the question, never written with it.
  int64_t supports = 0;
};

// Named questions about a state, so that a rule reads the same everywhere.
inline bool awaits_moderation(const Question& q) { return q.status == Status::pending; }
inline bool is_public(const Question& q) { return q.status == Status::published; }
// Edited by a moderator: the text differs from what the author wrote.
inline bool is_edited(const Question& q) { return !q.original_text.empty() && q.original_text != q.text; }
// Handed to the guest and not answered yet: on the guest's console.
inline bool in_guest_queue(const Question& q) {
  return q.forwarded && !q.answered && (q.status == Status::pending || q.status == Status::published);
}
// A guest may answer it (again, to complete an answer): public already, or
// forwarded to them (the answer then publishes the question first, so that
// the answer sits under it).
inline bool answerable(const Question& q) {
  return q.status == Status::published || (q.status == Status::pending && q.forwarded);
}
// Never part of the public record: what the retention purge and a visitor's
// erasure delete (docs/PRIVACY.md).
inline bool never_public(const Question& q) {
  return q.status == Status::pending || q.status == Status::rejected || q.status == Status::merged;
}

// Everyone credited: the author first, then the co-authors.
std::vector<Author> credited(const Question& q);

using Fields = std::vector<std::pair<std::string, std::string>>;
Fields to_fields(const Question& q);
Question from_fields(const Fields& fields);

}  // namespace palabre::domain
