#include "core/systemd.hpp"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>

#include <stdexcept>
#include <string>

namespace palabre::systemd {

std::vector<int> listening_sockets() {
  int n = sd_listen_fds(1);
  if (n < 0) throw std::runtime_error("cannot read the sockets systemd passed (LISTEN_FDS)");
  std::vector<int> fds;
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + n; ++fd) {
    if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0)
      throw std::runtime_error("descriptor " + std::to_string(fd) +
                               " from systemd is not a listening stream socket (ListenStream=)");
    fds.push_back(fd);
  }
  return fds;
}

void notify_ready() { sd_notify(0, "READY=1\nSTATUS=serving"); }
void notify_reloading() { sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration"); }
void notify_stopping() { sd_notify(0, "STOPPING=1\nSTATUS=draining"); }
void notify_status(std::string_view text) { sd_notify(0, ("STATUS=" + std::string(text)).c_str()); }

Watchdog::Watchdog() {
  uint64_t usec = 0;
  // 0: keep WATCHDOG_USEC in the environment (it is read once, here).
  if (sd_watchdog_enabled(0, &usec) > 0) interval_ms_ = static_cast<int64_t>(usec / 2000);
  if (interval_ms_ == 0 && usec > 0) interval_ms_ = 1;
}

void Watchdog::tick(int64_t now_ms) {
  if (interval_ms_ == 0 || now_ms - last_ms_ < interval_ms_) return;
  last_ms_ = now_ms;
  sd_notify(0, "WATCHDOG=1");
}

}  // namespace palabre::systemd
