#include "ops/board.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "core/error.hpp"
#include "core/log.hpp"
#include "ops/stream_capacity.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"

namespace palabre::ops {
namespace {

int64_t leading_number(std::string_view text) {
  int64_t value = -1;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string& configured_host_name() {
  static std::string name;
  return name;
}

const std::string& host_prefix() {
  static const std::string prefix = worker_label().substr(0, worker_label().rfind(':') + 1);
  return prefix;
}

}  // namespace

void name_this_host(const std::string& host_name) { configured_host_name() = host_name; }

const std::string& worker_label() {
  static const std::string label = [] {
    std::string host = configured_host_name();
    if (host.empty()) {
      char buffer[256] = {};
      if (gethostname(buffer, sizeof buffer - 1) == 0) host = buffer;
    }
    return (host.empty() ? std::string("localhost") : host) + ":" + std::to_string(::getpid());
  }();
  return label;
}

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Board::Board(const Config& config, const hub::HubStats& stats, std::function<std::string()> render_own)
    : redis_(config), stats_(stats), render_own_(std::move(render_own)) {}

void Board::run() {
  ticker_.run([this] {
    try {
      tick();
    } catch (const Error& e) {
      // Redis away: the next second tries again; /healthz reports Redis.
      log::debug("ops board: Redis unavailable", {{"error", e.what()}});
    }
  });
  try {
    redis_.pipeline({{"HDEL", keys::ops_streams(), worker_label()}, {"HDEL", keys::ops_metrics(), worker_label()}});
  } catch (const Error&) {
    // Readers drop the fields once they are stale.
  }
}

void Board::tick() {
  const int64_t now = wall_ms();
  const int64_t streams = stats_.sse_streams.load() + stats_.longpolls_waiting.load();
  // Both hashes expire as a whole when no process writes any more.
  const std::string hash_ttl_ms = std::to_string(4 * kSnapshotStaleMs);
  std::vector<std::vector<std::string>> commands = {
      {"HSET", keys::ops_streams(), worker_label(), std::to_string(now) + " " + std::to_string(streams)},
      {"PEXPIRE", keys::ops_streams(), hash_ttl_ms},
  };
  if (ticks_++ % kSnapshotEveryTicks == 0) {
    commands.push_back({"HSET", keys::ops_metrics(), worker_label(), std::to_string(now) + "\n" + render_own_()});
    commands.push_back({"PEXPIRE", keys::ops_metrics(), hash_ttl_ms});
  }
  commands.push_back({"HGETALL", keys::ops_streams()});
  auto replies = redis_.pipeline(commands);
  check_capacity(replies.back().get(), now);
}

void Board::check_capacity(const redisReply* streams, int64_t now_ms) {
  int64_t host_streams = 0;
  std::vector<std::string> stale;
  for (const auto& [worker, value] : redis::field_pairs(streams)) {
    const int64_t at = leading_number(value);
    if (now_ms - at > kStreamsStaleMs) {
      stale.push_back(worker);
      continue;
    }
    if (worker.rfind(host_prefix(), 0) != 0) continue;  // another host's nginx
    size_t space = value.find(' ');
    if (space != std::string::npos) host_streams += std::max<int64_t>(0, leading_number(value.substr(space + 1)));
  }
  for (const auto& worker : stale) redis_.command({"HDEL", keys::ops_streams(), worker});

  StreamCapacity& capacity = stream_capacity();
  switch (capacity.update(host_streams)) {
    case StreamCapacity::Change::started:
      log::warn("nginx is close to refusing streams: raise its worker_processes or worker_connections "
                "(docs/OPERATIONS.md, Sizing)",
                {{"streams", std::to_string(host_streams)}, {"capacity", std::to_string(capacity.capacity())},
                 {"threshold_percent", std::to_string(StreamCapacity::kWarnPercent)}});
      break;
    case StreamCapacity::Change::ended:
      log::info("nginx stream capacity: back below the warning threshold",
                {{"streams", std::to_string(host_streams)}, {"capacity", std::to_string(capacity.capacity())}});
      break;
    case StreamCapacity::Change::none:
      break;
  }
}

std::vector<WorkerMetrics> other_workers_metrics(redis::Connection& redis, int64_t now_ms) {
  auto reply = redis.command({"HGETALL", keys::ops_metrics()});
  std::vector<WorkerMetrics> out;
  for (auto& [worker, value] : redis::field_pairs(reply.get())) {
    if (worker == worker_label()) continue;  // the caller renders its own, live
    size_t eol = value.find('\n');
    if (eol == std::string::npos || now_ms - leading_number(value) > Board::kSnapshotStaleMs) {
      redis.command({"HDEL", keys::ops_metrics(), worker});
      continue;
    }
    out.push_back({worker, value.substr(eol + 1)});
  }
  return out;
}

}  // namespace palabre::ops
