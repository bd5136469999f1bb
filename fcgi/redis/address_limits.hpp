// Limits that a cookie reset does not defeat: joins and questions counted
// per network address (as api/client_address.hpp names it: a keyed hash,
// never the address), and bans that also cover the banned visitor's
// address for new visitor ids. Every key expires on its own, at the latest
// when the hash itself becomes meaningless (the key rotation period).
#pragma once

#include <string>

#include "redis/connection.hpp"

namespace palabre::redis {

// Counts one hit on `key` in a fixed window; returns 0 when allowed, else
// the seconds until the window ends.
int take_slot(Connection& redis, const std::string& key, int per_window, int window_s);

// Which address a visitor of the debate was last seen from (joins and
// questions), so that banning the visitor can cover it.
void remember_visitor_address(Connection& redis, const std::string& event_id, const std::string& visitor_id,
                              const std::string& address_hash, int ttl_s);
// Bans the address the visitor was last seen from, for new visitor ids of
// the debate; nothing when it is not known (any more).
void ban_visitor_address(Connection& redis, const std::string& event_id, const std::string& visitor_id,
                         int ttl_s);
// Lifts what ban_visitor_address did for that visitor.
void unban_visitor_address(Connection& redis, const std::string& event_id, const std::string& visitor_id);
bool is_address_banned(Connection& redis, const std::string& event_id, const std::string& address_hash);

}  // namespace palabre::redis
