// The Pub/Sub wake-ups a hub reads from Redis (wire/fanout.hpp):
// whatever the payload, the parse never reads outside it, and what it accepts
// has the documented shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "wire/fanout.hpp"

using namespace palabre;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
bool inside(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto m = wire::parse_fanout_message(payload);
  if (auto* e = std::get_if<wire::PublishedEntry>(&m)) {
    for (auto part : {e->stream_key, e->id_text, e->type, e->data}) check(inside(part, payload));
    check(!e->stream_key.empty() && !e->type.empty());
    check(e->stream_key.find('\n') == std::string_view::npos && e->type.find('\n') == std::string_view::npos);
    check(parse_stream_id(e->id_text) == e->id);
  } else if (auto* c = std::get_if<wire::CloseVisitor>(&m)) {
    check(inside(c->event_id, payload) && inside(c->visitor_id, payload));
    check(!c->event_id.empty() && !c->visitor_id.empty());
    check(c->visitor_id.find('\n') == std::string_view::npos);
  }
  return 0;
}
