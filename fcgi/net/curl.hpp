// Owner of a libcurl easy handle (STYLE.md §3): curl_easy_cleanup when the
// CurlPtr goes. One handle per fetch, on the thread that made it; libcurl's
// global init happens once per process (curl_global_init in net::fetch_https,
// thread-safe since libcurl 7.84 and called under std::call_once anyway).
#pragma once

#include <curl/curl.h>

#include <memory>

namespace palabre::net {

struct CurlFree {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
using CurlPtr = std::unique_ptr<CURL, CurlFree>;

}  // namespace palabre::net
