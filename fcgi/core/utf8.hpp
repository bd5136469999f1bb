// UTF-8 validation for everything a client sends. Pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace palabre::utf8 {

// Number of code points, or nullopt when `s` is not well-formed UTF-8
// (overlongs, surrogates and code points above U+10FFFF are rejected).
std::optional<size_t> count_code_points(std::string_view s);
inline bool is_valid(std::string_view s) { return count_code_points(s).has_value(); }

}  // namespace palabre::utf8
