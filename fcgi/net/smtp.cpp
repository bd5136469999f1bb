#include "net/smtp.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include "net/curl.hpp"

namespace palabre::net {
namespace {
// Owner of the recipient list (STYLE.md §3).
struct SlistFree {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistFree>;

struct Source {
  const std::string* text;
  size_t offset = 0;
};

size_t on_read(char* buffer, size_t size, size_t n, void* user) {
  auto* src = static_cast<Source*>(user);
  size_t room = size * n;
  size_t left = src->text->size() - src->offset;
  size_t take = std::min(room, left);
  std::memcpy(buffer, src->text->data() + src->offset, take);
  src->offset += take;
  return take;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel && cancel->load() ? 1 : 0;  // non-zero aborts (CURLE_ABORTED_BY_CALLBACK)
}

// Transport failures worth another try later; anything else libcurl reports
// without a 5xx reply is treated the same (bounded by the outbox's attempts).
SmtpOutcome outcome_of(CURLcode rc, long reply) {
  if (rc == CURLE_OK) return SmtpOutcome::sent;
  if (reply >= 500 && reply < 600) return SmtpOutcome::permanent;
  return SmtpOutcome::temporary;
}
}  // namespace

SmtpResult send_mail(const SmtpSettings& settings, const std::string& from, const std::string& to,
                     const std::string& message) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  SmtpResult out;
  CurlPtr curl(curl_easy_init());
  if (!curl) {
    out.error = "libcurl could not start";
    return out;
  }
  CURL* c = curl.get();
  const std::string mail_from = "<" + from + ">";
  SlistPtr rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()));
  if (!rcpt) {
    out.error = "out of memory";
    return out;
  }
  Source source{&message};
  curl_easy_setopt(c, CURLOPT_URL, settings.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, CURLPROTO_SMTP | CURLPROTO_SMTPS);
#endif
  // Credentials never cross the network in clear: with them, smtp:// must
  // upgrade with STARTTLS; without, it does when the server offers it.
  curl_easy_setopt(c, CURLOPT_USE_SSL, settings.user.empty() ? CURLUSESSL_TRY : CURLUSESSL_ALL);
  if (!settings.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, &source);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, settings.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(settings.timeout_ms, 10000L));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a threaded worker
  if (settings.cancel) {
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(settings.cancel));
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.reply_code);
  out.outcome = outcome_of(rc, out.reply_code);
  if (rc != CURLE_OK) out.error = curl_easy_strerror(rc);
  return out;
}

}  // namespace palabre::net
