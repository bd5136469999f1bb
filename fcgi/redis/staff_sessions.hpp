// Staff sessions (the palabre_s cookie) in Redis, keyed by the SHA-256 of the
// cookie value. Each remembers when it started, when it was last used and
// when it must end (domain/staff_session.hpp), and, when it was exchanged
// from an invite, that invite's id and label, so that revoking the invite
// ends it. The key's TTL follows the idle limit, so a forgotten session goes
// away by itself.
//
// An admin's sessions are also listed in a set per login, for "log out
// everywhere"; the set may name sessions that already expired.
//
// Accept threads only. Throws Error(store_unavailable).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "redis/connection.hpp"

namespace palabre::redis::staff {

struct Session {
  std::string role;      // admin | moderator | guest
  std::string event_id;  // "" for admin
  std::string login;     // admin login, "" otherwise
  std::string csrf;
  std::string invite_id;  // the invite it was exchanged from, "" otherwise
  std::string label;      // that invite's label
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;
  int64_t absolute_end_ms = 0;
};

void save(Connection& redis, const std::string& token_hash, const Session& s, int ttl_seconds);
std::optional<Session> load(Connection& redis, const std::string& token_hash);
void remove(Connection& redis, const std::string& token_hash);
// Writes last_seen_ms and the key's new TTL. A session deleted meanwhile
// stays deleted (what this writes alone is not a session).
void refresh(Connection& redis, const std::string& token_hash, int64_t last_seen_ms, int ttl_seconds);

void index_for_login(Connection& redis, const std::string& login, const std::string& token_hash,
                     int ttl_seconds);
void unindex_for_login(Connection& redis, const std::string& login, const std::string& token_hash);
// The live sessions of the login, with their hashes; index entries of
// sessions that are gone are dropped from the index on the way.
std::vector<std::pair<std::string, Session>> list_of_login(Connection& redis, const std::string& login);
// Deletes every session of the login and the index; returns their hashes.
std::vector<std::string> remove_all_of_login(Connection& redis, const std::string& login);

// Sends "!close-staff" on the fan-out channel (redis/keys.hpp): every worker
// closes the staff streams opened with that session (kind "session", a
// session hash) or with that invite (kind "invite", an invite id, by Bearer
// or by a cookie exchanged from it).
void close_streams(Connection& redis, const std::string& kind, const std::string& value);

}  // namespace palabre::redis::staff
