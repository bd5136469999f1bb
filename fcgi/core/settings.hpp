// Where the worker's and palabre-admin's settings come from: configuration
// files (`--config FILE`, e.g. /etc/palabre/palabre.conf) under the
// environment, which wins. A file holds `NAME=value` lines with the
// environment variables' names (PALABRE_REDIS_HOST=127.0.0.1), `#` comments
// and blank lines; a value may be wrapped in double quotes.
//
// Every read is recorded, so that a name nobody asked for — a misspelling,
// a setting of another version — is refused at start (reject_unknown)
// instead of being silently ignored.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace palabre {

class Settings {
 public:
  // The PALABRE_* variables of this process's environment.
  static Settings from_environment();

  // Adds a configuration file under the environment (a later file wins over
  // an earlier one). Throws std::runtime_error naming the file and line of
  // a line that is not NAME=value or a name that is not PALABRE_*, or when
  // the file cannot be read.
  void add_file(const std::string& path);
  // The same from text (tests); `origin` names it in errors.
  void add_text(std::string_view text, const std::string& origin);

  // The value of `name` (environment first, then the files), or nullptr
  // when unset or empty. Records `name` as known.
  const char* find(std::string_view name) const;

  // Throws std::runtime_error listing every name given in a file or the
  // environment that no find() asked for, with where it came from and the
  // closest known name. Names of Palabre's own tooling (./dev, the tests,
  // nginx/render) are allowed in the environment.
  void reject_unknown() const;

  // name → value of everything given, for telling what a reload changed.
  std::map<std::string, std::string, std::less<>> values() const;

 private:
  struct Value {
    std::string text;
    std::string origin;  // "FILE:LINE" or "environment"
  };
  std::map<std::string, Value, std::less<>> environment_;
  std::map<std::string, Value, std::less<>> files_;
  mutable std::set<std::string, std::less<>> asked_;
};

// The names whose value differs between two values() (set, unset or
// changed), sorted: what a reload changed.
std::vector<std::string> changed_settings(const std::map<std::string, std::string, std::less<>>& before,
                                          const std::map<std::string, std::string, std::less<>>& after);

}  // namespace palabre
