// The reminders table (sql/0008_reminders.sql), behind the Store's reminder
// methods (store/store.hpp says what each does), for both backends: free
// function templates on the caller's Backend::Connection (sql_store.hpp),
// same thread and error rules as its connection.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace palabre::store::sql {
inline const std::string kReminderColumns =
    "r.id, r.event_id, r.email, r.lang, r.base_url, r.created_ms, r.confirmed_ms, r.confirm_sent_ms, r.attempts";

template <class Query>
Reminder read_reminder(const Query& q) {
  return Reminder{.id = q.int64(0),
                  .event_id = q.text(1),
                  .email = q.text(2),
                  .lang = q.text(3),
                  .base_url = q.text(4),
                  .created_ms = q.int64(5),
                  .confirmed_ms = q.int64(6),
                  .confirm_sent_ms = q.int64(7),
                  .attempts = static_cast<int>(q.int64(8))};
}

// What makes each kind of mail due, on a row `r` joined with its event `e`
// (?1 now, ?2 lead): kept in one place so that the claim checks exactly what
// the listing chose. A reminder is due from starts_at − lead until the start
// (the purge deletes the row then); an address confirmed later than
// starts_at − lead gets it at once.
inline const std::string kConfirmationDue = "r.confirm_due = 1 AND r.confirmed_ms = 0";
inline const std::string kReminderDue =
    "r.confirmed_ms > 0 AND e.closed = 0 AND e.starts_at_ms - ?2 <= ?1 AND ?1 < e.starts_at_ms";
inline const std::string kReminderFree = "r.claimed_until_ms <= ?1 AND r.next_attempt_ms <= ?1";

