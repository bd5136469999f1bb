#include "domain/event.hpp"

namespace palabre::domain {
namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
}  // namespace

std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::scheduled: return "scheduled";
    case Phase::pre_questions: return "pre_questions";
    case Phase::live: return "live";
    case Phase::late_questions: return "late_questions";
    case Phase::closed: return "closed";
  }
  return "closed";
}

Phase phase_of(const Event& e, int64_t now_ms) {
  if (e.closed) return Phase::closed;
  if (now_ms < e.starts_at_ms) return e.questions_before ? Phase::pre_questions : Phase::scheduled;
  if (now_ms < e.ends_at_ms) return Phase::live;
  if (now_ms < e.ends_at_ms + e.late_questions_days * kDayMs) return Phase::late_questions;
  return Phase::closed;
}

int64_t next_phase_change_ms(const Event& e, int64_t now_ms) {
  if (e.closed) return INT64_MAX;
  for (int64_t boundary : {e.starts_at_ms, e.ends_at_ms, e.ends_at_ms + e.late_questions_days * kDayMs})
    if (now_ms < boundary) return boundary;
  return INT64_MAX;
}

bool accepts_questions(Phase p) {
  return p == Phase::pre_questions || p == Phase::live || p == Phase::late_questions;
}

}  // namespace palabre::domain
