#include "core/time_zone.hpp"

#include <sys/stat.h>

#include <string>

namespace palabre::tz {
namespace {
constexpr const char* kZoneInfo = "/usr/share/zoneinfo";

// "Area/Location[/Sub]" or "UTC": letters, digits, '_', '+', '-', at most
// three parts, none starting with '.', so the name cannot leave the
// directory.
bool well_formed(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  int parts = 1;
  bool part_start = true;
  for (char c : name) {
    if (c == '/') {
      if (part_start) return false;
      ++parts;
      part_start = true;
      continue;
    }
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '+' || (c == '-' && !part_start);
    if (!ok) return false;
    part_start = false;
  }
  return !part_start && parts <= 3;
}
}  // namespace

bool is_known_time_zone(std::string_view name) {
  if (!well_formed(name)) return false;
  struct stat dir {};
  if (::stat(kZoneInfo, &dir) != 0) return true;
  struct stat zone {};
  std::string path = std::string(kZoneInfo) + "/" + std::string(name);
  return ::stat(path.c_str(), &zone) == 0 && S_ISREG(zone.st_mode);
}

}  // namespace palabre::tz
