// palabre-worker's command line: `--config FILE` (repeatable; later files
// win, the environment wins over all), `--version`, `--help`. Pure, so
// that a usage error is found before anything opens.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace palabre {

struct WorkerArgs {
  std::vector<std::string> config_files;
  bool version = false;
  bool help = false;
};

class CommandLineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `words` are argv[1..]. Accepts "--config FILE" and "--config=FILE".
WorkerArgs parse_worker_args(const std::vector<std::string_view>& words);

std::string_view worker_usage();

// "palabre-worker 0.13.0 (commit d70dd1d2e8c3)"
std::string version_line(std::string_view program);

}  // namespace palabre
