#include "store/migrations.hpp"

#include <algorithm>
#include <cctype>

#include "core/embedded.hpp"
#include "core/error.hpp"

namespace palabre::store {
namespace {
constexpr std::string_view kDir = "sql/";
constexpr std::string_view kSuffix = ".sql";

// The NNNN of "sql/NNNN_name.sql", or -1 for any other name.
int version_of(std::string_view name) {
  if (!name.starts_with(kDir) || !name.ends_with(kSuffix)) return -1;
  std::string_view base = name.substr(kDir.size());
  if (base.find('/') != std::string_view::npos) return -1;
  size_t digits = 0;
  while (digits < base.size() && std::isdigit(static_cast<unsigned char>(base[digits]))) ++digits;
  if (digits == 0 || digits > 6 || digits >= base.size() || base[digits] != '_') return -1;
  return std::stoi(std::string(base.substr(0, digits)));
}
}  // namespace

std::vector<Migration> migrations_from(
    const std::map<std::string, std::string_view, std::less<>>& files) {
  std::vector<Migration> out;
  for (const auto& [name, text] : files) {
    int version = version_of(name);
    if (version >= 0) out.push_back(Migration{version, name, text});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version)
      throw Error(Code::internal_error,
                  "two migrations share one version: " + out[i - 1].name + ", " + out[i].name);
  }
  return out;
}

std::vector<Migration> embedded_migrations() { return migrations_from(embedded::all()); }

}  // namespace palabre::store
