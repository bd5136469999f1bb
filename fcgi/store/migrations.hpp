// The schema migrations compiled into the binary: sql/NNNN_name.sql, applied
// in order of NNNN by each backend's runner (sqlite/migrate.hpp,
// postgres/migrate.hpp). Pure: reads only the embedded files; any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace palabre::store {

struct Migration {
  int version = 0;       // NNNN
  std::string name;      // "sql/0001_init.sql"
  std::string_view sql;  // embedded text; lives as long as the program
};

// The files among `files` (name -> text) named sql/NNNN_name.sql, ordered by
// version. Other files (Lua scripts) are skipped. Throws
// Error(internal_error) on two files with one version: a build mistake.
std::vector<Migration> migrations_from(
    const std::map<std::string, std::string_view, std::less<>>& files);

// migrations_from(embedded::all()).
std::vector<Migration> embedded_migrations();

}  // namespace palabre::store
