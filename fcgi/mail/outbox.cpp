#include "mail/outbox.hpp"

#include <algorithm>
#include <chrono>

#include "api/calendar.hpp"
#include "api/site_settings.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "mail/message.hpp"
#include "mail/texts.hpp"
#include "net/smtp.hpp"

namespace palabre::mail {
namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kMailsPerTick = 20;
constexpr int kMaxAttempts = 8;
constexpr int64_t kMaxRetryMs = 3600 * 1000;
constexpr int64_t kPurgeEveryMs = 10 * 1000;

const char* kind_name(store::ReminderMail kind) {
  return kind == store::ReminderMail::confirmation ? "confirmation" : "reminder";
}

int64_t retry_delay_ms(const Config& config, int failed_before) {
  int64_t delay = config.smtp_retry_s * 1000LL;
  for (int i = 0; i < failed_before && delay < kMaxRetryMs; ++i) delay *= 2;
  return std::min(delay, kMaxRetryMs);
}
}  // namespace

Outbox::Outbox(const Config& config, const Clock& clock) : config_(config), clock_(clock) {}

void Outbox::run() {
  ticker_.run([this] { tick(); });
}

void Outbox::stop() {
  cancel_ = true;
  ticker_.stop();
}

void Outbox::tick() {
  try {
    if (!store_) store_ = store::open(config_);
    int64_t now = clock_.now_ms();
    if (monotonic_ms() >= next_purge_ms_) {
      next_purge_ms_ = monotonic_ms() + kPurgeEveryMs;
      if (int gone = store_->purge_reminders(now, now - kDayMs))
        log::info("reminder addresses deleted", {{"count", std::to_string(gone)}});
    }
    for (const auto& due : store_->due_reminder_mails(now, config_.reminder_lead_s * 1000LL, kMailsPerTick)) {
      if (cancel_) break;
      send(due);
    }
    if (failing_) log::info("mail outbox recovered");
    failing_ = false;
  } catch (const Error& e) {
    if (e.code() == Code::store_unavailable) store_.reset();
    if (!failing_) log::warn("mail outbox failed; retrying every second", {{"error", e.what()}});
    failing_ = true;
  }
}

void Outbox::send(const store::DueReminderMail& due) {
  const store::Reminder& r = due.reminder;
  const bool confirmation = due.kind == store::ReminderMail::confirmation;
  const int64_t now = clock_.now_ms();
  // Fresh tokens for each mail, stored only as hashes with the claim. The
  // reminder's unsubscribe link is not stored at all: its row is deleted
  // once it is sent, and the unsubscribe endpoint answers the same for a
  // token it does not know.
  const std::string confirm_token = confirmation ? ids::random_token(32) : "";
  const std::string unsubscribe_token = ids::random_token(32);
  const int64_t claim_until = now + config_.smtp_timeout_ms + 60 * 1000;
  if (!store_->claim_reminder_mail(r.id, due.kind, now, config_.reminder_lead_s * 1000LL, claim_until,
                                   confirmation ? ids::sha256_hex(confirm_token) : "",
                                   confirmation ? ids::sha256_hex(unsubscribe_token) : ""))
    return;  // another worker's, or no longer due
  const std::string id = std::to_string(r.id);
  std::optional<store::Event> event = store_->get_event(r.event_id);
  if (!event) {
    store_->delete_reminder(r.id);
    return;
  }
  const Texts& t = texts_for(r.lang);
  // On the debate's clock, else the site's (api/site_settings.hpp).
  std::string zone = event->time_zone;
  if (zone.empty()) zone = api::site_defaults_from(store_->site_settings().value_or(std::string())).time_zone;
  const std::string when = when_text(event->starts_at_ms, t.lang, zone);
  // The route of api/reminders.cpp: a GET shows a page with one button, a
  // POST (RFC 8058's one-click, or that button) deletes the address.
  const std::string unsubscribe_url =
      r.base_url + "api/reminders/" + unsubscribe_token + "/unsubscribe?lang=" + std::string(t.lang);
  const std::string confirm_url = r.base_url + "r/" + confirm_token;
  const std::string event_url = r.base_url + "e/" + r.event_id;
  const std::string ics_url = r.base_url + "api/events/" + r.event_id + "/calendar.ics";
  auto fill_in = [&](std::string_view text) {
    return fill(text, {{"title", event->title},
                       {"when", when},
                       {"confirm_url", confirm_url},
                       {"event_url", event_url},
                       {"ics_url", ics_url},
                       {"unsubscribe_url", unsubscribe_url}});
  };
  Message m;
  m.from = config_.smtp_from;
  m.to = r.email;
  m.subject = fill_in(confirmation ? t.confirm_subject : t.reminder_subject);
  m.text = fill_in(confirmation ? t.confirm_body : t.reminder_body);
  m.unsubscribe_url = unsubscribe_url;
  m.date_ms = now;
  // The reminder carries the debate for the reader's calendar, the same
  // file as GET /api/events/{id}/calendar.ics (also linked in the text).
  if (!confirmation)
    m.attachment = Attachment{"text/calendar; charset=utf-8", r.event_id + ".ics",
                              api::calendar_ics(*event, event_url, now)};
  net::SmtpSettings settings{config_.smtp_url, config_.smtp_user, config_.smtp_password, config_.smtp_timeout_ms,
                             &cancel_};
  net::SmtpResult result = net::send_mail(settings, config_.smtp_from, r.email, render(m, ids::random_token(18)));

  const int64_t after = clock_.now_ms();
  log::Field fields[] = {{"reminder_id", id}, {"event_id", r.event_id}, {"mail", kind_name(due.kind)}};
  if (result.outcome == net::SmtpOutcome::sent) {
    if (confirmation) {
      store_->confirmation_sent(r.id, after);
    } else {
      store_->delete_reminder(r.id);  // the address is not needed any more
    }
    log::info("reminder mail sent", {fields[0], fields[1], fields[2]});
    return;
  }
  const std::string reply = std::to_string(result.reply_code);
  if (result.outcome == net::SmtpOutcome::temporary && r.attempts + 1 < kMaxAttempts && !cancel_) {
    store_->reminder_mail_failed(r.id, after + retry_delay_ms(config_, r.attempts));
    log::warn("reminder mail failed; will retry",
              {fields[0], fields[1], fields[2], {"smtp_reply", reply}, {"error", result.error}});
    return;
  }
  if (cancel_) {
    // Stopping: the claim ends now and another worker sends it.
    store_->reminder_mail_failed(r.id, after);
    return;
  }
  store_->delete_reminder(r.id);
  log::warn("reminder mail given up; address deleted",
            {fields[0], fields[1], fields[2], {"smtp_reply", reply}, {"error", result.error}});
}

}  // namespace palabre::mail
