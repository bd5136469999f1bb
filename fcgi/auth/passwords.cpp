#include "auth/passwords.hpp"

#include <sodium.h>

#include <cstring>

#include "core/error.hpp"

namespace palabre::auth {

std::string hash_password(std::string_view password) {
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(Code::internal_error, "password hashing ran out of memory");
  }
  return encoded;
}

bool verify_password(std::string_view encoded, std::string_view password) {
  // libsodium reads a NUL-terminated string of less than STRBYTES.
  char copy[crypto_pwhash_STRBYTES] = {};
  if (encoded.empty() || encoded.size() >= sizeof copy) return false;
  if (encoded.find('\0') != std::string_view::npos) return false;
  std::memcpy(copy, encoded.data(), encoded.size());
  return crypto_pwhash_str_verify(copy, password.data(), password.size()) == 0;
}

}  // namespace palabre::auth
