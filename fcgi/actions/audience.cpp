#include "actions/audience.hpp"

#include "audit/drain.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "redis/debate_index.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"
#include "redis/streams.hpp"
#include "wire/frames.hpp"

namespace palabre::actions {
namespace {

// At most one count frame per question or poll in this window.
constexpr int64_t kFrameEveryMs = 1000;

std::string due_member(std::string_view kind, const std::string& event_id, const std::string& id) {
  return std::string(kind) + "\t" + event_id + "\t" + id;
}

// The count frame of one item, as it stands: "" when the item is gone.
std::string count_frame(redis::Connection& redis, std::string_view kind, const std::string& event_id,
                        const std::string& id) {
  if (kind == "poll") {
    auto poll = load_poll(redis, event_id, id);
    return poll ? wire::poll_json(*poll) : std::string();
  }
  redis::ReplyPtr n = redis.command({"SCARD", keys::supporters(event_id, id)});
  if (!n || n->type != REDIS_REPLY_INTEGER) return {};
  return wire::support_json(id, n->integer);
}

// Sends the item's count frame if it is due and none went out in the last
// second (scripts/frame_due.lua). Returns whether it did.
bool send_if_due(redis::Connection& redis, const Config& config, std::string_view kind, const std::string& event_id,
                 const std::string& id) {
  redis::ReplyPtr taken = redis.script("frame_due", {keys::frames_due(event_id), keys::frame_lock(event_id, kind, id)},
                                       {due_member(kind, event_id, id), std::to_string(kFrameEveryMs)});
  if (!taken || taken->type != REDIS_REPLY_INTEGER || taken->integer != 1) return false;
  std::string data = count_frame(redis, kind, event_id, id);
  if (data.empty()) return false;
  redis::Batch b(config);
  if (kind == "poll") {
    b.append(keys::public_stream(event_id), "poll", data);
  } else {
    // The consoles sort by support: they hear of it on their own feeds.
    for (const std::string& stream :
         {keys::public_stream(event_id), keys::staff_stream(event_id), keys::guest_stream(event_id)})
      b.append(stream, "support", data);
  }
  b.apply(redis);
  return true;
}

std::vector<int64_t> results_of(const redisReply* r, size_t options) {
  std::vector<int64_t> out(options, 0);
  for (const auto& [field, value] : redis::field_pairs(r)) {
    try {
      size_t i = std::stoul(field);
      if (i < options) out[i] = std::stoll(value);
    } catch (...) {
    }
  }
  return out;
}

}  // namespace

int64_t support(const Mutation& m, const std::string& event_id, const std::string& qid,
                const std::string& visitor_id) {
  // Listed before and after: redis/debate_index.hpp.
  redis::list_debate(m.redis, keys::frames_due_debates(), event_id);
  redis::ReplyPtr r = m.redis.script(
      "support",
      {keys::question(event_id, qid), keys::supporters(event_id, qid), keys::frames_due(event_id)},
      {visitor_id, due_member("support", event_id, qid), event_id});
  redis::list_debate(m.redis, keys::frames_due_debates(), event_id);
  if (redis::is_error(r.get())) {
    std::string_view err = redis::str(r.get());
    if (err.rfind("NOTFOUND", 0) == 0) throw Error(Code::not_found, "No such question in this debate.");
    if (err.rfind("CONFLICT", 0) == 0)
      throw Error(Code::conflict, "Only published questions that wait for an answer can be supported.");
    throw Error(Code::store_unavailable, "The live store refused the support.");
  }
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2)
    throw Error(Code::store_unavailable, "The live store gave an unexpected answer.");
  send_if_due(m.redis, m.config, "support", event_id, qid);
  return r->element[1]->integer;
}

domain::Poll open_poll(const Mutation& m, const std::string& event_id, domain::Poll poll) {
  poll.id = ids::new_id("p_");
  poll.event_id = event_id;
  poll.state = domain::PollState::open;
  poll.opened_ms = m.now_ms;
  poll.results.assign(poll.options.size(), 0);
  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  b.hset(keys::poll(event_id, poll.id), domain::poll_fields(poll));
  b.zadd(keys::polls(event_id), poll.opened_ms, poll.id);
  // Its first frame counts as the second's frame: the first votes' count
  // follows a second later, not at once.
  b.set_with_ttl(keys::frame_lock(event_id, "poll", poll.id), "1", kFrameEveryMs);
  b.append(keys::public_stream(event_id), "poll", wire::poll_json(poll));
  audit::write(b, event_id, {m.actor, "open_poll", poll.id, {{"question", poll.question}}, m.now_ms});
  redis::Applied applied = b.apply(m.redis);
  archive_public_entries(m, event_id, applied);
  return poll;
}

