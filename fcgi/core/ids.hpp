// Random identifiers and tokens (libsodium's CSPRNG) and token hashing.
// Thread-safe; call sodium_init() once at start-up (ensure_crypto_ready()).
#pragma once

#include <string>
#include <string_view>

namespace palabre::ids {

void ensure_crypto_ready();
// URL-safe base64 without padding of `bytes` random bytes.
std::string random_token(size_t bytes = 32);
// Short id for public objects: prefix + 12 chars of [a-z0-9] (~62 bits).
std::string new_id(std::string_view prefix);
// Hex SHA-256: tokens are stored only as hashes.
std::string sha256_hex(std::string_view data);
// Constant-time comparison of two strings of any length.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace palabre::ids
