#include "domain/text_rules.hpp"

#include <cctype>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace palabre::domain {
namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
}  // namespace

std::string checked_text(std::string_view text, size_t max_chars, std::string_view field) {
  auto count = utf8::count_code_points(text);
  if (!count) throw Error(Code::invalid_utf8, "The " + std::string(field) + " is not valid UTF-8.");
  std::string_view t = trim(text);
  if (t.empty()) throw Error(Code::text_empty, "The " + std::string(field) + " is empty.");
  if (*utf8::count_code_points(t) > max_chars)
    throw Error(Code::text_too_long, "The " + std::string(field) + " is longer than " +
                                         std::to_string(max_chars) + " characters.");
  return std::string(t);
}

std::string checked_name(std::string_view name, size_t max_chars, std::string_view field) {
  std::string t = checked_text(name, max_chars, field);
  for (unsigned char c : t)
    if (c < 0x20 || c == 0x7f)
      throw Error(Code::invalid_field, "The " + std::string(field) + " contains control characters.");
  return t;
}

bool is_language_tag(std::string_view tag) {
  if (tag.size() < 2 || tag.size() > 35) return false;
  if (!std::isalpha(static_cast<unsigned char>(tag.front()))) return false;
  for (char c : tag)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

bool is_event_id(std::string_view id) {
  if (id.size() < 3 || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool is_stream_id(std::string_view id) {
  size_t dash = id.find('-');
  if (dash == std::string_view::npos) return all_digits(id);
  return all_digits(id.substr(0, dash)) && all_digits(id.substr(dash + 1));
}

}  // namespace palabre::domain
