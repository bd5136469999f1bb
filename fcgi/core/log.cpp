#include "core/log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace palabre::log {
namespace {
std::atomic<Level> g_min_level{Level::info};
std::mutex g_write_mutex;  // guards stderr so lines never interleave

const char* level_name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

std::string iso_now() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(ms));
  return buf;
}
}  // namespace

void set_min_level(Level level) { g_min_level = level; }

void write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (level < g_min_level.load(std::memory_order_relaxed)) return;
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("ts");
  std::string ts = iso_now();
  w.String(ts.c_str(), static_cast<rapidjson::SizeType>(ts.size()));
  w.Key("level");
  w.String(level_name(level));
  w.Key("msg");
  w.String(msg.data(), static_cast<rapidjson::SizeType>(msg.size()));
  for (const auto& [key, value] : fields) {
    if (value.empty()) continue;
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  }
  w.EndObject();
  std::lock_guard lock(g_write_mutex);
  std::fwrite(buf.GetString(), 1, buf.GetSize(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace palabre::log
