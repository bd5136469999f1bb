// This worker process's own Prometheus text (no worker label), for
// /metrics and for the snapshot ops/board.hpp writes to Redis.
#pragma once

#include <string>

#include "http/metrics.hpp"
#include "hub/hub.hpp"

namespace palabre::api {

std::string own_metrics(const hub::HubStats& stats, const http::RouteMetrics* route_metrics);

}  // namespace palabre::api
