#include "auth/password_gate.hpp"

namespace palabre::auth {

std::optional<PasswordGate::Permit> PasswordGate::enter(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (active_ < hashes_) {
    ++active_;
    return Permit(this);
  }
  if (waiting_ >= queue_ || wait.count() <= 0) return std::nullopt;
  ++waiting_;
  bool got = freed_.wait_for(lock, wait, [this] { return active_ < hashes_; });
  --waiting_;
  if (!got) return std::nullopt;
  ++active_;
  return Permit(this);
}

void PasswordGate::release() {
  {
    std::lock_guard lock(mutex_);
    --active_;
  }
  freed_.notify_one();
}

PasswordGate& password_gate(const Config& config) {
  static PasswordGate gate(config.password_hashes, config.password_queue);
  return gate;
}

}  // namespace palabre::auth
