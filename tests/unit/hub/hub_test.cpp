// The whole hub without Redis (the configured socket does not exist, so no
// network is touched): streams are admitted, answered, and ended cleanly.
// Delivery of published entries needs Redis and is checked end to end
// outside the unit tests.
#include "hub/hub.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/fd.hpp"
#include "core/log.hpp"
#include "hub/hub_core.hpp"
#include "hub/fastcgi_records.hpp"
#include "wire/sse.hpp"

using namespace palabre;
using namespace palabre::hub;

namespace {

Config offline_config() {
  Config c;
  c.redis_socket = "/nonexistent/palabre-hub-test.sock";
  c.redis_timeout_ms = 200;
  return c;
}

// Reads from `fd` until `want` bytes arrived, EOF, or 3 s passed.
std::string read_until(int fd, size_t want, bool until_eof = false) {
  std::string out;
  int64_t deadline = monotonic_ms() + 3000;
  while (monotonic_ms() < deadline && (until_eof || out.size() < want)) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string end_bytes(uint16_t id) {
  auto e = encode_end_of_request(id);
  return std::string(reinterpret_cast<const char*>(e.data()), e.size());
}

template <class F>
bool eventually(F cond) {
  int64_t deadline = monotonic_ms() + 3000;
  while (monotonic_ms() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

struct RunningHub {
  RunningHub() : hub(offline_config()), thread([this] { hub.run(); }) {}
  ~RunningHub() {
    hub.stop();
    thread.join();
  }
  Hub hub;
  std::thread thread;
};

// Parks one end of a socketpair; returns the other end (nginx's side).
Fd park(Hub& hub, StreamKind kind, uint16_t request_id, std::string cursor = "0",
        int64_t deadline = 0, std::string visitor = "") {
  int fds[2];
  BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  ParkRequest r;
  r.fd = fds[0];
  r.request_id = request_id;
  r.kind = kind;
  r.stream_key = "palabre:ev:{demo}:pub";
  r.event_id = "demo";
  r.visitor_id = std::move(visitor);
  r.cursor = std::move(cursor);
  r.deadline_mono_ms = deadline;
  hub.park(std::move(r));
  return Fd(fds[1]);
}

struct QuietLog {
  QuietLog() { log::set_min_level(log::Level::error); }
  ~QuietLog() { log::set_min_level(log::Level::info); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(hub_lifecycle, *boost::unit_test::fixture<QuietLog>())

BOOST_AUTO_TEST_CASE(sse_stream_gets_a_randomised_retry_hint_and_a_hello_then_a_clean_end_on_stop) {
  // Every hint in [kSseRetryMinMs, kSseRetryMaxMs] has four digits, so the
  // record has the same length whatever was drawn; the hello event follows
  // at once in the same record, before anything is published.
  const std::string hello = wire::sse_hello(offline_config().ping_interval_s);
  const std::string shape = encode_stdout(5, "retry: 1000\n\n" + hello);
  Fd nginx;
  {
    RunningHub h;
    nginx = park(h.hub, StreamKind::Sse, 5);
    std::string start = read_until(nginx.get(), shape.size());
    BOOST_REQUIRE(start.size() == shape.size());
    int ms = std::stoi(start.substr(8 + 7, 4));
    BOOST_TEST(ms >= kSseRetryMinMs);
    BOOST_TEST(ms <= kSseRetryMaxMs);
    BOOST_TEST((ms - kSseRetryMinMs) % kSseRetryStepMs == 0);
    BOOST_TEST(start == encode_stdout(5, "retry: " + std::to_string(ms) + "\n\n" + hello));
    BOOST_TEST(eventually([&] { return h.hub.stats().sse_streams.load() == 1; }));
    BOOST_TEST(h.hub.stats().streams_opened_total.load() == 1u);
  }
  BOOST_TEST(read_until(nginx.get(), 0, true) == end_bytes(5));
}

BOOST_AUTO_TEST_CASE(retry_hints_differ_between_streams) {
  // Twelve streams all drawing the same of 29 steps: about 3e-16.
  const std::string shape = encode_stdout(7, "retry: 1000\n\n");
  RunningHub h;
  std::vector<Fd> nginx;
  std::set<std::string> hints;
  for (int i = 0; i < 12; ++i) {
    nginx.push_back(park(h.hub, StreamKind::Sse, 7));
    hints.insert(read_until(nginx.back().get(), shape.size()).substr(8 + 7, 4));
  }
  BOOST_TEST(hints.size() > 1u);
}

BOOST_AUTO_TEST_CASE(long_poll_answers_empty_with_its_cursor_at_the_deadline) {
  RunningHub h;
  int64_t start = monotonic_ms();
  Fd nginx = park(h.hub, StreamKind::LongPoll, 300, "1763913600123-0", start + 100);
  BOOST_TEST(eventually([&] { return h.hub.stats().longpolls_waiting.load() == 1; }));
  std::string got = read_until(nginx.get(), 0, true);
  BOOST_TEST(got ==
             encode_stdout(300, R"({"cursor":"1763913600123-0","items":[]})") + end_bytes(300));
  BOOST_TEST(monotonic_ms() - start >= 100);
  BOOST_TEST(h.hub.stats().longpolls_waiting.load() == 0);
}

BOOST_AUTO_TEST_CASE(a_client_that_leaves_is_forgotten) {
  RunningHub h;
  Fd nginx = park(h.hub, StreamKind::Sse, 1);
  BOOST_TEST(eventually([&] { return h.hub.stats().sse_streams.load() == 1; }));
  nginx.reset();
  BOOST_TEST(eventually([&] { return h.hub.stats().sse_streams.load() == 0; }));
}

BOOST_AUTO_TEST_CASE(a_stream_parked_after_stop_is_ended_at_once) {
  Hub hub(offline_config());
  std::thread t([&] { hub.run(); });
  hub.stop();
  t.join();
  Fd nginx = park(hub, StreamKind::Sse, 8);
  BOOST_TEST(read_until(nginx.get(), 0, true) == end_bytes(8));
}

BOOST_AUTO_TEST_CASE(without_redis_the_hub_counts_errors_and_is_not_subscribed) {
  RunningHub h;
  BOOST_TEST(eventually([&] { return h.hub.stats().redis_errors_total.load() >= 2; }));
  BOOST_TEST(!h.hub.stats().subscribed.load());
  BOOST_TEST(eventually([&] { return h.hub.stats().redis_reconnects_total.load() >= 2; }));
}

BOOST_AUTO_TEST_SUITE_END()
