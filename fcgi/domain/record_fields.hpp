// Reading back the flat field lists that domain records are kept as in
// Redis (Question, Poll): a number written by the record's own to_fields,
// or 0 for a field that is missing or was never a number. Pure.
#pragma once

#include <cstdint>
#include <string>

namespace palabre::domain {

inline int64_t int_field(const std::string& value) {
  try {
    return value.empty() ? 0 : std::stoll(value);
  } catch (...) {
    return 0;
  }
}

}  // namespace palabre::domain
