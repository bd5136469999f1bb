// A debate's figures for its dashboard (GET /api/events/{id}/stats): how
// its questions are counted, how the watcher counts that each worker
// publishes are added up, and when the timeline takes a sample. Pure: the
// records come in as plain values (redis/stats.hpp reads them).
//
// Questions (every record of the debate, hidden ones included):
//   received  = all of them
//   pending   = awaiting moderation
//   published = public now (answered ones included)
//   answered  = published and answered
//   rejected  = set aside: rejected with a reason, or merged into another
//               question (counted under the reason "merged")
//   retracted = published, then withdrawn
//   hidden    = from a silently banned visitor: nobody but its author sees
//               it, so it is in no other bucket
// So received = pending + published + rejected + retracted + hidden.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/event.hpp"

namespace palabre::domain {

// The fields of one question record the counts need, as Redis holds them.
struct QuestionFacts {
  std::string status;         // domain::status_name
  std::string lang;
  std::string reject_reason;  // domain::reject_reason_name, or ""
  bool answered = false;
  bool hidden = false;
};

struct QuestionCounts {
  int64_t received = 0, pending = 0, published = 0, rejected = 0, answered = 0, retracted = 0, hidden = 0;
  std::map<std::string, int64_t> by_lang;    // every received question, by its language
  std::map<std::string, int64_t> by_reason;  // the six reasons (0 when none) and "merged"
};

// The reasons listed even at zero, so that a chart keeps its bars.
const std::vector<std::string_view>& reported_reasons();
QuestionCounts count_questions(const std::vector<QuestionFacts>& questions);

// What one worker publishes for one debate (hub/watchers.cpp,
// redis/scripts/watchers.lua writes it as "<count> <until_ms>"): its open
// public streams and parked long-polls, valid until `until_ms` (Redis
// time). A worker that dies stops renewing it and its share lapses.
struct WatcherShare {
  int64_t count = 0;
  int64_t until_ms = 0;
};
std::optional<WatcherShare> parse_share(std::string_view text);
// The sum of the shares still valid at `now_ms`.
int64_t sum_watchers(const std::vector<std::pair<std::string, std::string>>& shares, int64_t now_ms);

// One point of the timeline: the slot's start, the watchers and the
// questions received so far (redis/scripts/timeline_sample.lua writes it
// as "<t_ms> <watchers> <questions>").
struct TimelinePoint {
  int64_t t_ms = 0;
  int64_t watchers = 0;
  int64_t questions = 0;
};
std::optional<TimelinePoint> parse_point(std::string_view text);

// The timeline is sampled while questions are taken or the debate is live:
// once a minute while live, once every 15 minutes before and after (those
// phases can last days). 0: no sample in this phase.
int64_t timeline_slot_ms(Phase phase);
// The start of the slot `now_ms` falls in.
inline int64_t slot_start(int64_t now_ms, int64_t slot_ms) { return now_ms - now_ms % slot_ms; }
// Points kept per debate (the oldest go first): a week of live minutes.
inline constexpr int64_t kTimelineMaxPoints = 10'080;

}  // namespace palabre::domain
