// Owner of one libfcgi request slot (FCGX_Request), used by exactly one
// accept thread for its whole life. accept() finishes the previous request
// (libfcgi does that itself) and waits for the next one; the destructor frees
// the slot. A request handed to the hub is detached first (see handoff.hpp),
// after which this slot no longer names its fd.
#pragma once

#include <fcgiapp.h>

#include <cerrno>

namespace palabre::http {

class FcgiRequest {
 public:
  explicit FcgiRequest(int listen_fd) : listen_fd_(listen_fd) {
    FCGX_InitRequest(&req_, listen_fd_, 0);
  }
  ~FcgiRequest() {
    FCGX_Finish_r(&req_);
    FCGX_Free(&req_, 1);
  }
  FcgiRequest(const FcgiRequest&) = delete;
  FcgiRequest& operator=(const FcgiRequest&) = delete;

  // Blocks until nginx sends a request; false when the listen socket is shut.
  bool accept() {
    for (;;) {
      int r = FCGX_Accept_r(&req_);
      if (r == 0) return true;
      // The listening socket's receive timeout (main.cpp), there for the
      // reads of accepted connections, bounds accept() too: a quiet spell
      // longer than it is not a reason to stop serving. A shut socket
      // fails with EINVAL.
      if (r != -EAGAIN && r != -EWOULDBLOCK) return false;
    }
  }
  // Ends the response (flushes, sends FCGI_END_REQUEST, closes).
  void finish() { FCGX_Finish_r(&req_); }

  // Gives up the connection without ending it: frees libfcgi's buffers and
  // params (every FCGX_GetParam pointer dies) and resets the slot so that the
  // next accept() does not touch the fd. Returns the fd, now owned by the caller.
  int detach() {
    int fd = req_.ipcFd;
    FCGX_Free(&req_, 0);
    FCGX_InitRequest(&req_, listen_fd_, 0);
    return fd;
  }

  FCGX_Request& raw() { return req_; }
  FCGX_Stream* out() { return req_.out; }
  FCGX_Stream* in() { return req_.in; }
  char** envp() { return req_.envp; }
  int request_id() const { return req_.requestId; }

 private:
  int listen_fd_;
  FCGX_Request req_{};
};

}  // namespace palabre::http
