#include "auth/password_policy.hpp"

#include <unordered_set>

#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/utf8.hpp"

namespace palabre::auth {
namespace {

// Lower-cases ASCII letters only: the bytes of other scripts are kept as
// they are, so a UTF-8 sequence is never altered.
std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> out;
    std::string_view text = embedded::file("fcgi/auth/common_passwords.txt");
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      out.insert(ascii_lower(line));
    }
    return out;
  }();
  return set;
}

}  // namespace

bool is_common_password(std::string_view password) {
  return common_passwords().contains(ascii_lower(password));
}

std::optional<std::string> password_problem(std::string_view password) {
  auto length = utf8::count_code_points(password);
  if (!length) return "The password is not valid UTF-8.";
  if (*length < kMinPasswordChars)
    return "The password must be at least " + std::to_string(kMinPasswordChars) + " characters long.";
  if (*length > kMaxPasswordChars)
    return "The password must be at most " + std::to_string(kMaxPasswordChars) + " characters long.";
  if (is_common_password(password)) return "This password is too common; choose another one.";
  return std::nullopt;
}

void check_password_policy(std::string_view password) {
  if (auto problem = password_problem(password)) throw Error(Code::weak_password, *problem);
}

}  // namespace palabre::auth
