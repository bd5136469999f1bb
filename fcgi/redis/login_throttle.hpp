// Counters of failed sign-ins in Redis (shared by every worker), one hash
// {failures, until_ms} per scope with a TTL, and the rules of
// domain/login_throttle.hpp. Logins appear in key names only as SHA-256,
// addresses only as api::address_hash(). Accept threads only. Throws
// Error(store_unavailable).
#pragma once

#include <cstdint>
#include <string>

#include "redis/connection.hpp"

namespace palabre::redis {

struct LoginScopes {
  std::string pair;     // keys::login_failures("pair:<login>:<address>")
  std::string login;    // "login:<login>"
  std::string address;  // "addr:<address>"
};

LoginScopes login_scopes(const std::string& login, const std::string& address_hash);
// The latest time (wall clock, ms) until which one of the scopes refuses
// attempts; 0 or a past time: allowed.
int64_t login_blocked_until(Connection& redis, const LoginScopes& scopes);
// Counts a failure in every scope; returns the time until which sign-in is
// now refused (0: not yet).
int64_t record_login_failure(Connection& redis, const LoginScopes& scopes, int64_t now_ms);
// A correct password: the pair's and the login's counters start again (not
// the address's: one account of one's own must not reset a spraying count).
void record_login_success(Connection& redis, const LoginScopes& scopes);

}  // namespace palabre::redis
