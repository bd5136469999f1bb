// From Redis into the mirrors: the fan-out subscription, XRANGE loads in
// pages, gap and resubscribe reloads, bans, and expiry of unread mirrors.
// Hub thread only; runs inside hiredis callbacks, so it may send commands
// but never frees a context (see redis_async.hpp).
#include <variant>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "wire/fanout.hpp"
#include "hub/hub_core.hpp"
#include "redis/epoch.hpp"
#include "redis/keys.hpp"
#include "redis/stream_entry.hpp"

namespace palabre::hub {

Followed& HubCore::follow(const std::string& key) {
  auto it = followed_.find(key);
  if (it == followed_.end()) {
    it = followed_.emplace(key, std::make_unique<Followed>(key, config_.history_max_entries)).first;
  }
  maybe_load(*it->second);
  return *it->second;
}

void HubCore::maybe_load(Followed& f) {
  if (f.mirror.needs_load() && commands_.ready()) start_load(f);
}

void HubCore::start_load(Followed& f) {
  // A load after the first one means something was missed (gap, resubscribe,
  // overflow) or the previous attempt failed.
  if (f.mirror.phase() != Mirror::Phase::Unloaded) {
    stats_.mirror_reloads_total.fetch_add(1, std::memory_order_relaxed);
  }
  std::string start = f.mirror.begin_load(++load_tokens_);
  request_epoch(f.mirror.key(), f.mirror.load_token());
  if (start == "-") request_trim_state(f.mirror.key(), f.mirror.load_token());
  request_page(f.mirror.key(), f.mirror.load_token(), start);
}

// Every load first reads the debate's epoch, on the same connection, so its
// reply comes before the page's. The hub never creates one: only a worker
// that restores the history with it does (redis/epoch.hpp).
void HubCore::request_epoch(const std::string& key, uint64_t token) {
  commands_.command({"GET", keys::epoch_of_stream(key)},
                    [this, key, token](redisReply* r) { on_epoch(key, token, r); });
}

// Whether Redis ever trimmed the stream, for the first load: a copy of an
// untrimmed stream can serve newcomers by itself (Mirror::holds_whole_history).
void HubCore::request_trim_state(const std::string& key, uint64_t token) {
  commands_.command({"XINFO", "STREAM", key}, [this, key, token](redisReply* r) {
    auto it = followed_.find(key);
    StreamBounds bounds;
    // No such stream yet: unknown, so not "untrimmed".
    if (it != followed_.end() && redis::read_stream_info(r, bounds) && !bounds.trimmed)
      it->second->mirror.note_untrimmed(token);
  });
}

void HubCore::on_epoch(const std::string& key, uint64_t token, redisReply* reply) {
  auto it = followed_.find(key);
  if (it == followed_.end()) return;
  Followed& f = *it->second;
  Mirror& m = f.mirror;
  if (!m.loading() || m.load_token() != token) return;
  if (reply == nullptr || (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_NIL)) {
    m.load_failed();
    return;
  }
  if (reply->type == REDIS_REPLY_NIL) {
    // Redis lost its data and no worker has restored it yet. Readers of the
    // lost epoch reconnect, which restores it; the tick retries the load for
    // readers that already hold the new one.
    const std::string lost = m.epoch();
    end_readers_for_resync(f, [&](const Subscriber& s) { return s.epoch == lost; });
    m.load_failed();
    return;
  }
  if (!m.adopt_epoch(std::string(reply->str, reply->len))) return;
  // Redis lost the data our copy was made of. Readers hold cursors of the
  // old epoch: end them, and they reconnect to a reset and the history from
  // the archive (api/streams.cpp). Then load the new data from its start.
  end_readers_for_resync(f, [&](const Subscriber& s) { return s.epoch != m.epoch(); });
  start_load(f);
}

void HubCore::end_readers_for_resync(Followed& f, const std::function<bool(const Subscriber&)>& stale) {
  size_t ended = 0;
  // Backwards: ending a stream detaches it from f.readers.
  for (size_t i = f.readers.size(); i-- > 0;) {
    Subscriber& s = *f.readers[i];
    if (s.epoch.empty() || !stale(s)) continue;
    end_for_resync(s);
    ++ended;
  }
  if (ended > 0)
    log::warn("hub: the debate's epoch changed; ending its streams",
              {{"stream", f.mirror.key()}, {"readers", std::to_string(ended)}});
}

void HubCore::request_page(const std::string& key, uint64_t token, const std::string& start) {
  static const std::string kPage = std::to_string(kXrangePage);
  bool sent = commands_.command({"XRANGE", key, start, "+", "COUNT", kPage},
                                [this, key, token](redisReply* r) { on_page(key, token, r); });
  if (!sent) {
    // Retried when the connection is ready again, or by the tick.
    auto it = followed_.find(key);
    if (it != followed_.end() && it->second->mirror.load_token() == token)
      it->second->mirror.load_failed();
  }
}

void HubCore::on_page(const std::string& key, uint64_t token, redisReply* reply) {
  auto it = followed_.find(key);
  if (it == followed_.end()) return;
  Followed& f = *it->second;
  Mirror& m = f.mirror;
  if (!m.loading() || m.load_token() != token) return;  // an abandoned load
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY) {
    // Lost connection or error reply (counted by RedisAsync): retried by the
    // tick, or when the connection is back.
    m.load_failed();
    return;
  }
  const uint64_t end_before = m.end_seq();
  for (size_t i = 0; i < reply->elements; ++i) {
    if (auto entry = redis::xrange_entry(reply->element[i])) m.load_entry(*entry);
  }
  auto next = m.page_done(reply->elements, kXrangePage);
  if (next) {
    request_page(key, token, *next);
  } else if (m.needs_load()) {
    maybe_load(f);
  }
  // On completion the readers become caught up and long-polls may answer,
  // even when no entry was added.
  if (m.end_seq() != end_before || !next) mark_readers_dirty(f);
}

