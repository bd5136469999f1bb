// utf8::count_code_points against a reference decoder written here from the
// Unicode standard's table of well-formed byte sequences (Unicode 15, table
// 3-7), so that the fuzzer finds disagreements and not only crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "core/utf8.hpp"

using namespace palabre;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

bool in(uint8_t b, uint8_t lo, uint8_t hi) { return b >= lo && b <= hi; }

std::optional<size_t> reference_count(const uint8_t* p, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++count) {
    uint8_t b0 = p[i];
    auto at = [&](size_t k) -> int { return i + k < n ? p[i + k] : -1; };
    auto cont = [&](size_t k, uint8_t lo = 0x80, uint8_t hi = 0xBF) {
      int b = at(k);
      return b >= 0 && in(static_cast<uint8_t>(b), lo, hi);
    };
    if (b0 <= 0x7F) { i += 1; continue; }
    if (in(b0, 0xC2, 0xDF) && cont(1)) { i += 2; continue; }
    if (b0 == 0xE0 && cont(1, 0xA0, 0xBF) && cont(2)) { i += 3; continue; }
    if ((in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) && cont(1) && cont(2)) { i += 3; continue; }
    if (b0 == 0xED && cont(1, 0x80, 0x9F) && cont(2)) { i += 3; continue; }
    if (b0 == 0xF0 && cont(1, 0x90, 0xBF) && cont(2) && cont(3)) { i += 4; continue; }
    if (in(b0, 0xF1, 0xF3) && cont(1) && cont(2) && cont(3)) { i += 4; continue; }
    if (b0 == 0xF4 && cont(1, 0x80, 0x8F) && cont(2) && cont(3)) { i += 4; continue; }
    return std::nullopt;
  }
  return count;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto got = utf8::count_code_points(s);
  auto want = reference_count(data, size);
  check(got == want);
  check(utf8::is_valid(s) == want.has_value());
  return 0;
}
