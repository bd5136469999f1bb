// API tokens for admin accounts (palabre-admin token), sent as
// "Authorization: Bearer <token>". The clear token is returned once; the
// store keeps its SHA-256.
//
// Threads: whoever owns the Store. Errors: those of the store
// (Error(not_found) for an unknown account, Error(store_unavailable)).
#pragma once

#include <cstdint>
#include <string>

#include "store/store.hpp"

namespace palabre::auth {

// `now_ms` is not stored yet: Store::create_api_token stamps the row with the
// wall clock itself. It is taken here so that callers do not change when the
// Store interface gains the timestamp.
std::string create_api_token(store::Store& store, int64_t account_id, const std::string& label,
                             int64_t now_ms);

}  // namespace palabre::auth
