// Fetching a small file over https (the organiser's logo, api/logo.cpp):
// https only, also after redirects (at most 3); a whole-request timeout; a
// size cap enforced while receiving; the system's CA store, or `ca_file`.
// Runs on the calling (accept) thread; blocks at most timeout_ms.
#pragma once

#include <cstddef>
#include <string>

namespace palabre::net {

struct FetchLimits {
  long timeout_ms = 5000;
  size_t max_bytes = 512 * 1024;
  std::string ca_file;  // "": the system's CAs
};

struct FetchResult {
  bool ok = false;
  std::string body;
  std::string error;  // why not, for the log and the 422 message
};

FetchResult fetch_https(const std::string& url, const FetchLimits& limits);

}  // namespace palabre::net