// Pub/Sub only wakes the hubs, and a wake-up can be lost while its entry is
// safe in the stream: the worker that wrote it was killed between its XADD
// and the PUBLISH it sends after its response (redis/streams.hpp), or Redis
// dropped the message. Every tick, each followed stream's last id is read;
// a copy still behind the same last id one tick later is reloaded. (Behind
// only once is usually a wake-up on its way.) Loaded copies only.
void HubCore::check_last_ids() {
  if (!commands_.ready()) return;
  for (auto& [key, f] : followed_) {
    if (f->readers.empty() || f->mirror.phase() != Mirror::Phase::Ready) continue;
    const uint64_t token = f->mirror.load_token();
    commands_.command({"XREVRANGE", key, "+", "-", "COUNT", "1"},
                      [this, key = key, token](redisReply* r) { on_last_id(key, token, r); });
  }
}

void HubCore::on_last_id(const std::string& key, uint64_t token, redisReply* reply) {
  auto it = followed_.find(key);
  if (it == followed_.end()) return;
  Followed& f = *it->second;
  Mirror& m = f.mirror;
  if (m.phase() != Mirror::Phase::Ready || m.load_token() != token) return;
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements == 0) return;
  auto last = redis::xrange_entry(reply->element[0]);
  if (!last || !(m.last_id() < last->id)) {
    f.behind_at = {};
    return;
  }
  if (!(f.behind_at == last->id)) {
    f.behind_at = last->id;
    return;
  }
  log::warn("hub: a stream entry's wake-up was lost; reloading", {{"stream", key}, {"id", std::string(last->id_text)}});
  f.behind_at = {};
  m.mark_stale();
  maybe_load(f);
}

void HubCore::on_subscription_reply(redisReply* reply) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return;
  const redisReply* kind = reply->element[0];
  const redisReply* channel = reply->element[1];
  if (kind->type != REDIS_REPLY_STRING || channel->type != REDIS_REPLY_STRING) return;
  std::string_view k(kind->str, kind->len);
  std::string_view ch(channel->str, channel->len);
  if (k == "message") {
    const redisReply* payload = reply->element[2];
    if (payload->type != REDIS_REPLY_STRING) return;
    std::string_view body(payload->str, payload->len);
    if (ch == probe_channel_) {
      if (body == probe_payload_) probe_sent_ms_ = 0;
      return;
    }
    on_fanout(body);
  } else if (k == "subscribe") {
    on_subscribed(ch);
  }
}

void HubCore::on_subscribed(std::string_view channel) {
  if (channel != keys::fanout_channel()) return;
  stats_.subscribed.store(true);
  // Whatever was published while we were not subscribed is only in the
  // streams: reload every mirror from its last id.
  for (auto& [key, f] : followed_) {
    f->mirror.mark_stale();
    maybe_load(*f);
  }
}

void HubCore::on_fanout(std::string_view payload) {
  assert_hub_thread();
  wire::FanoutMessage msg = wire::parse_fanout_message(payload);
  if (auto* e = std::get_if<wire::PublishedEntry>(&msg)) {
    stats_.fanout_messages_total.fetch_add(1, std::memory_order_relaxed);
    auto it = followed_.find(e->stream_key);
    if (it == followed_.end()) return;  // nobody here reads that stream
    Followed& f = *it->second;
    switch (f.mirror.on_live(redis::EntryView{e->id, e->id_text, e->type, e->data}, e->prev)) {
      case Mirror::Live::Appended:
        mark_readers_dirty(f);
        break;
      case Mirror::Live::GapNeedsReload:
        maybe_load(f);
        break;
      case Mirror::Live::Buffered:
      case Mirror::Live::Duplicate:
        break;
    }
  } else if (auto* c = std::get_if<wire::CloseVisitor>(&msg)) {
    close_visitor(c->event_id, c->visitor_id);
  } else if (auto* c = std::get_if<wire::CloseStaff>(&msg)) {
    close_staff(c->kind, c->value);
  }
}

void HubCore::close_staff(std::string_view kind, std::string_view value) {
  // O(streams), like close_visitor: logouts and revocations are rare.
  const bool by_session = kind == "session";
  for (auto& s : subscribers_) {
    if (!s->owner) continue;
    const std::string& owner = by_session ? s->owner->staff_session : s->owner->invite_id;
    if (!owner.empty() && owner == value) end_stream(*s);
  }
}

void HubCore::close_visitor(std::string_view event_id, std::string_view visitor_id) {
  // O(streams), but bans are rare; an index by visitor would cost memory on
  // every stream for it.
  for (auto& s : subscribers_) {
    if (s->owner && !s->owner->visitor_id.empty() && s->owner->visitor_id == visitor_id &&
        s->owner->event_id == event_id)
      end_stream(*s);
  }
}

void HubCore::expire_mirrors(int64_t now_ms) {
  for (auto it = followed_.begin(); it != followed_.end();) {
    Followed& f = *it->second;
    if (f.readers.empty() && f.idle_since_ms != 0 && now_ms - f.idle_since_ms >= kMirrorIdleMs) {
      it = followed_.erase(it);  // a reply still in flight finds no mirror and is dropped
      continue;
    }
    if (!f.readers.empty()) maybe_load(f);  // retries a failed load
    ++it;
  }
}

}  // namespace palabre::hub
