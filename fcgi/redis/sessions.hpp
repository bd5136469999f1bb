// Visitor sessions in Redis, keyed by the SHA-256 of the cookie value (a
// Redis dump does not hand out live cookies), expiring on their own (TTL);
// staff sessions are in redis/staff_sessions.hpp. Accept threads only.
// Throws Error(store_unavailable).
#pragma once

#include <optional>
#include <string>

#include "redis/connection.hpp"

namespace palabre::redis {

// A visitor session belongs to the one debate it joined (`event_id`); a
// session saved before sessions were scoped has none and is of no debate.
struct VisitorSession {
  std::string visitor_id;
  std::string event_id;
  std::string name;
  std::string lang;
  std::string csrf;
};

void save_visitor_session(Connection& redis, const std::string& token_hash, const VisitorSession& s,
                          int ttl_seconds);
// The session of this cookie hash in this debate (a session of another
// debate is absent here).
std::optional<VisitorSession> load_visitor_session(Connection& redis, const std::string& event_id,
                                                    const std::string& token_hash);

// Bans (per event) and the per-visitor question rate limit.
struct Ban {
  std::string visitor_id;
  std::string reason;
  int64_t at_ms = 0;
  // A silent ban: the visitor is not told and goes on, but what they write
  // is seen by nobody else (actions/visitor_controls.hpp).
  bool silent = false;
};
// A ban's record as ban_record() wrote it.
Ban parse_ban(std::string visitor_id, const std::string& record);
// The ban of this visitor, if any.
std::optional<Ban> find_ban(Connection& redis, const std::string& event_id, const std::string& visitor_id);
// The value of a ban in keys::bans (a hash: visitor id → this).
std::string ban_record(const Ban& ban);
bool remove_ban(Connection& redis, const std::string& event_id, const std::string& visitor_id);
// Banned and told so: a silent ban is not one here.
bool is_banned(Connection& redis, const std::string& event_id, const std::string& visitor_id);
std::vector<Ban> list_bans(Connection& redis, const std::string& event_id);
// Counts one question; returns 0 when allowed, else seconds until allowed again.
int take_question_slot(Connection& redis, const std::string& event_id, const std::string& visitor_id,
                       int per_window, int window_s);
// Sends "!close-visitor" on the fan-out channel: every worker closes that
// visitor's streams of the event.
void close_visitor_streams(Connection& redis, const std::string& event_id, const std::string& visitor_id);

}  // namespace palabre::redis
