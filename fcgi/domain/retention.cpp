#include "domain/retention.hpp"

#include <algorithm>

namespace palabre::domain {
namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
}  // namespace

int64_t closed_at_ms(const Event& e) {
  int64_t window_end = e.ends_at_ms + e.late_questions_days * kDayMs;
  if (e.closed) return std::min(window_end, e.updated_ms);
  return window_end;
}

bool purge_due(const Event& e, int64_t now_ms, int retention_days) {
  if (!e.closed && phase_of(e, now_ms) != Phase::closed) return false;
  return now_ms - closed_at_ms(e) > retention_days * kDayMs;
}


int visitor_session_ttl_s(const Event& e, int64_t now_ms, int max_days) {
  int64_t until_ms = closed_at_ms(e) + kVisitorSessionGraceS * 1000LL;
  int64_t ttl_s = (until_ms - now_ms + 999) / 1000;
  int64_t max_s = static_cast<int64_t>(max_days) * 86400;
  return static_cast<int>(std::clamp<int64_t>(ttl_s, kVisitorSessionGraceS, std::max<int64_t>(max_s, kVisitorSessionGraceS)));
}

}  // namespace palabre::domain
