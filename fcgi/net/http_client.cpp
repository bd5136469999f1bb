#include "net/http_client.hpp"

#include <mutex>

#include "net/curl.hpp"

namespace palabre::net {
namespace {
struct Sink {
  std::string* body;
  size_t max;
  bool too_large = false;
};

size_t on_data(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t bytes = size * n;
  if (sink->body->size() + bytes > sink->max) {
    sink->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  sink->body->append(data, bytes);
  return bytes;
}
}  // namespace

FetchResult fetch_https(const std::string& url, const FetchLimits& limits) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  FetchResult out;
  if (url.rfind("https://", 0) != 0) {
    out.error = "not an https:// address";
    return out;
  }
  CurlPtr curl(curl_easy_init());
  if (!curl) {
    out.error = "libcurl could not start";
    return out;
  }
  CURL* c = curl.get();
  Sink sink{&out.body, limits.max_bytes};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  // https only, for the first request and every redirect.
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_HTTPS);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTPS);
#endif
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, limits.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, limits.timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a threaded worker
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_bytes));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!limits.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, limits.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Palabre (logo fetch)");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  CURLcode rc = curl_easy_perform(c);
  if (sink.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    out.error = "larger than " + std::to_string(limits.max_bytes / 1024) + " KiB";
    out.body.clear();
    return out;
  }
  if (rc != CURLE_OK) {
    out.error = curl_easy_strerror(rc);
    out.body.clear();
    return out;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    out.error = "the server answered " + std::to_string(status);
    out.body.clear();
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace palabre::net
