// palabre-admin: wiring only. Parses the command line (usage errors exit 2
// before anything is opened), reads the worker's configuration, opens and
// migrates the store, then runs one command from admin/commands.hpp
// (failures exit 1). Single-threaded.
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "admin/args.hpp"
#include "admin/commands.hpp"
#include "admin/routes.hpp"
#include "core/clock.hpp"
#include "core/command_line.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "store/store.hpp"

namespace {
using namespace palabre;

void set_log_level(std::string_view level) {
  if (level == "debug")
    log::set_min_level(log::Level::debug);
  else if (level == "warn")
    log::set_min_level(log::Level::warn);
  else if (level == "error")
    log::set_min_level(log::Level::error);
  else
    log::set_min_level(log::Level::info);
}

int fail(int status, std::string_view message) {
  std::cerr << "palabre-admin: " << message << '\n';
  if (status == 2) std::cerr << "Try 'palabre-admin --help'.\n";
  return status;
}
}  // namespace

int main(int argc, char** argv) {
  ids::ensure_crypto_ready();

  admin::Args args;
  try {
    args = admin::parse_args(std::vector<std::string_view>(argv + 1, argv + argc));
  } catch (const admin::UsageError& e) {
    return fail(2, e.what());
  }
  if (args.help) {
    std::cout << admin::usage();
    return 0;
  }
  if (args.version) {
    std::cout << version_line("palabre-admin") << '\n';
    return 0;
  }
  if (args.command == "routes") {
    std::cout << admin::routes_json();
    return 0;
  }

  std::string path;
  try {
    std::vector<std::string> files = args.config_files;
    if (files.empty())
      for (const auto& f : admin::kDefaultConfigFiles)
        if (std::filesystem::exists(f)) files.push_back(f);
    Settings settings = settings_from(files);
    Config config = config_from(settings);
    settings.reject_unknown();
    set_log_level(config.log_level);
    // --db names a SQLite file, or a PostgreSQL URI; without it, the
    // worker's own settings choose.
    if (args.db) {
      bool is_url = args.db->starts_with("postgresql://") || args.db->starts_with("postgres://");
      config.database_url = is_url ? *args.db : "";
      if (!is_url) config.sqlite_path = *args.db;
    }
    // Never the URI itself in the message: it may carry a password.
    path = config.database_url.empty() ? config.sqlite_path : "PostgreSQL (PALABRE_DATABASE_URL or --db)";
    auto store = store::open(config);
    store->migrate();
    return admin::run_command(args, *store, SystemClock().now_ms(),
                              admin::Streams{std::cin, std::cout, std::cerr});
  } catch (const admin::UsageError& e) {
    return fail(2, e.what());
  } catch (const Error& e) {
    // The operator needs to know which file; the worker's clients do not.
    if (e.code() == Code::store_unavailable) return fail(1, std::string(e.what()) + ": " + path);
    return fail(1, e.what());
  } catch (const std::exception& e) {
    // A malformed or unknown setting, or a configuration file that cannot be read.
    return fail(1, e.what());
  }
}
