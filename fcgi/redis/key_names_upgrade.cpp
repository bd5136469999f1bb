#include "redis/key_names_upgrade.hpp"

#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "redis/keys.hpp"

namespace palabre::redis {
namespace {

const std::string kSchemaKey = "palabre:schema";
const std::string kLockKey = "palabre:schema:lock";
// Long enough for a large Redis (a SCAN and a RENAME per key, pipelined by
// page); a process that died holding it delays the others this long.
constexpr int kLockS = 300;
constexpr std::string_view kOldDueSet = "palabre:frames:due";

ReplyPtr checked(ReplyPtr r) {
  if (!r || is_error(r.get())) {
    throw Error(Code::store_unavailable,
                std::string("Renaming the Redis keys failed: ") + (r ? std::string(str(r.get())) : "no answer"));
  }
  return r;
}

std::string_view after(std::string_view key, std::string_view head) {
  if (key.substr(0, head.size()) != head || key.size() == head.size() || key[head.size()] == '{') return {};
  return key.substr(head.size());
}

// "palabre:<kind>:<id><suffix>" whose record (a hash) names its debate in
// the field event_id: the new name with the debate's tag, or "" when the
// record is gone (then the key is an orphan, dropped).
std::string tagged_by_record(Connection& redis, std::string_view kind, std::string_view rest) {
  size_t colon = rest.find(':');
  std::string_view id = rest.substr(0, colon);
  std::string_view suffix = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
  ReplyPtr ev = checked(redis.command({"HGET", keys::cat({kind, ":", id}), "event_id"}));
  std::string event(str(ev.get()));
  if (event.empty()) return {};
  return keys::cat({kind, ":{", event, "}:", id, suffix});
}

// The new name of one old key; "" to drop it; nullopt to leave it (now).
// A question's record names the debate of its claim and supporters: it
// moves in a second pass (records_pass), after them.
std::optional<std::string> new_name(Connection& redis, std::string_view key, bool records_pass) {
  std::string_view question = after(key, "palabre:q:");
  const bool is_record = !question.empty() && question.find(':') == std::string_view::npos;
  if (records_pass) return is_record ? std::optional(tagged_by_record(redis, "q", question)) : std::nullopt;
  if (is_record) return std::nullopt;
  if (auto debate = tagged_debate_key(key)) return debate;
  if (!question.empty()) return tagged_by_record(redis, "q", question);
  if (auto rest = after(key, "palabre:vs:"); !rest.empty()) return tagged_by_record(redis, "vs", rest);
  if (auto rest = after(key, "palabre:framelock:"); !rest.empty()) return std::string();
  constexpr std::string_view applied = ":applied";
  if (auto rest = after(key, "palabre:idem:");
      !rest.empty() && rest.size() > applied.size() && rest.substr(rest.size() - applied.size()) == applied) {
    ReplyPtr v = checked(redis.command({"GET", std::string(key)}));
    std::string event = debate_in_text(str(v.get()));
    if (event.empty()) return std::string();  // it wrote no stream: a retry finds nothing to replay
    return keys::applied_once(event, rest.substr(0, rest.size() - applied.size()));
  }
  return std::nullopt;
}

// The old global set of due count frames, "<kind>\t<event>\t<id>" each:
// into each debate's own set, the debate listed.
size_t split_due_frames(Connection& redis) {
  ReplyPtr due = checked(redis.command({"SMEMBERS", std::string(kOldDueSet)}));
  size_t n = 0;
  for (size_t i = 0; due->type == REDIS_REPLY_ARRAY && i < due->elements; ++i) {
    std::string member(str(due->element[i]));
    size_t first = member.find('\t'), second = member.find('\t', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string event = member.substr(first + 1, second - first - 1);
    checked(redis.command({"SADD", keys::frames_due(event), member}));
    checked(redis.command({"SADD", keys::frames_due_debates(), event}));
    ++n;
  }
  checked(redis.command({"DEL", std::string(kOldDueSet)}));
  return n;
}

size_t rename_pass(Connection& redis, bool records_pass) {
  size_t changed = 0;
  std::string cursor = "0";
  do {
    ReplyPtr page = checked(redis.command({"SCAN", cursor, "MATCH", "palabre:*", "COUNT", "1000"}));
    if (page->type != REDIS_REPLY_ARRAY || page->elements != 2) throw Error(Code::store_unavailable, "SCAN: bad reply");
    cursor = std::string(str(page->element[0]));
    const redisReply* names = page->element[1];
    for (size_t i = 0; i < names->elements; ++i) {
      std::string key(str(names->element[i]));
      std::optional<std::string> to = new_name(redis, key, records_pass);
      if (!to) continue;
      // SCAN may return a key twice: RENAME of a key already moved says "no
      // such key", which is fine.
      ReplyPtr r = to->empty() ? redis.command({"DEL", key}) : redis.command({"RENAME", key, *to});
      if (r && is_error(r.get()) && str(r.get()).find("no such key") != std::string_view::npos) continue;
      checked(std::move(r));
      ++changed;
    }
  } while (cursor != "0");
  return changed;
}

size_t rename_all(Connection& redis) {
  size_t changed = split_due_frames(redis);
  changed += rename_pass(redis, false);
  return changed + rename_pass(redis, true);
}

bool names_current(Connection& redis) {
  ReplyPtr v = checked(redis.command({"GET", kSchemaKey}));
  return str(v.get()) == std::to_string(kKeySchema);
}

}  // namespace

std::optional<std::string> tagged_debate_key(std::string_view key) {
  std::string_view rest = after(key, "palabre:ev:");
  size_t colon = rest.find(':');
  if (rest.empty() || colon == 0 || colon == std::string_view::npos) return std::nullopt;
  return keys::cat({keys::ev(rest.substr(0, colon)), rest.substr(colon)});
}

std::string debate_in_text(std::string_view text) {
  constexpr std::string_view head = "palabre:ev:";
  size_t at = text.find(head);
  if (at == std::string_view::npos) return {};
  std::string_view rest = text.substr(at + head.size());
  size_t end = rest.find(':');
  if (end == std::string_view::npos || end == 0 || rest[0] == '{') return {};
  return std::string(rest.substr(0, end));
}

size_t upgrade_key_names(Connection& redis) {
  const std::string token = ids::random_token(12);
  for (int waited_s = 0;; ++waited_s) {
    if (names_current(redis)) return 0;
    ReplyPtr taken = checked(redis.command({"SET", kLockKey, token, "NX", "EX", std::to_string(kLockS)}));
    if (!is_nil(taken.get())) break;
    // Another process renames: wait for its version (or its lock to lapse).
    if (waited_s > kLockS + 10) throw Error(Code::store_unavailable, "Another process held the key renaming lock.");
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  size_t changed = 0;
  try {
    if (!names_current(redis)) {
      changed = rename_all(redis);
      checked(redis.command({"SET", kSchemaKey, std::to_string(kKeySchema)}));
      if (changed > 0) log::info("redis keys renamed with their debate's hash tag", {{"keys", std::to_string(changed)}});
    }
  } catch (...) {
    redis.command({"DEL", kLockKey});
    throw;
  }
  checked(redis.command({"DEL", kLockKey}));
  return changed;
}

}  // namespace palabre::redis
