#include "domain/text_rules.hpp"

#include <cctype>
#include <cstdint>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace palabre::domain {
namespace {
// White space and invisible characters that make a text look empty: ASCII
// space and controls, no-break and typographic spaces, zero-width
// characters and the byte-order mark.
bool is_blank_code_point(uint32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200D) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

// Decodes the code point starting at s[i] (s is valid UTF-8); sets its length.
uint32_t decode_at(std::string_view s, size_t i, size_t& len) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { len = 1; return c; }
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else { len = 4; cp = c & 0x07; }
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

// Trims blank code points at both ends of valid UTF-8.
std::string_view trim(std::string_view s) {
  size_t start = 0, len = 0;
  while (start < s.size() && is_blank_code_point(decode_at(s, start, len))) start += len;
  size_t end = start;  // one past the last non-blank code point
  for (size_t i = start; i < s.size(); i += len) {
    if (!is_blank_code_point(decode_at(s, i, len))) end = i + len;
  }
  return s.substr(start, end - start);
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

}  // namespace palabre::domain