domain::Poll close_poll(const Mutation& m, const std::string& event_id, const std::string& pid) {
  auto poll = load_poll(m.redis, event_id, pid);
  if (!poll) throw Error(Code::not_found, "No such poll in this debate.");
  if (poll->state == domain::PollState::closed) return *poll;
  poll->state = domain::PollState::closed;
  poll->closed_ms = m.now_ms;
  // A vote counted after the read above and before the close is in the
  // count frame that send_due_frames sends next: the poll's hash says
  // closed by then, so that frame carries the final result too.
  redis::Batch b(m.config);
  b.once(m.idempotency_digest);
  b.hset(keys::poll(event_id, pid), {{"state", "closed"}, {"closed_ms", std::to_string(m.now_ms)}});
  b.append(keys::public_stream(event_id), "poll", wire::poll_json(*poll));
  audit::write(b, event_id, {m.actor, "close_poll", pid, {}, m.now_ms});
  redis::Applied applied = b.apply(m.redis);
  archive_public_entries(m, event_id, applied);
  return *poll;
}

void vote(const Mutation& m, const std::string& event_id, const std::string& pid, const std::string& visitor_id,
          const std::vector<int64_t>& options) {
  auto poll = load_poll(m.redis, event_id, pid);
  if (!poll) throw Error(Code::not_found, "No such poll in this debate.");
  if (poll->state != domain::PollState::open) throw Error(Code::conflict, "This poll is closed.");
  std::vector<int> chosen = domain::checked_choice(*poll, options);
  std::vector<std::string> args = {visitor_id, due_member("poll", event_id, pid)};
  for (int i : chosen) args.push_back(std::to_string(i));
  redis::list_debate(m.redis, keys::frames_due_debates(), event_id);
  redis::ReplyPtr r = m.redis.script(
      "vote", {keys::poll(event_id, pid), keys::poll_voters(event_id, pid), keys::poll_results(event_id, pid),
               keys::frames_due(event_id)},
      args);
  redis::list_debate(m.redis, keys::frames_due_debates(), event_id);
  if (redis::is_error(r.get())) {
    std::string_view err = redis::str(r.get());
    if (err.rfind("NOTFOUND", 0) == 0) throw Error(Code::not_found, "No such poll in this debate.");
    if (err.rfind("CLOSED", 0) == 0) throw Error(Code::conflict, "This poll is closed.");
    throw Error(Code::store_unavailable, "The live store refused the vote.");
  }
  if (redis::str(r.get()) == "already") throw Error(Code::already_voted, "You have already voted in this poll.");
  send_if_due(m.redis, m.config, "poll", event_id, pid);
}

std::optional<domain::Poll> load_poll(redis::Connection& redis, const std::string& event_id, const std::string& pid) {
  auto replies = redis.pipeline({{"HGETALL", keys::poll(event_id, pid)},
                                 {"HGETALL", keys::poll_results(event_id, pid)},
                                 {"SCARD", keys::poll_voters(event_id, pid)}});
  for (const auto& r : replies)
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
  auto poll = domain::poll_from_fields(redis::field_pairs(replies[0].get()));
  if (!poll || poll->event_id != event_id) return std::nullopt;
  poll->results = results_of(replies[1].get(), poll->options.size());
  poll->votes = replies[2]->type == REDIS_REPLY_INTEGER ? replies[2]->integer : 0;
  return poll;
}

std::vector<domain::Poll> polls(redis::Connection& redis, const std::string& event_id) {
  redis::ReplyPtr ids = redis.command({"ZRANGE", keys::polls(event_id), "0", "-1"});
  std::vector<domain::Poll> out;
  if (!ids || ids->type != REDIS_REPLY_ARRAY) return out;
  for (size_t i = 0; i < ids->elements; ++i)
    if (auto p = load_poll(redis, event_id, std::string(redis::str(ids->element[i])))) out.push_back(std::move(*p));
  return out;
}

