// The outbox: sends the reminder mails (confirmations and reminders) that
// SQL says are due (store/store.hpp, sql/0008_reminders.sql), and deletes
// the addresses that are no longer needed.
//
// One per worker process when PALABRE_SMTP_URL is set, on its own thread
// with its own SQL connection, ticking every second: sending blocks for up
// to PALABRE_SMTP_TIMEOUT_MS, which neither the requests nor the phase
// clock may wait for. Every worker runs one; a mail is sent by the worker
// whose conditional UPDATE claimed it (claim_reminder_mail), so two workers
// never send the same mail. A worker killed between the SMTP server's "250"
// and its write to SQL leaves a claim that lapses, and the mail is sent
// again: at least once across crashes, exactly once otherwise.
//
// Temporary failures (4xx, no connection, timeout) wait
// PALABRE_SMTP_RETRY_S, doubled at each attempt up to an hour, 8 attempts
// at most; a 5xx is final. Either way a mail given up deletes its row.
#pragma once

#include <atomic>
#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/ticker.hpp"
#include "store/store.hpp"

namespace palabre::mail {

class Outbox {
 public:
  Outbox(const Config& config, const Clock& clock);
  // Its own thread: ticks every second until stop().
  void run();
  // Any thread; a mail being sent is cut short.
  void stop();

 private:
  void tick();
  void send(const store::DueReminderMail& due);

  const Config& config_;
  const Clock& clock_;
  std::unique_ptr<store::Store> store_;
  bool failing_ = false;       // log a failure once, not every second
  int64_t next_purge_ms_ = 0;  // monotonic

  std::atomic<bool> cancel_{false};  // read by libcurl's progress callback
  Ticker ticker_;
};

}  // namespace palabre::mail
