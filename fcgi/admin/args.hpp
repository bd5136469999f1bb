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
  std::optional<std::string> db;  // --db PATH overrides PALABRE_SQLITE_PATH
  // Options of the command by name without the dashes ("login" -> "ada").
  std::map<std::string, std::string, std::less<>> values;
  std::set<std::string, std::less<>> flags;  // "if-missing", "password-stdin"

  // The value of an option, or "" when it was not given.
  std::string value(std::string_view name) const;
  bool flag(std::string_view name) const { return flags.contains(name); }
};

// `words` are argv[1..]. Accepts "--name value" and "--name=value".
Args parse_args(const std::vector<std::string_view>& words);

// The text of --help.
std::string_view usage();

}  // namespace palabre::admin
