#include "domain/stats.hpp"

#include <charconv>

namespace palabre::domain {
namespace {

std::optional<int64_t> number(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "a b c" → {a, b, c}; nullopt unless exactly `n` numbers.
std::optional<std::vector<int64_t>> numbers(std::string_view text, size_t n) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    auto sp = text.find(' ');
    auto v = number(text.substr(0, sp));
    if (!v) return std::nullopt;
    out.push_back(*v);
    if (sp == std::string_view::npos) break;
    text.remove_prefix(sp + 1);
  }
  if (out.size() != n) return std::nullopt;
  return out;
}

}  // namespace

const std::vector<std::string_view>& reported_reasons() {
  static const std::vector<std::string_view> reasons = {"off_topic",     "duplicate", "already_answered", "abusive",
                                                        "personal_data", "other",     "merged"};
  return reasons;
}

QuestionCounts count_questions(const std::vector<QuestionFacts>& questions) {
  QuestionCounts c;
  for (auto r : reported_reasons()) c.by_reason[std::string(r)] = 0;
  for (const auto& q : questions) {
    ++c.received;
    ++c.by_lang[q.lang.empty() ? "und" : q.lang];
    if (q.hidden) {
      ++c.hidden;
    } else if (q.status == "published") {
      ++c.published;
      if (q.answered) ++c.answered;
    } else if (q.status == "rejected") {
      ++c.rejected;
      // A record from before reasons were coded counts as "other".
      auto it = c.by_reason.find(q.reject_reason);
      ++(it == c.by_reason.end() || q.reject_reason == "merged" ? c.by_reason["other"] : it->second);
    } else if (q.status == "merged") {
      ++c.rejected;
      ++c.by_reason["merged"];
    } else if (q.status == "retracted") {
      ++c.retracted;
    } else {
      ++c.pending;
    }
  }
  return c;
}

std::optional<WatcherShare> parse_share(std::string_view text) {
  auto v = numbers(text, 2);
  if (!v || (*v)[0] < 0) return std::nullopt;
  return WatcherShare{(*v)[0], (*v)[1]};
}

int64_t sum_watchers(const std::vector<std::pair<std::string, std::string>>& shares, int64_t now_ms) {
  int64_t sum = 0;
  for (const auto& [worker, value] : shares) {
    auto s = parse_share(value);
    if (s && s->until_ms > now_ms) sum += s->count;
  }
  return sum;
}

std::optional<TimelinePoint> parse_point(std::string_view text) {
  auto v = numbers(text, 3);
  if (!v) return std::nullopt;
  return TimelinePoint{(*v)[0], (*v)[1], (*v)[2]};
}

int64_t timeline_slot_ms(Phase phase) {
  switch (phase) {
    case Phase::live: return 60'000;
    case Phase::pre_questions:
    case Phase::late_questions: return 15 * 60'000;
    case Phase::scheduled:
    case Phase::closed: return 0;
  }
  return 0;
}

}  // namespace palabre::domain
