#include "domain/word_filter.hpp"

#include "core/error.hpp"
#include "domain/text_rules.hpp"

namespace palabre::domain {

std::string checked_pattern(std::string_view pattern) {
  std::string p = checked_name(pattern, kMaxPatternChars, "pattern");
  if (folded_words(p).find_first_not_of(' ') == std::string::npos)
    throw Error(Code::invalid_field, "A pattern needs at least one letter or digit.");
  return p;
}

std::vector<std::string> matching_patterns(const std::vector<WordFilter>& filters, std::string_view text,
                                           std::string_view lang) {
  std::vector<std::string> out;
  if (filters.empty()) return out;
  const std::string words = folded_words(text);  // " w1 w2 … "
  for (const auto& f : filters) {
    if (!f.lang.empty() && f.lang != lang) continue;
    std::string_view p = f.pattern;
    const bool open_start = !p.empty() && p.front() == '*';
    const bool open_end = !p.empty() && p.back() == '*';
    std::string needle = folded_words(p);  // " p1 p2 ", stars gone
    if (open_start) needle.erase(0, 1);
    if (open_end) needle.pop_back();
    if (words.find(needle) != std::string::npos) out.push_back(f.pattern);
  }
  return out;
}

}  // namespace palabre::domain
