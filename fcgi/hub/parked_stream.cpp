#include "hub/parked_stream.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace palabre::hub {
namespace {

// nginx sends nothing after the request (a GET has no body); this only guards
// the edge-triggered read loop against a peer that never stops.
constexpr size_t kMaxDiscardPerEvent = 1 << 20;
// Above this many slots an emptied queue gives its memory back.
constexpr size_t kKeepQueueCapacity = 64;

}  // namespace

ParkedStream::ParkedStream(Fd fd, uint16_t request_id, size_t backlog_limit)
    : fd_(std::move(fd)), request_id_(request_id), backlog_limit_(backlog_limit) {}

bool ParkedStream::make_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

bool ParkedStream::enqueue(std::shared_ptr<const Frame> frame, Bound bound) {
  if (ending_ || !frame || frame->content_size() == 0) return true;
  size_t wire = frame->wire_size();
  if (bound == Bound::Backlog && queued_bytes_ + wire > backlog_limit_) return false;
  queued_bytes_ += wire;
  queue_.push_back(std::move(frame));
  return true;
}

void ParkedStream::end_after_queued() { ending_ = true; }

void ParkedStream::end_now() {
  ending_ = true;
  size_t keep = head_ < queue_.size() && head_sent_ > 0 ? head_ + 1 : head_;
  for (size_t i = keep; i < queue_.size(); ++i) queued_bytes_ -= queue_[i]->wire_size();
  queue_.resize(keep);
}

Io ParkedStream::flush(size_t max_bytes) {
  const auto end_records = encode_end_of_request(request_id_);
  IovecBatch batch;
  size_t budget = max_bytes;
  while (budget > 0 && has_output()) {
    batch.clear();
    size_t offset = head_sent_;
    bool queue_all_in = true;
    for (size_t i = head_; i < queue_.size(); ++i) {
      const Frame& frame = *queue_[i];
      size_t want = frame.wire_size() - offset;
      size_t got = gather_records(frame, request_id_, offset, budget - batch.bytes, batch);
      offset = 0;
      if (got < want) {
        queue_all_in = false;
        break;
      }
    }
    if (queue_all_in && ending_ && end_sent_ < kEndOfRequestSize &&
        batch.iov_count < IovecBatch::kMaxIov && batch.bytes < budget) {
      size_t len = std::min(kEndOfRequestSize - end_sent_, budget - batch.bytes);
      batch.add(end_records.data() + end_sent_, len);
    }
    msghdr msg{};
    msg.msg_iov = batch.iov.data();
    msg.msg_iovlen = batch.iov_count;
    // sendmsg rather than writev for MSG_NOSIGNAL: a peer that closed must
    // give EPIPE here, not SIGPIPE to the process.
    ssize_t n = ::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        writable_ = false;
        return Io::Again;
      }
      return Io::Closed;
    }
    consume(static_cast<size_t>(n));
    budget -= std::min(budget, static_cast<size_t>(n));
    // A short write means the socket is full; the next call sees EAGAIN,
    // after which the edge-triggered EPOLLOUT is guaranteed to come.
  }
  return has_output() ? Io::Again : Io::Done;
}

void ParkedStream::consume(size_t n) {
  while (n > 0 && head_ < queue_.size()) {
    size_t rest = queue_[head_]->wire_size() - head_sent_;
    if (n < rest) {
      head_sent_ += n;
      queued_bytes_ -= n;
      return;
    }
    n -= rest;
    queued_bytes_ -= rest;
    queue_[head_].reset();
    ++head_;
    head_sent_ = 0;
  }
  if (head_ == queue_.size()) {
    queue_.clear();
    head_ = 0;
    if (queue_.capacity() > kKeepQueueCapacity) queue_.shrink_to_fit();
  } else if (head_ >= kKeepQueueCapacity && head_ * 2 >= queue_.size()) {
    // A client that never quite catches up never empties its queue: compact
    // it so that the written slots do not accumulate.
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  end_sent_ += std::min(n, kEndOfRequestSize - end_sent_);
}

Io ParkedStream::drain_input() {
  char buf[4096];
  size_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf, sizeof buf);
    if (n > 0) {
      total += static_cast<size_t>(n);
      if (total > kMaxDiscardPerEvent) return Io::Closed;
      continue;
    }
    if (n == 0) return Io::Closed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Io::Done;
    return Io::Closed;
  }
}

}  // namespace palabre::hub
