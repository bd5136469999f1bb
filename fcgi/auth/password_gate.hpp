// A bound on argon2id work per worker process: at most `hashes` password
// hashes or verifications run at once (each takes ~64 MiB and ~0.1 s of one
// core), and at most `queue` more requests wait, each for at most `wait`,
// for their turn. Anything beyond that is refused at once, so that a flood
// of sign-ins neither exhausts memory nor holds every accept thread: the
// others stay free for /healthz, the streams and moderation (measured in
// docs/SECURITY.md, "Staff sign-in, sessions and invites").
//
// Threads: any; one gate per process (password_gate()), shared by the
// accept threads. Never throws.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "core/config.hpp"

namespace palabre::auth {

class PasswordGate {
 public:
  PasswordGate(int hashes, int queue) : hashes_(hashes), queue_(queue) {}
  PasswordGate(const PasswordGate&) = delete;
  PasswordGate& operator=(const PasswordGate&) = delete;

  // Holds one of the `hashes` places until destroyed.
  class Permit {
   public:
    explicit Permit(PasswordGate* gate) : gate_(gate) {}
    Permit(Permit&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Permit& operator=(Permit&&) = delete;
    ~Permit() {
      if (gate_) gate_->release();
    }

   private:
    PasswordGate* gate_;
  };

  // A place, or nullopt when the queue is full or `wait` passed first.
  std::optional<Permit> enter(std::chrono::milliseconds wait);

  int active_for_test() const {
    std::lock_guard lock(mutex_);
    return active_;
  }

 private:
  void release();

  const int hashes_;
  const int queue_;
  mutable std::mutex mutex_;  // guards active_ and waiting_
  std::condition_variable freed_;
  int active_ = 0;
  int waiting_ = 0;
};

// The process's gate, sized from the config on first use.
PasswordGate& password_gate(const Config& config);

}  // namespace palabre::auth
