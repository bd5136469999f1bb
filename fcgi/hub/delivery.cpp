// What each parked stream is sent and when it ends: SSE replay and live
// frames pulled from the mirror, long-poll answers, flushing with a per-
// stream cap, hang-ups, clean ends. Hub thread only (see hub_core.hpp).
#include <sys/epoll.h>

#include <algorithm>

#include "core/clock.hpp"
#include "hub/hub_core.hpp"
#include "wire/longpoll.hpp"
#include "hub/stream_headers.hpp"

namespace palabre::hub {

void Subscriber::on_events(uint32_t events) { hub.on_stream_events(*this, events); }

void HubCore::mark_dirty(Subscriber& s) {
  if (s.in_dirty || s.closed) return;
  s.in_dirty = true;
  dirty_.push_back(&s);
}

void HubCore::mark_readers_dirty(Followed& f) {
  for (Subscriber* s : f.readers) mark_dirty(*s);
}

void HubCore::service_dirty() {
  assert_hub_thread();
  // Only what was dirty when the pass began: a stream marked again during
  // the pass (cap reached) waits for the next iteration.
  size_t n = std::min(dirty_.size(), kDirtyBatch);
  for (size_t i = 0; i < n; ++i) {
    Subscriber* s = dirty_.front();
    dirty_.pop_front();
    s->in_dirty = false;
    if (!s->closed) service(*s);
  }
}

// A stream whose cursor was checked against another epoch than our copy's:
// either our copy is stale (Redis lost its data and we have not reloaded
// yet) or the client's is. Reload once; if the epochs still differ, end the
// stream so that the client reconnects and is reset (api/streams.cpp).
bool HubCore::epoch_matches(Subscriber& s) {
  Followed& f = *s.followed;
  Mirror& m = f.mirror;
  if (s.epoch.empty() || m.epoch().empty() || s.epoch == m.epoch()) return true;
  if (m.loading()) return false;  // serviced again when the load completes
  if (s.epoch_reload_token != 0 && s.epoch_reload_token == m.load_token()) {
    end_for_resync(s);
    return false;
  }
  m.mark_stale();
  if (!commands_.ready()) return false;  // the tick retries the load
  start_load(f);
  s.epoch_reload_token = m.load_token();
  return false;
}

void HubCore::end_for_resync(Subscriber& s) {
  if (s.kind == StreamKind::LongPoll) {
    answer_longpoll(s, nullptr);  // empty, with its cursor: the next poll is reset
  } else {
    end_stream(s);  // the client reconnects with its cursor and is reset
  }
}

void HubCore::service(Subscriber& s) {
  if (!s.out.ending() && s.followed != nullptr) {
    if (!epoch_matches(s)) return;
    if (s.kind == StreamKind::Sse) {
      pump_sse(s);
    } else {
      try_answer_longpoll(s);
    }
    if (s.closed) return;
  }
  if (!s.out.writable()) return;  // EPOLLOUT marks it dirty again
  Io r = s.out.flush(kMaxWritePerStream);
  if (r == Io::Closed) {
    close_stream(s);
    return;
  }
  if (!s.out.writable()) {
    watch_writable(s, true);
    if (s.closed) return;
  }
  if (s.out.finished()) {
    if (s.keep_conn && !stopping_) {
      return_to_door(s);
    } else {
      close_stream(s);
    }
    return;
  }
  const bool more_to_replay = s.kind == StreamKind::Sse && !s.caught_up && s.followed != nullptr &&
                              s.next_seq < s.followed->mirror.end_seq();
  if (s.out.writable() && (r == Io::Again || more_to_replay)) mark_dirty(s);
}

void HubCore::pump_sse(Subscriber& s) {
  const Mirror& m = s.followed->mirror;
  if (!s.caught_up) {
    // A new or replaying reader may be far behind, or ahead of a mirror
    // still loading: find its place by id rather than stepping over entries.
    s.next_seq = std::max(s.next_seq, m.seq_after(s.delivered));
  }
  // Entries dropped by the mirror's cap are skipped (see mirror.hpp).
  s.next_seq = std::max(s.next_seq, m.begin_seq());
  const uint64_t end = m.end_seq();
  while (s.next_seq < end) {
    if (!s.caught_up && s.out.queued_bytes() >= replay_watermark_) return;
    const MirrorEntry& e = m.at(s.next_seq);
    if (e.id > s.delivered) {
      if (!s.out.enqueue(e.sse)) {
        stats_.backlog_overflows_total.fetch_add(1, std::memory_order_relaxed);
        close_stream(s);
        return;
      }
      s.delivered = e.id;
      ++frames_delivered_;
    }
    ++s.next_seq;
  }
  // Caught up only once the mirror is complete: while the first load is in
  // flight, later pages are still replay and must respect the watermark.
  if (m.phase() == Mirror::Phase::Ready) s.caught_up = true;
}

void HubCore::try_answer_longpoll(Subscriber& s) {
  Followed& f = *s.followed;
  const Mirror& m = f.mirror;
  uint64_t seq = std::max(m.seq_after(s.delivered), m.begin_seq());
  if (seq >= m.end_seq()) return;  // nothing newer yet: wait for it or for the deadline
  // Polls waiting at the same place get the same answer: when a message
  // answers thousands of them at once, it is built once and shared.
  LongPollAnswer& cached = f.answers[s.answer_headers ? 1 : 0];
  // Sequence numbers never name another entry, so (from, end) is the answer.
  if (!cached.frame || cached.from_seq != seq || cached.end_seq != m.end_seq()) {
    wire::LongPollBody body;
    std::string_view last;
    for (uint64_t i = seq; i < m.end_seq() && body.size() < wire::kLongPollMaxItems; ++i) {
      const MirrorEntry& e = m.at(i);
      body.add(e.cursor, e.type, e.data);
      last = e.cursor;
    }
    cached.items = body.size();
    cached.frame = longpoll_frame(std::move(body).finish(last), s.answer_headers);
    cached.from_seq = seq;
    cached.end_seq = m.end_seq();
  }
  frames_delivered_ += cached.items;
  answer_longpoll(s, cached.frame);
}

std::shared_ptr<const Frame> HubCore::longpoll_frame(std::string body, bool with_headers) {
  if (!with_headers) return std::make_shared<const Frame>(std::move(body));
  // The whole response at once, with its length: nginx reads it in one go
  // and sends it without chunks (docs/PERFORMANCE.md, "Long-poll").
  std::string response = kLongPollAnswerHeaders;
  response += std::to_string(body.size());
  response += "\r\n\r\n";
  response += body;
  return std::make_shared<const Frame>(std::move(response));
}

void HubCore::answer_longpoll(Subscriber& s, std::shared_ptr<const Frame> answer) {
  if (!answer) answer = longpoll_frame(std::move(wire::LongPollBody{}).finish(s.cursor_text), s.answer_headers);
  if (s.deadline_timer) loop_.cancel(s.deadline_timer);
  s.deadline_timer = 0;
  detach(s);
  (void)s.out.enqueue(std::move(answer), ParkedStream::Bound::None);
  s.out.end_after_queued();
  s.end_deadline_ms = monotonic_ms() + kEndGraceMs;
  mark_dirty(s);
}

void HubCore::on_stream_events(Subscriber& s, uint32_t events) {
  if (s.closed) return;
  // Any sign that nginx let go (the client left) closes at once; see
  // shared/notes/fastcgi-streams.md for which flags come when.
  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    close_stream(s);
    return;
  }
  if ((events & EPOLLIN) && s.out.drain_input() == Io::Closed) {
    close_stream(s);
    return;
  }
  if ((events & EPOLLOUT) && s.waiting_writable) {
    watch_writable(s, false);
    s.out.on_writable();
    mark_dirty(s);
  }
}

