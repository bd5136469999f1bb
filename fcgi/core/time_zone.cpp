#include "core/time_zone.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <vector>

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
// A zone as its TZif file says: the instants its offset changes, and the
// offset from each on. RFC 8536; only the 64-bit (version 2+) data is read.
struct Zone {
  std::vector<int64_t> transitions;  // ascending, seconds since the epoch
  std::vector<int32_t> offsets;      // offsets[i] from transitions[i] on
  int32_t before_first = 0;          // before the first transition
  bool footer_has_rule = true;       // the POSIX TZ footer names summer time
};

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

std::optional<Zone> parse_tzif(const std::string& data) {
  auto bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t header = 44;
  if (data.size() < header || data.compare(0, 4, "TZif") != 0 || data[4] < '2') return std::nullopt;
  // The counts: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
  auto counts = [&](size_t at, uint32_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = be32(bytes + at + 20 + 4 * i);
  };
  uint32_t v1[6];
  counts(0, v1);
  size_t v2 = header + v1[3] * 5 + v1[4] * 6 + v1[5] + v1[2] * 8 + v1[1] + v1[0];
  if (data.size() < v2 + header || data.compare(v2, 4, "TZif") != 0) return std::nullopt;
  uint32_t c[6];
  counts(v2, c);
  const uint32_t timecnt = c[3], typecnt = c[4];
  size_t at = v2 + header;
  if (typecnt == 0 || data.size() < at + timecnt * 9 + typecnt * 6) return std::nullopt;
  Zone zone;
  std::vector<int32_t> type_offsets(typecnt);
  const size_t types_at = at + timecnt * 9;
  for (uint32_t i = 0; i < typecnt; ++i)
    type_offsets[i] = static_cast<int32_t>(be32(bytes + types_at + 6 * i));
  for (uint32_t i = 0; i < timecnt; ++i) {
    uint64_t hi = be32(bytes + at + 8 * i), lo = be32(bytes + at + 8 * i + 4);
    uint8_t type = bytes[at + timecnt * 8 + i];
    if (type >= typecnt) return std::nullopt;
    zone.transitions.push_back(static_cast<int64_t>((hi << 32) | lo));
    zone.offsets.push_back(type_offsets[type]);
  }
  if (!std::is_sorted(zone.transitions.begin(), zone.transitions.end())) return std::nullopt;
  zone.before_first = type_offsets[0];
  // The footer, "\n<POSIX TZ>\n" at the end: "CET-1CEST,M3.5.0,M10.5.0/3"
  // has a rule, "<-03>3" none.
  size_t end = data.size();
  if (end > 0 && data[end - 1] == '\n') {
    size_t start = data.rfind('\n', end - 2);
    if (start != std::string::npos && start >= types_at)
      zone.footer_has_rule = data.find(',', start) < end - 1;
  }
  return zone;
}
}  // namespace

std::optional<int32_t> utc_offset_s(std::string_view name, int64_t unix_s) {
  static std::mutex mutex;
  static std::map<std::string, std::optional<Zone>, std::less<>> zones;
  if (!well_formed(name)) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = zones.find(name);
  if (it == zones.end()) {
    std::ifstream in(std::string(kZoneInfo) + "/" + std::string(name), std::ios::binary);
    std::string data;
    if (in) data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    it = zones.emplace(std::string(name), in || !data.empty() ? parse_tzif(data) : std::nullopt).first;
  }
  if (!it->second) return std::nullopt;
  const Zone& zone = *it->second;
  if (zone.transitions.empty()) return zone.before_first;  // UTC and fixed zones
  if (unix_s < zone.transitions.front()) return zone.before_first;
  // Past the last transition, the footer's rule decides: a zone without
  // summer time keeps its last offset; one with it (a "slim" file, or past
  // 2037) is left to the caller's fallback rather than guessed.
  if (unix_s >= zone.transitions.back()) return zone.footer_has_rule ? std::nullopt : std::optional(zone.offsets.back());
  auto pos = std::upper_bound(zone.transitions.begin(), zone.transitions.end(), unix_s);
  return zone.offsets[static_cast<size_t>(pos - zone.transitions.begin()) - 1];
}

bool is_known_time_zone(std::string_view name) {
  if (!well_formed(name)) return false;
  struct stat dir {};
  if (::stat(kZoneInfo, &dir) != 0) return true;
  struct stat zone {};
  std::string path = std::string(kZoneInfo) + "/" + std::string(name);
  return ::stat(path.c_str(), &zone) == 0 && S_ISREG(zone.st_mode);
}

}  // namespace palabre::tz
