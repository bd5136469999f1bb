// Each worker process's figures, in Redis, so that whichever worker nginx
// picks for /metrics or /healthz speaks for all of them. Once a second the
// board thread writes this process's open streams (keys::ops_streams), adds
// up those of every process of this host and checks nginx's capacity
// (ops/stream_capacity.hpp); every kSnapshotEveryTicks seconds it writes
// this process's whole Prometheus text (keys::ops_metrics). A worker killed
// stops writing and its figures are dropped kStaleMs later. Its own Redis
// connection and thread: never a request's or the hub's.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/ticker.hpp"
#include "hub/hub.hpp"
#include "ops/metrics_merge.hpp"
#include "redis/connection.hpp"

namespace palabre::ops {

class Board {
 public:
  static constexpr int kSnapshotEveryTicks = 5;
  // A process silent this long is gone (or cut from Redis): its streams no
  // longer count and its metrics are no longer served.
  static constexpr int64_t kStreamsStaleMs = 5000;
  static constexpr int64_t kSnapshotStaleMs = 3 * kSnapshotEveryTicks * 1000;

  // render_own: this process's own Prometheus text (api/ops.cpp).
  Board(const Config& config, const hub::HubStats& stats, std::function<std::string()> render_own);
  // On its own thread, until stop(); removes this process's fields on the way out.
  void run();
  void stop() { ticker_.stop(); }

 private:
  void tick();
  void check_capacity(const redisReply* streams, int64_t now_ms);

  redis::Connection redis_;
  const hub::HubStats& stats_;
  std::function<std::string()> render_own_;
  Ticker ticker_;
  int ticks_ = 0;
};

// Before any thread starts: this host's name (Config::host_name; empty:
// the system's host name).
void name_this_host(const std::string& host_name);
// This process in labels and in Redis: "<host name>:<pid>".
const std::string& worker_label();
// Wall-clock milliseconds: what processes compare (not the test clock).
int64_t wall_ms();
// The metrics snapshots of the other processes that wrote within
// kSnapshotStaleMs; deletes older ones. Throws Error(store_unavailable).
std::vector<WorkerMetrics> other_workers_metrics(redis::Connection& redis, int64_t now_ms);

}  // namespace palabre::ops
