// Conversions between store records and their SQL columns that every backend
// shares. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace palabre::store {

// events.languages holds a JSON array of strings.
std::string languages_to_json(const std::vector<std::string>& languages);
// Lenient: non-string items are skipped, and text that is not a JSON array
// (a hand-edited row) gives {"fr"} with a warning, so that an event always
// has a default language.
std::vector<std::string> languages_from_json(std::string_view json);

// Order of Redis stream ids "<ms>-<seq>" by number, which string order is
// not ("…-10" sorts before "…-9"). Malformed ids sort by text after the
// well-formed ones.
bool cursor_less(std::string_view a, std::string_view b);

}  // namespace palabre::store
