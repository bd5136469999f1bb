// Where the Redis master is, for the hub's connections, asked of the
// sentinels on a thread of its own. Asking blocks (redis/sentinel.hpp: up to
// 500 ms for each sentinel that does not answer, as when its host is cut
// from the network), and the hub must never wait: its streams' pings and
// long-poll deadlines would stall meanwhile, once per reconnect of each of
// its two connections.
//
// Ownership: owns its thread, started by the first ask() and joined by the
// destructor (which may so wait for one lookup to finish). Holds no handle
// between lookups.
// Threads: ask() and deliver() on the hub thread only; the lookup thread
// only runs redis::ask_sentinels and wakes the hub's Loop.
// Errors: never throws (except std::bad_alloc, and std::system_error when
// the thread cannot be started); a failed lookup is an answer without an
// address and the reason.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "hub/loop.hpp"
#include "redis/sentinel.hpp"

namespace palabre::hub {

class MasterLookup {
 public:
  // The master's address, or nullopt and why none was found.
  using Answer = std::function<void(const std::optional<redis::MasterAddress>& master, const std::string& why)>;

  // One lookup, blocking, on the lookup thread: redis::ask_sentinels in the
  // hub (a test passes its own).
  using Find = std::function<std::optional<redis::MasterAddress>(std::string& why)>;

  MasterLookup(Loop& loop, Find find);
  // Asks the sentinels of `config`, which must outlive this object.
  MasterLookup(const Config& config, Loop& loop);
  ~MasterLookup();
  MasterLookup(const MasterLookup&) = delete;
  MasterLookup& operator=(const MasterLookup&) = delete;

  // Asks for a lookup that starts after this call (an answer found before
  // it may name a master that has since failed over). `done` runs on the
  // hub thread, from deliver().
  void ask(Answer done);
  // Runs the answers that came in; the hub calls it after each wake-up.
  void deliver();

 private:
  struct Result {
    uint64_t asked = 0;  // the asks this lookup answers: those numbered up to here
    std::optional<redis::MasterAddress> master;
    std::string why;
  };
  struct Waiting {
    uint64_t number;
    Answer done;
  };

  void run();

  Loop& loop_;
  Find find_;  // lookup thread only
  std::thread thread_;

  std::mutex mutex_;  // guards the four below
  std::condition_variable wanted_;
  uint64_t asked_ = 0;     // asks made so far
  uint64_t started_ = 0;   // asks the lookup in progress (or the last) answers
  std::optional<Result> result_;  // the latest answer, not yet delivered
  bool stopping_ = false;

  std::vector<Waiting> waiting_;  // hub thread only
};

}  // namespace palabre::hub
