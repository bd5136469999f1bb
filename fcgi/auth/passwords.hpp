// Admin passwords: argon2id via libsodium (crypto_pwhash_str_alg with the
// "interactive" limits, about 64 MiB and a tenth of a second per hash, which
// suits a login form behind a rate limit).
//
// Threads: any, after ids::ensure_crypto_ready(). Both calls are slow by
// design; keep them off the hub thread.
#pragma once

#include <string>
#include <string_view>

namespace palabre::auth {

// The encoded string ("$argon2id$v=19$m=...") to store in accounts.password_hash.
// Throws Error(internal_error) if libsodium cannot allocate the work memory.
std::string hash_password(std::string_view password);

// True when `password` matches `encoded`. False for a wrong password and for
// an encoded string that is not one (never throws), so that a damaged row
// reads as a failed login.
bool verify_password(std::string_view encoded, std::string_view password);

}  // namespace palabre::auth
