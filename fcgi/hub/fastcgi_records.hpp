// FastCGI record encoding for parked streams: STDOUT records and the end of a
// request (empty STDOUT + FCGI_END_REQUEST). Pure functions and an immutable
// Frame; any thread. Nothing here throws except std::bad_alloc.
//
// Why a Frame: one SSE frame goes to up to 40,000 streams, so its bytes are
// built once and shared (shared_ptr<const Frame>); each stream adds only its
// own 8-byte record headers when it writes (gather_records → sendmsg). To make
// that possible the content is cut into records of kMaxRecordContent bytes, a
// multiple of 8, so that only the last record needs padding, and the padding
// is stored once after the content.
#pragma once

#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace palabre::hub {

inline constexpr size_t kFcgiHeaderSize = 8;
inline constexpr uint8_t kFcgiVersion1 = 1;
inline constexpr uint8_t kFcgiEndRequest = 3;
inline constexpr uint8_t kFcgiStdout = 6;
inline constexpr uint8_t kFcgiRequestComplete = 0;
// Largest multiple of 8 that fits the 16-bit content length (65535).
inline constexpr size_t kMaxRecordContent = 65528;
// Empty STDOUT (8 bytes) + END_REQUEST header and body (16 bytes).
inline constexpr size_t kEndOfRequestSize = 24;

using RecordHeader = std::array<uint8_t, kFcgiHeaderSize>;

RecordHeader record_header(uint8_t type, uint16_t request_id, uint16_t content_length,
                           uint8_t padding_length);
// Zero bytes to append so that content_length + padding is a multiple of 8.
constexpr uint8_t padding_for(size_t content_length) {
  return static_cast<uint8_t>((8 - content_length % 8) % 8);
}

// Empty STDOUT record, then FCGI_END_REQUEST with appStatus 0 and
// FCGI_REQUEST_COMPLETE: nginx ends the HTTP response cleanly on it.
std::array<uint8_t, kEndOfRequestSize> encode_end_of_request(uint16_t request_id);

// STDOUT content prepared once and shared by every stream that sends it.
// Content must not be empty: an empty STDOUT record means end of output.
class Frame {
 public:
  explicit Frame(std::string content);

  size_t content_size() const { return content_size_; }
  size_t record_count() const {
    return (content_size_ + kMaxRecordContent - 1) / kMaxRecordContent;
  }
  // Bytes on the wire for one stream: headers + content + padding.
  size_t wire_size() const { return padded_.size() + kFcgiHeaderSize * record_count(); }
  // Content followed by the final record's padding.
  std::string_view padded() const { return padded_; }

 private:
  std::string padded_;
  size_t content_size_;
};

// The wire bytes of `content` as whole STDOUT records of `request_id`. For
// one-off output and tests; streams use Frame + gather_records.
std::string encode_stdout(uint16_t request_id, std::string_view content);

// Collects iovecs for one writev/sendmsg. The headers written for each record
// live in `headers` until the write is done; the payload iovecs point into
// the Frames, which the stream's queue keeps alive.
struct IovecBatch {
  static constexpr size_t kMaxIov = 64;
  // Not zeroed: only the first iov_count / header_count are ever read, and
  // a batch is made for every write.
  std::array<iovec, kMaxIov> iov;
  std::array<RecordHeader, kMaxIov / 2> headers;
  size_t iov_count = 0;
  size_t header_count = 0;
  size_t bytes = 0;

  void clear() { iov_count = header_count = bytes = 0; }
  void add(const void* data, size_t len);
};

// Adds the wire bytes of `frame` for `request_id`, starting `offset` bytes
// into them, until `max_bytes` or the batch is full. Returns the bytes added
// (0 when nothing fit).
size_t gather_records(const Frame& frame, uint16_t request_id, size_t offset, size_t max_bytes,
                      IovecBatch& batch);

}  // namespace palabre::hub
