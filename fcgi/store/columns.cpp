#include "store/columns.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>

#include "core/log.hpp"

namespace palabre::store {
namespace {
std::optional<std::pair<uint64_t, uint64_t>> parse_cursor(std::string_view s) {
  size_t dash = s.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  uint64_t ms = 0, seq = 0;
  auto [p1, e1] = std::from_chars(s.data(), s.data() + dash, ms);
  auto [p2, e2] = std::from_chars(s.data() + dash + 1, s.data() + s.size(), seq);
  if (e1 != std::errc{} || p1 != s.data() + dash || e2 != std::errc{} ||
      p2 != s.data() + s.size() || dash == 0)
    return std::nullopt;
  return std::pair{ms, seq};
}
}  // namespace

std::string languages_to_json(const std::vector<std::string>& languages) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartArray();
  for (const std::string& tag : languages)
    writer.String(tag.data(), static_cast<rapidjson::SizeType>(tag.size()));
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::vector<std::string> languages_from_json(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  std::vector<std::string> out;
  if (!doc.HasParseError() && doc.IsArray()) {
    for (const auto& item : doc.GetArray())
      if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
  }
  if (out.empty()) {
    log::warn("event languages column is not a JSON array of tags; using fr");
    out.emplace_back("fr");
  }
  return out;
}

bool cursor_less(std::string_view a, std::string_view b) {
  auto pa = parse_cursor(a);
  auto pb = parse_cursor(b);
  if (pa && pb) return *pa < *pb;
  if (pa != pb) return pa.has_value();  // well-formed first
  return a < b;
}

}  // namespace palabre::store
