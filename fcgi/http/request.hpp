// A parsed HTTP request, copied out of libfcgi's params so that it outlives a
// handoff. Built by the accept thread; never shared across threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace palabre::http {

// FastCGI params by name (HTTP_* = headers); the first of a repeated name wins.
using Params = std::map<std::string, std::string, std::less<>>;

struct Request {
  std::string method;
  std::string path;    // below the mount point, always starting with '/'
  std::string query;   // raw query string, without '?'
  std::string body;
  std::string prefix;  // mount point, "/" or "/palabre/"
  std::string public_url;  // PALABRE_PUBLIC_URL (ends with '/'), or empty
  std::string request_id;
  Params params;

  // A request header by its HTTP name ("Origin", "Last-Event-ID").
  std::optional<std::string_view> header(std::string_view name) const;
  // The first cookie of that name, or every one (in the order sent: a
  // browser holding several with different Paths sends them all).
  std::optional<std::string> cookie(std::string_view name) const;
  std::vector<std::string> cookies(std::string_view name) const;
  // First value of a query parameter, percent-decoded.
  std::optional<std::string> query_param(std::string_view name) const;
  std::string_view param(std::string_view name) const;

  // "http://127.0.0.1:8080/" or "https://ville.example/palabre/": the public
  // base URL of the mount point, for every absolute URL Palabre writes. The
  // configured public URL when there is one, else what nginx's own
  // configuration says (HTTPS, SERVER_NAME, SERVER_PORT) plus the prefix.
  // Never from a client header: Host and X-Forwarded-* are the client's
  // to choose, and a URL built from them ends up in nginx's shared copy of
  // the event (cache poisoning) and in invite links.
  std::string base_url() const;
  std::string origin() const;  // scheme://host[:port] of base_url()
};

// Builds the Request from FastCGI params (envp). `default_prefix` is used
// when nginx passes no PALABRE_PREFIX; `public_url` is PALABRE_PUBLIC_URL.
Request parse_params(char** envp, std::string_view default_prefix, std::string_view public_url = {});
// The same from params the hub read itself (hub/fastcgi_input.hpp).
Request parse_params(Params params, std::string_view default_prefix, std::string_view public_url = {});

std::string percent_decode(std::string_view s);

}  // namespace palabre::http
