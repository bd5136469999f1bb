// One Prometheus exposition out of several worker processes' own: every
// sample gets a worker="host:pid" label, and each metric family is written
// once (its HELP and TYPE, then the samples of every worker), as the text
// format requires. Pure: the snapshots come from Redis (ops/board.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace palabre::ops {

struct WorkerMetrics {
  std::string worker;  // "host:pid"
  std::string text;    // that process's own exposition, without worker labels
};

std::string merge_metrics(const std::vector<WorkerMetrics>& workers);

}  // namespace palabre::ops
