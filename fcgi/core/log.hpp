// One logger for the process: one JSON object per line on stderr, with ts,
// level, msg and the given fields. Thread-safe (a mutex guards the write).
// Never pass tokens, cookies, passwords, e-mail addresses or question bodies.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace palabre::log {

enum class Level { debug, info, warn, error };

using Field = std::pair<std::string_view, std::string>;

void set_min_level(Level level);
void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::debug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::info, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::warn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::error, m, f); }

}  // namespace palabre::log
