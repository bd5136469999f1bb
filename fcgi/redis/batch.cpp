#include "redis/batch.hpp"

#include "core/error.hpp"
#include "redis/debate_index.hpp"
#include "redis/keys.hpp"
#include "redis/streams.hpp"

namespace palabre::redis {
namespace {

// As long as api::IdempotentCall keeps an answer: a retry comes within that.
constexpr int kOnceKeptS = 24 * 3600;

std::vector<std::string> strings_of(const redisReply* r) {
  std::vector<std::string> out;
  if (r && r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < r->elements; ++i) out.emplace_back(str(r->element[i]));
  return out;
}

}  // namespace

std::string Batch::key_arg(const std::string& key) {
  for (size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i] == key) return std::to_string(i + 1);
  keys_.push_back(key);
  return std::to_string(keys_.size());
}

Batch& Batch::once(const std::string& idempotency_digest) {
  // Its key takes the hash tag of the batch's keys, known once they are all
  // given: apply() adds it.
  once_digest_ = idempotency_digest;
  return *this;
}

Batch& Batch::expect_version(const std::string& hash_key, int64_t version) {
  args_.insert(args_.end(), {"version", key_arg(hash_key), std::to_string(version)});
  return *this;
}

Batch& Batch::require(const std::string& key, std::string message) {
  std::string k = key_arg(key);
  args_.insert(args_.end(), {"exists", k});
  not_found_messages_.emplace_back(k, std::move(message));
  return *this;
}

Batch& Batch::require_field(const std::string& hash_key, const std::string& field, std::string message) {
  std::string k = key_arg(hash_key);
  args_.insert(args_.end(), {"hexists", k, field});
  not_found_messages_.emplace_back(k, std::move(message));
  return *this;
}

Batch& Batch::claimed_by_none_or(const std::string& claim_key, const std::string& holder) {
  args_.insert(args_.end(), {"claim", key_arg(claim_key), holder});
  return *this;
}

Batch& Batch::hset(const std::string& hash_key, const Fields& fields) {
  if (fields.empty()) return *this;
  args_.insert(args_.end(), {"hset", key_arg(hash_key), std::to_string(fields.size())});
  for (const auto& [f, v] : fields) args_.insert(args_.end(), {f, v});
  return *this;
}

Batch& Batch::hset_last_entry_id(const std::string& hash_key, const std::string& field) {
  args_.insert(args_.end(), {"hsetid", key_arg(hash_key), field});
  return *this;
}

Batch& Batch::hdel(const std::string& hash_key, const std::string& field) {
  args_.insert(args_.end(), {"hdel", key_arg(hash_key), field});
  return *this;
}

Batch& Batch::zadd(const std::string& key, int64_t score, const std::string& member) {
  args_.insert(args_.end(), {"zadd", key_arg(key), std::to_string(score), member});
  return *this;
}

Batch& Batch::zmove(const std::string& key, int64_t score, const std::string& member) {
  args_.insert(args_.end(), {"zaddxx", key_arg(key), std::to_string(score), member});
  return *this;
}

Batch& Batch::zrem(const std::string& key, const std::string& member) {
  args_.insert(args_.end(), {"zrem", key_arg(key), member});
  return *this;
}

Batch& Batch::list_in(const std::string& index_key, const std::string& event_id) {
  listings_.emplace_back(index_key, event_id);
  return *this;
}

Batch& Batch::set_with_ttl(const std::string& key, const std::string& value, int64_t ttl_ms) {
  args_.insert(args_.end(), {"setpx", key_arg(key), value, std::to_string(ttl_ms)});
  return *this;
}

Batch& Batch::del(const std::string& key) {
  args_.insert(args_.end(), {"del", key_arg(key)});
  return *this;
}

Batch& Batch::del_if_equal(const std::string& key, const std::string& value) {
  args_.insert(args_.end(), {"delif", key_arg(key), value});
  return *this;
}

size_t Batch::read(const std::string& key) {
  args_.insert(args_.end(), {"get", key_arg(key)});
  return reads_++;
}

size_t Batch::append(const std::string& stream_key, std::string_view type, std::string_view data) {
  args_.insert(args_.end(), {"xadd", key_arg(stream_key), std::to_string(config_.history_max_entries), "2", "t",
                             std::string(type), "d", std::string(data)});
  appended_.push_back({stream_key, true, std::string(type), std::string(data)});
  return appended_.size() - 1;
}

size_t Batch::append_record(const std::string& stream_key, const Fields& fields) {
  args_.insert(args_.end(), {"xadd", key_arg(stream_key), "0", std::to_string(fields.size())});
  for (const auto& [f, v] : fields) args_.insert(args_.end(), {f, v});
  appended_.push_back({stream_key, false, {}, {}});
  return appended_.size() - 1;
}

Applied Batch::apply(Connection& redis) {
  if (!once_digest_.empty() && !keys_.empty()) {
    std::vector<std::string> once = {"once", key_arg(keys::applied_once(keys::hash_tag(keys_.front()), once_digest_)),
                                     std::to_string(kOnceKeptS)};
    args_.insert(args_.begin(), once.begin(), once.end());
    once_digest_.clear();
  }
  for (const auto& [index_key, event_id] : listings_) list_debate(redis, index_key, event_id);
  ReplyPtr r = redis.script("apply", keys_, args_);
  if (is_error(r.get())) {
    std::string_view err = str(r.get());
    if (err.rfind("STALE", 0) == 0) throw StaleVersion{};
    if (err.rfind("CLAIMED ", 0) == 0) {
      Error e(Code::claimed, "Another moderator is handling this question.");
      e.details.emplace_back("claimed_by", std::string(err.substr(8)));
      throw e;
    }
    if (err.rfind("NOTFOUND ", 0) == 0) {
      std::string_view k = err.substr(9);
      for (const auto& [key, message] : not_found_messages_)
        if (key == k) throw Error(Code::not_found, message);
      throw Error(Code::not_found, "Not found.");
    }
    throw Error(Code::store_unavailable, "The live store refused the change.");
  }
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 3)
    throw Error(Code::store_unavailable, "The live store gave an unexpected answer.");
  Applied out;
  out.replayed = str(r->element[0]) == "replayed";
  out.values = strings_of(r->element[1]);
  const redisReply* entries = r->element[2];
  if (entries->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < entries->elements; ++i) {
      std::vector<std::string> e = strings_of(entries->element[i]);
      if (e.size() != 3) throw Error(Code::store_unavailable, "The live store gave an unexpected answer.");
      out.entries.push_back({e[2], e[0], e[1], {}, {}});
    }
  }
  // Again after the script, for a reader that unlisted the debate meanwhile
  // (redis/debate_index.hpp): that can wait for the response to be out, in
  // the same round trip as the fan-out's wake-ups, instead of holding every
  // audited mutation for one more.
  for (const auto& [index_key, event_id] : listings_) list_debate_later(redis, index_key, event_id);
  if (out.replayed) return out;
  if (out.entries.size() != appended_.size())
    throw Error(Code::store_unavailable, "The live store gave an unexpected answer.");
  for (size_t i = 0; i < appended_.size(); ++i) {
    out.entries[i].type = appended_[i].type;
    out.entries[i].data = appended_[i].data;
    if (!appended_[i].announced) continue;
    announce_entry(redis, appended_[i].stream_key, out.entries[i].id, out.entries[i].prev, appended_[i].type,
                   appended_[i].data);
    count_published();
  }
  return out;
}

const AppendedEntry* Applied::last_on(const std::string& stream_key) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    if (it->stream_key == stream_key) return &*it;
  return nullptr;
}

}  // namespace palabre::redis
