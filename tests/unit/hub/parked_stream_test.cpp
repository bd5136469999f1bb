#include "hub/parked_stream.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>

using namespace palabre;
using namespace palabre::hub;

namespace {

// A socketpair: the stream writes to `hub`, the test reads `nginx`.
struct Pair {
  Pair() {
    int fds[2];
    BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    hub = fds[0];
    nginx = Fd(fds[1]);
    BOOST_TEST_REQUIRE(ParkedStream::make_nonblocking(hub));
    BOOST_TEST_REQUIRE(ParkedStream::make_nonblocking(nginx.get()));
  }
  std::string read_all() {
    std::string out;
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(nginx.get(), buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  int hub = -1;
  Fd nginx;
};

std::shared_ptr<const Frame> frame(std::string text) {
  return std::make_shared<const Frame>(std::move(text));
}

std::string end_bytes(uint16_t id) {
  auto e = encode_end_of_request(id);
  return std::string(reinterpret_cast<const char*>(e.data()), e.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parked_stream)

BOOST_AUTO_TEST_CASE(writes_queued_frames_as_records_of_its_own_request_id) {
  Pair p;
  ParkedStream s(Fd(p.hub), 42, 1 << 20);
  auto shared = frame("id: 1-0\nevent: message\ndata: {}\n\n");
  BOOST_TEST(s.enqueue(frame("retry: 3000\n\n")));
  BOOST_TEST(s.enqueue(shared));
  BOOST_TEST((s.flush(1 << 20) == Io::Done));
  BOOST_TEST(p.read_all() == encode_stdout(42, "retry: 3000\n\n") +
                                 encode_stdout(42, "id: 1-0\nevent: message\ndata: {}\n\n"));
  BOOST_TEST(s.queued_bytes() == 0u);
  BOOST_TEST(!s.has_output());
}

BOOST_AUTO_TEST_CASE(ends_with_empty_stdout_and_end_request_after_the_queue) {
  Pair p;
  ParkedStream s(Fd(p.hub), 3, 1 << 20);
  BOOST_TEST(s.enqueue(frame("{\"cursor\":\"0\",\"items\":[]}")));
  s.end_after_queued();
  BOOST_TEST((s.flush(1 << 20) == Io::Done));
  BOOST_TEST(s.finished());
  BOOST_TEST(p.read_all() == encode_stdout(3, "{\"cursor\":\"0\",\"items\":[]}") + end_bytes(3));
}

BOOST_AUTO_TEST_CASE(the_per_flush_cap_splits_output_without_breaking_records) {
  Pair p;
  ParkedStream s(Fd(p.hub), 1, 1 << 20);
  std::string text(1000, 'x');
  for (int i = 0; i < 10; ++i) BOOST_TEST(s.enqueue(frame(text)));
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += encode_stdout(1, text);
  std::string got;
  int flushes = 0;
  while (s.has_output()) {
    Io r = s.flush(333);
    BOOST_TEST((r != Io::Closed));
    got += p.read_all();
    ++flushes;
  }
  BOOST_TEST(got == expected);
  BOOST_TEST(flushes == static_cast<int>((expected.size() + 332) / 333));
}

BOOST_AUTO_TEST_CASE(a_client_that_stops_reading_overflows_the_backlog) {
  Pair p;
  int small = 4096;
  ::setsockopt(p.hub, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  ::setsockopt(p.nginx.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  const size_t limit = 64 * 1024;
  ParkedStream s(Fd(p.hub), 1, limit);
  auto f = frame(std::string(1000, 'y'));
  bool overflowed = false;
  size_t accepted = 0;
  for (int i = 0; i < 1000 && !overflowed; ++i) {
    if (!s.enqueue(f)) {
      overflowed = true;
      break;
    }
    ++accepted;
    Io r = s.flush(64 * 1024);
    BOOST_TEST((r != Io::Closed));
  }
  BOOST_TEST(overflowed);
  BOOST_TEST(!s.writable());  // the socket is full: EAGAIN was seen
  BOOST_TEST(s.queued_bytes() <= limit);
  BOOST_TEST(s.queued_bytes() + f->wire_size() > limit);
  BOOST_TEST(accepted > limit / f->wire_size());  // the kernel took some too
}

BOOST_AUTO_TEST_CASE(ending_now_completes_a_partly_written_record_and_drops_the_rest) {
  Pair p;
  int small = 4096;
  ::setsockopt(p.hub, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  ::setsockopt(p.nginx.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  ParkedStream s(Fd(p.hub), 9, 1 << 22);
  std::string big(200000, 'b');
  BOOST_TEST(s.enqueue(frame(big)));
  BOOST_TEST(s.enqueue(frame("never sent")));
  BOOST_TEST((s.flush(1 << 22) == Io::Again));  // the socket filled mid-frame
  s.end_now();
  std::string got;
  for (int i = 0; i < 10000 && !s.finished(); ++i) {
    got += p.read_all();
    s.on_writable();
    BOOST_TEST((s.flush(1 << 22) != Io::Closed));
  }
  got += p.read_all();
  BOOST_TEST(s.finished());
  BOOST_TEST(got == encode_stdout(9, big) + end_bytes(9));
}

BOOST_AUTO_TEST_CASE(ending_now_before_anything_was_written_sends_only_the_end) {
  Pair p;
  ParkedStream s(Fd(p.hub), 2, 1 << 20);
  BOOST_TEST(s.enqueue(frame("dropped")));
  s.end_now();
  BOOST_TEST(s.queued_bytes() == 0u);
  BOOST_TEST((s.flush(1 << 20) == Io::Done));
  BOOST_TEST(p.read_all() == end_bytes(2));
}

BOOST_AUTO_TEST_CASE(input_from_nginx_is_discarded_and_a_close_is_seen) {
  Pair p;
  ParkedStream s(Fd(p.hub), 1, 1 << 20);
  BOOST_TEST((s.drain_input() == Io::Done));
  BOOST_TEST(::write(p.nginx.get(), "abc", 3) == 3);
  BOOST_TEST((s.drain_input() == Io::Done));
  p.nginx.reset();
  BOOST_TEST((s.drain_input() == Io::Closed));
}

BOOST_AUTO_TEST_CASE(writing_to_a_closed_peer_reports_closed_without_sigpipe) {
  Pair p;
  ParkedStream s(Fd(p.hub), 1, 1 << 20);
  p.nginx.reset();
  BOOST_TEST(s.enqueue(frame("x")));
  BOOST_TEST((s.flush(1 << 20) == Io::Closed));
}

BOOST_AUTO_TEST_SUITE_END()
