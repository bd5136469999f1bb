#include "hub/master_lookup.hpp"

#include <algorithm>
#include <utility>

namespace palabre::hub {

MasterLookup::MasterLookup(Loop& loop, Find find) : loop_(loop), find_(std::move(find)) {}

MasterLookup::MasterLookup(const Config& config, Loop& loop)
    : MasterLookup(loop, [&config, next = size_t{0}](std::string& why) mutable {
        return redis::ask_sentinels(config, next, why);
      }) {}

MasterLookup::~MasterLookup() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void MasterLookup::ask(Answer done) {
  uint64_t number;
  {
    std::lock_guard lock(mutex_);
    number = ++asked_;
  }
  waiting_.push_back(Waiting{number, std::move(done)});
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  wanted_.notify_one();
}

void MasterLookup::deliver() {
  std::optional<Result> result;
  {
    std::lock_guard lock(mutex_);
    result.swap(result_);
  }
  if (!result) return;
  // Asks made while this lookup ran wait for the next one, already due.
  std::vector<Waiting> answered;
  auto late = std::stable_partition(waiting_.begin(), waiting_.end(),
                                    [&](const Waiting& w) { return w.number <= result->asked; });
  answered.assign(std::make_move_iterator(waiting_.begin()), std::make_move_iterator(late));
  waiting_.erase(waiting_.begin(), late);
  for (auto& w : answered) w.done(result->master, result->why);
}

void MasterLookup::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [&] { return stopping_ || started_ < asked_; });
    if (stopping_) return;
    started_ = asked_;
    Result result{started_, std::nullopt, {}};
    lock.unlock();
    result.master = find_(result.why);
    lock.lock();
    // A newer answer replaces an undelivered older one: it serves every ask
    // the older one did.
    result_ = std::move(result);
    loop_.wake();
  }
}

}  // namespace palabre::hub
