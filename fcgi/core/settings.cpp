#include "core/settings.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace palabre {
namespace {

constexpr std::string_view kPrefix = "PALABRE_";

// Variables that Palabre's own tools read, never the worker: a developer's
// shell that ran `./dev up` or sourced .run/dev.env holds them, and so does
// every test's environment. Unknown to the worker, yet no mistake.
bool tooling_name(std::string_view name) {
  static const std::set<std::string_view> names = {
      "PALABRE_PORT",          "PALABRE_RUN_DIR",       "PALABRE_WORKERS",      "PALABRE_WATCHERS",
      "PALABRE_NGINX_WORKERS", "PALABRE_BUILD_DIR",     "PALABRE_SOURCE_DIR",   "PALABRE_EMBED_ORIGINS",
      "PALABRE_KEEP_RUN_DIR",  "PALABRE_SCREENSHOT_DIR", "PALABRE_SHARED_TOOLS", "PALABRE_APT_UPDATED",
      "PALABRE_ASSERTS",       "PALABRE_SANITIZE",      "PALABRE_CHROMIUM",     "PALABRE_BROWSER_URL",
      "PALABRE_DEMO_EVENT",    "PALABRE_FUZZ_SECONDS",  "PALABRE_URL",          "PALABRE_VISITOR_URL",
      "PALABRE_MODERATOR_URL", "PALABRE_GUEST_URL",     "PALABRE_ADMIN_URL",    "PALABRE_ADMIN_TOKEN",
      "PALABRE_ADMIN_LOGIN",   "PALABRE_ADMIN_PASSWORD_FILE"};
  if (names.contains(name)) return true;
  for (std::string_view family : {"PALABRE_TEST_", "PALABRE_FAULT_", "PALABRE_BENCH_"})
    if (name.substr(0, family.size()) == family) return true;
  return false;
}

bool valid_name(std::string_view name) {
  if (name.size() <= kPrefix.size() || name.substr(0, kPrefix.size()) != kPrefix) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

Settings Settings::from_environment() {
  Settings s;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = entry.substr(0, eq);
    if (name.substr(0, kPrefix.size()) != kPrefix) continue;
    s.environment_[std::string(name)] = Value{std::string(entry.substr(eq + 1)), "environment"};
  }
  return s;
}

void Settings::add_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the configuration file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  add_text(text.str(), path);
}

void Settings::add_text(std::string_view text, const std::string& origin) {
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = origin + ":" + std::to_string(line_number);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      throw std::runtime_error(where + ": expected NAME=value, e.g. PALABRE_REDIS_HOST=127.0.0.1");
    std::string_view name = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (!valid_name(name))
      throw std::runtime_error(where + ": \"" + std::string(name) + "\" is not a setting name (PALABRE_…)");
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    files_[std::string(name)] = Value{std::string(value), where};
  }
}

const char* Settings::find(std::string_view name) const {
  asked_.emplace(name);
  for (const auto* source : {&environment_, &files_}) {
    auto it = source->find(name);
    if (it != source->end()) return it->second.text.empty() ? nullptr : it->second.text.c_str();
  }
  return nullptr;
}

void Settings::reject_unknown() const {
  std::string problems;
  auto check = [&](const std::map<std::string, Value, std::less<>>& source, bool from_environment) {
    for (const auto& [name, value] : source) {
      if (asked_.contains(name) || (from_environment && tooling_name(name))) continue;
      std::string closest;
      size_t best = 4;  // further than this is no misspelling
      for (const auto& known : asked_) {
        size_t d = edit_distance(name, known);
        if (d < best) best = d, closest = known;
      }
      problems += "\n  " + value.origin + ": unknown setting " + name;
      if (!closest.empty()) problems += " (did you mean " + closest + "?)";
    }
  };
  check(files_, false);
  check(environment_, true);
  if (!problems.empty()) throw std::runtime_error("unknown settings, see docs/OPERATIONS.md:" + problems);
}

std::map<std::string, std::string, std::less<>> Settings::values() const {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& [name, value] : files_) out[name] = value.text;
  for (const auto& [name, value] : environment_) out[name] = value.text;
  return out;
}

std::vector<std::string> changed_settings(const std::map<std::string, std::string, std::less<>>& before,
                                          const std::map<std::string, std::string, std::less<>>& after) {
  std::set<std::string> names;
  for (const auto& [name, value] : before) {
    auto it = after.find(name);
    if (it == after.end() || it->second != value) names.insert(name);
  }
  for (const auto& [name, value] : after)
    if (!before.contains(name)) names.insert(name);
  return {names.begin(), names.end()};
}

}  // namespace palabre
