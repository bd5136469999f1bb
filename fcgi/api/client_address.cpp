#include "api/client_address.hpp"

#include <sodium.h>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "redis/keys.hpp"

namespace palabre::api {
namespace {

// The rotation key of `period`, created by the first worker that needs it
// (SET NX), kept a little longer than its period so that a request at the
// boundary still finds it.
std::string period_key(Context& ctx, int64_t period, int rotation_s) {
  const std::string key = keys::address_key(std::to_string(period));
  std::string fresh = ids::random_token(32);
  auto replies = ctx.services.redis.pipeline({
      {"SET", key, fresh, "NX", "EX", std::to_string(rotation_s + 60)},
      {"GET", key},
  });
  std::string_view value = redis::str(replies.at(1).get());
  if (value.empty()) throw Error(Code::store_unavailable, "The address key could not be read.");
  return std::string(value);
}

}  // namespace

std::string client_address(const http::Request& req) { return std::string(req.param("REMOTE_ADDR")); }

std::string address_hash(Context& ctx) {
  const int rotation_s = ctx.config().address_key_rotation_s;
  const int64_t period = ctx.now_ms() / 1000 / rotation_s;
  // One key per accept thread and period: a Redis round trip only when the
  // period changes.
  thread_local int64_t cached_period = -1;
  thread_local std::string cached_key;
  if (cached_period != period) {
    cached_key = period_key(ctx, period, rotation_s);
    cached_period = period;
  }
  const std::string address = client_address(ctx.req);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(cached_key.data()), cached_key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(address.data()), address.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, mac, 16);
  return hex;
}

}  // namespace palabre::api
