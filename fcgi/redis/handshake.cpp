#include "redis/handshake.hpp"

#include <atomic>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {

constexpr int64_t kAuthLogEveryMs = 5000;

void log_refused_credentials(const Config& config, std::string_view error) {
  static std::atomic<int64_t> last_ms{0};
  int64_t now = monotonic_ms();
  int64_t last = last_ms.load(std::memory_order_relaxed);
  if (last != 0 && now - last < kAuthLogEveryMs) return;
  if (!last_ms.compare_exchange_strong(last, now, std::memory_order_relaxed)) return;
  log::error(
      "redis refused our credentials: check PALABRE_REDIS_USER and PALABRE_REDIS_PASSWORD_FILE",
      {{"user", config.redis_user.empty() ? "default" : config.redis_user},
       {"error", std::string(error)}});
}

}  // namespace

std::vector<std::string> auth_argv(const std::string& user, const std::string& password) {
  if (user.empty()) return {"AUTH", password};
  return {"AUTH", user, password};
}

std::vector<HandshakeCommand> handshake_commands(const Config& config, bool select_db) {
  std::vector<HandshakeCommand> out;
  if (!config.redis_password.empty())
    out.push_back({Step::auth, auth_argv(config.redis_user, config.redis_password)});
  if (select_db && config.redis_db != 0)
    out.push_back({Step::select, {"SELECT", std::to_string(config.redis_db)}});
  if (!config.redis_sentinels.empty()) out.push_back({Step::role, {"ROLE"}});
  return out;
}

std::string handshake_failure(const Config& config, Step step, const redisReply* reply) {
  if (!reply) return "no reply";
  if (is_error(reply)) {
    std::string error(str(reply));
    if (step == Step::auth) log_refused_credentials(config, error);
    return error;
  }
  if (step != Step::role) return {};
  // ROLE answers ["master", offset, replicas] on a master.
  if (reply->type == REDIS_REPLY_ARRAY && reply->elements > 0 && str(reply->element[0]) == "master")
    return {};
  std::string role = reply->type == REDIS_REPLY_ARRAY && reply->elements > 0
                         ? std::string(str(reply->element[0]))
                         : "?";
  return "not the master (ROLE says " + role + ")";
}

}  // namespace palabre::redis
