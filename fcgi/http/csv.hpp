// CSV cells for the files people open in a spreadsheet (transcripts, the
// audit log). Pure.
#pragma once

#include <string>
#include <string_view>

namespace palabre::http {

// The value quoted, quotes doubled; a value that a spreadsheet would take
// for a formula (= + - @ first) gets a leading apostrophe (CSV injection).
std::string csv_cell(std::string_view s);

}  // namespace palabre::http
