#include "hub/mirror.hpp"

#include <algorithm>

#include "core/cursor.hpp"
#include "wire/sse.hpp"

namespace palabre::hub {

Mirror::Mirror(std::string key, size_t max_entries)
    : key_(std::move(key)), max_entries_(std::max<size_t>(max_entries, 1)) {}

uint64_t Mirror::seq_after(StreamId id) const {
  auto it = std::partition_point(entries_.begin(), entries_.end(),
                                 [&](const MirrorEntry& e) { return e.id <= id; });
  return begin_seq_ + static_cast<uint64_t>(it - entries_.begin());
}

std::string Mirror::begin_load(uint64_t token) {
  phase_ = Phase::Loading;
  needs_reload_ = false;
  reload_after_load_ = false;
  load_token_ = token;
  // After the first load the entries we hold are right; only newer ones can
  // be missing (a Redis that lost its data has a new epoch: adopt_epoch).
  if (!loaded_once_) {
    from_start_ = false;  // until note_untrimmed() says so for this load
    first_load_untrimmed_ = false;
  }
  return loaded_once_ ? "(" + last_id_.to_string() : "-";
}

void Mirror::load_entry(const redis::EntryView& entry) {
  if (entry.id <= last_id_) return;
  if (entry.type.empty()) {
    last_id_ = entry.id;
    return;
  }
  append(entry);
}

std::optional<std::string> Mirror::page_done(size_t page_len, size_t page_size) {
  if (page_len >= page_size && page_len > 0) return "(" + last_id_.to_string();
  // A first load of a stream Redis never trimmed, well under our cap (so
  // that no trim can have happened between XINFO and the XRANGE).
  if (!loaded_once_) from_start_ = first_load_untrimmed_ && entries_.size() + 1 < max_entries_;
  loaded_once_ = true;
  phase_ = Phase::Ready;
  needs_reload_ = reload_after_load_ || !apply_buffered();
  reload_after_load_ = false;
  return std::nullopt;
}

bool Mirror::apply_buffered() {
  // Wake-ups come from several publishers on their own connections, so
  // they arrive in any order: one published after the last page was read
  // may come before an older one still on its way. Appending it would skip
  // the older one for good (it would then look like a duplicate).
  std::stable_sort(buffered_.begin(), buffered_.end(),
                   [](const Buffered& a, const Buffered& b) { return a.id < b.id; });
  bool complete = true;
  for (const Buffered& b : buffered_) {
    if (b.id <= last_id_) continue;  // in the pages already
    if (b.prev != last_id_) {
      // Its predecessor is in Redis, since it was written before this one
      // was announced: the next load reads it, and what follows.
      complete = false;
      break;
    }
    append(redis::EntryView{b.id, b.id_text, b.type, b.data});
  }
  buffered_.clear();
  return complete;
}

void Mirror::load_failed() {
  phase_ = loaded_once_ ? Phase::Ready : Phase::Unloaded;
  needs_reload_ = true;
}

void Mirror::mark_stale() {
  if (phase_ == Phase::Ready) needs_reload_ = true;
  // Unloaded will load anyway. Loading: the page in flight may have been read
  // before what was missed, so load once more after it.
  if (phase_ == Phase::Loading) reload_after_load_ = true;
}

Mirror::Live Mirror::on_live(const redis::EntryView& entry, StreamId prev) {
  if (phase_ != Phase::Ready) {
    buffer(entry, prev);
    return Live::Buffered;
  }
  if (entry.id <= last_id_) return Live::Duplicate;
  // With messages already buffered (waiting for a reload), appending this one
  // would put it before them.
  if (prev == last_id_ && buffered_.empty()) {
    append(entry);
    return Live::Appended;
  }
  buffer(entry, prev);
  needs_reload_ = true;
  return Live::GapNeedsReload;
}

bool Mirror::adopt_epoch(const std::string& epoch) {
  if (epoch == epoch_) return false;
  const bool had_one = !epoch_.empty();
  epoch_ = epoch;
  if (!had_one) return false;
  begin_seq_ += entries_.size();
  entries_.clear();
  buffered_.clear();
  last_id_ = StreamId{};
  loaded_once_ = false;
  from_start_ = false;
  return true;
}

void Mirror::append(const redis::EntryView& entry) {
  std::string cursor = epoch_.empty() ? std::string(entry.id_text) : format_cursor(epoch_, entry.id_text);
  auto frame = std::make_shared<const Frame>(wire::sse_event(cursor, entry.type, entry.data));
  entries_.push_back(MirrorEntry{entry.id, std::move(cursor), std::string(entry.type),
                                 std::string(entry.data), std::move(frame)});
  last_id_ = entry.id;
  while (entries_.size() > max_entries_) {
    from_start_ = false;
    entries_.pop_front();
    ++begin_seq_;
  }
}

void Mirror::buffer(const redis::EntryView& entry, StreamId prev) {
  if (buffered_.size() >= kMaxBuffered) {
    buffered_.clear();
    reload_after_load_ = true;
    needs_reload_ = phase_ == Phase::Ready;
    return;
  }
  buffered_.push_back(Buffered{entry.id, prev, std::string(entry.id_text), std::string(entry.type),
                               std::string(entry.data)});
}

void Mirror::note_untrimmed(uint64_t token) {
  if (phase_ == Phase::Loading && token == load_token_ && !loaded_once_) first_load_untrimmed_ = true;
}

}  // namespace palabre::hub
