// Files compiled into the binaries (Redis Lua scripts, SQL migrations); see
// cmake/embed.cmake. Names are paths from the source root.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace palabre::embedded {
// Empty view when no such file was embedded.
std::string_view file(std::string_view name);
std::map<std::string, std::string_view, std::less<>> all();
}  // namespace palabre::embedded
