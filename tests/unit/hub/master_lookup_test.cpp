#include "hub/master_lookup.hpp"

#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

using namespace palabre;
using namespace palabre::hub;

namespace {

// A lookup that blocks until the test lets it answer, and counts itself.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  int started = 0;
  int released = 0;

  std::optional<redis::MasterAddress> find(std::string& why) {
    std::unique_lock lock(m);
    const int mine = ++started;
    cv.notify_all();
    cv.wait(lock, [&] { return released >= mine; });
    if (mine == 2) {
      why = "no master";
      return std::nullopt;
    }
    return redis::MasterAddress{"10.0.0." + std::to_string(mine), 6379};
  }
  void wait_started(int n) {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return started >= n; });
  }
  void release(int n) {
    std::lock_guard lock(m);
    released = n;
    cv.notify_all();
  }
};

// Runs the loop until `done` (bounded), delivering what came in.
template <typename Done>
void run_until(Loop& loop, MasterLookup& lookup, Done done) {
  for (int i = 0; i < 100 && !done(); ++i) {
    loop.run_once(50);
    lookup.deliver();
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(master_lookup)

BOOST_AUTO_TEST_CASE(an_ask_made_during_a_lookup_waits_for_the_next_one) {
  Loop loop;
  Gate gate;
  std::vector<std::string> answers;
  {
    MasterLookup lookup(loop, [&](std::string& why) { return gate.find(why); });
    lookup.ask([&](const auto& master, const std::string&) { answers.push_back("a:" + master->host); });
    gate.wait_started(1);
    // The master may have moved since the first lookup began.
    lookup.ask([&](const auto& master, const std::string& why) {
      answers.push_back("b:" + (master ? master->host : why));
    });
    gate.release(1);
    run_until(loop, lookup, [&] { return !answers.empty(); });
    BOOST_TEST((answers == std::vector<std::string>{"a:10.0.0.1"}));
    gate.wait_started(2);
    gate.release(2);
    run_until(loop, lookup, [&] { return answers.size() == 2; });
    BOOST_TEST((answers == std::vector<std::string>{"a:10.0.0.1", "b:no master"}));
  }
  BOOST_TEST(gate.started == 2);  // nothing asked after that: no third lookup
}

BOOST_AUTO_TEST_CASE(destruction_waits_for_the_lookup_in_progress) {
  Loop loop;
  Gate gate;
  std::thread releaser;
  {
    MasterLookup lookup(loop, [&](std::string& why) { return gate.find(why); });
    lookup.ask([](const auto&, const std::string&) {});
    gate.wait_started(1);
    releaser = std::thread([&] { gate.release(1); });
  }  // joins the lookup thread, which returns once released
  releaser.join();
  BOOST_TEST(gate.started == 1);
}

BOOST_AUTO_TEST_SUITE_END()
