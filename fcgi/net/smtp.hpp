// Sending one mail over SMTP with libcurl (the e-mail reminders,
// mail/outbox.hpp). smtp:// (STARTTLS when the server offers it, required
// when there are credentials) or smtps://; one connection per mail (a few
// mails a minute at most); a whole-exchange timeout. Blocks the calling
// thread for at most settings.timeout_ms: never call it on a request
// thread or the hub.
#pragma once

#include <atomic>
#include <string>

namespace palabre::net {

struct SmtpSettings {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string user;  // "": no AUTH
  std::string password;
  long timeout_ms = 20000;
  // Set from another thread to cut a send short (the worker stopping):
  // the result is then `temporary`.
  const std::atomic<bool>* cancel = nullptr;
};

enum class SmtpOutcome {
  sent,
  temporary,  // a 4xx reply, no connection, a timeout, a cut: try again later
  permanent,  // a 5xx reply: the address or the message is refused for good
};

struct SmtpResult {
  SmtpOutcome outcome = SmtpOutcome::temporary;
  long reply_code = 0;  // the server's last reply, 0 when none
  std::string error;    // for the log (never holds the address)
};

// `message`: the whole RFC 5322 message with CRLF line ends (mail/message.hpp);
// libcurl escapes leading dots. `from` and `to` are bare addresses.
SmtpResult send_mail(const SmtpSettings& settings, const std::string& from, const std::string& to,
                     const std::string& message);

}  // namespace palabre::net
