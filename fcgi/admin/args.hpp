// Command line of palabre-admin: one command, its options, and --db/--help.
// Pure (no I/O), so that every usage error is found before the database is
// opened. Errors: throws UsageError, which main turns into exit status 2.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace palabre::admin {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Args {
  std::string command;  // "migrate", "create-admin", "set-password", "token", "tokens",
                        // "revoke-token", "invites", "create-event", "invite"
  bool help = false;              // --help or -h anywhere: print usage(), run nothing
  bool version = false;           // --version: print the version, run nothing
  std::optional<std::string> db;  // --db PATH overrides PALABRE_SQLITE_PATH
  // --config FILE, repeatable: the worker's configuration files
  // (core/settings.hpp). None given: kDefaultConfigFiles that exist.
  std::vector<std::string> config_files;
  // Options of the command by name without the dashes ("login" -> "ada").
  std::map<std::string, std::string, std::less<>> values;
  std::set<std::string, std::less<>> flags;  // "if-missing", "password-stdin"

  // The value of an option, or "" when it was not given.
  std::string value(std::string_view name) const;
  bool flag(std::string_view name) const { return flags.contains(name); }
};

// Read when no --config is given and they exist: what the Debian package
// installs (docs/INSTALL.md), so that `palabre-admin` on a server uses the
// workers' settings.
inline const std::vector<std::string> kDefaultConfigFiles = {"/etc/palabre/palabre.conf",
                                                             "/etc/palabre/secrets.conf"};

// `words` are argv[1..]. Accepts "--name value" and "--name=value".
Args parse_args(const std::vector<std::string_view>& words);

// The text of --help.
std::string_view usage();

}  // namespace palabre::admin
