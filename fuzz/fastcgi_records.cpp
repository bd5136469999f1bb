// The hub's FastCGI STDOUT records (hub/fastcgi_records.hpp). They parse no
// input, but gather_records resumes a frame at any byte offset under any
// write budget, which is where an off-by-one would corrupt every stream. The
// input picks the content, its length (up to three records) and the
// successive budgets; the bytes gathered must be exactly encode_stdout's,
// and a record decoder written here must read the content back from them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hub/fastcgi_records.hpp"

using namespace palabre;
using namespace palabre::hub;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

// The STDOUT content of `wire`, checking every header on the way.
std::string decode_stdout(std::string_view wire, uint16_t request_id) {
  std::string content;
  size_t pos = 0;
  while (pos < wire.size()) {
    check(wire.size() - pos >= kFcgiHeaderSize);
    auto b = [&](size_t k) { return static_cast<uint8_t>(wire[pos + k]); };
    check(b(0) == kFcgiVersion1 && b(1) == kFcgiStdout);
    check((b(2) << 8 | b(3)) == request_id);
    size_t len = b(4) << 8 | b(5), pad = b(6);
    check(len > 0 && (len + pad) % 8 == 0 && pad < 8);
    check(wire.size() - pos - kFcgiHeaderSize >= len + pad);
    content.append(wire.substr(pos + kFcgiHeaderSize, len));
    for (size_t k = 0; k < pad; ++k) check(wire[pos + kFcgiHeaderSize + len + k] == '\0');
    pos += kFcgiHeaderSize + len + pad;
  }
  return content;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  const uint16_t request_id = static_cast<uint16_t>(data[0] << 8 | data[1]);
  const size_t length = 1 + ((size_t{data[2]} << 16 | size_t{data[3]} << 8 | data[4]) % (3 * kMaxRecordContent + 64));
  std::string_view budgets(reinterpret_cast<const char*>(data) + 5, size - 5);
  std::string content(length, '\0');
  for (size_t i = 0; i < length; ++i) content[i] = budgets[i % budgets.size()];

  Frame frame(content);
  check(frame.content_size() == length);
  const std::string expected = encode_stdout(request_id, content);
  check(frame.wire_size() == expected.size());

  // Write the frame as a stream would: batch after batch, each with the next
  // budget from the input (1 to 256 KiB, varied enough to land in headers,
  // payloads and padding).
  std::string wire;
  size_t offset = 0, turn = 0;
  IovecBatch batch;
  while (offset < frame.wire_size()) {
    check(++turn < 1000000);
    uint8_t b = static_cast<uint8_t>(budgets[turn % budgets.size()]);
    const size_t low = b & 0x7Fu;
    size_t budget = (b & 0x80) ? (low << 11) + 1 : low + 1;
    batch.clear();
    size_t added = gather_records(frame, request_id, offset, budget, batch);
    check(added > 0 && added <= budget && added == batch.bytes);
    for (size_t i = 0; i < batch.iov_count; ++i)
      wire.append(static_cast<const char*>(batch.iov[i].iov_base), batch.iov[i].iov_len);
    offset += added;
  }
  check(wire == expected);
  check(decode_stdout(wire, request_id) == content);

  auto end = encode_end_of_request(request_id);
  check(end[0] == kFcgiVersion1 && end[1] == kFcgiStdout && end[4] == 0 && end[5] == 0);
  check(end[8] == kFcgiVersion1 && end[9] == kFcgiEndRequest);
  return 0;
}
