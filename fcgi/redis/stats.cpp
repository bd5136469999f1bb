#include "redis/stats.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "redis/keys.hpp"

namespace palabre::redis {
namespace {

int64_t integer(const redisReply* r) {
  if (!r) return 0;
  if (r->type == REDIS_REPLY_INTEGER) return r->integer;
  try {
    auto s = str(r);
    return s.empty() ? 0 : std::stoll(std::string(s));
  } catch (...) {
    return 0;
  }
}

// TIME → ms.
int64_t time_ms(const redisReply* r) {
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) return 0;
  return integer(r->element[0]) * 1000 + integer(r->element[1]) / 1000;
}

}  // namespace

DebateStats read_stats(Connection& redis, const std::string& event_id) {
  auto first = redis.pipeline({{"TIME"},
                               {"HGETALL", keys::watchers(event_id)},
                               {"GET", keys::watchers_peak(event_id)},
                               {"LRANGE", keys::timeline(event_id), "0", "-1"},
                               {"ZRANGE", keys::all_questions(event_id), "0", "-1"}});
  for (const auto& r : first)
    if (is_error(r.get())) throw Error(Code::store_unavailable, "The live store refused to read the figures.");
  DebateStats out;
  out.watchers_now = domain::sum_watchers(field_pairs(first[1].get()), time_ms(first[0].get()));
  // The peak is raised by the hubs every 2 s: a sum read between two of
  // their writes may be above it.
  out.watchers_peak = std::max(integer(first[2].get()), out.watchers_now);
  if (const redisReply* list = first[3].get(); list && list->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < list->elements; ++i)
      if (auto p = domain::parse_point(str(list->element[i]))) out.timeline.push_back(*p);

  std::vector<std::vector<std::string>> reads;
  if (const redisReply* ids = first[4].get(); ids && ids->type == REDIS_REPLY_ARRAY) {
    reads.reserve(ids->elements);
    for (size_t i = 0; i < ids->elements; ++i)
      reads.push_back({"HMGET", keys::question(event_id, str(ids->element[i])), "status", "lang", "reject_reason",
                       "answered", "hidden"});
  }
  std::vector<domain::QuestionFacts> facts;
  facts.reserve(reads.size());
  if (!reads.empty()) {
    auto records = redis.pipeline(reads);
    for (const auto& r : records) {
      // A question purged between the two reads has no status: not counted.
      if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 5 || is_nil(r->element[0])) continue;
      facts.push_back({std::string(str(r->element[0])), std::string(str(r->element[1])),
                       std::string(str(r->element[2])), str(r->element[3]) == "1", str(r->element[4]) == "1"});
    }
  }
  out.questions = domain::count_questions(facts);
  return out;
}

bool sample_timeline(Connection& redis, const std::string& event_id, int64_t slot_start_ms) {
  ReplyPtr r = redis.script(
      "timeline_sample",
      {keys::timeline(event_id), keys::watchers(event_id), keys::all_questions(event_id)},
      {std::to_string(slot_start_ms), std::to_string(domain::kTimelineMaxPoints)});
  if (!r || is_error(r.get())) throw Error(Code::store_unavailable, "The live store refused the timeline point.");
  return r->type == REDIS_REPLY_INTEGER && r->integer == 1;
}

}  // namespace palabre::redis
