// A debate's published thread as the public sees it, for the pages and
// files the worker writes from it (transcript.*, thread.html): the same
// history the live stream replays, folded into messages with their answers.
//
// published_history() reads it (accept threads only, sync Redis and SQL;
// throws Error(store_unavailable)); fold_thread() is pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "redis/streams.hpp"

namespace palabre::api {

// A poll as the thread shows it: its last frame.
struct PublishedPoll {
  std::vector<std::string> options;
  std::vector<int64_t> results;
  int64_t votes = 0;
  bool closed = false;
};

struct PublishedMessage {
  std::string id, kind, author, text, lang, reply_to, ts;
  bool edited = false;         // the data says "edited": true
  std::string raw;             // the message's data (for a poll: built here, its frame under "poll")
  std::vector<size_t> answers; // indexes into PublishedThread::messages, in order
  std::optional<PublishedPoll> poll;  // kind "poll": at its opening's place, with its last results
};

struct PublishedThread {
  std::vector<PublishedMessage> messages;
  std::vector<size_t> top;  // questions and announcements (and answers whose question is absent), in order
};

// Every public frame of the debate, in order, as a newcomer's live stream
// gets them: from Redis (its history put back from the SQL archive first
// when Redis lost it), or, when Redis trimmed the stream's start, the
// archive followed by what Redis holds after it.
std::vector<redis::StreamEntry> published_history(Context& ctx, const std::string& event_id);

// Messages in publication order, answers under their question; retracted
// messages are left out with their answers; a message published again
// under the same id keeps its place and takes the new text (as the visitor
// page does). A poll is a message of kind "poll" (text: its question) at the
// place it was opened, with the results of its last frame. Frames that are
// not JSON objects are skipped.
PublishedThread fold_thread(const std::vector<redis::StreamEntry>& entries);

// A poll's results on one line, for the text formats: "Oui: 4 · Non: 3".
std::string poll_summary(const PublishedPoll& poll);
// …and as an HTML list (escaped), for the pages.
std::string poll_results_html(const PublishedPoll& poll);

}  // namespace palabre::api
