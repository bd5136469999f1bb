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

// Controls that have no place in a message: C0 (but tab and newline), DEL and
// C1. A NUL cut transcripts short; the others hide text in terminals, logs
// and CSV readers.
bool is_forbidden_control(uint32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F);
}

// Embeddings, overrides and isolates reorder what follows them: in a
// pseudonym they make "nimda" read as "admin". Marks (U+200E/F) are harmless.
bool is_bidi_control(uint32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

// CRLF and lone CR (form posts, pasted text) become LF, so that the rule
// above only refuses what nobody types.
std::string normalise_newlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\r') { out += s[i]; continue; }
    out += '\n';
    if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
  }
  return out;
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
// The base letter of a Latin letter with a diacritic (Latin-1 and Latin
// Extended-A), lower-cased; 0 for anything else.
char latin_base(uint32_t cp) {
  static constexpr char kLatin1[] = "aaaaaaaceeeeiiiidnooooo ouuuuyts" "aaaaaaaceeeeiiiidnooooo ouuuuyty";
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  struct Range { uint32_t first, last; char base; };
  static constexpr Range kExtendedA[] = {
      {0x100, 0x105, 'a'}, {0x106, 0x10D, 'c'}, {0x10E, 0x111, 'd'}, {0x112, 0x11B, 'e'}, {0x11C, 0x123, 'g'},
      {0x124, 0x127, 'h'}, {0x128, 0x131, 'i'}, {0x134, 0x135, 'j'}, {0x136, 0x138, 'k'}, {0x139, 0x142, 'l'},
      {0x143, 0x14B, 'n'}, {0x14C, 0x151, 'o'}, {0x154, 0x159, 'r'}, {0x15A, 0x161, 's'}, {0x162, 0x167, 't'},
      {0x168, 0x173, 'u'}, {0x174, 0x175, 'w'}, {0x176, 0x178, 'y'}, {0x179, 0x17E, 'z'}, {0x17F, 0x17F, 's'},
  };
  for (const auto& r : kExtendedA)
    if (cp >= r.first && cp <= r.last) return r.base;
  return 0;
}

std::string without_spaces(const std::string& words) {
  std::string out;
  for (char c : words)
    if (c != ' ') out += c;
  return out;
}

// Whether consecutive words of `words` (as folded_words makes them) spell
// `letters` when run together: "AnneMartin (maire)", "A.n.n.e M.a.r.t.i.n"
// for "anne martin", but not "Joanne Martinez".
bool has_word_run(const std::string& words, const std::string& letters) {
  for (size_t start = 1; start < words.size(); start = words.find(' ', start) + 1) {
    std::string run;  // whole words from `start` on, until long enough
    for (size_t i = start; i < words.size(); ++i) {
      if (words[i] != ' ') run += words[i];
      else if (run.size() >= letters.size()) break;
    }
    if (run == letters) return true;
  }
  return false;
}

// Words that name the staff's roles in the interface's languages.
constexpr std::string_view kStaffWords[] = {
    "moderation", "moderateur", "moderatrice", "moderateurs", "moderator", "moderators", "moderatorin",
    "moderador", "moderadora", "moderatore", "moderacja", "moderacion", "moderazione",
    "admin", "admins", "administrateur", "administratrice", "administrator", "administrador",
    "administratore", "administration", "organisateur", "organisatrice", "organizer", "organiser",
    "organisator", "organizador", "organizzatore", "organizator", "staff", "palabre", "webmaster",
};
}  // namespace

std::string folded_words(std::string_view s) {
  std::string out = " ";
  size_t len = 0;
  for (size_t i = 0; i < s.size(); i += len) {
    uint32_t cp = decode_at(s, i, len);
    char c = 0;
    if (cp < 0x80 && std::isalnum(static_cast<int>(cp))) c = static_cast<char>(std::tolower(static_cast<int>(cp)));
    else if (cp == 0x152 || cp == 0x153) { out += "oe"; continue; }
    else if (cp == 0xC6 || cp == 0xE6) { out += "ae"; continue; }
    else c = latin_base(cp);
    if (c != 0 && c != ' ') out += c;
    else if (cp >= 0x80 && c == 0 && !is_blank_code_point(cp)) out.append(s.substr(i, len));  // other scripts as they are
    else if (out.back() != ' ') out += ' ';
  }
  if (out.back() != ' ') out += ' ';
  return out;
}

bool impersonates_staff(std::string_view name, const std::vector<std::string>& staff_names) {
  const std::string words = folded_words(name);
  const std::string squeezed = without_spaces(words);
  for (auto w : kStaffWords) {
    std::string padded = " " + std::string(w) + " ";
    if (words.find(padded) != std::string::npos || squeezed == w) return true;
  }
  for (const auto& staff : staff_names) {
    const std::string staff_words = folded_words(staff);
    const std::string staff_squeezed = without_spaces(staff_words);
    if (staff_squeezed.empty()) continue;
    if (words.find(staff_words) != std::string::npos || has_word_run(words, staff_squeezed)) return true;
  }
  return false;
}

std::string checked_text(std::string_view raw, size_t max_chars, std::string_view field) {
  if (!utf8::is_valid(raw)) throw Error(Code::invalid_utf8, "The " + std::string(field) + " is not valid UTF-8.");
  const std::string text = normalise_newlines(raw);
  size_t len = 0;
  for (size_t i = 0; i < text.size(); i += len)
    if (is_forbidden_control(decode_at(text, i, len)))
      throw Error(Code::text_control_chars,
                  "The " + std::string(field) + " contains control characters (only tab and newline are allowed).");
  std::string_view t = trim(text);
  if (t.empty()) throw Error(Code::text_empty, "The " + std::string(field) + " is empty.");
  if (*utf8::count_code_points(t) > max_chars)
    throw Error(Code::text_too_long, "The " + std::string(field) + " is longer than " +
                                         std::to_string(max_chars) + " characters.");
  return std::string(t);
}

std::string checked_name(std::string_view name, size_t max_chars, std::string_view field) {
  std::string t = checked_text(name, max_chars, field);
  size_t len = 0;
  for (size_t i = 0; i < t.size(); i += len) {
    uint32_t cp = decode_at(t, i, len);
    if (cp < 0x20)
      throw Error(Code::text_control_chars, "The " + std::string(field) + " must fit on one line.");
    if (is_bidi_control(cp))
      throw Error(Code::text_control_chars,
                  "The " + std::string(field) + " contains characters that reverse the direction of text.");
  }
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
