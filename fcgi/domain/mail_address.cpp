#include "domain/mail_address.hpp"

#include <cctype>

namespace palabre::domain {
namespace {
bool atext(unsigned char c) {
  if (std::isalnum(c)) return true;
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool valid_local(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '.') {
      if (s[i + 1] == '.') return false;  // i + 1 < size: the last octet is not a dot
    } else if (!atext(c)) {
      return false;
    }
  }
  return true;
}

bool valid_domain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t labels = 0;
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label)
      if (!std::isalnum(c) && c != '-') return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2;  // a bare host name is no address on the Internet
}
}  // namespace

std::optional<std::string> normalized_mail_address(std::string_view address) {
  if (address.size() > 254) return std::nullopt;
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (!valid_local(local) || !valid_domain(domain)) return std::nullopt;
  std::string out(local);
  out += '@';
  for (unsigned char c : domain) out += static_cast<char>(std::tolower(c));
  return out;
}

}  // namespace palabre::domain
