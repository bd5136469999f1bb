#include "hub/fastcgi_records.hpp"

#include <algorithm>

namespace palabre::hub {
namespace {

// Zeros for padding that is not stored in a Frame (encode_stdout).
constexpr std::array<char, 8> kZeros{};
constexpr size_t kWireRecord = kFcgiHeaderSize + kMaxRecordContent;

}  // namespace

RecordHeader record_header(uint8_t type, uint16_t request_id, uint16_t content_length,
                           uint8_t padding_length) {
  return RecordHeader{kFcgiVersion1,
                      type,
                      static_cast<uint8_t>(request_id >> 8),
                      static_cast<uint8_t>(request_id & 0xff),
                      static_cast<uint8_t>(content_length >> 8),
                      static_cast<uint8_t>(content_length & 0xff),
                      padding_length,
                      0};
}

std::array<uint8_t, kEndOfRequestSize> encode_end_of_request(uint16_t request_id) {
  std::array<uint8_t, kEndOfRequestSize> out{};
  auto empty_stdout = record_header(kFcgiStdout, request_id, 0, 0);
  auto end = record_header(kFcgiEndRequest, request_id, 8, 0);
  std::copy(empty_stdout.begin(), empty_stdout.end(), out.begin());
  std::copy(end.begin(), end.end(), out.begin() + 8);
  // Body: appStatus (4 bytes, 0), protocolStatus, 3 reserved bytes.
  out[16 + 4] = kFcgiRequestComplete;
  return out;
}

Frame::Frame(std::string content) : padded_(std::move(content)), content_size_(padded_.size()) {
  padded_.append(padding_for(content_size_), '\0');
}

std::string encode_stdout(uint16_t request_id, std::string_view content) {
  std::string out;
  out.reserve(content.size() + (content.size() / kMaxRecordContent + 1) * 16);
  while (!content.empty()) {
    size_t len = std::min(content.size(), kMaxRecordContent);
    uint8_t pad = padding_for(len);
    auto h = record_header(kFcgiStdout, request_id, static_cast<uint16_t>(len), pad);
    out.append(reinterpret_cast<const char*>(h.data()), h.size());
    out.append(content.substr(0, len));
    out.append(kZeros.data(), pad);
    content.remove_prefix(len);
  }
  return out;
}

void IovecBatch::add(const void* data, size_t len) {
  iov[iov_count].iov_base = const_cast<void*>(data);
  iov[iov_count].iov_len = len;
  ++iov_count;
  bytes += len;
}

size_t gather_records(const Frame& frame, uint16_t request_id, size_t offset, size_t max_bytes,
                      IovecBatch& batch) {
  const size_t records = frame.record_count();
  const std::string_view padded = frame.padded();
  size_t added = 0;
  size_t record = offset / kWireRecord;
  size_t in_record = offset % kWireRecord;
  while (record < records && added < max_bytes) {
    const bool last = record + 1 == records;
    const size_t content_begin = record * kMaxRecordContent;
    const size_t content_len = last ? frame.content_size() - content_begin : kMaxRecordContent;
    // The last record's payload includes the stored padding.
    const size_t payload_len = last ? padded.size() - content_begin : kMaxRecordContent;
    if (in_record < kFcgiHeaderSize) {
      if (batch.iov_count + 2 > IovecBatch::kMaxIov) break;
      RecordHeader& h = batch.headers[batch.header_count++];
      h = record_header(kFcgiStdout, request_id, static_cast<uint16_t>(content_len),
                        last ? padding_for(frame.content_size()) : 0);
      size_t len = std::min(kFcgiHeaderSize - in_record, max_bytes - added);
      batch.add(h.data() + in_record, len);
      added += len;
      in_record += len;
      if (in_record < kFcgiHeaderSize) break;  // max_bytes reached inside the header
    } else if (batch.iov_count + 1 > IovecBatch::kMaxIov) {
      break;
    }
    if (added >= max_bytes) break;
    const size_t payload_offset = in_record - kFcgiHeaderSize;
    size_t len = std::min(payload_len - payload_offset, max_bytes - added);
    batch.add(padded.data() + content_begin + payload_offset, len);
    added += len;
    if (payload_offset + len < payload_len) break;  // max_bytes reached inside the payload
    ++record;
    in_record = 0;
  }
  return added;
}

}  // namespace palabre::hub
