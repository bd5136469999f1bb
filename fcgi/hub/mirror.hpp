// The hub's copy of one Redis stream that has parked readers: its entries in
// id order, each with its SSE frame built once, plus the state machine that
// keeps the copy complete while live messages arrive on Pub/Sub and pages
// arrive from XRANGE. No I/O here: the hub issues the XRANGEs this class asks
// for (hub/hub.cpp), which keeps the gap and buffering rules unit-testable.
//
// Owned by the hub (one per followed stream key: a few per live event);
// hub thread only. Never throws except std::bad_alloc.
//
// Rules:
// - First load: XRANGE key - + in pages; later loads (a gap, a resubscribe):
//   XRANGE key (<last> +. Live messages that arrive meanwhile are buffered
//   and applied after the last page, in id order, those newer than the last
//   id loaded. They are gap-checked like any live message: wake-ups from
//   different publishers overtake one another, so one may follow an entry
//   that neither the pages nor the buffer hold yet; that asks for one more
//   load rather than skipping the entry.
// - When ready, a live message is appended if its `prev` is our last id; an
//   id we already have is a duplicate; anything else is a gap: the message is
//   buffered and the caller must reload.
// - At most max_entries are kept, oldest dropped first, like Redis's MAXLEN.
//   A reader slower than that many entries skips what was dropped.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/stream_id.hpp"
#include "hub/fastcgi_records.hpp"
#include "redis/stream_entry.hpp"

namespace palabre::hub {

struct MirrorEntry {
  StreamId id;
  std::string cursor;  // as clients see it: "<epoch>.<id>" (core/cursor.hpp)
  std::string type;
  std::string data;
  // Shared with the queues of the streams it is being written to.
  std::shared_ptr<const Frame> sse;
};

// One entry as read from XRANGE or from the channel (views valid for the call).
class Mirror {
 public:
  enum class Phase { Unloaded, Loading, Ready };
  enum class Live { Appended, Duplicate, Buffered, GapNeedsReload };

  // Live messages buffered during a load beyond this are dropped and one more
  // reload is asked for: the buffer must not grow without bound while the
  // command connection is down.
  static constexpr size_t kMaxBuffered = 10000;

  Mirror(std::string key, size_t max_entries);

  const std::string& key() const { return key_; }
  Phase phase() const { return phase_; }
  bool loading() const { return phase_ == Phase::Loading; }
  // Set by a gap, a failed load, a resubscribe or a buffer overflow; the
  // caller starts a load when it can.
  bool needs_load() const {
    return phase_ != Phase::Loading && (phase_ == Phase::Unloaded || needs_reload_);
  }
  StreamId last_id() const { return last_id_; }
  // The debate's epoch this copy belongs to ("" until the first load read it).
  const std::string& epoch() const { return epoch_; }
  // Called with the epoch read at the start of each load. A first epoch is
  // just taken. Another one means Redis lost the data this copy was made
  // of: the copy is emptied (sequence numbers go on) so that the load
  // starts from the beginning, and true is returned: the readers, whose
  // cursors belong to the old epoch, must be ended.
  bool adopt_epoch(const std::string& epoch);
  // The token of the current load (begin_load): replies of an abandoned load,
  // or of a dropped mirror of the same key, are recognised and ignored.
  uint64_t load_token() const { return load_token_; }

  // Entries by sequence number: every entry ever appended gets the next one,
  // so a reader's position survives the oldest entries being dropped.
  uint64_t begin_seq() const { return begin_seq_; }
  uint64_t end_seq() const { return begin_seq_ + entries_.size(); }
  const MirrorEntry& at(uint64_t seq) const { return entries_[seq - begin_seq_]; }
  // First sequence number whose entry id is greater than `id` (end_seq() if none).
  uint64_t seq_after(StreamId id) const;
  size_t size() const { return entries_.size(); }
  // Ready, nothing known to be missing, and every entry after `id` is
  // here: `id` is the last id, or at or after the first entry kept. Then a
  // reader at `id` can be served from this copy alone (hub/door.cpp).
  bool holds_all_after(StreamId id) const {
    if (phase_ != Phase::Ready || needs_reload_ || id > last_id_) return false;
    return id == last_id_ || (!entries_.empty() && entries_.front().id <= id);
  }

  // --- Loading -----------------------------------------------------------
  // Starts a load identified by `token` (unique per process: the hub counts
  // them); returns the XRANGE start argument ("-" or "(<last id>").
  std::string begin_load(uint64_t token);
  // One entry of the current page, in order. An entry without a type (not
  // written by redis/scripts/apply.lua) is skipped, but its id still
  // counts as the last one, since the next message names it as `prev`.
  void load_entry(const redis::EntryView& entry);
  // The page held `page_len` entries out of `page_size` asked: returns the
  // start of the next page, or nullopt when the load is complete (buffered
  // live messages have then been applied).
  std::optional<std::string> page_done(size_t page_len, size_t page_size);
  // The load could not finish (connection lost, error reply): needs_load().
  void load_failed();
  // Messages may have been missed (resubscribed): reload from the last id.
  void mark_stale();

  // The first load's XINFO found every entry ever added still in the
  // stream (entries-added == length). Ignored for another token.
  void note_untrimmed(uint64_t token);
  // Ready, nothing known to be missing, and this copy holds the stream from
  // its very first entry: a newcomer (no cursor) can be served from it
  // alone, as api/streams.cpp serves one from an untrimmed stream.
  bool holds_whole_history() const { return phase_ == Phase::Ready && !needs_reload_ && from_start_; }

  // --- Live --------------------------------------------------------------
  Live on_live(const redis::EntryView& entry, StreamId prev);

 private:
  struct Buffered {
    StreamId id;
    StreamId prev;
    std::string id_text;
    std::string type;
    std::string data;
  };

  // Appends an entry newer than the last one (load and live paths).
  void append(const redis::EntryView& entry);
  void buffer(const redis::EntryView& entry, StreamId prev);
  // After the last page: appends what was buffered, in id order, up to the
  // first gap; false if there was one (another load is needed).
  bool apply_buffered();

  std::string key_;
  std::string epoch_;
  size_t max_entries_;
  Phase phase_ = Phase::Unloaded;
  bool needs_reload_ = false;
  bool loaded_once_ = false;
  bool from_start_ = false;            // see holds_whole_history()
  bool first_load_untrimmed_ = false;  // note_untrimmed() during the first load
  // Something may have been missed during the load in flight (buffer
  // overflow, resubscribe): load once more after it.
  bool reload_after_load_ = false;
  uint64_t load_token_ = 0;
  StreamId last_id_;  // last id loaded or appended, kept when old entries are dropped
  uint64_t begin_seq_ = 0;
  std::deque<MirrorEntry> entries_;
  std::vector<Buffered> buffered_;
};

}  // namespace palabre::hub
