// Who is behind a request, as far as a network address tells, without
// keeping the address. Rate limits and bans by address key on
// address_hash(): an HMAC-SHA256 of REMOTE_ADDR under a random key that
// Redis holds for one rotation period (PALABRE_ADDRESS_KEY_ROTATION_S,
// default 24 h) and then forgets, so that an old hash can never be linked to
// an address again (docs/PRIVACY.md).
//
// REMOTE_ADDR is the one nginx passes. nginx takes it from X-Forwarded-For
// only for the proxies listed in PALABRE_TRUSTED_PROXIES (realip module):
// no client header is trusted here.
#pragma once

#include <string>

#include "api/context.hpp"

namespace palabre::api {

// The client's address as nginx saw it (may be empty, e.g. a test speaking
// FastCGI directly).
std::string client_address(const http::Request& req);

// 32 hex characters naming the client's address for the current rotation
// period. Every worker computes the same value (the key is in Redis). Throws
// Error(store_unavailable) when Redis cannot be reached.
std::string address_hash(Context& ctx);

}  // namespace palabre::api
