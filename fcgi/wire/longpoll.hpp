// The JSON body of a long-poll answer (docs/API.md, "long-poll"). Pure; any
// thread; never throws except std::bad_alloc.
//
//   {"cursor":"<last item id, or the request's cursor>",
//    "items":[{"cursor":"<id>","type":"<t>","data":<d verbatim>}, ...]}
//   plus "reset":true when the request's cursor could not be honoured and
//   the items are the whole history again (core/cursor.hpp).
//
// data is JSON already (redis/scripts/apply.lua), so it is copied, not
// re-encoded; an empty data becomes null so that the body stays valid JSON.
#pragma once

#include <string>
#include <string_view>

namespace palabre::wire {

inline constexpr size_t kLongPollMaxItems = 100;

class LongPollBody {
 public:
  void add(std::string_view id, std::string_view type, std::string_view data);
  size_t size() const { return count_; }
  // The body; `cursor` is the id of the last item added, or the request's
  // cursor when there is none.
  std::string finish(std::string_view cursor) &&;
  void mark_reset() { reset_ = true; }

 private:
  std::string items_;
  size_t count_ = 0;
  bool reset_ = false;
};

// A JSON string literal for `value` (quotes included).
void append_json_string(std::string& out, std::string_view value);

}  // namespace palabre::wire
