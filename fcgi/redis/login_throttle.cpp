#include "redis/login_throttle.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/ids.hpp"
#include "domain/login_throttle.hpp"
#include "redis/keys.hpp"

namespace palabre::redis {
namespace {
int64_t integer_of(const redisReply* r) {
  if (!r) return 0;
  if (r->type == REDIS_REPLY_INTEGER) return r->integer;
  std::string_view s = str(r);
  return s.empty() ? 0 : std::strtoll(std::string(s).c_str(), nullptr, 10);
}
}  // namespace

LoginScopes login_scopes(const std::string& login, const std::string& address_hash) {
  const std::string who = ids::sha256_hex(login).substr(0, 32);
  return LoginScopes{keys::login_failures("pair:" + who + ":" + address_hash),
                     keys::login_failures("login:" + who), keys::login_failures("addr:" + address_hash)};
}

int64_t login_blocked_until(Connection& redis, const LoginScopes& scopes) {
  auto replies = redis.pipeline({{"HGET", scopes.pair, "until_ms"},
                                 {"HGET", scopes.login, "until_ms"},
                                 {"HGET", scopes.address, "until_ms"}});
  int64_t until = 0;
  for (const auto& r : replies) until = std::max(until, integer_of(r.get()));
  return until;
}

int64_t record_login_failure(Connection& redis, const LoginScopes& scopes, int64_t now_ms) {
  const std::string* keys_in_order[] = {&scopes.pair, &scopes.login, &scopes.address};
  const domain::ThrottleRule* rules[] = {&domain::kLoginAddressRule, &domain::kLoginRule,
                                         &domain::kAddressRule};
  std::vector<std::vector<std::string>> counting;
  for (const std::string* key : keys_in_order) counting.push_back({"HINCRBY", *key, "failures", "1"});
  auto counts = redis.pipeline(counting);
  std::vector<std::vector<std::string>> blocking;
  int64_t until = 0;
  for (size_t i = 0; i < 3; ++i) {
    const int64_t delay = domain::throttle_delay_ms(*rules[i], integer_of(counts[i].get()));
    const std::string& key = *keys_in_order[i];
    if (delay > 0) {
      blocking.push_back({"HSET", key, "until_ms", std::to_string(now_ms + delay)});
      until = std::max(until, now_ms + delay);
    }
    blocking.push_back({"PEXPIRE", key, std::to_string(delay + domain::kThrottleMemoryMs)});
  }
  redis.pipeline(blocking);
  return until;
}

void record_login_success(Connection& redis, const LoginScopes& scopes) {
  // Two keys of no debate, so of two slots (redis/keys.hpp): one DEL each.
  redis.pipeline({{"DEL", scopes.pair}, {"DEL", scopes.login}});
}

}  // namespace palabre::redis
