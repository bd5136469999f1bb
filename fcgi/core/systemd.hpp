// What the worker tells systemd and takes from it (libsystemd's sd-daemon):
// the listening sockets of a socket unit (palabre.socket), readiness,
// reloads, stopping, and the watchdog. Outside systemd (./dev up, the
// tests) every call is a no-op and listening_sockets() is empty.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace palabre::systemd {

// The sockets systemd passed (LISTEN_FDS), in the order of the socket
// unit's ListenStream= lines: the main FastCGI socket, then the stream
// socket (the hub's door). Unsets LISTEN_* so nothing started later
// inherits them. Throws std::runtime_error when a passed descriptor is not
// a listening stream socket.
std::vector<int> listening_sockets();

void notify_ready();
void notify_reloading();
void notify_stopping();
void notify_status(std::string_view text);

// Feeds systemd's watchdog (WatchdogSec=) from a loop that must keep
// turning: the hub's tick. A silent hub thread — stuck, or dead while the
// process lingers — then gets the process restarted.
class Watchdog {
 public:
  Watchdog();
  // Sends WATCHDOG=1 when half the watchdog interval has passed since the
  // last one. `now_ms` is a monotonic time.
  void tick(int64_t now_ms);
  bool enabled() const { return interval_ms_ > 0; }

 private:
  int64_t interval_ms_ = 0;  // half of WATCHDOG_USEC; 0: no watchdog
  int64_t last_ms_ = 0;
};

}  // namespace palabre::systemd
