// The hub's event loop: epoll, an eventfd to be woken from other threads, and
// one-shot timers on the monotonic clock (the epoll_wait timeout is computed
// from the nearest deadline, so no timerfd is needed).
//
// Ownership: owns the epoll fd and the eventfd. Handlers are not owned; a
// handler must stay alive until the end of the run_once() in which it was
// removed (the hub defers destruction of closed streams for that reason).
// Threads: wake() from any thread; everything else on the hub thread.
// Errors: the constructor throws std::system_error (start-up only); after
// that nothing throws, and epoll_ctl failures are returned as false.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/fd.hpp"

namespace palabre::hub {

class Loop {
 public:
  class Handler {
   public:
    virtual void on_events(uint32_t events) = 0;

   protected:
    ~Handler() = default;
  };
  using TimerId = uint64_t;

  Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  bool add(int fd, uint32_t events, Handler* handler);
  // Points an fd that is most likely still registered (a door connection
  // becoming a stream and back) at `handler`, registering it if it is not:
  // one system call, not a removal and an addition.
  bool repoint(int fd, uint32_t events, Handler* handler);
  bool modify(int fd, uint32_t events, Handler* handler);
  void remove(int fd);

  // Runs `fn` once, on the hub thread, at or after `at_ms` (monotonic_ms()).
  TimerId schedule(int64_t at_ms, std::function<void()> fn);
  void cancel(TimerId id);

  // One iteration: waits at most `max_wait_ms` (-1: until the next timer or
  // wake-up), dispatches every ready fd, then runs the timers that are due.
  // Returns true when wake() was called since the previous iteration.
  bool run_once(int max_wait_ms);

  // Any thread. Cheap and coalescing: many calls before the hub runs make
  // one wake-up.
  void wake();

 private:
  int wait_timeout(int max_wait_ms);
  void run_due_timers();

  Fd epoll_;
  Fd wake_fd_;
  std::vector<epoll_event> events_;
  using Deadline = std::pair<int64_t, TimerId>;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  // A cancelled timer leaves its deadline in the heap; it is skipped when
  // popped. Timers here are few per stream (one long-poll deadline) and
  // expire within minutes, so the heap does not grow without bound.
  std::unordered_map<TimerId, std::function<void()>> timers_;
  TimerId next_timer_ = 1;
};

}  // namespace palabre::hub
