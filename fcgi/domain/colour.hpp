// Colours the organiser chooses for the pages: the brand colour is a
// background under white text (buttons, the header band), so it must keep
// WCAG 2.1's 4.5:1 contrast ratio with white (success criterion 1.4.3).
#pragma once

#include <optional>
#include <string_view>

namespace palabre::domain {

inline constexpr double kMinContrastWithWhite = 4.5;

// "#004494" or "#049" → the ratio (1 to 21) of white against that colour;
// nullopt when the text is not such a colour.
std::optional<double> contrast_with_white(std::string_view hex_colour);

}  // namespace palabre::domain
