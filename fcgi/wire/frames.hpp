// The data of every frame the streams carry (docs/API.md, "Frames"), and the
// staff view of a question, which is both a REST answer and the `question`
// frame of the consoles. One place, so that a frame reads the same whoever
// writes it. Pure: no I/O; never throws except std::bad_alloc.
//
// Public stream:   message, retract, phase, author, support, poll, controls
// Staff stream:    question, ban, erased, queue, timeout, controls, support
// Guest stream:    question, erased, queue, support
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/claim.hpp"
#include "domain/controls.hpp"
#include "domain/event.hpp"
#include "domain/poll.hpp"
#include "domain/question.hpp"
#include "http/json.hpp"

namespace palabre::wire {

// Staff view (docs/API.md "The question object"), with the moderator's
// claim on it when there is one (claimed_by, claimed_until).
void write_staff_json(http::JsonWriter& w, const domain::Question& q, const domain::Claim* claim = nullptr);
std::string staff_json(const domain::Question& q, const domain::Claim* claim = nullptr);

// `message`: a question made public, an answer or an announcement.
struct Message {
  std::string_view id;
  std::string_view kind;  // "question" | "answer" | "announcement"
  std::string_view author;
  std::string_view text;
  std::string_view lang;
  std::string_view reply_to;  // the question an answer answers, else ""
  int64_t ts_ms = 0;
  bool edited = false;  // a moderator changed the question's text
  // A question that merged duplicates: everyone credited, author first
  // (written as "authors": [names]); null or a single author: none.
  const std::vector<domain::Author>* authors = nullptr;
};
std::string message_json(const Message& m);
std::string message_json(std::string_view id, std::string_view kind, std::string_view author,
                         std::string_view text, std::string_view lang, std::string_view reply_to,
                         int64_t ts_ms);
// The `message` that makes a question public.
std::string question_message_json(const domain::Question& q, int64_t ts_ms);

// `retract`: a published message withdrawn.
std::string retract_json(std::string_view id);

// `phase`: the debate's phase at `now_ms` and its end.
std::string phase_json(const domain::Event& event, int64_t now_ms);

// `author` (public) — these published questions are now signed `author`;
// `erased` (staff, guest) — these questions are gone (a visitor's erasure).
std::string author_json(const std::vector<std::string>& ids, std::string_view author);
std::string erased_json(const std::vector<std::string>& ids);

// `support` (public): a published question's supports (+1) so far.
std::string support_json(std::string_view qid, int64_t supports);

// `poll` (public): a poll as it stands, with its results so far
// {"id","question","options","multiple","state","results":[n…],"votes"}.
std::string poll_json(const domain::Poll& poll);

// `queue` (guest, staff): the guest's queue in order, and the question
// marked as answered now (null when none).
std::string queue_json(const std::vector<std::string>& order, std::string_view now);

// `ban` (staff): a visitor banned, and why; "silent" for a silent ban.
std::string ban_json(std::string_view visitor_id, std::string_view reason, bool silent = false);

// `timeout` (staff): a visitor kept from asking until `until_ms` (0: lifted).
std::string timeout_json(std::string_view visitor_id, int64_t until_ms);

// `controls` (public, staff): slow mode and the shield, as they now are.
std::string controls_json(const domain::Controls& controls);

}  // namespace palabre::wire
