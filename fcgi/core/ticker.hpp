// A background loop that calls its work once a second until stopped, for
// the threads that follow the clock (schedule/phase_clock.hpp,
// mail/outbox.hpp). stop() wakes the wait at once, so shutting down does not
// wait for the rest of a second.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace palabre {

class Ticker {
 public:
  // On the calling thread: `tick()`, then a second's wait, until stop().
  template <typename Tick>
  void run(Tick&& tick) {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      tick();
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
  }

  // Any thread.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
  }

 private:
  std::mutex mutex_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace palabre
