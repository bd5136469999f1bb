// What visitors and staff may write: pure validation, no I/O. Text is stored
// as given (after trimming) and escaped where it is shown, never filtered.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace palabre::domain {

// Trims white space at both ends; throws Error(text_empty | text_too_long |
// invalid_utf8). `max_chars` counts code points.
std::string checked_text(std::string_view text, size_t max_chars, std::string_view field = "text");
// A pseudonym or display name: 1..max_chars code points, no control characters.
std::string checked_name(std::string_view name, size_t max_chars, std::string_view field = "name");
// Whether a pseudonym passes for the debate's staff: it contains a word such
// as "modération", "admin" or "organisateur" (in the debate languages we
// ship), or the name of one of `staff_names` (guests, the organiser, staff
// labels). Compared without case, accents, spacing or punctuation.
bool impersonates_staff(std::string_view name, const std::vector<std::string>& staff_names);
// Lower case, Latin accents removed, every run of other characters one
// space, with a space at both ends: " pourquoi le conseil ". Letters of other
// scripts are kept as they are. For comparisons that ignore case, accents
// and punctuation (staff names, word filters).
std::string folded_words(std::string_view s);
// A BCP 47-looking tag ("fr", "en-GB", "pt-BR"): letters, digits, '-', 2..35 chars.
bool is_language_tag(std::string_view tag);
// Event slug: [a-z0-9-]{3,64}.
bool is_event_id(std::string_view id);

}  // namespace palabre::domain