template <class Backend>
bool subscribe_reminder(typename Backend::Connection& db, const Reminder& r, int64_t resend_before_ms) {
  typename Backend::Transaction tx(db);
  bool due = false;
  auto existing = db.query("SELECT confirmed_ms, confirm_due, confirm_sent_ms FROM reminders"
                            " WHERE event_id = ?1 AND email = ?2");
  existing.bind_all(r.event_id, r.email);
  if (!existing.step()) {
    db.query("INSERT INTO reminders (event_id, email, lang, base_url, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind_all(r.event_id, r.email, r.lang, r.base_url, r.created_ms)
        .run();
    due = true;
  } else {
    bool confirmed = existing.int64(0) != 0, pending = existing.int64(1) != 0;
    int64_t sent_ms = existing.int64(2);
    // The row's request time moves on, so that a visitor who asks again gets
    // another day to confirm; the language is the latest asked for.
    if (!confirmed && !pending && sent_ms < resend_before_ms) {
      db.query("UPDATE reminders SET confirm_due = 1, attempts = 0, next_attempt_ms = 0, lang = ?3,"
               " created_ms = ?4 WHERE event_id = ?1 AND email = ?2")
          .bind_all(r.event_id, r.email, r.lang, r.created_ms)
          .run();
      due = true;
    }
  }
  tx.commit();
  return due;
}

template <class Backend>
std::optional<Reminder> find_reminder(typename Backend::Connection& db, const std::string& token_hash) {
  auto q = db.query("SELECT " + kReminderColumns + " FROM reminders r WHERE r.confirm_hash = ?1 OR r.unsubscribe_hash = ?1");
  q.bind_all(token_hash);
  if (!q.step()) return std::nullopt;
  return read_reminder(q);
}

template <class Backend>
bool confirm_reminder(typename Backend::Connection& db, const std::string& confirm_hash, int64_t now_ms) {
  auto q = db.query("UPDATE reminders SET confirmed_ms = CASE confirmed_ms WHEN 0 THEN ?2 ELSE confirmed_ms END,"
                     " confirm_due = 0, attempts = 0, next_attempt_ms = 0 WHERE confirm_hash = ?1");
  q.bind_all(confirm_hash, now_ms);
  q.run();
  return db.changes() > 0;
}

template <class Backend>
bool delete_reminder_by_token(typename Backend::Connection& db, const std::string& token_hash) {
  db.query("DELETE FROM reminders WHERE confirm_hash = ?1 OR unsubscribe_hash = ?1").bind_all(token_hash).run();
  return db.changes() > 0;
}

template <class Backend>
std::vector<DueReminderMail> due_reminder_mails(typename Backend::Connection& db, int64_t now_ms, int64_t lead_ms, int limit) {
  auto q = db.query("SELECT " + kReminderColumns + ", CASE WHEN " + kConfirmationDue +
                     " THEN 0 ELSE 1 END, e.starts_at_ms FROM reminders r JOIN events e ON e.id = r.event_id"
                     " WHERE " + kReminderFree + " AND ((" + kConfirmationDue + ") OR (" + kReminderDue +
                     ")) ORDER BY r.id LIMIT ?3");
  q.bind_all(now_ms, lead_ms, int64_t{limit});
  std::vector<DueReminderMail> out;
  while (q.step())
    out.push_back({read_reminder(q), q.int64(9) == 0 ? ReminderMail::confirmation : ReminderMail::reminder,
                   q.int64(10)});
  return out;
}

template <class Backend>
bool claim_reminder_mail(typename Backend::Connection& db, int64_t id, ReminderMail kind, int64_t now_ms, int64_t lead_ms,
                         int64_t claim_until_ms, const std::string& confirm_hash,
                         const std::string& unsubscribe_hash) {
  // SQLite takes the write lock for the whole statement: of two workers
  // claiming the same row, the second sees the first's claimed_until_ms.
  // PostgreSQL (READ COMMITTED) makes the second UPDATE wait for the row
  // lock, then evaluates its WHERE again on the row the first committed
  // (and the joined event), so it matches nothing: on any host, one wins.
  const std::string& due = kind == ReminderMail::confirmation ? kConfirmationDue : kReminderDue;
  auto q = db.query("UPDATE reminders AS r SET claimed_until_ms = ?4,"
                     " confirm_hash = CASE WHEN ?5 = '' THEN confirm_hash ELSE ?5 END,"
                     " unsubscribe_hash = CASE WHEN ?6 = '' THEN unsubscribe_hash ELSE ?6 END"
                     " FROM events e WHERE e.id = r.event_id AND r.id = ?3 AND " + kReminderFree + " AND " + due);
  q.bind_all(now_ms, lead_ms, id, claim_until_ms, confirm_hash, unsubscribe_hash);
  q.run();
  return db.changes() == 1;
}

template <class Backend>
void confirmation_sent(typename Backend::Connection& db, int64_t id, int64_t now_ms) {
  db.query("UPDATE reminders SET confirm_due = 0, confirm_sent_ms = ?2, attempts = 0, next_attempt_ms = 0,"
           " claimed_until_ms = 0 WHERE id = ?1")
      .bind_all(id, now_ms)
      .run();
}

template <class Backend>
void reminder_mail_failed(typename Backend::Connection& db, int64_t id, int64_t next_attempt_ms) {
  db.query("UPDATE reminders SET attempts = attempts + 1, next_attempt_ms = ?2, claimed_until_ms = 0 WHERE id = ?1")
      .bind_all(id, next_attempt_ms)
      .run();
}

template <class Backend>
void delete_reminder(typename Backend::Connection& db, int64_t id) { db.query("DELETE FROM reminders WHERE id = ?1").bind_all(id).run(); }

template <class Backend>
int purge_reminders(typename Backend::Connection& db, int64_t now_ms, int64_t unconfirmed_before_ms) {
  // A row being sent right now (claimed) stays until its sender is done;
  // its sender deletes it after a reminder, and the next purge after that.
  db.query("DELETE FROM reminders WHERE claimed_until_ms <= ?1 AND ("
           " (confirmed_ms = 0 AND created_ms < ?2)"
           " OR event_id IN (SELECT id FROM events WHERE closed = 1 OR starts_at_ms <= ?1))")
      .bind_all(now_ms, unconfirmed_before_ms)
      .run();
  return db.changes();
}

}  // namespace palabre::store::sql
