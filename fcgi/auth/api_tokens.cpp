#include "auth/api_tokens.hpp"

#include "core/ids.hpp"

namespace palabre::auth {

std::string create_api_token(store::Store& store, int64_t account_id, const std::string& label,
                             int64_t /*now_ms*/) {
  std::string token = ids::random_token();
  store.create_api_token(account_id, ids::sha256_hex(token), label);  // the id is listed by `tokens`
  return token;
}

}  // namespace palabre::auth
