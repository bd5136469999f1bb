// One FastCGI connection taken over from libfcgi (http/handoff): the fd, the
// request id and a queue of whole STDOUT records not yet written. Transport
// only; what to send is decided by hub/hub.cpp.
//
// Ownership: owns the fd (closed by the destructor; ending the request
// cleanly first is the caller's job: end(), then flush() until finished()).
// Thread: the hub thread only, after construction.
// Errors: never throws (except std::bad_alloc); flush() and drain_input()
// return Io::Closed when the peer is gone or the socket failed, and the
// caller destroys the stream.
//
// Sizes: 10,000-40,000 per process, so the idle footprint matters: an empty
// queue allocates nothing, and queued frames are shared pointers to bytes
// built once for all streams.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/fd.hpp"
#include "hub/fastcgi_records.hpp"

namespace palabre::hub {

class ParkedStream {
 public:
  // `fd` must be a connected socket; make_nonblocking() it first.
  ParkedStream(Fd fd, uint16_t request_id, size_t backlog_limit);

  static bool make_nonblocking(int fd);

  int fd() const { return fd_.get(); }
  // Gives the connection up (a kept connection going back to the door once
  // its request ended); fd() is -1 afterwards.
  Fd release_fd() { return std::move(fd_); }
  uint16_t request_id() const { return request_id_; }

  // Queues a frame. False when it would take the bytes not yet written above
  // the backlog limit (the client stopped reading): nothing is queued and
  // the caller closes the stream. Ignored once end() was called.
  // Bound::None queues it whatever the backlog (a long-poll's answer, the
  // opening frames of a stream).
  enum class Bound { Backlog, None };
  [[nodiscard]] bool enqueue(std::shared_ptr<const Frame> frame, Bound bound = Bound::Backlog);
  // Ends the request after what is already queued (long-poll answers).
  void end_after_queued();
  // Ends the request as soon as possible: frames not yet begun are dropped,
  // a record already partly written is completed (a cut record would corrupt
  // nginx's view of the connection), then the end records follow.
  void end_now();

  // Writes at most `max_bytes` (fairness between streams; STYLE.md §5).
  // Done: nothing left to write. Again: bytes left, because the socket is
  // full (writable() is false until on_writable()) or the cap was reached.
  // Closed: the peer is gone.
  Io flush(size_t max_bytes);
  // Reads and discards what nginx sends. Closed on EOF or error. Edge
  // triggered: reads until EAGAIN.
  Io drain_input();

  bool writable() const { return writable_; }
  void on_writable() { writable_ = true; }
  bool has_output() const {
    return head_ < queue_.size() || (ending_ && end_sent_ < kEndOfRequestSize);
  }
  size_t queued_bytes() const { return queued_bytes_; }
  bool ending() const { return ending_; }
  // The end records are written: close now.
  bool finished() const { return ending_ && end_sent_ == kEndOfRequestSize; }

 private:
  void consume(size_t n);

  Fd fd_;
  uint16_t request_id_;
  bool writable_ = true;
  bool ending_ = false;
  size_t backlog_limit_;
  size_t queued_bytes_ = 0;  // wire bytes not yet written, end records excluded
  // queue_[head_] is the frame being written; head_sent_ of its wire bytes
  // are out. A vector with a head index, not a deque: an empty deque already
  // allocates ~600 bytes, times 40,000 streams.
  std::vector<std::shared_ptr<const Frame>> queue_;
  size_t head_ = 0;
  size_t head_sent_ = 0;
  size_t end_sent_ = 0;
};

}  // namespace palabre::hub
