// What this build is: the project's version (CMakeLists.txt) and the git
// commit it was built from (cmake/version.cmake writes both).
#pragma once

namespace palabre::version {
extern const char* const number;  // "0.13.0"
extern const char* const commit;  // "d70dd1d2e8c3", "…-dirty" or "unknown"
}  // namespace palabre::version
