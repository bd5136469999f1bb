#include "hub/fastcgi_records.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace palabre::hub;

namespace {

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s.push_back(static_cast<char>(b));
  return s;
}

// The wire bytes gather_records() describes for one frame, from `offset`,
// `max_bytes` at a time, as a stream writing in short steps would send them.
std::string gather_all(const Frame& frame, uint16_t request_id, size_t offset, size_t max_bytes) {
  std::string out;
  for (;;) {
    IovecBatch batch;
    size_t n = gather_records(frame, request_id, offset, max_bytes, batch);
    if (n == 0) break;
    for (size_t i = 0; i < batch.iov_count; ++i) {
      out.append(static_cast<const char*>(batch.iov[i].iov_base), batch.iov[i].iov_len);
    }
    BOOST_TEST(batch.bytes == n);
    offset += n;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fastcgi_records)

BOOST_AUTO_TEST_CASE(stdout_record_has_version_type_request_id_length_and_padding) {
  std::string wire = encode_stdout(0x0102, "hello");
  BOOST_TEST(wire == bytes({1, 6, 0x01, 0x02, 0, 5, 3, 0}) + "hello" + std::string(3, '\0'));
}

BOOST_AUTO_TEST_CASE(content_that_is_a_multiple_of_eight_gets_no_padding) {
  std::string wire = encode_stdout(1, "12345678");
  BOOST_TEST(wire == bytes({1, 6, 0, 1, 0, 8, 0, 0}) + "12345678");
}

BOOST_AUTO_TEST_CASE(end_of_request_is_empty_stdout_then_end_request_complete) {
  auto end = encode_end_of_request(7);
  std::string wire(reinterpret_cast<const char*>(end.data()), end.size());
  BOOST_TEST(wire ==
             bytes({1, 6, 0, 7, 0, 0, 0, 0,     // empty STDOUT
                    1, 3, 0, 7, 0, 8, 0, 0,     // END_REQUEST, 8 bytes of body
                    0, 0, 0, 0, 0, 0, 0, 0}));  // appStatus 0, FCGI_REQUEST_COMPLETE, reserved
}

BOOST_AUTO_TEST_CASE(large_content_is_cut_into_records_of_at_most_65535_bytes) {
  std::string content(70000, 'x');
  std::string wire = encode_stdout(1, content);
  // 65528 bytes (no padding), then 4472 bytes (padding 0: 4472 % 8 == 0).
  BOOST_TEST(wire.substr(0, 8) == bytes({1, 6, 0, 1, 0xff, 0xf8, 0, 0}));
  BOOST_TEST(wire.substr(8 + 65528, 8) == bytes({1, 6, 0, 1, 0x11, 0x78, 0, 0}));
  BOOST_TEST(wire.size() == 16 + 70000);
  std::string odd(65529, 'y');
  std::string wire2 = encode_stdout(1, odd);
  BOOST_TEST(wire2.substr(8 + 65528, 8) == bytes({1, 6, 0, 1, 0, 1, 7, 0}));
  BOOST_TEST(wire2.size() == 8 + 65528 + 8 + 1 + 7);
}

BOOST_AUTO_TEST_CASE(frame_wire_size_counts_headers_content_and_padding) {
  BOOST_TEST(Frame("hello").wire_size() == 16u);
  BOOST_TEST(Frame(std::string(65528, 'a')).wire_size() == 65536u);
  BOOST_TEST(Frame(std::string(65529, 'a')).wire_size() == 65536u + 16u);
}

BOOST_AUTO_TEST_CASE(gathered_records_equal_the_encoding_from_any_offset_and_step) {
  for (size_t size : {1u, 7u, 8u, 9u, 100u, 65527u, 65528u, 65529u, 140000u}) {
    std::string content;
    for (size_t i = 0; i < size; ++i) content.push_back(static_cast<char>('a' + i % 26));
    Frame frame(content);
    std::string expected = encode_stdout(0xbeef, content);
    BOOST_TEST_REQUIRE(frame.wire_size() == expected.size());
    BOOST_TEST(gather_all(frame, 0xbeef, 0, SIZE_MAX) == expected);
    for (size_t offset :
         {size_t{1}, size_t{7}, size_t{8}, size_t{9}, expected.size() / 2, expected.size() - 1}) {
      BOOST_TEST(gather_all(frame, 0xbeef, offset, SIZE_MAX) == expected.substr(offset));
      BOOST_TEST(gather_all(frame, 0xbeef, offset, 5) == expected.substr(offset));
    }
    BOOST_TEST(gather_all(frame, 0xbeef, 0, 3) == expected);
  }
}

BOOST_AUTO_TEST_CASE(a_full_batch_stops_at_a_record_boundary) {
  // 64 iovecs hold 32 records (header + payload); a 40-record frame needs two batches.
  Frame frame(std::string(40 * kMaxRecordContent, 'z'));
  IovecBatch batch;
  size_t n = gather_records(frame, 1, 0, SIZE_MAX, batch);
  BOOST_TEST(batch.iov_count == IovecBatch::kMaxIov);
  BOOST_TEST(n == 32 * (kMaxRecordContent + 8));
}

BOOST_AUTO_TEST_SUITE_END()
