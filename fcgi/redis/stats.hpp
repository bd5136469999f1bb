// Reading a debate's dashboard figures from Redis (domain/stats.hpp says
// what they mean), and taking a point of its timeline. Any thread with its
// own Connection. Throws Error(store_unavailable).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/stats.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

struct DebateStats {
  int64_t watchers_now = 0;
  int64_t watchers_peak = 0;
  domain::QuestionCounts questions;
  std::vector<domain::TimelinePoint> timeline;
};

// Two round trips: the watchers, the peak, the timeline and the question
// ids, then one HMGET per question (5 fields each) in one pipeline.
DebateStats read_stats(Connection& redis, const std::string& event_id);

// Adds the point of the slot starting at `slot_start_ms` unless some worker
// did already (scripts/timeline_sample.lua). True if this call added it.
bool sample_timeline(Connection& redis, const std::string& event_id, int64_t slot_start_ms);

}  // namespace palabre::redis
