#include "hub/loop.hpp"

#include <sys/socket.h>

#include <boost/test/unit_test.hpp>
#include <thread>
#include <vector>

#include "core/clock.hpp"

using namespace palabre;
using namespace palabre::hub;

BOOST_AUTO_TEST_SUITE(loop)

BOOST_AUTO_TEST_CASE(timers_run_in_deadline_order_and_cancelled_ones_never) {
  Loop loop;
  std::vector<int> order;
  int64_t now = monotonic_ms();
  loop.schedule(now + 20, [&] { order.push_back(2); });
  loop.schedule(now, [&] { order.push_back(1); });
  auto cancelled = loop.schedule(now + 10, [&] { order.push_back(99); });
  loop.cancel(cancelled);
  for (int i = 0; i < 50 && order.size() < 2; ++i) loop.run_once(-1);
  BOOST_TEST((order == std::vector<int>{1, 2}));
  BOOST_TEST(monotonic_ms() - now >= 20);
}

BOOST_AUTO_TEST_CASE(a_timer_scheduled_by_a_timer_runs_in_a_later_iteration) {
  Loop loop;
  int runs = 0;
  std::function<void()> again = [&] {
    ++runs;
    loop.schedule(0, again);
  };
  loop.schedule(0, again);
  loop.run_once(0);
  BOOST_TEST(runs == 1);
  loop.run_once(0);
  BOOST_TEST(runs == 2);
}

BOOST_AUTO_TEST_CASE(wake_from_another_thread_ends_the_wait) {
  Loop loop;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.wake();
  });
  int64_t start = monotonic_ms();
  bool woken = loop.run_once(5000);
  t.join();
  BOOST_TEST(woken);
  BOOST_TEST(monotonic_ms() - start < 2000);
  BOOST_TEST(!loop.run_once(0));  // the wake-up was consumed
}

namespace {
struct Recorder final : Loop::Handler {
  void on_events(uint32_t events) override { seen |= events; }
  uint32_t seen = 0;
};
}  // namespace

BOOST_AUTO_TEST_CASE(ready_fds_reach_their_handler) {
  Loop loop;
  int fds[2];
  BOOST_TEST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  Fd a(fds[0]), b(fds[1]);
  Recorder r;
  BOOST_TEST(loop.add(a.get(), EPOLLIN, &r));
  BOOST_TEST(::write(b.get(), "x", 1) == 1);
  loop.run_once(1000);
  BOOST_TEST((r.seen & EPOLLIN) != 0u);
  loop.remove(a.get());
}

BOOST_AUTO_TEST_SUITE_END()
