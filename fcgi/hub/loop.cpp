#include "hub/loop.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "core/clock.hpp"

namespace palabre::hub {
namespace {

constexpr size_t kMaxEventsPerWait = 512;

}  // namespace

Loop::Loop()
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      events_(kMaxEventsPerWait) {
  if (!epoll_) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  if (!wake_fd_) throw std::system_error(errno, std::generic_category(), "eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // nullptr marks the wake-up fd
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_fd_.get(), &ev) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl(eventfd)");
  }
}

bool Loop::add(int fd, uint32_t events, Handler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool Loop::repoint(int fd, uint32_t events, Handler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) == 0) return true;
  return errno == ENOENT && ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool Loop::modify(int fd, uint32_t events, Handler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) == 0;
}

void Loop::remove(int fd) { ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

Loop::TimerId Loop::schedule(int64_t at_ms, std::function<void()> fn) {
  TimerId id = next_timer_++;
  timers_.emplace(id, std::move(fn));
  deadlines_.emplace(at_ms, id);
  return id;
}

void Loop::cancel(TimerId id) { timers_.erase(id); }

void Loop::wake() {
  uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the hub will wake anyway.
  [[maybe_unused]] ssize_t n = ::write(wake_fd_.get(), &one, sizeof one);
}

int Loop::wait_timeout(int max_wait_ms) {
  // Drop cancelled timers from the top so that they do not cause early wake-ups.
  auto& heap = deadlines_;
  while (!heap.empty() && !timers_.contains(heap.top().second)) heap.pop();
  if (heap.empty()) return max_wait_ms;
  int64_t until = std::max<int64_t>(0, heap.top().first - monotonic_ms());
  if (max_wait_ms >= 0) until = std::min<int64_t>(until, max_wait_ms);
  return static_cast<int>(std::min<int64_t>(until, 60'000));
}

bool Loop::run_once(int max_wait_ms) {
  bool woken = false;
  int n = ::epoll_wait(epoll_.get(), events_.data(), static_cast<int>(events_.size()),
                       wait_timeout(max_wait_ms));
  for (int i = 0; i < n; ++i) {
    auto* handler = static_cast<Handler*>(events_[i].data.ptr);
    if (handler == nullptr) {
      uint64_t count;
      [[maybe_unused]] ssize_t r = ::read(wake_fd_.get(), &count, sizeof count);
      woken = true;
      continue;
    }
    handler->on_events(events_[i].events);
  }
  // n < 0 is EINTR (a signal): timers and the caller's work still run.
  run_due_timers();
  return woken;
}

void Loop::run_due_timers() {
  const int64_t now = monotonic_ms();
  // Timers scheduled by a timer run in a later iteration, even when already
  // due, so that a timer rescheduling itself cannot starve the loop.
  const TimerId limit = next_timer_;
  while (!deadlines_.empty() && deadlines_.top().first <= now && deadlines_.top().second < limit) {
    TimerId id = deadlines_.top().second;
    deadlines_.pop();
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;
    auto fn = std::move(it->second);
    timers_.erase(it);
    fn();
  }
}

}  // namespace palabre::hub
