#include "audit/drain.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/stream_id.hpp"
#include "redis/debate_index.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"

namespace palabre::audit {
namespace {

constexpr size_t kBatchEntries = 500;

StreamFields fields_of(const redisReply* r) {
  StreamFields out;
  if (r && r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i + 1 < r->elements; i += 2)
      out.emplace_back(redis::str(r->element[i]), redis::str(r->element[i + 1]));
  return out;
}

}  // namespace

void write(redis::Batch& batch, const std::string& event_id, const Line& line) {
  batch.append_record(keys::audit_stream(event_id), to_stream_fields(line));
  batch.list_in(keys::audit_pending(), event_id);
}

size_t drain(redis::Connection& redis, store::Store& sql, const std::string& event_id) {
  const std::string stream = keys::audit_stream(event_id);
  size_t written = 0;
  for (;;) {
    redis::ReplyPtr r = redis.command({"XRANGE", stream, "-", "+", "COUNT", std::to_string(kBatchEntries)});
    if (!r || redis::is_error(r.get()) || r->type != REDIS_REPLY_ARRAY)
      throw Error(Code::store_unavailable, "The live store did not answer.");
    std::optional<StreamId> last;
    for (size_t i = 0; i < r->elements; ++i) {
      const redisReply* e = r->element[i];
      if (e->type != REDIS_REPLY_ARRAY || e->elements != 2) continue;
      std::string id(redis::str(e->element[0]));
      auto parsed = parse_stream_id(id);
      if (!parsed) continue;
      last = parsed;
      auto entry = from_stream_entry(event_id, id, fields_of(e->element[1]));
      if (!entry) {
        log::warn("audit entry unreadable, dropped", {{"event_id", event_id}, {"stream_id", id}});
        continue;
      }
      try {
        sql.append_audit(*entry);
        ++written;
      } catch (const Error& err) {
        // The debate is gone from SQL (deleted): its entries have nowhere to go.
        if (err.code() != Code::not_found) throw;
      }
    }
    if (!last) {
      // Nothing left: make sure the debate is off the list.
      redis::unlist_if_empty(redis, keys::audit_pending(), event_id, {"XLEN", stream});
      return written;
    }
    StreamId next = *last;
    next.seq += 1;
    redis::ReplyPtr t = redis.command({"XTRIM", stream, "MINID", next.to_string()});
    if (!t || redis::is_error(t.get())) throw Error(Code::store_unavailable, "The live store refused the trim.");
    if (r->elements < kBatchEntries) {
      redis::unlist_if_empty(redis, keys::audit_pending(), event_id, {"XLEN", stream});
      return written;
    }
  }
}

size_t drain_pending(redis::Connection& redis, store::Store& sql) {
  redis::ReplyPtr r = redis.command({"SMEMBERS", keys::audit_pending()});
  if (!r || r->type != REDIS_REPLY_ARRAY) throw Error(Code::store_unavailable, "The live store did not answer.");
  std::vector<std::string> events;
  for (size_t i = 0; i < r->elements; ++i) events.emplace_back(redis::str(r->element[i]));
  size_t written = 0;
  for (const auto& event_id : events) written += drain(redis, sql, event_id);
  return written;
}

}  // namespace palabre::audit
