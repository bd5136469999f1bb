#include "http/csv.hpp"

namespace palabre::http {

std::string csv_cell(std::string_view s) {
  std::string out = "\"";
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) out += '\'';
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else out += c;
  }
  return out + "\"";
}

}  // namespace palabre::http
