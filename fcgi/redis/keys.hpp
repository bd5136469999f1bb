// Every Redis key and channel name Palabre uses is built here, and nowhere else.
// All keys start with "palabre:" so that one Redis can serve other software.
// A debate's keys carry its id as a hash tag (ev() below, "{<id>}"): one
// slot per debate, so that a Redis Cluster could shard debates. Any script
// or multi-key command must use keys of one debate only, or one key of no
// debate (tests/unit/redis/keys_slot_test.cpp checks the builders).
// Renaming a Redis of the older naming: redis/key_names_upgrade.hpp.
#pragma once

#include <string>
#include <string_view>

namespace palabre::keys {

inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::string s = "palabre:";
  for (auto p : parts) s.append(p);
  return s;
}

// Every key of one debate carries its id as a Redis hash tag: "ev:{<id>}".
// Redis Cluster hashes only what lies between the first '{' and the next
// '}', so all of a debate's keys live in one slot and every script and
// multi-key command on them stays legal there (no CROSSSLOT). Ids are
// [A-Za-z0-9_-]: never a brace. Keys not tied to a debate (sessions, ops,
// locks) have no tag and are only ever touched one per command.
inline std::string ev(std::string_view event) {
  std::string s = "ev:{";
  s.append(event);
  s.push_back('}');
  return s;
}
// The part of a key Redis Cluster hashes: between the first '{' and the
// next '}' when non-empty, else the whole key.
inline std::string_view hash_tag(std::string_view key) {
  auto open = key.find('{');
  if (open == std::string_view::npos) return key;
  auto close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

// Pub/Sub channel carrying every published entry to every worker process.
// Payload (wire/fanout.hpp encodes and parses it):
//   "<stream key>\n<entry id>\n<previous entry id or 0-0>\n<type>\n<data JSON>"
// Control messages start with '!':
//   "!close-visitor\n<event id>\n<visitor id>"  (a ban: close that visitor's streams)
//   "!close-staff\nsession\n<session hash>"  (logout: close that session's staff streams)
//   "!close-staff\ninvite\n<invite id>"      (a revoked invite: close its staff streams)
inline std::string fanout_channel() { return "palabre:fanout"; }
// One per worker process: the hub publishes probes there through its command
// connection and expects them back on its subscriber connection.
inline std::string probe_channel(std::string_view process_token) {
  return cat({"probe:", process_token});
}

// Streams. Entries have the fields t (SSE event type) and d (data, one-line JSON).
inline std::string public_stream(std::string_view event) { return cat({ev(event), ":pub"}); }
inline std::string staff_stream(std::string_view event) { return cat({ev(event), ":staff"}); }
inline std::string guest_stream(std::string_view event) { return cat({ev(event), ":guest"}); }

// The debate's audit entries not yet drained into SQL (audit/drain.hpp):
// written by each mutation in the same atomic step as its change; fields
// actor, action, target, details (JSON), at (ms). And the set of debates
// whose audit stream holds entries to drain: a global key, so never in the
// same command or script as a debate's keys (redis/debate_index.hpp).
inline std::string audit_stream(std::string_view event) { return cat({ev(event), ":audit"}); }
inline std::string audit_pending() { return "palabre:audit:pending"; }

// The debate's epoch: names one life of its Redis data (core/cursor.hpp).
// Created when first needed; a Redis that lost its data gets a new one.
inline std::string epoch(std::string_view event) { return cat({ev(event), ":epoch"}); }
// The epoch key of a stream key above ("palabre:ev:{<id>}:pub" → ":epoch").
inline std::string epoch_of_stream(std::string_view stream_key) {
  std::string out(stream_key.substr(0, stream_key.rfind(':') + 1));
  out.append("epoch");
  return out;
}

// The debate's dashboard (domain/stats.hpp). Watchers: a hash, one field
// per worker process (a random token) → "<count> <until_ms>", written every
// 2 s by that worker's hub (scripts/watchers.lua), a share lapsing when its
// worker stops renewing it; the highest sum seen (a string); the timeline,
// a list of "<t_ms> <watchers> <questions>" sampled by the phase clocks
// (scripts/timeline_sample.lua), oldest first and capped.
inline std::string watchers(std::string_view event) { return cat({ev(event), ":watchers"}); }
inline std::string watchers_peak(std::string_view event) { return cat({ev(event), ":watchers:peak"}); }
inline std::string timeline(std::string_view event) { return cat({ev(event), ":timeline"}); }
// The debate of a public stream key ("palabre:ev:{<id>}:pub" → "<id>"), or ""
// for any other key.
inline std::string_view event_of_public_stream(std::string_view key) {
  constexpr std::string_view head = "palabre:ev:{", tail = "}:pub";
  if (key.size() <= head.size() + tail.size() || key.substr(0, head.size()) != head ||
      key.substr(key.size() - tail.size()) != tail)
    return {};
  return key.substr(head.size(), key.size() - head.size() - tail.size());
}

// The last phase frame announced on the public stream (its data).
inline std::string event_phase(std::string_view event) { return cat({ev(event), ":phase"}); }

// The retention purge (schedule/purge.hpp): the closing time (ms) of the
// debate when it was purged, so that it is purged once per closing; and the
// lock (SET NX EX) that lets one worker at a time run a purge.
inline std::string purged(std::string_view event) { return cat({ev(event), ":purged"}); }
inline std::string purge_lock() { return "palabre:purge:lock"; }

// Audience signals (actions/audience.hpp). Who supported a question (a set
// of visitor ids; its size is the count). A poll: its record (hash), its
// counts per option (hash: option index → votes), its voters (set), and
// the debate's polls (sorted by opening time).
inline std::string supporters(std::string_view event, std::string_view qid) {
  return cat({"q:{", event, "}:", qid, ":supporters"});
}
inline std::string poll(std::string_view event, std::string_view pid) { return cat({ev(event), ":poll:", pid}); }
inline std::string poll_results(std::string_view event, std::string_view pid) {
  return cat({ev(event), ":poll:", pid, ":results"});
}
inline std::string poll_voters(std::string_view event, std::string_view pid) {
  return cat({ev(event), ":poll:", pid, ":voters"});
}
inline std::string polls(std::string_view event) { return cat({ev(event), ":polls"}); }
// The debate's counts whose frame is due ("<kind>\t<event id>\t<id>", kind
// support or poll), and the lock that lets one such frame out per item and
// second. And the debates having due frames (a global set of event ids,
// kept as redis/debate_index.hpp says), which the phase clocks go through.
inline std::string frames_due(std::string_view event) { return cat({ev(event), ":frames:due"}); }
inline std::string frame_lock(std::string_view event, std::string_view kind, std::string_view id) {
  return cat({ev(event), ":framelock:", kind, ":", id});
}
inline std::string frames_due_debates() { return "palabre:frames:debates"; }

// Question records (hash) and per-event indexes. A question's keys carry
// its debate's hash tag: "palabre:q:{<event id>}:<qid>".
inline std::string question(std::string_view event, std::string_view qid) { return cat({"q:{", event, "}:", qid}); }
// A moderator's claim on a question (actions/claims.hpp): "<holder>\t<label>",
// expiring by itself.
inline std::string claim(std::string_view event, std::string_view qid) { return cat({"q:{", event, "}:", qid, ":claim"}); }
inline std::string pending_queue(std::string_view event) { return cat({ev(event), ":pending"}); }
// The guest's queue, in the order moderators arranged (scores are
// positions; a question forwarded later comes last), and the one marked as
// being answered "now".
inline std::string guest_queue(std::string_view event) { return cat({ev(event), ":guestq"}); }
inline std::string guest_now(std::string_view event) { return cat({ev(event), ":guestnow"}); }
inline std::string all_questions(std::string_view event) { return cat({ev(event), ":questions"}); }
inline std::string visitor_questions(std::string_view event, std::string_view visitor) {
  return cat({ev(event), ":vq:", visitor});
}
// The record of one idempotent request (api/idempotency.cpp): a hash named
// by the SHA-256 of who sent it, the route and the Idempotency-Key.
inline std::string idempotency(std::string_view digest) { return cat({"idem:", digest}); }
// What an idempotent mutation applied (scripts/apply.lua, redis/batch.hpp):
// its result, returned to a retry instead of applying it again. Written in
// the same script as the mutation's keys, so it carries their hash tag (the
// debate's id; redis::Batch takes it from the batch's first key).
inline std::string applied_once(std::string_view tag, std::string_view digest) {
  return cat({"idem:{", tag, "}:", digest, ":applied"});
}
inline std::string bans(std::string_view event) { return cat({ev(event), ":bans"}); }
// The moderators' controls of the debate (hash: slow_mode_s, shield), a
// visitor's timeout (its end in ms, expiring with it), and slow mode's
// one-question-per-N-seconds mark per visitor.
inline std::string controls(std::string_view event) { return cat({ev(event), ":controls"}); }
inline std::string timeout(std::string_view event, std::string_view visitor) {
  return cat({ev(event), ":timeout:", visitor});
}
inline std::string slow_mode(std::string_view event, std::string_view visitor) {
  return cat({ev(event), ":slow:", visitor});
}
inline std::string rate(std::string_view event, std::string_view visitor) {
  return cat({ev(event), ":rate:", visitor});
}

// Per-address limits and bans (redis/address_limits.hpp): `address` is a
// keyed hash from api/client_address.hpp, never an address.
inline std::string join_rate(std::string_view event, std::string_view address) {
  return cat({ev(event), ":joinrate:", address});
}
// Reminder requests (api/reminders.cpp) per network address and debate.
inline std::string reminder_rate(std::string_view event, std::string_view address) {
  return cat({ev(event), ":remindrate:", address});
}
inline std::string question_rate_by_address(std::string_view event, std::string_view address) {
  return cat({ev(event), ":qrate:", address});
}
inline std::string visitor_address(std::string_view event, std::string_view visitor) {
  return cat({ev(event), ":vaddr:", visitor});
}
inline std::string banned_address(std::string_view event, std::string_view address) {
  return cat({ev(event), ":banaddr:", address});
}

// The HMAC key naming client addresses during one rotation period
// (api/client_address.hpp); expires on its own.
inline std::string address_key(std::string_view period) { return cat({"addrkey:", period}); }

// Sessions, by the hash of the cookie value. A visitor's session belongs
// to one debate and carries its hash tag: the hub's door reads it with the
// debate's bans in one script (scripts/stream_visitor.lua).
inline std::string visitor_session(std::string_view event, std::string_view token_hash) {
  return cat({"vs:{", event, "}:", token_hash});
}
inline std::string staff_session(std::string_view token_hash) { return cat({"ss:", token_hash}); }
// The staff sessions of one admin login (a set of session hashes), for "log
// out everywhere"; named by the SHA-256 of the login.
inline std::string staff_sessions_of(std::string_view login_hash) { return cat({"ssl:", login_hash}); }
// Failed sign-ins (redis/login_throttle.hpp): a hash {failures, until_ms}
// per scope: "pair:<login hash>:<address hash>", "login:<login hash>",
// "addr:<address hash>".
inline std::string login_failures(std::string_view scope) { return cat({"loginfail:", scope}); }

// What each worker process tells the others for ops (ops/board.hpp), one
// hash field per process, named "<host>:<pid>": in ops:streams
// "<wall ms> <open streams>" every second, in ops:metrics "<wall ms>\n<its
// Prometheus text>" every few seconds. Whoever reads them deletes the
// fields of processes that stopped writing.
inline std::string ops_streams() { return "palabre:ops:streams"; }
inline std::string ops_metrics() { return "palabre:ops:metrics"; }

}  // namespace palabre::keys
