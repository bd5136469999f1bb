#include "core/command_line.hpp"

#include "core/version.hpp"

namespace palabre {

WorkerArgs parse_worker_args(const std::vector<std::string_view>& words) {
  WorkerArgs args;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "--version") {
      args.version = true;
    } else if (w == "--help" || w == "-h") {
      args.help = true;
    } else if (w == "--config") {
      if (i + 1 >= words.size() || words[i + 1].empty()) throw CommandLineError("--config needs a file");
      args.config_files.emplace_back(words[++i]);
    } else if (w.substr(0, 9) == "--config=") {
      if (w.size() == 9) throw CommandLineError("--config needs a file");
      args.config_files.emplace_back(w.substr(9));
    } else {
      throw CommandLineError("unknown argument: " + std::string(w));
    }
  }
  return args;
}

std::string_view worker_usage() {
  return "Usage: palabre-worker [--config FILE]... | --version | --help\n"
         "\n"
         "Serves Palabre's API to nginx over FastCGI. Settings come from each\n"
         "--config FILE (NAME=value lines, e.g. PALABRE_REDIS_HOST=127.0.0.1; a later\n"
         "file wins) and from the environment, which wins over the files. An unknown\n"
         "PALABRE_* name is an error. Settings: docs/OPERATIONS.md.\n"
         "\n"
         "Signals: SIGTERM/SIGINT drain and stop; SIGHUP reads the files again and\n"
         "applies what can change without a restart (PALABRE_LOG_LEVEL).\n"
         "Under systemd: socket activation (palabre.socket), Type=notify, WatchdogSec=.\n";
}

std::string version_line(std::string_view program) {
  return std::string(program) + " " + version::number + " (commit " + version::commit + ")";
}

}  // namespace palabre
