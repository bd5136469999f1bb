// The hub's reader of FastCGI requests (hub/fastcgi_input.hpp), which reads
// whatever a local process writes to the stream socket, split however the
// kernel splits it. The first byte picks the chunk sizes; the rest is fed in
// those chunks and, separately, all at once: both must end in the same state
// with the same params and body, within the limits, and a Ready input must
// go on to the next request on the same connection the same way too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hub/fastcgi_input.hpp"

using namespace palabre::hub;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

constexpr FastcgiInput::Limits kLimits{512, 256};

void same(FastcgiInput& a, FastcgiInput& b) {
  check(a.state() == b.state());
  if (a.state() == FastcgiInput::State::Failed) check(a.failure() == b.failure());
  if (a.state() != FastcgiInput::State::Ready) return;
  check(a.request_id() == b.request_id() && a.keep_conn() == b.keep_conn());
  check(a.params() == b.params());
  check(a.body() == b.body());
  check(a.body().size() <= kLimits.max_body_bytes);
  size_t params = 0;
  for (const auto& [k, v] : a.params()) params += k.size() + v.size();
  check(params <= kLimits.max_params_bytes);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 17;
  std::string_view wire(reinterpret_cast<const char*>(data + 1), size - 1);

  FastcgiInput whole(kLimits), pieces(kLimits);
  whole.feed(wire);
  for (size_t pos = 0; pos < wire.size(); pos += step) pieces.feed(wire.substr(pos, step));
  same(whole, pieces);
  // Up to three requests on one kept connection.
  for (int i = 0; i < 3 && whole.state() == FastcgiInput::State::Ready; ++i) {
    whole.next_request();
    pieces.next_request();
    same(whole, pieces);
  }
  return 0;
}
