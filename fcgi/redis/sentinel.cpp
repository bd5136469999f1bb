#include "redis/sentinel.hpp"

#include <sys/time.h>

#include <algorithm>
#include <cstdlib>

#include "redis/connection.hpp"
#include "redis/handshake.hpp"
#include "redis/reply.hpp"

namespace palabre::redis {
namespace {

constexpr int kSentinelTimeoutMs = 500;

ReplyPtr run(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return ReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data())));
}

std::optional<MasterAddress> ask_one(const Config& config, const Config::HostPort& sentinel,
                                     std::string& why) {
  const int ms = std::min(config.redis_timeout_ms, kSentinelTimeoutMs);
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  ContextPtr c(redisConnectWithTimeout(sentinel.host.c_str(), sentinel.port, tv));
  const std::string where = sentinel.host + ":" + std::to_string(sentinel.port);
  if (!c || c->err) {
    why = "sentinel " + where + ": " + (c ? c->errstr : "out of memory");
    return std::nullopt;
  }
  redisSetTimeout(c.get(), tv);
  if (!config.redis_sentinel_password.empty()) {
    ReplyPtr auth = run(c.get(), auth_argv("", config.redis_sentinel_password));
    if (!auth || is_error(auth.get())) {
      why = "sentinel " + where + " refused PALABRE_REDIS_SENTINEL_PASSWORD_FILE: " +
            (auth ? std::string(str(auth.get())) : c->errstr);
      return std::nullopt;
    }
  }
  ReplyPtr r = run(c.get(), {"SENTINEL", "get-master-addr-by-name", config.redis_master_name});
  if (!r) {
    why = "sentinel " + where + ": " + c->errstr;
    return std::nullopt;
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
    why = "sentinel " + where + " knows no master named " + config.redis_master_name +
          (is_error(r.get()) ? ": " + std::string(str(r.get())) : "");
    return std::nullopt;
  }
  MasterAddress out{std::string(str(r->element[0])),
                    std::atoi(std::string(str(r->element[1])).c_str())};
  if (out.host.empty() || out.port <= 0) {
    why = "sentinel " + where + " gave no usable address";
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<MasterAddress> ask_sentinels(const Config& config, size_t& next, std::string& why) {
  const size_t n = config.redis_sentinels.size();
  for (size_t tried = 0; tried < n; ++tried) {
    const auto& sentinel = config.redis_sentinels[next % n];
    next = (next + 1) % n;
    if (auto address = ask_one(config, sentinel, why)) return address;
  }
  if (n == 0) why = "no sentinels configured";
  return std::nullopt;
}

}  // namespace palabre::redis