std::vector<std::string> polls_voted(redis::Connection& redis, const std::string& event_id,
                                     const std::string& visitor_id) {
  redis::ReplyPtr ids = redis.command({"ZRANGE", keys::polls(event_id), "0", "-1"});
  std::vector<std::string> pids;
  if (!ids || ids->type != REDIS_REPLY_ARRAY) return pids;
  std::vector<std::vector<std::string>> cmds;
  for (size_t i = 0; i < ids->elements; ++i) {
    pids.emplace_back(redis::str(ids->element[i]));
    cmds.push_back({"SISMEMBER", keys::poll_voters(event_id, pids.back()), visitor_id});
  }
  std::vector<std::string> voted;
  if (cmds.empty()) return voted;
  auto replies = redis.pipeline(cmds);
  for (size_t i = 0; i < replies.size(); ++i)
    if (replies[i] && replies[i]->type == REDIS_REPLY_INTEGER && replies[i]->integer == 1) voted.push_back(pids[i]);
  return voted;
}

namespace {
std::vector<std::string> event_question_ids(redis::Connection& redis, const std::string& event_id) {
  redis::ReplyPtr r = redis.command({"ZRANGE", keys::all_questions(event_id), "0", "-1"});
  std::vector<std::string> ids;
  if (r && r->type == REDIS_REPLY_ARRAY)
    for (size_t i = 0; i < r->elements; ++i) ids.emplace_back(redis::str(r->element[i]));
  return ids;
}
}  // namespace

std::vector<std::string> questions_supported(redis::Connection& redis, const std::string& event_id,
                                             const std::string& visitor_id) {
  std::vector<std::string> ids = event_question_ids(redis, event_id), out;
  std::vector<std::vector<std::string>> cmds;
  for (const auto& id : ids) cmds.push_back({"SISMEMBER", keys::supporters(event_id, id), visitor_id});
  if (cmds.empty()) return out;
  auto replies = redis.pipeline(cmds);
  for (size_t i = 0; i < replies.size(); ++i)
    if (replies[i] && replies[i]->type == REDIS_REPLY_INTEGER && replies[i]->integer == 1) out.push_back(ids[i]);
  return out;
}

void forget_signals(redis::Connection& redis, const std::string& event_id, const std::string& visitor_id) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& qid : questions_supported(redis, event_id, visitor_id)) {
    cmds.push_back({"SREM", keys::supporters(event_id, qid), visitor_id});
    cmds.push_back({"SADD", keys::frames_due(event_id), due_member("support", event_id, qid)});  // the count drops
    cmds.push_back({"SADD", keys::frames_due_debates(), event_id});  // after it: redis/debate_index.hpp
  }
  for (const auto& pid : polls_voted(redis, event_id, visitor_id))
    cmds.push_back({"SREM", keys::poll_voters(event_id, pid), visitor_id});
  if (cmds.empty()) return;
  for (auto& r : redis.pipeline(cmds))
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store refused the erasure.");
}

size_t send_due_frames(redis::Connection& redis, const Config& config) {
  redis::ReplyPtr debates = redis.command({"SMEMBERS", keys::frames_due_debates()});
  if (!debates || debates->type != REDIS_REPLY_ARRAY)
    throw Error(Code::store_unavailable, "The live store did not answer.");
  size_t sent = 0;
  for (size_t d = 0; d < debates->elements; ++d) {
    const std::string debate(redis::str(debates->element[d]));
    const std::string due_key = keys::frames_due(debate);
    redis::ReplyPtr due = redis.command({"SMEMBERS", due_key});
    if (!due || due->type != REDIS_REPLY_ARRAY) throw Error(Code::store_unavailable, "The live store did not answer.");
    for (size_t i = 0; i < due->elements; ++i) {
      std::string_view member = redis::str(due->element[i]);
      auto first = member.find('\t');
      auto second = member.find('\t', first == std::string_view::npos ? first : first + 1);
      if (first == std::string_view::npos || second == std::string_view::npos ||
          member.substr(first + 1, second - first - 1) != debate) {
        redis.command({"SREM", due_key, std::string(member)});
        continue;
      }
      std::string kind(member.substr(0, first));
      std::string id(member.substr(second + 1));
      if (send_if_due(redis, config, kind, debate, id)) ++sent;
    }
    redis::unlist_if_empty(redis, keys::frames_due_debates(), debate, {"SCARD", due_key});
  }
  return sent;
}

}  // namespace palabre::actions
