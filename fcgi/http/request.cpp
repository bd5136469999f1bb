#include "http/request.hpp"

#include <cctype>

namespace palabre::http {
namespace {
std::string header_param_name(std::string_view name) {
  std::string p = "HTTP_";
  for (char c : name) p += (c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return p;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (s[i] == '+') ? ' ' : s[i];
  }
  return out;
}

std::string_view Request::param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view{} : std::string_view(it->second);
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  auto it = params.find(header_param_name(name));
  if (it == params.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<std::string> Request::cookies(std::string_view name) const {
  std::vector<std::string> found;
  auto h = header("Cookie");
  if (!h) return found;
  std::string_view rest = *h;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view pair = trim(rest.substr(0, semi));
    rest = (semi == std::string_view::npos) ? std::string_view{} : rest.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) == name) found.emplace_back(trim(pair.substr(eq + 1)));
  }
  return found;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  auto all = cookies(name);
  if (all.empty()) return std::nullopt;
  return std::move(all.front());
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = (amp == std::string_view::npos) ? std::string_view{} : rest.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq));
    if (key == name) return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::string Request::origin() const {
  if (!public_url.empty()) {
    size_t host = public_url.find("://");
    size_t path = public_url.find('/', host == std::string::npos ? 0 : host + 3);
    return public_url.substr(0, path);
  }
  std::string_view https = param("HTTPS");
  const bool secure = !https.empty() && https != "off";
  std::string out = secure ? "https://" : "http://";
  out += param("SERVER_NAME");
  std::string_view port = param("SERVER_PORT");
  if (!port.empty() && port != (secure ? "443" : "80")) out.append(":").append(port);
  return out;
}

std::string Request::base_url() const { return public_url.empty() ? origin() + prefix : public_url; }

Request parse_params(char** envp, std::string_view default_prefix, std::string_view public_url) {
  Params params;
  for (char** e = envp; e && *e; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    params.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return parse_params(std::move(params), default_prefix, public_url);
}

Request parse_params(Params params, std::string_view default_prefix, std::string_view public_url) {
  Request r;
  r.public_url = std::string(public_url);
  r.params = std::move(params);
  r.method = std::string(r.param("REQUEST_METHOD"));
  r.request_id = std::string(r.param("REQUEST_ID"));
  // nginx's own setting (nginx/render --public-url) wins over the worker's,
  // as for the prefix: both come from configuration, never from the client.
  if (std::string_view from_nginx = r.param("PALABRE_PUBLIC_URL"); !from_nginx.empty()) {
    r.public_url = std::string(from_nginx);
    if (r.public_url.back() != '/') r.public_url.push_back('/');
  }
  std::string prefix(r.param("PALABRE_PREFIX"));
  if (prefix.empty()) prefix = std::string(default_prefix);
  if (prefix.front() != '/') prefix.insert(prefix.begin(), '/');
  if (prefix.back() != '/') prefix.push_back('/');
  r.prefix = prefix;

  // DOCUMENT_URI is nginx's normalised, decoded path; REQUEST_URI is raw.
  std::string uri(r.param("DOCUMENT_URI"));
  if (uri.empty()) {
    uri = std::string(r.param("REQUEST_URI"));
    uri = uri.substr(0, uri.find('?'));
  }
  r.query = std::string(r.param("QUERY_STRING"));
  std::string_view bare_prefix(prefix);
  bare_prefix.remove_suffix(1);  // "/palabre/" -> "/palabre"
  if (!bare_prefix.empty() && uri.compare(0, bare_prefix.size(), bare_prefix) == 0)
    uri.erase(0, bare_prefix.size());
  if (uri.empty() || uri.front() != '/') uri.insert(uri.begin(), '/');
  r.path = uri;
  return r;
}

}  // namespace palabre::http
