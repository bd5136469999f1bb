// Blocked words and patterns: a question that matches one is flagged for
// the moderators (its `flags`), never dropped. Matching ignores case,
// accents and punctuation, and goes by whole words: "con" flags "Con !" but
// not "conseil". A '*' at the start or the end of a pattern lets a word go
// on: "arnaq*" flags "arnaque" and "arnaqueurs". No other syntax (no
// regular expressions: a pattern cannot make matching slow). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace palabre::domain {

inline constexpr size_t kMaxWordFilters = 500;
inline constexpr size_t kMaxPatternChars = 100;

struct WordFilter {
  std::string pattern;
  std::string lang;  // "" : every language; else the questions in that language
};

// Trims and checks a pattern (1–100 characters on one line, some letter or
// digit). Throws Error(invalid_field | text_empty | text_too_long).
std::string checked_pattern(std::string_view pattern);

// The patterns of `filters` that `text`, a question in `lang`, matches.
std::vector<std::string> matching_patterns(const std::vector<WordFilter>& filters, std::string_view text,
                                           std::string_view lang);

}  // namespace palabre::domain
