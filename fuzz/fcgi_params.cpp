// FastCGI params → http::Request, as an accept thread builds it from libfcgi's
// envp (api/dispatch.cpp): the input is split on NUL into "NAME=value"
// strings. Then every accessor a handler uses on them, the cursor of
// Last-Event-ID (api/streams.cpp) included.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/cursor.hpp"
#include "http/request.hpp"

using namespace palabre;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the configured mount point (config.cpp makes it
  // start and end with '/', so never empty).
  const char* default_prefix = (data[0] & 1) ? "/palabre/" : "/";
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::vector<std::string> strings;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nul = text.find('\0', start);
    if (nul == std::string::npos) nul = text.size();
    strings.push_back(text.substr(start, nul - start));
    start = nul + 1;
  }
  std::vector<char*> envp;
  for (auto& s : strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  http::Request r = http::parse_params(envp.data(), default_prefix);
  check(!r.path.empty() && r.path.front() == '/');
  check(r.prefix.size() >= 1 && r.prefix.front() == '/' && r.prefix.back() == '/');

  for (const char* h : {"Origin", "Cookie", "Host", "Last-Event-ID", "Content-Type", "X-CSRF-Token",
                        "Idempotency-Key", "Sec-Fetch-Site", "Authorization", "X-Forwarded-Proto"}) {
    (void)r.header(h);
  }
  for (const char* c : {"plb_visitor", "plb_staff", "", "a"}) (void)r.cookie(c);
  for (const char* q : {"after", "last_event_id", "format", "lang", "", "a"}) {
    if (auto v = r.query_param(q)) (void)http::percent_decode(*v);
  }
  (void)r.origin();
  (void)r.base_url();
  (void)http::percent_decode(r.query);

  if (auto h = r.header("Last-Event-ID")) {
    if (auto c = parse_cursor(*h)) check(c->epoch.empty() || is_epoch(c->epoch));
  }
  return 0;
}
