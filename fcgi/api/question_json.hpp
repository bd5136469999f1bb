// Questions and messages as JSON: the staff view of a question and the data
// of a public `message` frame (docs/API.md). No I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/question.hpp"
#include "http/json.hpp"

namespace palabre::api {

// Staff view (docs/API.md "The question object").
void write_staff_json(http::JsonWriter& w, const domain::Question& q);
std::string staff_json(const domain::Question& q);
// The public `message` frame's data.
std::string message_json(std::string_view id, std::string_view kind, std::string_view author,
                         std::string_view text, std::string_view lang, std::string_view reply_to,
                         int64_t ts_ms);

}  // namespace palabre::api
