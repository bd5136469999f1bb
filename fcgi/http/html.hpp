// HTML out: the escaping every page the worker writes goes through
// (transcript.html, thread.html). Pure functions, any thread.
//
// Everything that came from a person (titles, names, texts) or from a
// stored record is written through escape(), in text and in attribute
// values alike (attributes are always double-quoted). Nothing is ever
// inserted as markup.
#pragma once

#include <string>
#include <string_view>

namespace palabre::http::html {

// & < > " ' as character references; every other byte as it is (the input
// is UTF-8 already: the API refuses anything else).
std::string escape(std::string_view text);
// Appends escape(text) to `out`.
void append_escaped(std::string& out, std::string_view text);

}  // namespace palabre::http::html