void HubCore::watch_writable(Subscriber& s, bool on) {
  // Edge-triggered: MOD re-checks readiness, so space freed between the
  // EAGAIN and this call still produces the event.
  uint32_t events = EPOLLIN | EPOLLRDHUP | EPOLLET | (on ? uint32_t{EPOLLOUT} : 0u);
  if (!loop_.modify(s.out.fd(), events, &s)) {
    close_stream(s);
    return;
  }
  s.waiting_writable = on;
}

void HubCore::end_stream(Subscriber& s) {
  if (s.closed || s.out.ending()) return;
  if (s.kind == StreamKind::LongPoll) {
    // A poll ended early (a ban, a logout, the worker stopping) gets the
    // empty answer at its cursor, as at its deadline: its client polls
    // again at once, and is refused, or served by another worker.
    answer_longpoll(s, nullptr);
    return;
  }
  if (s.deadline_timer) loop_.cancel(s.deadline_timer);
  s.deadline_timer = 0;
  detach(s);
  s.out.end_now();
  s.end_deadline_ms = monotonic_ms() + kEndGraceMs;
  mark_dirty(s);
}

void HubCore::detach(Subscriber& s) {
  if (s.counted) {
    auto& gauge = s.kind == StreamKind::Sse ? stats_.sse_streams : stats_.longpolls_waiting;
    gauge.fetch_sub(1, std::memory_order_relaxed);
    s.counted = false;
  }
  Followed* f = s.followed;
  if (f == nullptr) return;
  s.followed = nullptr;
  Subscriber* moved = f->readers.back();
  f->readers[s.reader_index] = moved;
  moved->reader_index = s.reader_index;
  f->readers.pop_back();
  if (f->readers.empty()) f->idle_since_ms = monotonic_ms();
}

void HubCore::close_stream(Subscriber& s) {
  if (s.closed) return;
  detach(s);
  if (s.deadline_timer) loop_.cancel(s.deadline_timer);
  s.deadline_timer = 0;
  s.closed = true;
  loop_.remove(s.out.fd());
  // Swap-remove from subscribers_ into the graveyard; the fd is closed when
  // the graveyard is emptied, after this iteration.
  size_t i = s.index;
  std::unique_ptr<Subscriber> owned = std::move(subscribers_[i]);
  if (i + 1 != subscribers_.size()) {
    subscribers_[i] = std::move(subscribers_.back());
    subscribers_[i]->index = i;
  }
  subscribers_.pop_back();
  graveyard_.push_back(std::move(owned));
}

void HubCore::bury_closed() {
  door_graveyard_.clear();
  if (graveyard_.empty()) return;
  std::erase_if(graveyard_, [](const std::unique_ptr<Subscriber>& s) { return !s->in_dirty; });
}

}  // namespace palabre::hub
